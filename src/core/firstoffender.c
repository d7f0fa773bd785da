/* The first offender of a distributed check: each rank offers the index of its first bad item
   (a row, a neuron) with a few values describing it; every rank learns the smallest index and
   the values of the rank that offered it, so that one error message names it on every rank. */
#include <neurodyn/core.h>

PetscErrorCode NdAllreduceFirst(MPI_Comm comm, PetscInt64 *index, MPI_Datatype type, PetscMPIInt count, void *values)
{
  PetscInt64  first;
  PetscMPIInt rank, mine, owner;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Allreduce(index, &first, 1, MPIU_INT64, MPI_MIN, comm));
  if (first != INT64_MAX) {
    PetscCallMPI(MPI_Comm_rank(comm, &rank));
    mine = *index == first ? rank : PETSC_MPI_INT_MAX;
    PetscCallMPI(MPI_Allreduce(&mine, &owner, 1, MPI_INT, MPI_MIN, comm));
    PetscCallMPI(MPI_Bcast(values, count, type, owner, comm));
  }
  *index = first;
  PetscFunctionReturn(PETSC_SUCCESS);
}
