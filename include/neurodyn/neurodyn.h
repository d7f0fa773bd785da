/* neurodyn: dynamics of neural networks from spikes to bifurcations, on PETSc, SLEPc and HDF5. */
#ifndef NEURODYN_H
#define NEURODYN_H

#include <neurodyn/compat.h>
#include <neurodyn/core.h>
#include <neurodyn/stimulus.h>
#include <neurodyn/system.h>
#include <neurodyn/output.h>
#include <neurodyn/checkpoint.h>
#include <neurodyn/continuation.h>
#include <neurodyn/binary.h>
#include <neurodyn/rng.h>
#include <neurodyn/sde.h>
#include <neurodyn/app.h>

#endif
