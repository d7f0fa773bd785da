!----------------------------------------------------------------------------------------------
! The Montbrio-Pazo-Roxin mean field (neurodyn docs/models/mpr.md) as an AUTO-07p equation file,
! for bench/continuation_vs_auto.py.
!   NDIM = 2: instantaneous synapses (tau_s = 0, s = r)        unknowns r, v
!   NDIM = 3: first-order synapses tau_s ds/dt = -s + r        unknowns r, v, s
!   tau dr/dt = Delta/(pi tau) + 2 r v
!   tau dv/dt = v^2 + eta + J tau s - (pi tau r)^2
! Parameters: PAR(1) eta, PAR(2) J, PAR(3) Delta, PAR(4) tau, PAR(5) tau_s; PAR(11) is AUTO's
! period. The Jacobians are analytic (JAC = 1 in the constants files).
!----------------------------------------------------------------------------------------------

SUBROUTINE FUNC(NDIM,U,ICP,PAR,IJAC,F,DFDU,DFDP)
  IMPLICIT NONE
  INTEGER, INTENT(IN) :: NDIM, ICP(*), IJAC
  DOUBLE PRECISION, INTENT(IN) :: U(NDIM), PAR(*)
  DOUBLE PRECISION, INTENT(OUT) :: F(NDIM)
  DOUBLE PRECISION, INTENT(INOUT) :: DFDU(NDIM,NDIM), DFDP(NDIM,*)
  DOUBLE PRECISION, PARAMETER :: PI = 3.14159265358979323846D0
  DOUBLE PRECISION r, v, s, eta, J, Delta, tau, taus

  r = U(1)
  v = U(2)
  IF (NDIM == 3) THEN
     s = U(3)
  ELSE
     s = r
  END IF
  eta = PAR(1)
  J = PAR(2)
  Delta = PAR(3)
  tau = PAR(4)
  taus = PAR(5)

  F(1) = (Delta/(PI*tau) + 2*r*v)/tau
  F(2) = (v**2 + eta + J*tau*s - (PI*tau*r)**2)/tau
  IF (NDIM == 3) F(3) = (r - s)/taus

  IF (IJAC == 0) RETURN

  DFDU = 0
  DFDU(1,1) = 2*v/tau
  DFDU(1,2) = 2*r/tau
  DFDU(2,1) = -2*PI**2*tau*r
  DFDU(2,2) = 2*v/tau
  IF (NDIM == 3) THEN
     DFDU(2,3) = J
     DFDU(3,1) = 1/taus
     DFDU(3,3) = -1/taus
  ELSE
     DFDU(2,1) = DFDU(2,1) + J
  END IF

  IF (IJAC == 1) RETURN

  DFDP(1:NDIM,1:5) = 0
  DFDP(2,1) = 1/tau
  DFDP(2,2) = s
  DFDP(1,3) = 1/(PI*tau**2)
  DFDP(1,4) = -2*Delta/(PI*tau**3) - 2*r*v/tau**2
  DFDP(2,4) = -(v**2 + eta)/tau**2 - (PI*r)**2
  IF (NDIM == 3) DFDP(3,5) = (s - r)/taus**2
END SUBROUTINE FUNC

! The start point and all parameter values come from U and PAR in mpr.auto (AUTO applies them
! after STPNT, so STPNT cannot compute an equilibrium from the constants itself).
SUBROUTINE STPNT(NDIM,U,PAR,T)
  IMPLICIT NONE
  INTEGER, INTENT(IN) :: NDIM
  DOUBLE PRECISION, INTENT(INOUT) :: U(NDIM), PAR(*)
  DOUBLE PRECISION, INTENT(IN) :: T
END SUBROUTINE STPNT

SUBROUTINE BCND
END SUBROUTINE BCND

SUBROUTINE ICND
END SUBROUTINE ICND

SUBROUTINE FOPT
END SUBROUTINE FOPT

SUBROUTINE PVLS
END SUBROUTINE PVLS
