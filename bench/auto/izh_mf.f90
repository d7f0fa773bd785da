!----------------------------------------------------------------------------------------------
! The Chen-Campbell mean field of Izhikevich neurons with adaptation (neurodyn system izh_mf,
! src/system/impls/izh_mf/izh_mf.c) as an AUTO-07p equation file, for
! bench/continuation_vs_auto.py and tests/e2e/data/izh_mf_cycles_auto.json (bench/auto/izh_mf.auto).
!   dr/dt = Delta/pi + 2 r v - (alpha + g s) r
!   dv/dt = v^2 - alpha v - w + eta + g s (e_r - v) - pi^2 r^2
!   dw/dt = a (b v - w) + w_jump r
!   ds/dt = -s/tau_s + s_jump r
! Parameters: PAR(1) eta, PAR(2) Delta, PAR(3) alpha, PAR(4) a, PAR(5) b, PAR(6) w_jump,
! PAR(7) g, PAR(8) e_r, PAR(9) s_jump, PAR(10) tau_s; PAR(11) is AUTO's period.
! Jacobian and parameter derivatives are analytic (JAC = 1).
!----------------------------------------------------------------------------------------------

SUBROUTINE FUNC(NDIM,U,ICP,PAR,IJAC,F,DFDU,DFDP)
  IMPLICIT NONE
  INTEGER, INTENT(IN) :: NDIM, ICP(*), IJAC
  DOUBLE PRECISION, INTENT(IN) :: U(NDIM), PAR(*)
  DOUBLE PRECISION, INTENT(OUT) :: F(NDIM)
  DOUBLE PRECISION, INTENT(INOUT) :: DFDU(NDIM,NDIM), DFDP(NDIM,*)
  DOUBLE PRECISION, PARAMETER :: PI = 3.14159265358979323846D0
  DOUBLE PRECISION r, v, w, s, eta, Delta, alpha, a, b, wj, g, er, sj, taus

  r = U(1)
  v = U(2)
  w = U(3)
  s = U(4)
  eta = PAR(1)
  Delta = PAR(2)
  alpha = PAR(3)
  a = PAR(4)
  b = PAR(5)
  wj = PAR(6)
  g = PAR(7)
  er = PAR(8)
  sj = PAR(9)
  taus = PAR(10)

  F(1) = Delta/PI + 2*r*v - (alpha + g*s)*r
  F(2) = v**2 - alpha*v - w + eta + g*s*(er - v) - PI**2*r**2
  F(3) = a*(b*v - w) + wj*r
  F(4) = -s/taus + sj*r

  IF (IJAC == 0) RETURN

  DFDU = 0
  DFDU(1,1) = 2*v - (alpha + g*s)
  DFDU(1,2) = 2*r
  DFDU(1,4) = -g*r
  DFDU(2,1) = -2*PI**2*r
  DFDU(2,2) = 2*v - alpha - g*s
  DFDU(2,3) = -1
  DFDU(2,4) = g*(er - v)
  DFDU(3,1) = wj
  DFDU(3,2) = a*b
  DFDU(3,3) = -a
  DFDU(4,1) = sj
  DFDU(4,4) = -1/taus

  IF (IJAC == 1) RETURN

  DFDP(1:NDIM,1:10) = 0
  DFDP(2,1) = 1
  DFDP(1,2) = 1/PI
  DFDP(1,3) = -r
  DFDP(2,3) = -v
  DFDP(3,4) = b*v - w
  DFDP(3,5) = a*v
  DFDP(3,6) = r
  DFDP(1,7) = -s*r
  DFDP(2,7) = s*(er - v)
  DFDP(2,8) = g*s
  DFDP(4,9) = r
  DFDP(4,10) = s/taus**2
END SUBROUTINE FUNC

! The start point and all parameter values come from U and PAR in izh_mf.auto.
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
