/* NdNetwork: a spiking network of populations of neuron models (qif, lif, izhikevich, ...)
   coupled by projections, with connectivity as a PETSc MPIAIJ matrix distributed by rows
   (row = postsynaptic neuron), advanced by PETSc TS with a registered fixed-step method.
   Options prefix -net_: -net_populations E,I; -net_<pop>_model, -net_<pop>_size, model
   parameters -net_<pop>_<param> (with -net_<pop>_<param>_dist for heterogeneity); projections
   -net_<source>_<target>_rule and their weights and delays. See docs/network.md. */
#ifndef NEURODYN_NETWORK_H
#define NEURODYN_NETWORK_H

#include <petscts.h>
#include <neurodyn/core.h>
#include <neurodyn/stimulus.h>
#include <neurodyn/output.h>

typedef struct _p_NdNetwork    *NdNetwork;
typedef struct _n_NdPopulation *NdPopulation; /* a population of one neuron model, inside a network */
typedef const char             *NdNeuronModelType;
#define NDNEURONQIF            "qif"
#define NDNEURONLIF            "lif"
#define NDNEURONIZHIKEVICH     "izhikevich"
#define NDNEURONMIF            "mif"
#define NDNEURONLIFCOND        "lif_cond"
#define NDNEURONLIFDELTA       "lif_delta"
#define NDNEURONADEX           "adex"
#define NDNEURONSPIKEGENERATOR "spike_generator"

/* The fixed-step TS method that advances a network (one fused update per neuron and step) */
#define TSNDNETWORK "ndnetwork"

PETSC_EXTERN PetscFunctionList NdNeuronModelList;
PETSC_EXTERN PetscBool         NdNeuronModelRegisterAllCalled; /* reset by NdNetworkFinalizePackage() */
PETSC_EXTERN PetscClassId      ND_NETWORK_CLASSID;
PETSC_EXTERN PetscLogEvent     ND_EVENT_UPDATE;   /* the neuron updates of a step */
PETSC_EXTERN PetscLogEvent     ND_EVENT_EXCHANGE; /* spikes exchanged between ranks */
PETSC_EXTERN PetscLogEvent     ND_EVENT_DELIVER;  /* spikes written into the input buffers */
/* The network component: its class, events and neuron models (idempotent) */
PETSC_EXTERN PetscErrorCode NdNetworkInitializePackage(void);
PETSC_EXTERN PetscErrorCode NdNetworkFinalizePackage(void);

PETSC_EXTERN PetscErrorCode NdNetworkCreate(MPI_Comm, NdNetwork *);
PETSC_EXTERN PetscErrorCode NdNetworkSetFromOptions(NdNetwork);
PETSC_EXTERN PetscErrorCode NdNetworkSetTimeStep(NdNetwork, PetscReal, PetscReal);
PETSC_EXTERN PetscErrorCode NdNetworkSetUp(NdNetwork);
PETSC_EXTERN PetscErrorCode NdNetworkView(NdNetwork, PetscViewer);
PETSC_EXTERN PetscErrorCode NdNetworkViewFromOptions(NdNetwork, PetscObject, const char[]);
PETSC_EXTERN PetscErrorCode NdNetworkDestroy(NdNetwork *);
PETSC_EXTERN PetscErrorCode NdNeuronModelRegister(const char[], PetscErrorCode (*)(NdPopulation));
PETSC_EXTERN PetscErrorCode NdNeuronModelRegisterAll(void);
PETSC_EXTERN PetscErrorCode NdNeuronModelDescribe(MPI_Comm, const char[]);

/* True if the options describe a network (-net_populations is set) */
PETSC_EXTERN PetscErrorCode NdNetworkOptionsPresent(PetscBool *);

/* Totals: neurons, synapses (64-bit), bytes of the delivery structures on this rank */
PETSC_EXTERN PetscErrorCode NdNetworkGetSizes(NdNetwork, PetscInt *, PetscInt64 *, PetscInt64 *);
/* Synapses of the all-to-all projections (every source onto every target): implicit, no tables */
PETSC_EXTERN PetscErrorCode NdNetworkGetImplicitSynapses(NdNetwork, PetscInt64 *);

/* A TS of type TSNDNETWORK advancing the network with step dt from t0, and its state vector */
PETSC_EXTERN PetscErrorCode NdNetworkCreateTS(NdNetwork, TS *);
PETSC_EXTERN PetscErrorCode NdNetworkCreateTSFromOptions(NdNetwork, TS *);
PETSC_EXTERN PetscErrorCode TSNdNetworkSetNetwork(TS, NdNetwork);

/* Run to the TS's max time: rates every rate_dt, observables every sample_dt, spikes in time order;
   checkpoints every checkpoint_interval (0: on SIGTERM/SIGUSR1 only); from a checkpoint with
   restart. The int is set to the signal that stopped the run, or 0. */
typedef struct {
  PetscReal   sample_dt, rate_dt;
  PetscBool   progress;
  PetscReal   checkpoint_interval;
  const char *restart;
} NdNetworkRunSettings;
PETSC_EXTERN PetscErrorCode NdNetworkSimulate(NdNetwork, TS, NdOutput, const NdNetworkRunSettings *, int *);
/* The per-run summary (run and build seconds, output file) printed on rank 0 */
PETSC_EXTERN PetscErrorCode NdNetworkPrintSummary(NdNetwork, PetscReal, PetscReal, const char[]);

#endif
