"""The JZS Bayes factor of a paired (one-sample) t-test, as JASP, pingouin
and R's BayesFactor report it.

BF10 says how many times more likely the observed t is if the gain is not
zero (with the default Cauchy prior of scale r = sqrt(2)/2 on the
standardised effect) than if it is zero. Computed on the log scale, so a
t of 50 at n = 100,000 neither overflows nor loses digits.

Example:
    >>> r = jzs_bf10(5.0, 20)
    >>> round(r["bf10"], 2), bf_label(r["bf10"])
    (341.44, 'bukti ekstrem untuk adanya perubahan')
"""

from __future__ import annotations

import math

import numpy as np

from .._lazy import lazy
from ..fmt import round_half_up

integrate = lazy("scipy.integrate")

R_MEDIUM = math.sqrt(2) / 2  # BayesFactor's rscale = "medium", JASP's and pingouin's default
_GRID = np.linspace(-25.0, 45.0, 701)  # log g, wide enough to find every mode
_COARSE = np.arange(-30.0, 70.5, 1.0)  # bf10_many: the peak to 1 unit of log g, then
_STEP = 0.25  # the trapezoid's step over log g (a quarter: the windows start at whole numbers)


def _log_integrand(u, t, n, r):
    """log of the JZS integrand over u = log g (Jacobian g included), minus
    the log of the null likelihood (the same t, no effect)."""
    nu = n - 1
    g = np.exp(u)
    a = np.log1p(n * g * r * r)
    return (-0.5 * a - (nu + 1) / 2 * (np.log1p(t * t / (np.exp(a) * nu)) - np.log1p(t * t / nu))
            - 0.5 * math.log(2 * math.pi) - 0.5 * u - 0.5 * np.exp(-u))


def log_bf10(t: float, n: int, r: float = R_MEDIUM) -> float:
    """The natural log of the JZS BF10 of a one-sample or paired t with n
    observations (pairs); NaN when t is not finite or n < 2.

    Example:
        >>> round(log_bf10(0.0, 10), 6)
        -1.175082
    """
    if not (np.isfinite(t) and n >= 2):
        return math.nan
    lg = _log_integrand(_GRID, t, n, r)
    m = float(_GRID[np.argmax(lg)])
    peak = float(_log_integrand(m, t, n, r))
    val, _ = integrate.quad(lambda u: math.exp(_log_integrand(u, t, n, r) - peak), m - 40, m + 80,
                            points=[m], limit=400, epsabs=0, epsrel=1e-12)
    return peak + math.log(val)


def jzs_bf10(t: float, n: int, r: float = R_MEDIUM) -> dict:
    """JZS Bayes factor BF10 for a paired gain (or one-sample mean).

    Parameters
    ----------
    t : float
        The paired t statistic, mean(d) / (sd(d) / sqrt(n)).
    n : int
        Number of pairs.
    r : float, default sqrt(2)/2
        Scale of the Cauchy prior on the standardised effect d_z.

    Returns
    -------
    dict
        ``bf10``, ``log_bf10`` (natural log; finite where ``bf10`` would
        pass 1.8e308 and becomes inf), ``bf01`` = 1 / bf10, ``r``.

    Notes
    -----
    Rouder et al. (2009), eq. 1, with nu = n - 1:

        BF10 = int_0^inf (1 + n g r^2)^(-1/2)
               (1 + t^2 / ((1 + n g r^2) nu))^(-(nu + 1)/2)
               (2 pi)^(-1/2) g^(-3/2) exp(-1/(2g)) dg
               / (1 + t^2 / nu)^(-(nu + 1)/2),

    integrated over log g (``scipy.integrate.quad``) around the integrand's
    peak, found on a grid, with the peak taken out of the exponent. Equals
    R ``extractBF(ttestBF(x = post, y = pre, paired = TRUE))$bf`` (rscale
    "medium") to 1e-6 relative (tests/stats/test_bayes.py).

    References
    ----------
    .. [1] Rouder, J. N., Speckman, P. L., Sun, D., Morey, R. D., & Iverson, G.
       (2009). Bayesian t tests for accepting and rejecting the null
       hypothesis. Psychonomic Bulletin & Review, 16(2), 225-237.

    Examples
    --------
    >>> round(jzs_bf10(-4.062128, 10)["bf10"], 4)  # R's sleep data
    17.2589
    """
    lb = log_bf10(t, n, r)
    with np.errstate(over="ignore"):
        bf = float(np.exp(lb))
    return {"bf10": bf, "log_bf10": lb, "bf01": 1 / bf if bf else math.inf, "r": r}


def bf10_many(t, n, r: float = R_MEDIUM) -> np.ndarray:
    """``jzs_bf10``'s BF10 for arrays of t and n at once (NaN where t is not
    finite or n < 2): the per-group path of ``evaltools.groupstats``.

    The same integral over u = log g by the trapezoid rule, step 0.25, for
    every element at once, over the window ``_window`` finds: where the
    log integrand is within 40 of its peak (each point left out adds under
    exp(-40) = 4e-18 of the integral). The integrand is analytic in a strip
    of half-width near pi/2 around the real axis (exp(-1/(2g)) decays in it
    up to about 1.3) and falls double-exponentially below the peak and
    exponentially above it, so the rule's error is about
    exp(-2 pi 1.3 / 0.25) = 6e-15 at most; it agrees with ``log_bf10``
    (adaptive ``quad``) to 1e-12 in the tests (to 1e-15 of log BF10 there).

    Example:
        >>> [round(float(b), 4) for b in bf10_many([0.0, 2.0], [10, 10])]
        [0.3088, 1.2823]
    """
    t, n = np.broadcast_arrays(np.asarray(t, float), np.asarray(n, float))
    flat_t, flat_n = t.ravel(), n.ravel()
    out = np.full(flat_t.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(flat_t) & (flat_n >= 2))
    coarse = _u_terms(_COARSE)
    for chunk in np.array_split(ok, max(1, len(ok) // 1000)):
        if len(chunk):
            ct, cn = flat_t[chunk, None], flat_n[chunk, None]
            low, high = _window(coarse, ct, cn, r)
            # every element's grid is a window of one grid of step 0.25 from the lowest start
            # (the starts are whole numbers): the terms in u alone are computed once on it
            first = np.rint((low - low.min()) / _STEP).astype(np.int64)
            width = int(np.rint(np.max(high - low) / _STEP)) + 1
            u = low.min() + _STEP * np.arange(first.max() + width)
            window = first[:, None] + np.arange(width) if first.any() else np.arange(width)[None, :]
            lg = _log_integrand_of(*(v[window] for v in _u_terms(u)), ct, cn, r)
            peak = lg.max(axis=1)
            lg -= peak[:, None]
            out[chunk] = peak + np.log(np.exp(lg, out=lg).sum(axis=1) * _STEP)
    with np.errstate(over="ignore"):
        return np.exp(out).reshape(t.shape)


_DROP = 40.0  # below the peak: a point of the trapezoid adds under exp(-40) of the integral


def _window(coarse, t, n, r):
    """Per element, whole numbers low < high of u = log g outside which the
    log integrand is more than ``_DROP`` below its peak.

    The log integrand is prior(u) + like(u): prior, the terms without t, is
    concave; like, the terms in t, rises with u towards its limit
    top = (nu + 1)/2 log(1 + t^2/nu). So prior + top bounds it from above,
    and where that bound is ``_DROP`` below the peak found on the grid of
    step 1 (``_COARSE``) is an interval around that peak: its ends lie
    within 1 of the outermost grid points inside it. Beyond the grid's top
    (t near 1e12), 60 above the peak, as before."""
    g, in_u = coarse
    nu, a = n - 1, t * t / (n - 1)
    x = (n * r * r) * g
    prior = np.log1p(x)
    prior *= -0.5
    prior += in_u
    top = (nu + 1) / 2 * np.log1p(a)
    lg = np.log1p(np.divide(a, np.add(x, 1.0, out=x), out=x), out=x)  # in place: the grid is large
    lg *= -(nu + 1) / 2
    lg += prior + top
    peak = lg.max(axis=1, keepdims=True)
    inside = prior + top >= peak - _DROP
    first = np.argmax(inside, axis=1)
    last = len(_COARSE) - 1 - np.argmax(inside[:, ::-1], axis=1)
    mode = _COARSE[np.argmax(lg, axis=1)]
    high = np.where(last < len(_COARSE) - 1, _COARSE[last] + 1, np.maximum(mode + 60, _COARSE[-1] + 1))
    return _COARSE[first] - 1, high


def _u_terms(u):
    """g = exp(u), and the terms of ``_log_integrand`` in u alone."""
    return np.exp(u), -0.5 * math.log(2 * math.pi) - 0.5 * u - 0.5 * np.exp(-u)


def _log_integrand_of(g, in_u, t, n, r):
    """``_log_integrand`` from ``_u_terms``: per element, only the terms in t
    and n (in place: two arrays of the grid's size, not ten)."""
    nu, a = n - 1, t * t / (n - 1)
    x = (n * r * r) * g
    like = np.add(x, 1.0)
    np.log1p(np.divide(a, like, out=like), out=like)
    like -= np.log1p(a)
    like *= -(nu + 1) / 2
    x = np.log1p(x, out=x)
    x *= -0.5
    x += in_u
    x += like
    return x


_BANDS = (3, 10, 30, 100)  # Lee & Wagenmakers (2013), after Jeffreys (1961)
_WORDS = {"id": ("bukti anekdotal", "bukti sedang", "bukti kuat", "bukti sangat kuat",
                 "bukti ekstrem"),
          "en": ("anecdotal evidence", "moderate evidence", "strong evidence",
                 "very strong evidence", "extreme evidence")}


def bf_label(bf10: float, lang: str = "id") -> str:
    """Jeffreys' words (Lee & Wagenmakers' categories) for a BF10: for a
    change (H1) when BF10 > 1, for no change (H0) when BF10 < 1 (read on
    1 / BF10); "" when it is missing. Bands 3, 10, 30, 100 (and 1/3 ...
    1/100), read on the unrounded factor (a printed "0,33" may be just
    above 1/3); a factor printed "1,00" is no evidence either way.

    Example:
        >>> bf_label(4.2), bf_label(0.2, "en"), bf_label(1.0), bf_label(float("inf"))
        ('bukti sedang untuk adanya perubahan', 'moderate evidence for no change', 'tidak ada bukti ke arah mana pun', 'bukti ekstrem untuk adanya perubahan')
    """
    if bf10 is None or math.isnan(bf10):
        return ""
    en = lang == "en"
    if 0.99 < bf10 < 1.01 and round_half_up(bf10, 2) == 1:
        return "no evidence either way" if en else "tidak ada bukti ke arah mana pun"
    k = bf10 if bf10 > 1 else 1 / bf10 if bf10 > 0 else math.inf
    band = sum(k >= b for b in _BANDS)
    side = ("for a change" if en else "untuk adanya perubahan") if bf10 > 1 else \
        ("for no change" if en else "untuk tidak ada perubahan")
    return f"{_WORDS['en' if en else 'id'][band]} {side}"
