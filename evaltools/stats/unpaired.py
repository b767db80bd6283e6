"""Two independent groups: anonymous forms, one wave only, attrition.

Always called as f(x, y) with x the reference group (pre, or the completers)
and y the comparison group (post, or the dropouts): every difference is
y - x, so a positive value means y scores higher. The R equivalents take the
groups the other way round: ``t.test(y, x)``, ``wilcox.test(y, x)``,
``effectsize::hedges_g(y, x)``.

Example:
    >>> r = welch_ttest([12, 15, 9, 20, 14, 11, 18, 13], [19, 22, 16, 25, 17, 23, 21])
    >>> round(r["diff"], 4)
    6.4286
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .._lazy import lazy
from .common import TIE_DECIMALS, group_array
from .effects import cohen_label
from .noncentral import hedges_j, ncp_interval

st = lazy("scipy.stats")


def welch_ttest(x, y, *, confidence: float = 0.95) -> dict:
    """Welch's two-sample t-test of y against x, two-sided, as R ``t.test(y, x)``.

    Parameters
    ----------
    x, y : array_like
        The reference group and the comparison group. Missing values are
        dropped from each group separately.
    confidence : float, default 0.95
        Level of the interval for diff.

    Returns
    -------
    dict
        ``n_x``, ``n_y``, ``mean_x``, ``mean_y``, ``diff`` (mean_y - mean_x),
        ``t``, ``df``, ``p``, ``ci_low``, ``ci_high``, ``method``. A group
        with fewer than 2 values gives NaN statistics; two constant groups
        (R: "data are essentially constant") NaN t, df and p and an interval
        collapsed onto diff.

    Notes
    -----
    With v_x = s_x^2 / n_x and v_y = s_y^2 / n_y:

        t = (mean_y - mean_x) / sqrt(v_x + v_y),
        df = (v_x + v_y)^2 / (v_x^2 / (n_x - 1) + v_y^2 / (n_y - 1)),

    the Welch-Satterthwaite df. R's default (``var.equal = FALSE``).

    References
    ----------
    .. [1] Welch, B. L. (1947). The generalization of "Student's" problem
       when several different population variances are involved.
       Biometrika, 34(1-2), 28-35.

    Examples
    --------
    >>> r = welch_ttest([12, 15, 9, 20, 14, 11, 18, 13], [19, 22, 16, 25, 17, 23, 21])
    >>> round(r["diff"], 4), round(r["t"], 4), round(r["df"], 4), round(r["p"], 6)
    (6.4286, 3.6164, 12.982, 0.003138)
    """
    x, y = group_array(x), group_array(y)
    nx, ny = len(x), len(y)
    mx = float(x.mean()) if nx else math.nan
    my = float(y.mean()) if ny else math.nan
    out = {"n_x": nx, "n_y": ny, "mean_x": mx, "mean_y": my, "diff": my - mx,
           "t": math.nan, "df": math.nan, "p": math.nan,
           "ci_low": math.nan, "ci_high": math.nan, "method": "Welch two-sample t-test"}
    if nx < 2 or ny < 2:
        return out
    stderr = math.sqrt(x.var(ddof=1) / nx + y.var(ddof=1) / ny)
    if stderr < 10 * np.finfo(float).eps * max(abs(mx), abs(my)):  # R's test
        out["ci_low"] = out["ci_high"] = out["diff"]
        return out
    with warnings.catch_warnings():
        # scipy warns of "catastrophic cancellation" when one group is
        # constant; Welch's t is still well defined there (R gives it too).
        warnings.filterwarnings("ignore", "Precision loss occurred", RuntimeWarning)
        res = st.ttest_ind(y, x, equal_var=False)
    ci = res.confidence_interval(confidence)
    out.update(t=float(res.statistic), df=float(res.df), p=float(res.pvalue),
               ci_low=float(ci.low), ci_high=float(ci.high))
    return out


def mann_whitney(x, y) -> dict:
    """Wilcoxon rank-sum (Mann-Whitney U) test of y against x, as R ``wilcox.test(y, x)``.

    Parameters
    ----------
    x, y : array_like
        The reference group and the comparison group. Missing values are
        dropped.

    Returns
    -------
    dict
        ``n_x``, ``n_y``, ``W``, ``p``, ``method``, ``r_rb``.

    Notes
    -----
    Values are rounded to ``TIE_DECIMALS`` (9) decimals and ranked together.
    W = R_y - n_y(n_y + 1)/2 (R's statistic, the U of y), R_y the sum of y's
    ranks. R's rules: the exact p when both groups have fewer than 50 values
    and there are no ties; otherwise the normal approximation with
    tie-corrected variance and continuity correction. All values equal: p is
    NaN, as in R. The rank-biserial correlation

        r_rb = 2 W / (n_x n_y) - 1

    is positive when y tends to be higher (R ``effectsize::rank_biserial(y, x)``).

    References
    ----------
    .. [1] Mann, H. B., & Whitney, D. R. (1947). On a test of whether one of
       two random variables is stochastically larger than the other. Annals
       of Mathematical Statistics, 18(1), 50-60.
    .. [2] Glass, G. V. (1965). A ranking variable analogue of biserial
       correlation: implications for short-cut item analysis. Journal of
       Educational Measurement, 2(1), 91-95.

    Examples
    --------
    >>> r = mann_whitney([12, 15, 9, 20, 14, 11, 18, 13], [19, 22, 16, 25, 17, 23, 21])
    >>> r["W"], round(r["p"], 6), r["method"], round(r["r_rb"], 4)
    (51.0, 0.005905, 'exact', 0.8214)
    """
    x = np.round(group_array(x), TIE_DECIMALS)
    y = np.round(group_array(y), TIE_DECIMALS)
    nx, ny = len(x), len(y)
    out = {"n_x": nx, "n_y": ny, "W": math.nan, "p": math.nan, "method": "none",
           "r_rb": math.nan}
    if nx == 0 or ny == 0:
        return out
    pooled = np.concatenate([y, x])
    ranks = st.rankdata(pooled)
    w = float(ranks[:ny].sum() - ny * (ny + 1) / 2)
    has_ties = len(np.unique(pooled)) < nx + ny
    exact = nx < 50 and ny < 50 and not has_ties
    out.update(W=w, r_rb=2 * w / (nx * ny) - 1,
               method="exact" if exact else "normal approximation with continuity correction")
    if len(np.unique(pooled)) == 1:
        return out  # all values equal: the variance is 0 and R's p is NaN
    res = st.mannwhitneyu(y, x, use_continuity=True, alternative="two-sided",
                          method="exact" if exact else "asymptotic")
    out["p"] = float(res.pvalue)
    return out


def hedges_gs(x, y, *, confidence: float = 0.95) -> dict:
    """Cohen's d_s and Hedges' g_s of y against x, with the exact interval of g_s.

    Parameters
    ----------
    x, y : array_like
        The reference group and the comparison group. Missing values are
        dropped from each group.
    confidence : float, default 0.95
        Level of the interval.

    Returns
    -------
    dict
        ``n_x``, ``n_y``, ``d_s``, ``g_s``, ``ci_low``, ``ci_high`` (for
        g_s), ``label`` (``cohen_label(g_s)``). Fewer than 4 values in all,
        an empty group or a pooled SD of 0 give NaN.

    Notes
    -----
    With the pooled SD s_p on df = n_x + n_y - 2:

        d_s = (mean_y - mean_x) / s_p,   g_s = J(df) * d_s,

    J the exact factor of ``hedges_j``; d_s and g_s equal R
    ``effectsize::cohens_d(y, x)`` and ``effectsize::hedges_g(y, x)``. The
    interval inverts the noncentral t of t = d_s / sqrt(1/n_x + 1/n_y)
    exactly (``ncp_interval``) and scales the limits back by
    sqrt(1/n_x + 1/n_y) and J, as effectsize does; effectsize finds the
    limits with an optimiser that stops about 1e-7 from these roots.

    References
    ----------
    .. [1] Hedges, L. V. (1981). Distribution theory for Glass's estimator of
       effect size and related estimators. Journal of Educational
       Statistics, 6(2), 107-128.
    .. [2] Lakens, D. (2013). Calculating and reporting effect sizes to
       facilitate cumulative science. Frontiers in Psychology, 4, 863.

    Examples
    --------
    >>> r = hedges_gs([12, 15, 9, 20, 14, 11, 18, 13], [19, 22, 16, 25, 17, 23, 21])
    >>> [round(r[k], 6) for k in ("d_s", "g_s", "ci_low", "ci_high")], r["label"]
    ([1.85747, 1.747847, 0.562146, 2.888696], 'besar')
    """
    x, y = group_array(x), group_array(y)
    nx, ny = len(x), len(y)
    out = {"n_x": nx, "n_y": ny, "d_s": math.nan, "g_s": math.nan,
           "ci_low": math.nan, "ci_high": math.nan, "label": ""}
    df = nx + ny - 2
    if nx == 0 or ny == 0 or df < 2:
        return out
    s = math.sqrt(float(((x - x.mean()) ** 2).sum() + ((y - y.mean()) ** 2).sum()) / df)
    if s == 0:
        return out
    diff = float(y.mean() - x.mean())
    scale = math.sqrt(1 / nx + 1 / ny)
    j = float(hedges_j(df))
    lo, hi = ncp_interval(diff / (s * scale), df, confidence)
    gs = diff / s * j
    out.update(d_s=diff / s, g_s=gs, ci_low=float(lo) * scale * j, ci_high=float(hi) * scale * j,
               label=cohen_label(gs))
    return out
