"""Power of the paired t-test: the smallest gain a group of n could have
shown, and the participants a session needs to show a gain.

Both solve pwr's power function of the paired t-test exactly (R
``pwr::pwr.t.test(type = "paired")``), whose two-sided power counts the
lower tail too:

    power(d, n) = P(T > q | nu, sqrt(n) d) + P(T < -q | nu, sqrt(n) d),
    nu = n - 1, q = qt(1 - alpha/2, nu), T noncentral t.

Example:
    >>> round(float(min_detectable_d(10)), 6), sample_size(0.5)["n"]
    (0.996001, 34)
"""

from __future__ import annotations

import math

import numpy as np

from .._lazy import lazy
from .noncentral import CornishFisher, nct_cdf, probit_roots

special = lazy("scipy.special")
optimize = lazy("scipy.optimize")
elementwise = lazy("scipy.optimize.elementwise")


def paired_power(d, n, alpha: float = 0.05):
    """Two-sided power of the paired t-test for effect d_z = d with n pairs
    (arrays broadcast), as ``pwr.pwr.t.test(n, d, type = "paired")$power``.

    Example:
        >>> round(float(paired_power(0.5, 34)), 6)
        0.807778
    """
    d, n = np.broadcast_arrays(np.asarray(d, float), np.asarray(n, float))
    nu = n - 1
    q = special.stdtrit(nu, 1 - alpha / 2)
    ncp = np.sqrt(n) * d
    return (1 - nct_cdf(q, nu, ncp)) + nct_cdf(-q, nu, ncp)


def _gap(d, n, alpha, power):
    return paired_power(d, n, alpha) - power


def min_detectable_d(n, power: float = 0.8, alpha: float = 0.05):
    """The smallest d_z the paired t-test detects with ``power`` at two-sided
    ``alpha`` with n pairs (arrays of n at once; NaN for n < 2).

    Parameters
    ----------
    n : array_like
        Number of pairs of each group.
    power, alpha : float
        Power and two-sided level (default 0.8 and 0.05).

    Returns
    -------
    ndarray or float
        d_z; times the SD of the gains, the minimum detectable gain in points.

    Notes
    -----
    The root of ``paired_power(d, n) = power`` in d > 0 (power rises with
    d), for every n at once: in the noncentrality sqrt(n) d, 1 - power is
    P(T <= q) - P(T <= -q), which falls, and ``noncentral.probit_roots``
    finds it from the Cornish-Fisher start for P(T <= q) alone (at 80%
    power the lower tail adds under 1e-6); an n it cannot settle is left to
    ``min_detectable_d_bracketed``. R's
    ``pwr.t.test(n = n, power = 0.8, type = "paired")$d`` solves the same
    equation with ``uniroot``'s default tolerance (about 1e-4), so it agrees
    to about 1e-5; the exact root equals ``uniroot`` on pwr's power with
    ``tol = 1e-15`` to 1e-9 (tests/r/bayes_power.R).

    Examples
    --------
    >>> [round(float(v), 4) for v in min_detectable_d([6, 50])]
    [1.4345, 0.4042]
    """
    n = np.asarray(n, float)
    flat, back = np.unique(n.ravel(), return_inverse=True)  # groups share few sizes
    out = np.full(flat.shape, np.nan)
    ok = np.isfinite(flat) & (flat >= 2)
    if ok.any():
        m = flat[ok]
        nu, q = m - 1, special.stdtrit(m - 1, 1 - alpha / 2)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            ncp = probit_roots(lambda x, i: nct_cdf(q[i], nu[i], x) - nct_cdf(-q[i], nu[i], x),
                               CornishFisher(q, nu), np.full(len(m), special.ndtri(1 - power)))
        d = ncp / np.sqrt(m)
        left = np.isnan(d)
        if left.any():
            d[left] = min_detectable_d_bracketed(m[left], power, alpha)
        out[ok] = d
    return out[back].reshape(n.shape)[()]


def min_detectable_d_bracketed(n, power: float = 0.8, alpha: float = 0.05):
    """``min_detectable_d`` by a bracketing search (n >= 2): slower, the
    reference it is tested against and its fallback. A bracket from the
    normal approximation (q + z_power) / sqrt(n), widened by
    ``optimize.elementwise.bracket_root``, then Chandrupatla's method
    (``elementwise.find_root``) to 1e-15.

    Example:
        >>> [round(float(v), 4) for v in min_detectable_d_bracketed(np.array([6.0, 50.0]))]
        [1.4345, 0.4042]
    """
    m = np.asarray(n, float)
    q = special.stdtrit(m - 1, 1 - alpha / 2)
    guess = (q + special.ndtri(power)) / np.sqrt(m)
    br = elementwise.bracket_root(_gap, guess * 0.9, guess * 1.1, xmin=0.0, args=(m, alpha, power))
    res = elementwise.find_root(_gap, br.bracket, args=(m, alpha, power),
                                tolerances={"xatol": 1e-15, "xrtol": 1e-15})
    return np.where(br.success & res.success, res.x, np.nan)


def sample_size(d: float, power: float = 0.8, alpha: float = 0.05) -> dict:
    """Pairs needed to detect an effect d_z = d with ``power`` at two-sided
    ``alpha``: pwr's n (a real number) and the participants to plan for
    (it rounded up).

    Returns
    -------
    dict
        ``n_exact`` (as ``pwr.t.test(d = d, power = 0.8, type = "paired")$n``,
        exact root by ``optimize.brentq``), ``n`` = ceil(n_exact), ``d``.

    Example:
        >>> r = sample_size(0.5)
        >>> round(r["n_exact"], 4), r["n"]
        (33.3671, 34)
    """
    d = abs(float(d))
    if not (math.isfinite(d) and d > 0):
        return {"n_exact": math.nan, "n": None, "d": d}
    hi = 4.0
    while _gap(d, hi, alpha, power) < 0:
        hi *= 2
    n_exact = optimize.brentq(lambda n: float(_gap(d, n, alpha, power)), 2 + 1e-10, hi,
                              xtol=1e-13, rtol=4 * np.finfo(float).eps)
    return {"n_exact": n_exact, "n": math.ceil(n_exact), "d": d}
