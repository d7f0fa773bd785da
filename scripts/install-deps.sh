#!/usr/bin/env bash
# Install neurodyn's build and test dependencies on Debian/Ubuntu (bookworm or newer).
# Installs only what is missing; runs apt-get update first when it must install.
# Usage: scripts/install-deps.sh [--bench] [--slurm]   (as root, or with sudo available)
#   --bench  also the benchmarks' dependencies (make bench): Brian2 (C++ standalone needs g++), AUTO-07p and the gfortran it
#            compiles its equation files with
#   --slurm  also SLURM and munge, for the local test cluster of make test-slurm
#            (scripts/slurm-local.sh; the packages' systemd units are not used)
set -euo pipefail

packages=(
  build-essential pkg-config make git clang-format
  petsc-dev slepc-dev libhdf5-openmpi-dev openmpi-bin librandom123-dev libyaml-dev
  python3 python3-numpy python3-scipy python3-h5py python3-matplotlib python3-yaml
)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(auto-07p gfortran python3-brian g++) ;;
    --slurm) packages+=(slurm-wlm munge) ;;
    *) echo "install-deps: unknown argument '$arg' (usage: scripts/install-deps.sh [--bench] [--slurm])" >&2; exit 2 ;;
  esac
done

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-deps: not a Debian/Ubuntu system: install PETSc, SLEPc, parallel HDF5 and Python (numpy, scipy, h5py, matplotlib) yourself (see INSTALL)"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all dependencies present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
