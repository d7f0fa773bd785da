/* For implementers of neuron models and of the parts of NdNetwork. */
#ifndef NEURODYN_NETWORKIMPL_H
#define NEURODYN_NETWORKIMPL_H

#include <stdint.h>
#include <petsc/private/petscimpl.h>
#include <neurodyn/network.h>
#include <neurodyn/output.h>
#include <neurodyn/checkpoint.h>
#include <neurodyn/private/parameterimpl.h>

#define ND_MAX_CHANNELS 2 /* synaptic input channels of a model (e.g. excitatory, inhibitory) */
#define ND_MAX_VARS     5 /* state variables of a model */
#define ND_MAX_OBS      4 /* mean-field observables of a model */

/* Instruction sets of the models' vectorised update kernels (-net_simd). The hot loops are
   compiled once per set (function multiversioning through the target attribute) and one of them
   is chosen when the network is set up: the widest the CPU has, so that one binary runs anywhere.
   Every version gives bitwise the same results: the loops are element-wise, vectorisation keeps
   each element's operations and their order, and the models are compiled without contraction
   into fused multiply-adds (-std=c11 and -ffp-contract=off, Makefile). */
typedef enum { ND_SIMD_BASELINE, ND_SIMD_AVX2, ND_SIMD_AVX512 } NdSimd;
PETSC_EXTERN const char *const NdSimds[];
#if defined(__x86_64__) && defined(__GNUC__) && defined(__has_attribute)
#  if __has_attribute(target)
#    define ND_HAVE_SIMD_VERSIONS 1
#    define ND_TARGET_AVX2        __attribute__((target("avx2")))
#    define ND_TARGET_AVX512      __attribute__((target("avx512f")))
#  endif
#endif

/* How a parameter varies over the neurons of a population */
/* How a value varies over neurons: not at all, drawn from a distribution, or read from a file
   (a vector of one value per neuron; -net_<pop>_<name>_file) */
typedef enum { ND_DIST_FIXED, ND_DIST_LORENTZIAN, ND_DIST_GAUSSIAN, ND_DIST_UNIFORM, ND_DIST_FILE } NdDistribution;
PETSC_EXTERN const char *const NdDistributions[];

typedef struct {
  NdDistribution dist;
  PetscReal      spread;    /* Lorentzian half-width, Gaussian standard deviation, uniform half-width */
  PetscBool      quantiles; /* deterministic quantiles instead of random draws */
  char          *file;      /* ND_DIST_FILE: the vector file (file.h5:/path or PETSc binary) */
  PetscReal     *local;     /* the value at each local neuron; NULL when fixed */
} NdHeterogeneity;

/* One step of a population: its input, consumed by the step (read, then zeroed) */
typedef struct {
  PetscReal t, dt;
  PetscBool fresh;           /* the state may have been written since the model's last step (first step, restart):
                                a model that keeps data derived from it (lif: its refractory neurons) rebuilds them */
  NdSimd           simd;     /* the instruction set of the vectorised kernels (-net_simd) */
  PetscReal        current;  /* I(t) times the population's stimulus gain, at the step's start */
  const PetscReal *icurrent; /* per local neuron: its own current (-net_<pop>_current_file), or NULL */
  PetscReal        broadcast[ND_MAX_CHANNELS]; /* all-to-all input arriving in this step, the same for every neuron */
  PetscReal       *input[ND_MAX_CHANNELS];     /* per local neuron: summed synaptic weights arriving in this step */
} NdStepInput;

/* A neuron model: what a registered type fills in when a population is given that model */
typedef struct {
  PetscErrorCode (*setfromoptions)(NdPopulation, NdOptionItems);
  PetscErrorCode (*setup)(NdPopulation);                   /* after parameters are final; dt is known */
  PetscErrorCode (*initialize)(NdPopulation, PetscReal *); /* default initial state (before -init_ options) */
  /* advance the local neurons one step; write the local indices of neurons that spiked */
  PetscErrorCode (*step)(NdPopulation, const NdStepInput *, PetscReal *, PetscInt *, PetscInt *);
  /* local sums for the observables, and the observables from the global sums */
  PetscErrorCode (*observe)(NdPopulation, const PetscReal *, PetscReal[]);
  PetscErrorCode (*finishobserve)(NdPopulation, const PetscReal[], PetscReal[]);
  PetscErrorCode (*destroy)(NdPopulation);
} NdNeuronModelOps;

struct _n_NdPopulation {
  NdNetwork        net;
  char             name[ND_NAME_LEN];
  char             model[ND_NAME_LEN];
  char             description[256];
  const char      *equations; /* the model's equations and update rule, for neurodyn info (a string literal) */
  char             time_unit[ND_NAME_LEN];
  char             weight_unit[ND_NAME_LEN]; /* of a synaptic weight onto this model (pA, mV, nS, 1) */
  NdNeuronModelOps ops;
  PetscInt         index;          /* position in the network's list */
  PetscInt         size;           /* neurons */
  PetscInt         gstart;         /* global index of neuron 0 */
  PetscInt         lstart, nlocal; /* this rank's neurons: [lstart, lstart + nlocal) of the population */
  PetscInt         nparam;
  NdParameter     *param;
  NdHeterogeneity *het; /* one per parameter */
  PetscInt         nvar;
  NdParameter     *var;  /* state variables: name, unit, initial value (default) and description */
  NdHeterogeneity *init; /* initial values per variable (value: var[i].value) */
  PetscInt         nchannel;
  PetscInt         nobs;
  char             obs[ND_MAX_OBS][ND_NAME_LEN], obs_unit[ND_MAX_OBS][ND_NAME_LEN];
  PetscInt         state_offset; /* start of its variables (nvar blocks of nlocal) in the local state */
  PetscReal        stim_gain;
  PetscBool        takes_current;                /* the model adds NdStepInput.icurrent (set by the model's create) */
  char            *current_file;                 /* -net_<pop>_current_file: per-neuron step currents */
  PetscInt         ncurrent;                     /* their change points */
  PetscInt64      *current_step;                 /* [ncurrent] the first step of each value */
  PetscReal       *current_value;                /* [ncurrent][nlocal] each local neuron's current from that step on */
  PetscInt         current_k;                    /* the value in force (-1: none yet) */
  PetscReal        poisson_rate, poisson_weight; /* external Poisson drive per neuron */
  PetscInt         poisson_channel;
  PetscInt         ntrace, ntrace_local; /* neurons whose state is recorded (-net_<pop>_record) */
  PetscInt        *trace;                /* their indices in the population (all), sorted */
  PetscInt         trace_first;          /* the first of them that is local */
  PetscInt         local_offset;         /* its first local neuron in the network's local numbering */
  PetscReal       *ring_bcast;           /* [nslots][nchannel] all-to-all input by arrival step */
  PetscInt        *spiked;               /* scratch: local indices that spiked in a step */
  PetscInt64       nspikes;              /* spikes emitted by the local neurons */
  void            *data;
};

/* The value of parameter k at local neuron i */
static inline PetscReal NdPopulationParam(NdPopulation pop, PetscInt k, PetscInt i)
{
  return pop->het[k].local ? pop->het[k].local[i] : pop->param[k].value;
}

/* The indices i with V[i] >= vth. Spikes are rare: blocks of 16 are tested without branches
   (vectorised) and only a block with a crossing is scanned one by one. */
static inline PetscInt NdThresholdCrossings(PetscInt n, const PetscReal *restrict V, PetscReal vth,
                                            PetscInt *restrict spiked)
{
  PetscInt ns = 0, i = 0;

  for (; i + 16 <= n; i += 16) {
    int any = 0;
    for (PetscInt j = 0; j < 16; j++) any |= V[i + j] >= vth;
    if (any)
      for (PetscInt j = i; j < i + 16; j++)
        if (V[j] >= vth) spiked[ns++] = j;
  }
  for (; i < n; i++)
    if (V[i] >= vth) spiked[ns++] = i;
  return ns;
}

/* Collective: parameter lower < parameter upper at every neuron (e.g. V_reset < V_th), else an error
   naming the first neuron's values on every rank */
PETSC_EXTERN PetscErrorCode NdPopulationCheckBelow(NdPopulation, PetscInt, PetscInt);
PETSC_EXTERN PetscErrorCode NdPopulationSetDescription(NdPopulation, const char[], const char[]);
PETSC_EXTERN PetscErrorCode NdPopulationSetEquations(NdPopulation, const char[]);
PETSC_EXTERN PetscErrorCode NdPopulationSetWeightUnit(NdPopulation, const char[]);
PETSC_EXTERN PetscErrorCode NdPopulationAddParameter(NdPopulation, const char[], PetscReal, const char[], PetscReal,
                                                     PetscBool, PetscReal, PetscBool, const char[]);
PETSC_EXTERN PetscErrorCode NdPopulationAddVariable(NdPopulation, const char[], const char[], PetscReal, const char[]);
PETSC_EXTERN PetscErrorCode NdPopulationAddObservable(NdPopulation, const char[], const char[]);
PETSC_EXTERN PetscErrorCode NdPopulationGetParameterIndex(NdPopulation, const char[], PetscInt *);
PETSC_EXTERN PetscErrorCode NdPopulationGetTimeStep(NdPopulation, PetscReal *);
PETSC_EXTERN PetscErrorCode NdPopulationFinishObserveMean(NdPopulation, const PetscReal[], PetscReal[]);

/* A projection from one population to another */
typedef enum {
  ND_RULE_ALL_TO_ALL,
  ND_RULE_BERNOULLI,
  ND_RULE_FIXED_INDEGREE,
  ND_RULE_FIXED_OUTDEGREE,
  ND_RULE_FILE,
  ND_RULE_SONATA /* a SONATA edge population: file.h5:/edges/<name> (-net_sonata sets it) */
} NdRule;
PETSC_EXTERN const char *const NdRules[];

typedef struct {
  PetscInt       source, target; /* population indices */
  NdRule         rule;
  PetscReal      p; /* bernoulli */
  PetscInt       K; /* fixed in/out-degree */
  PetscBool      autapses, multapses;
  char           file[PETSC_MAX_PATH_LEN];
  PetscReal      weight; /* per synapse (mean) */
  NdDistribution weight_dist;
  PetscReal      weight_spread;
  PetscReal      delay; /* mean, in time units */
  NdDistribution delay_dist;
  PetscReal      delay_spread;
  PetscInt       channel;
  PetscBool      channel_by_sign; /* file weights, receptor auto: each synapse by its sign */
  PetscInt64     nsyn;            /* synapses onto this rank's neurons */
} NdProjection;

/* A synapse onto this rank: its target as an index into the local neurons of the whole network,
   weight, delay in steps and the target's input channel; 12 bytes, read together in delivery */
typedef struct {
  int32_t  target;
  float    weight;
  uint16_t delay;
  uint8_t  channel;
  uint8_t  unused;
} NdSynapse;

/* Per presynaptic neuron (global index), the synapses onto this rank's neurons */
typedef struct {
  PetscInt64 *ptr; /* [N + 1] */
  NdSynapse  *syn;
} NdDelivery;

/* The spike record and the binned population rates */
typedef struct {
  NdOutput    out;
  int64_t    *keys;         /* step * N + global id of every local spike not yet written, in order */
  PetscInt64  held_global;  /* spikes held by all ranks (known to all from the exchanges) */
  PetscInt64  spike_buffer; /* -net_spike_buffer: flush when the ranks hold more than this each, on average */
  PetscInt64  flushed_step; /* steps before this are written */
  PetscInt64  nkeys, maxkeys;
  PetscInt    rate_steps; /* steps per rate bin */
  PetscReal   rate_scale; /* /rates in Hz: 1000 when the time unit is ms (NdNetworkRateUnit) */
  PetscInt64  rate_bin;   /* index of the bin being filled */
  PetscInt64 *rate_count; /* [npop] spikes in the current bin (all ranks' spikes, after exchange) */
  NdDataset   rate_t, *rate;
  PetscInt    sample_steps;
  PetscInt64 *sample_count; /* [npop] local spikes since the last sample */
  NdDataset   obs_t, *obs;  /* [sum of nobs + 1 per population] */
  NdDataset  *traces;       /* [npop][ND_MAX_VARS] the state of selected neurons */
  PetscInt64  samples;      /* rows of /observables and /traces written */
  PetscReal  *trace_row;
} NdRecorder;

struct _p_NdNetwork {
  PETSCHEADER(int);
  PetscInt         npop;
  NdPopulation    *pop;
  PetscInt         nproj;
  NdProjection    *proj;
  PetscInt         N, nlocal, rstart; /* all neurons, and this rank's [rstart, rstart + nlocal) */
  PetscInt64       seed;
  NdStimulus       stimulus;
  Mat              W; /* connectivity (rows postsynaptic), kept with -net_keep_matrix */
  PetscBool        keep_matrix;
  PetscBool        write_synapses; /* -net_write_synapses: the delivery tables into the output */
  PetscMPIInt      size;           /* ranks */
  NdDelivery       dlv;
  PetscInt64       nsyn_local;
  PetscReal        t0, dt;
  PetscInt         min_delay, max_delay, nslots; /* in steps; ring buffers have nslots slots */
  PetscInt         nchannel;                     /* input channels of the ring (the most of any model) */
  PetscReal       *ring;   /* [nslots][nchannel][nlocal]: synaptic input of the local neurons by arrival step */
  PetscInt64       step;   /* steps done */
  PetscInt64      *window; /* spikes of the current exchange window: step * N + id */
  PetscInt64       nwindow, maxwindow;
  PetscInt64      *gathered;
  PetscInt64       ngathered, maxgathered; /* the last exchange's spikes, sorted */
  PetscMPIInt     *counts, *displs;
  PetscInt64       exchange_cap; /* keys per rank in the fixed blocks of the exchange */
  PetscInt64      *sendblock, *recvblocks;
  Vec              state;
  PetscObjectId    state_id;   /* the id and PetscObjectState of the vector the last step wrote: another */
  PetscObjectState state_seen; /* vector, or one written since, makes the next step's NdStepInput.fresh */
  PetscBool        fresh;
  NdSimd           simd;
  NdRecorder       rec;
  PetscBool        setupcalled;
};

/* Parts of the network, one file each */
PETSC_EXTERN PetscErrorCode NdPopulationCreate(NdNetwork, const char[], PetscInt, NdPopulation *);
PETSC_EXTERN PetscErrorCode NdPopulationSetFromOptions(NdPopulation);
PETSC_EXTERN PetscErrorCode NdPopulationSetUp(NdPopulation);
PETSC_EXTERN PetscErrorCode NdPopulationInitialize(NdPopulation, PetscReal *);
PETSC_EXTERN PetscErrorCode NdPopulationView(NdPopulation, PetscViewer);
PETSC_EXTERN PetscErrorCode NdPopulationDestroy(NdPopulation *);
PETSC_EXTERN PetscErrorCode NdHeterogeneityDraw(NdNetwork, NdPopulation, PetscInt, PetscReal, NdHeterogeneity *);

PETSC_EXTERN PetscErrorCode NdProjectionsSetFromOptions(NdNetwork);
/* -net_sonata nodes.h5,edges.h5[,node_types.csv]: the populations and projections as options */
PETSC_EXTERN PetscErrorCode NdNetworkSonataSetOptions(NdNetwork);
/* edge_types.csv: the types, their weights (PETSC_MAX_REAL: no column) and delays (NaN: none),
   one PetscMalloc3 block; whether it has a syn_weight column */
PETSC_EXTERN PetscErrorCode NdSonataReadEdgeTypes(MPI_Comm, const char[], PetscInt *, PetscReal **, PetscReal **,
                                                  PetscReal **, PetscBool *);
PETSC_EXTERN PetscErrorCode NdNetworkBuildConnectivity(NdNetwork);
PETSC_EXTERN PetscErrorCode NdNetworkStep(NdNetwork, PetscReal *);
PETSC_EXTERN PetscErrorCode NdNetworkExchange(NdNetwork);
/* Rates as they are read: in Hz (factor 1000) when the time unit is ms, else per time unit */
PETSC_EXTERN PetscErrorCode NdNetworkRateUnit(NdNetwork, PetscReal *, char[], size_t);

PETSC_EXTERN PetscErrorCode NdRecorderCreate(NdNetwork, NdOutput, PetscReal, PetscReal);
PETSC_EXTERN PetscErrorCode NdRecorderSample(NdNetwork, const PetscReal *);
PETSC_EXTERN PetscErrorCode NdRecorderCountRates(NdNetwork);
PETSC_EXTERN PetscErrorCode NdRecorderFinish(NdNetwork, NdOutput);
PETSC_EXTERN PetscErrorCode NdRecorderDestroy(NdNetwork);
PETSC_EXTERN PetscErrorCode NdRecorderFlush(NdNetwork);

PETSC_EXTERN PetscErrorCode NdNetworkCheckpointWrite(NdNetwork, NdOutput, PetscInt64);
PETSC_EXTERN PetscErrorCode NdNetworkRestart(NdNetwork, TS, NdCheckpointReader, PetscInt64 *);
PETSC_EXTERN PetscErrorCode NdNetworkRestartRecords(NdNetwork, NdCheckpointReader, NdOutput);

/* Random streams of the network (the Philox key's second word) */
enum {
  ND_STREAM_CONNECT       = 1,
  ND_STREAM_WEIGHT        = 2,
  ND_STREAM_DELAY         = 3,
  ND_STREAM_HETEROGENEITY = 4,
  ND_STREAM_POISSON       = 5,
  ND_STREAM_NEURON        = 6 /* a model's own random numbers */
};
#define ND_STREAM(kind, index) ((uint32_t)(kind) << 24 | (uint32_t)(index))

#endif
