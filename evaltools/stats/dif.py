"""Mantel-Haenszel differential item functioning (DIF) of one 0/1 item
between a focal and a reference group matched on a score, with the ETS
delta and its A/B/C class (docs/statistics.md, "DIF").

Example:
    >>> r = mantel_haenszel([1, 0, 1, 1, 0, 1, 0, 0], [0, 0, 0, 0, 1, 1, 1, 1],
    ...                     [1, 1, 2, 2, 1, 1, 2, 2])
    >>> round(r["alpha_mh"], 4), r["ets"]
    (5.0, 'A')
"""

from __future__ import annotations

import math

import numpy as np

from .._lazy import lazy

st = lazy("scipy.stats")

ETS_SCALE = -2.35       # delta = -2.35 ln(alpha_MH): the ETS delta metric
ETS_B, ETS_C = 1.0, 1.5  # |delta| thresholds of the B and C classes
ETS_ALPHA = 0.05         # level of both tests of the ETS rule


def ets_class(delta: float, delta_se: float, p: float) -> str:
    """The ETS class of an item (Zwick 2012; Dorans & Holland 1993):
    "A" when |delta| < 1 or the MH chi-square has p >= 0.05; "C" when
    |delta| >= 1.5 and |delta| is significantly greater than 1 (one-sided
    z test at 0.05: (|delta| - 1) / SE(delta) > 1.645); "B" otherwise. ""
    when delta cannot be computed (an odds ratio of 0 or infinity).

    Example:
        >>> ets_class(-2.0, 0.2, 0.001), ets_class(-2.0, 0.9, 0.001), ets_class(-0.5, 0.2, 0.001)
        ('C', 'B', 'A')
    """
    if not (p == p):  # no test at all
        return ""
    if p >= ETS_ALPHA:
        return "A"
    if not math.isfinite(delta):
        return ""
    if abs(delta) < ETS_B:
        return "A"
    z = st.norm.ppf(1 - ETS_ALPHA)
    if abs(delta) >= ETS_C and delta_se > 0 and (abs(delta) - ETS_B) / delta_se > z:
        return "C"
    return "B"


def _tables(correct, focal, strata) -> np.ndarray:
    """Per stratum with at least two people: A, B (reference right, wrong),
    C, D (focal right, wrong), as rows of a k x 4 array."""
    y = np.asarray(correct, dtype=float)
    f = np.asarray(focal, dtype=bool)
    s = np.asarray(strata)
    keys, idx = np.unique(s, return_inverse=True)
    counts = np.zeros((len(keys), 4))
    cell = np.where(f, 2, 0) + np.where(y == 1, 0, 1)
    np.add.at(counts, (idx, cell), 1)
    return counts[counts.sum(axis=1) >= 2]


def mantel_haenszel(correct, focal, strata) -> dict:
    """Mantel-Haenszel test of one item between the reference group
    (``focal`` False) and the focal group (True) within strata of equal
    matching score, as R ``mantelhaen.test(table(group, correct, strata),
    correct = TRUE)`` with the reference group and "right" first.

    Parameters
    ----------
    correct : array_like of 0/1
        The item, one value per person.
    focal : array_like of bool
        True for the focal group.
    strata : array_like
        The matching score (the rest score: total minus the item).

    Returns
    -------
    dict
        n (people in strata of two or more), strata (those strata),
        alpha_mh (sum(A D / N) / sum(B C / N): the odds of a right answer in
        the reference group over the focal group), log_se (Robins-Breslow-
        Greenland SE of ln alpha_mh, as R's interval), delta (-2.35 ln
        alpha_mh; negative: the item is harder for the focal group at equal
        score), delta_se, chi2 (with continuity correction), p, ets.

    Notes
    -----
    A stratum without variation (everyone right, or one group only)
    adds nothing to any sum; one of a single person is dropped, as R
    requires. chi2 = (|sum(A - E(A))| - 0.5)^2 / sum(Var(A)), the 0.5
    only when |sum(A - E(A))| >= 0.5, as R.

    Example:
        >>> r = mantel_haenszel([1, 0, 1, 1, 0, 1, 0, 0], [0, 0, 0, 0, 1, 1, 1, 1],
        ...                     [1, 1, 2, 2, 1, 1, 2, 2])
        >>> round(r["chi2"], 4), round(r["p"], 4), r["n"]
        (0.375, 0.5403, 8)
    """
    t = _tables(correct, focal, strata)
    a, b, c, d = t.T
    n = t.sum(axis=1)
    ref, foc, right, wrong = a + b, c + d, a + c, b + d
    var = ref * foc * right * wrong / (n * n * (n - 1)) if len(n) else np.zeros(0)
    out = {"n": int(n.sum()), "strata": len(n), "alpha_mh": math.nan, "log_se": math.nan,
           "delta": math.nan, "delta_se": math.nan, "chi2": math.nan, "p": math.nan, "ets": ""}
    if not var.sum() > 0:
        return out
    dev = float((a - ref * right / n).sum())
    chi2 = (abs(dev) - (0.5 if abs(dev) >= 0.5 else 0.0)) ** 2 / float(var.sum())
    out.update(chi2=chi2, p=float(st.chi2.sf(chi2, 1)))
    r, s = a * d / n, b * c / n
    big_r, big_s = float(r.sum()), float(s.sum())
    if big_r > 0 and big_s > 0:
        pp, qq = (a + d) / n, (b + c) / n
        log_var = ((pp * r).sum() / (2 * big_r ** 2) + (pp * s + qq * r).sum() / (2 * big_r * big_s)
                   + (qq * s).sum() / (2 * big_s ** 2))
        alpha = big_r / big_s
        out.update(alpha_mh=alpha, log_se=math.sqrt(log_var), delta=ETS_SCALE * math.log(alpha),
                   delta_se=-ETS_SCALE * math.sqrt(log_var))
    else:
        out["alpha_mh"] = math.inf if big_r > 0 else (0.0 if big_s > 0 else math.nan)
    out["ets"] = ets_class(out["delta"], out["delta_se"], out["p"])
    return out
