"""Reference numbers of tests/unit/test_linearization.c, by numpy/scipy independently of neurodyn:
the MPR mean field (docs/models/mpr.md: dr/dt = Delta/pi + 2 r v, dv/dt = v^2 + eta + J r - pi^2 r^2,
tau = 1, I = 0) at eta = -7, J = 15, Delta = 1 has one fixed point (below the lower fold); its
Jacobian A, the response w^T (i omega - A)^{-1} u with u = (1, 1), w = (1/2, 1/2) (neurodyn's
defaults: input on every unit, the population mean read out) at omega = 0, 0.5, 2, and the
covariance C of A C + C A^T + sigma^2 I = 0 at sigma = 0.3 (scipy's solve_continuous_lyapunov).
Run: python3 tests/unit/linearization_reference.py"""
import numpy as np
from scipy.optimize import brentq
from scipy.linalg import solve_continuous_lyapunov
eta, J, Delta = -7.0, 15.0, 1.0
# fixed point: r = -Delta/(2 pi v) (dr/dt = 0), then v^2 + eta + J r - pi^2 r^2 = 0 for v < 0
f = lambda v: v*v + eta + J*(-Delta/(2*np.pi*v)) - np.pi**2*(Delta/(2*np.pi*v))**2
vs = np.linspace(-10, -1e-3, 200001); fv = f(vs); idx = np.where(np.sign(fv[:-1]) != np.sign(fv[1:]))[0]
roots = [brentq(f, vs[i], vs[i+1], xtol=1e-15) for i in idx]
print("roots", roots)
v = roots[0]; r = -Delta/(2*np.pi*v)
A = np.array([[2*v, 2*r], [J - 2*np.pi**2*r, 2*v]])
print("r, v = %.17g, %.17g" % (r, v)); print("eig", np.linalg.eigvals(A))
u = np.ones(2); w = np.ones(2)/2
for om in (0.0, 0.5, 2.0):
    chi = np.linalg.solve(1j*om*np.eye(2) - A, u); z = w @ chi
    print("omega %g gain %.17g phase %.17g" % (om, abs(z), np.angle(z)))
sigma = 0.3
C = solve_continuous_lyapunov(A, -sigma**2*np.eye(2))
print("C (column-major)", repr(C.ravel(order="F").tolist()))
