"""Line-by-line port of R's Nelder-Mead minimiser ``nmmin`` (src/appl/optim.c).

Used only to reproduce the CI limits that R's effectsize 0.8.3 finds for a
paired Cohen's d (``.get_ncp_t``, via ``optim(method = "Nelder-Mead")``).
Control flow, evaluation order and arithmetic follow the C source, so the same
simplex path and limits come out. optim's parscale/fnscale default to 1 (exact,
hence omitted); trace printing is dropped.

Licence: R is GPL-2 | GPL-3; as a derivative of its code this file, like the
rest of evaltools, is distributed under GPL-3.0-or-later (see LICENSE).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import nct, norm

BIG = 1.0e35  # "a very large number", used for non-finite function values


def nmmin(fn, x0, *, abstol=-np.inf, reltol=1.490116119384765625e-08, alpha=1.0, beta=0.5,
          gamma=2.0, maxit=500) -> tuple[np.ndarray, float, int]:
    """Minimise ``fn`` from ``x0`` as R's nmmin does; return (par, value, fncount)."""
    bvec = [float(v) for v in np.atleast_1d(np.asarray(x0, dtype=float))]
    n = len(bvec)

    def fmin(b, finite=True):  # non-finite values become BIG inside the loop
        f = float(fn(np.array(b, dtype=float)))
        return f if finite or math.isfinite(f) else BIG

    def setcol(j, values):  # P[i][j] = values[i] for i < n
        for i in range(n):
            P[i][j] = values[i]

    if maxit <= 0:
        return np.array(bvec), fmin(bvec), 0
    # P has n + 1 rows (the last holds function values) and n + 2 columns
    # (the last is the centroid); indices below are those of the C code.
    P = [[0.0] * (n + 2) for _ in range(n + 1)]
    f = fmin(bvec)
    if not math.isfinite(f):
        raise ValueError("function cannot be evaluated at initial parameters")
    funcount = 1
    convtol = reltol * (abs(f) + reltol)
    n1, C = n + 1, n + 2
    P[n1 - 1][0] = f
    setcol(0, bvec)
    L, size, step = 1, 0.0, 0.0
    for i in range(n):
        if 0.1 * abs(bvec[i]) > step:
            step = 0.1 * abs(bvec[i])
    if step == 0.0:
        step = 0.1
    for j in range(2, n1 + 1):  # vertex j moves coordinate j - 2 by step
        setcol(j - 1, bvec)
        trystep = step
        while P[j - 2][j - 1] == bvec[j - 2]:
            P[j - 2][j - 1] = bvec[j - 2] + trystep
            trystep *= 10
        size += trystep
    oldsize = size
    calcvert = True
    while True:  # do { ... } while (funcount <= maxit)
        if calcvert:
            for j in range(n1):
                if j + 1 != L:
                    bvec = [P[i][j] for i in range(n)]
                    f = fmin(bvec, False)
                    funcount += 1
                    P[n1 - 1][j] = f
            calcvert = False
        VL = VH = P[n1 - 1][L - 1]
        H = L
        for j in range(1, n1 + 1):
            if j != L:
                f = P[n1 - 1][j - 1]
                if f < VL:
                    L, VL = j, f
                if f > VH:
                    H, VH = j, f
        if VH <= VL + convtol or VL <= abstol:
            break
        for i in range(n):  # centroid of all vertices but the highest
            temp = -P[i][H - 1]
            for j in range(n1):
                temp += P[i][j]
            P[i][C - 1] = temp / n
        bvec = [(1.0 + alpha) * P[i][C - 1] - alpha * P[i][H - 1] for i in range(n)]  # reflect
        f = fmin(bvec, False)
        funcount += 1
        VR = f
        if VR < VL:  # try an extension
            P[n1 - 1][C - 1] = f
            for i in range(n):
                f = gamma * bvec[i] + (1 - gamma) * P[i][C - 1]
                P[i][C - 1] = bvec[i]
                bvec[i] = f
            f = fmin(bvec, False)
            funcount += 1
            if f < VR:
                setcol(H - 1, bvec)
                P[n1 - 1][H - 1] = f
            else:
                setcol(H - 1, [P[i][C - 1] for i in range(n)])
                P[n1 - 1][H - 1] = VR
        else:  # hi- or lo-reduction
            if VR < VH:
                setcol(H - 1, bvec)
                P[n1 - 1][H - 1] = VR
            bvec = [(1 - beta) * P[i][H - 1] + beta * P[i][C - 1] for i in range(n)]
            f = fmin(bvec, False)
            funcount += 1
            if f < P[n1 - 1][H - 1]:
                setcol(H - 1, bvec)
                P[n1 - 1][H - 1] = f
            elif VR >= VH:  # shrink towards the lowest vertex
                calcvert, size = True, 0.0
                for j in range(n1):
                    if j + 1 != L:
                        for i in range(n):
                            P[i][j] = beta * (P[i][j] - P[i][L - 1]) + P[i][L - 1]
                            size += abs(P[i][j] - P[i][L - 1])
                if size < oldsize:
                    oldsize = size
                else:
                    break  # C sets *fail = 10: polytope size not decreased
        if funcount > maxit:  # loop condition: while (funcount <= maxit)
            break
    return np.array([P[i][L - 1] for i in range(n)]), P[n1 - 1][L - 1], funcount


_R_NCP_LIMIT = 2 * math.log(2) * 1021  # R: 2 * M_LN2 * -DBL_MIN_EXP (ncp beyond ~37.62)


def r_pnt(t: float, df: float, ncp) -> np.ndarray:
    """R's ``pt(t, df, ncp)`` (lower tail): scipy's noncentral t, except where
    R's pnt.c switches to the Abramowitz & Stegun 26.7.10 normal
    approximation (df > 4e5 or ncp^2 > 1415.4) or returns 0 (t < 0, ncp > 40).
    effectsize's search runs on R's values, so ours must too."""
    ncp = np.atleast_1d(np.asarray(ncp, dtype=float))
    out = nct.cdf(t, df, ncp)
    neg = t < 0
    tt, dl = (-t, -ncp) if neg else (t, ncp)
    approx = (df > 4e5) | (dl * dl > _R_NCP_LIMIT)
    if approx.any():
        s = 1.0 / (4.0 * df)
        upper = norm.cdf(tt * (1 - s), dl[approx], math.sqrt(1 + tt * tt * 2 * s))
        out[approx] = 1 - upper if neg else upper
    if neg:
        out[ncp > 40] = 0.0
    return out


def effectsize_ncp_t(t: float, df: float, conf_level: float = 0.95) -> tuple[float, float]:
    """Port of ``effectsize:::.get_ncp_t``: the sorted noncentrality limits for ``t``."""
    alpha = 1 - conf_level
    probs = (alpha / 2, 1 - alpha / 2)

    def fn(x):
        p = r_pnt(t, df, x)  # R: pt(q = t, df = df_error, ncp = x)
        return abs(max(p) - probs[1]) + abs(min(p) - probs[0])

    par, _, _ = nmmin(fn, [1.1 * t, 1.1 * t], abstol=1e-9)
    lo, hi = sorted(float(v) for v in par)
    return lo, hi
