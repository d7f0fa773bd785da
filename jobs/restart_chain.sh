#!/bin/bash
# A long simulate as a chain of SLURM jobs, each continuing from the previous one's checkpoint:
# segment k+1 is submitted with --dependency=afterok:<segment k>, so it starts only when
# segment k completed or stopped with a checkpoint (jobs/restart_segment.sbatch).
#
#   INPUT=inputs/rate_scaling.yaml OUTDIR=results/long SEGMENTS=5 jobs/restart_chain.sh --time=04:00:00 --ntasks=64
#
# Each segment runs until SLURM's SIGUSR1 (120 s before --time), writes a checkpoint and
# stops; the result is OUTDIR/final.h5 (a link to the segment that completed, whose /timeseries
# holds the whole run). Give enough SEGMENTS: those after completion do nothing.
# A segment that reaches its time limit instead (state TIMEOUT) breaks the chain, but its
# checkpoint is valid: resume with FIRST_SEGMENT=<its number + 1>.
# Arguments: sbatch options for every segment. Environment: INPUT, OUTDIR (required), SEGMENTS
# (default 4), FIRST_SEGMENT (default 0: a new run), and what jobs/restart_segment.sbatch reads
# (EXTRA_ARGS, NEURODYN, MPIEXEC). Prints the job ids, first to last.
set -euo pipefail
: "${INPUT:?set INPUT (the input file)}" "${OUTDIR:?set OUTDIR}"
SEGMENTS=${SEGMENTS:-4}
FIRST_SEGMENT=${FIRST_SEGMENT:-0}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUTDIR"
[ "$FIRST_SEGMENT" -eq 0 ] && rm -f "$OUTDIR/final.h5"
dependency=()
for ((k = FIRST_SEGMENT; k < FIRST_SEGMENT + SEGMENTS; k++)); do
  id=$(SEGMENT=$k sbatch --parsable --export=ALL --kill-on-invalid-dep=yes "${dependency[@]}" \
    --output="$OUTDIR/segment_$k.out" "$@" "$here/restart_segment.sbatch")
  id=${id%%;*}
  echo "$id"
  dependency=(--dependency="afterok:$id")
done
