/* TSNDNETWORK: the fixed-step TS method of spiking networks. A step advances every neuron by the
   update of its model (one fused pass over the raw state arrays: integration, threshold, reset),
   and, at the end of each exchange window, exchanges and delivers the spikes. */
#include <petsc/private/tsimpl.h>
#include <neurodyn/private/networkimpl.h>

typedef struct {
  NdNetwork net;
} TS_NdNetwork;

static PetscErrorCode TSStep_NdNetwork(TS ts)
{
  TS_NdNetwork *nn  = (TS_NdNetwork *)ts->data;
  NdNetwork     net = nn->net;
  PetscScalar  *x;

  PetscFunctionBegin;
  PetscCheck(net, PetscObjectComm((PetscObject)ts), PETSC_ERR_ORDER,
             "TS %s has no network: call TSNdNetworkSetNetwork()", TSNDNETWORK);
  PetscCheck(PetscAbsReal(ts->time_step - net->dt) <= 1e-12 * net->dt, PetscObjectComm((PetscObject)ts), PETSC_ERR_SUP,
             "TS %s takes fixed steps of dt = %g (the network's); the step was changed to %g", TSNDNETWORK,
             (double)net->dt, (double)ts->time_step);
  { /* the state written since the last step (another vector, the start, a restart): tell the models */
    PetscInt64       id;
    PetscObjectState state;
    PetscCall(PetscObjectGetId((PetscObject)ts->vec_sol, &id));
    PetscCall(PetscObjectStateGet((PetscObject)ts->vec_sol, &state));
    net->fresh = (PetscBool)(id != net->state_id || state != net->state_seen);
  }
  PetscCall(VecGetArray(ts->vec_sol, &x));
  PetscCall(NdNetworkStep(net, x));
  PetscCall(VecRestoreArray(ts->vec_sol, &x));
  PetscCall(PetscObjectGetId((PetscObject)ts->vec_sol, &net->state_id));
  PetscCall(PetscObjectStateGet((PetscObject)ts->vec_sol, &net->state_seen));
  if (net->step % net->min_delay == 0) PetscCall(NdNetworkExchange(net));
  ts->ptime = net->t0 + (PetscReal)net->step * net->dt; /* from the step count: no accumulated rounding */
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode TSView_NdNetwork(TS ts, PetscViewer viewer)
{
  TS_NdNetwork *nn = (TS_NdNetwork *)ts->data;
  PetscBool     isascii;

  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &isascii));
  if (isascii && nn->net)
    PetscCall(PetscViewerASCIIPrintf(
        viewer, "  fixed-step network update, spikes exchanged every %" PetscInt_FMT " steps\n", nn->net->min_delay));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode TSReset_NdNetwork(TS ts)
{
  TS_NdNetwork *nn = (TS_NdNetwork *)ts->data;

  PetscFunctionBegin;
  PetscCall(NdNetworkDestroy(&nn->net));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode TSDestroy_NdNetwork(TS ts)
{
  PetscFunctionBegin;
  PetscCall(TSReset_NdNetwork(ts));
  PetscCall(PetscObjectComposeFunction((PetscObject)ts, "TSNdNetworkSetNetwork_C", NULL));
  PetscCall(PetscFree(ts->data));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode TSNdNetworkSetNetwork_NdNetwork(TS ts, NdNetwork net)
{
  TS_NdNetwork *nn = (TS_NdNetwork *)ts->data;

  PetscFunctionBegin;
  PetscCall(PetscObjectReference((PetscObject)net));
  PetscCall(NdNetworkDestroy(&nn->net));
  nn->net = net;
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* Give the TS (of type TSNDNETWORK) the network it advances */
PetscErrorCode TSNdNetworkSetNetwork(TS ts, NdNetwork net)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(ts, TS_CLASSID, 1);
  PetscValidHeaderSpecific(net, ND_NETWORK_CLASSID, 2);
  PetscTryMethod(ts, "TSNdNetworkSetNetwork_C", (TS, NdNetwork), (ts, net));
  PetscFunctionReturn(PETSC_SUCCESS);
}

PETSC_EXTERN PetscErrorCode TSCreate_NdNetwork(TS ts)
{
  TS_NdNetwork *nn;

  PetscFunctionBegin;
  PetscCall(PetscNew(&nn));
  ts->data               = nn;
  ts->ops->step          = TSStep_NdNetwork;
  ts->ops->view          = TSView_NdNetwork;
  ts->ops->reset         = TSReset_NdNetwork;
  ts->ops->destroy       = TSDestroy_NdNetwork;
  ts->default_adapt_type = TSADAPTNONE;
  PetscCall(PetscObjectComposeFunction((PetscObject)ts, "TSNdNetworkSetNetwork_C", TSNdNetworkSetNetwork_NdNetwork));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* A TS of type TSNDNETWORK for the network, with its step as the default -ts_dt and steps that
   end past the final time never taken (-ts_max_time is rounded to whole steps). */
PetscErrorCode NdNetworkCreateTS(NdNetwork net, TS *ts)
{
  PetscFunctionBegin;
  PetscCall(TSCreate(PetscObjectComm((PetscObject)net), ts));
  PetscCall(TSSetType(*ts, TSNDNETWORK));
  PetscCall(TSNdNetworkSetNetwork(*ts, net));
  PetscCall(TSSetTimeStep(*ts, net->dt));
  PetscCall(TSSetExactFinalTime(*ts, TS_EXACTFINALTIME_STEPOVER));
  PetscFunctionReturn(PETSC_SUCCESS);
}

/* NdNetworkCreateTS() with the -ts_* options read (only its own -ts_type is valid) and the network's
   start and step taken from them: before NdNetworkSetFromOptions(), which checks delays against
   the step */
PetscErrorCode NdNetworkCreateTSFromOptions(NdNetwork net, TS *ts)
{
  PetscBool same;
  TSType    type;
  PetscReal t0, dt;

  PetscFunctionBegin;
  PetscCall(NdNetworkCreateTS(net, ts));
  PetscCall(TSSetFromOptions(*ts));
  PetscCall(PetscObjectTypeCompare((PetscObject)*ts, TSNDNETWORK, &same));
  PetscCall(TSGetType(*ts, &type));
  PetscCheck(same, PetscObjectComm((PetscObject)net), PETSC_ERR_USER_INPUT,
             "-ts_type %s: a spiking network is advanced by its own fixed-step method, -ts_type %s (the default)", type,
             TSNDNETWORK);
  PetscCall(TSGetTime(*ts, &t0));
  PetscCall(TSGetTimeStep(*ts, &dt));
  PetscCall(NdNetworkSetTimeStep(net, t0, dt));
  PetscFunctionReturn(PETSC_SUCCESS);
}
