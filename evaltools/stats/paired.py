"""Tests of a paired change: the paired t-test, the Wilcoxon signed-rank test
and McNemar's test of paired pass/fail (or right/wrong) outcomes.

Each takes the pre and post values of the same participants, in the same
order, and returns a plain dict. They are the reference the per-group path
(``evaltools.groupstats``) is tested against, group by group.

Example:
    >>> r = paired_ttest([50, 60, 70], [60, 75, 80])
    >>> round(r["t"], 4), r["df"]
    (7.0, 2)
"""

from __future__ import annotations

import math

import numpy as np

from .._lazy import lazy
from .common import TIE_DECIMALS, essentially_constant, paired_arrays

st = lazy("scipy.stats")


def paired_ttest(pre, post, *, confidence: float = 0.95) -> dict:
    """Paired t-test of post - pre, two-sided, as R ``t.test(post, pre, paired = TRUE)``.

    Parameters
    ----------
    pre, post : array_like
        The same participants' scores before and after, in the same order.
        Pairs with a missing value are dropped.
    confidence : float, default 0.95
        Level of the interval for the mean difference.

    Returns
    -------
    dict
        ``n`` (pairs used), ``mean_diff``, ``sd_diff``, ``t``, ``df``, ``p``,
        ``ci_low``, ``ci_high``. Fewer than 2 pairs give NaN statistics.

    Notes
    -----
    With d_i = post_i - pre_i, mean d and standard deviation s_d (n - 1):

        t = mean(d) / (s_d / sqrt(n)),   df = n - 1,
        CI = mean(d) -/+ t_{1 - alpha/2, n - 1} * s_d / sqrt(n).

    Differences that are one number repeated up to rounding (R's test:
    standard error under 10 machine epsilons of the mean) have no t; R
    stops there with "data are essentially constant", evaltools returns
    NaN for t and p and an interval collapsed onto the mean.

    References
    ----------
    .. [1] Student (1908). The probable error of a mean. Biometrika, 6(1), 1-25.

    Examples
    --------
    >>> r = paired_ttest(pairs.matched["pct_pre"], pairs.matched["pct_post"])
    >>> r["n"], round(r["mean_diff"], 4), round(r["t"], 4), f"{r['p']:.3g}"
    (52, 15.7407, 9.7129, '3.45e-13')
    """
    pre, post = paired_arrays(pre, post)
    d = post - pre
    n = len(d)
    out = {"n": n, "mean_diff": float(d.mean()) if n else math.nan,
           "sd_diff": float(d.std(ddof=1)) if n > 1 else math.nan,
           "t": math.nan, "df": n - 1 if n else 0, "p": math.nan,
           "ci_low": math.nan, "ci_high": math.nan}
    if n < 2:
        return out
    if out["sd_diff"] == 0 or essentially_constant(out["mean_diff"], out["sd_diff"], n):
        out["ci_low"] = out["ci_high"] = out["mean_diff"]
        return out
    res = st.ttest_rel(post, pre)
    ci = res.confidence_interval(confidence)
    out.update(t=float(res.statistic), p=float(res.pvalue),
               ci_low=float(ci.low), ci_high=float(ci.high))
    return out


def wilcoxon_signed_rank(pre, post) -> dict:
    """Wilcoxon signed-rank test of post - pre with R's rules, and the
    matched-pairs rank-biserial correlation.

    Parameters
    ----------
    pre, post : array_like
        The same participants' scores before and after, in the same order.
        Pairs with a missing value are dropped.

    Returns
    -------
    dict
        ``n`` (pairs), ``n_nonzero`` (non-zero differences), ``V``, ``p``,
        ``method`` ("exact", "normal, continuity-corrected" or "none" when
        every difference is zero) and ``r_rb``.

    Notes
    -----
    The differences are rounded to ``TIE_DECIMALS`` (9) decimals, zeros are
    dropped and the absolute values ranked (average ranks for ties). V = T+,
    the sum of the ranks of the positive differences. With m non-zero
    differences:

    - fewer than 50, no ties and no zeros: the exact p of V;
    - otherwise the normal approximation with continuity correction,
      z = (V - m(m+1)/4 - 0.5 sign) / sqrt(m(m+1)(2m+1)/24 - sum(t^3 - t)/48).

    Rank-biserial r = (T+ - T-) / (T+ + T-).

    These are R's rules for ``wilcox.test(post, pre, paired = TRUE)``; the
    rounding is evaltools' own, so the result equals R on the rounded
    differences, ``wilcox.test(round(post - pre, 9))``. R's default ranks the
    raw doubles and can split ties that are only float noise.

    References
    ----------
    .. [1] Wilcoxon, F. (1945). Individual comparisons by ranking methods.
       Biometrics Bulletin, 1(6), 80-83.
    .. [2] Kerby, D. S. (2014). The simple difference formula: an approach to
       teaching nonparametric correlation. Comprehensive Psychology, 3,
       11.IT.3.1.

    Examples
    --------
    >>> r = wilcoxon_signed_rank([12, 15, 9, 20, 14, 11, 18, 13, 16, 10],
    ...                          [14, 19, 10, 25, 11, 20, 24, 6, 24, 20])
    >>> r["V"], r["p"], r["method"], round(r["r_rb"], 4)
    (45.0, 0.083984375, 'exact', 0.6364)
    """
    pre, post = paired_arrays(pre, post)
    d = np.round(post - pre, TIE_DECIMALS)
    n = len(d)
    has_zero = bool((d == 0).any())
    d = d[d != 0]
    m = len(d)
    out = {"n": n, "n_nonzero": m, "V": math.nan, "p": math.nan, "method": "none",
           "r_rb": math.nan}
    if m == 0:
        return out
    ranks = st.rankdata(np.abs(d))
    t_plus, t_minus = float(ranks[d > 0].sum()), float(ranks[d < 0].sum())
    has_ties = len(np.unique(np.abs(d))) < m
    exact = m < 50 and not has_ties and not has_zero
    res = st.wilcoxon(d, zero_method="wilcox", correction=True,
                      method="exact" if exact else "asymptotic")
    out.update(V=t_plus, p=float(res.pvalue),
               method="exact" if exact else "normal, continuity-corrected",
               r_rb=(t_plus - t_minus) / (t_plus + t_minus))
    return out


def mcnemar(pre_correct, post_correct, *, exact: bool | None = None) -> dict:
    """McNemar's test of paired 0/1 outcomes (an item right or wrong, a pass).

    Parameters
    ----------
    pre_correct, post_correct : array_like of 0/1 or bool
        The same participants' outcomes before and after.
    exact : bool, optional
        Force the exact binomial test (True) or the chi-square (False);
        by default exact when b + c < 25.

    Returns
    -------
    dict
        ``n``, ``b`` (correct -> wrong), ``c`` (wrong -> correct),
        ``statistic``, ``p``, ``method``.

    Notes
    -----
    Only the discordant pairs count. Exact: the two-sided binomial p of c
    successes in b + c trials at 1/2, as R ``binom.test(c, b + c)``
    (statistic = c). Chi-square: (|b - c| - 1)^2 / (b + c) on 1 df, as R
    ``mcnemar.test`` (continuity correction, which R leaves out when
    b = c). With no discordant pair nothing changed: p = 1 and the
    statistic is NaN (R's ``binom.test`` refuses n = 0).

    References
    ----------
    .. [1] McNemar, Q. (1947). Note on the sampling error of the difference
       between correlated proportions or percentages. Psychometrika, 12(2),
       153-157.

    Examples
    --------
    >>> r = mcnemar([1] * 3 + [0] * 12 + [1] * 5, [0] * 3 + [1] * 12 + [1] * 5)
    >>> r["b"], r["c"], r["p"], r["method"]
    (3, 12, 0.03515625, 'exact')
    """
    pre, post = paired_arrays(pre_correct, post_correct)
    pre, post = pre.astype(bool), post.astype(bool)
    b, c = int((pre & ~post).sum()), int((~pre & post).sum())
    out = {"n": len(pre), "b": b, "c": c, "statistic": math.nan, "p": 1.0,
           "method": "no discordant pairs"}
    if b + c == 0:
        return out
    if (b + c < 25) if exact is None else exact:
        out.update(statistic=float(c), p=float(st.binomtest(c, b + c).pvalue), method="exact")
    else:
        chi2 = (abs(b - c) - (1 if b != c else 0)) ** 2 / (b + c)
        out.update(statistic=chi2, p=float(st.chi2.sf(chi2, 1)), method="chi-square, corrected")
    return out
