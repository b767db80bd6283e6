"""Effect sizes of a paired change: Cohen's d_z with its exact interval and
Hedges' g_z, d_av, Hake's normalised gain, and the words that label them.

Example:
    >>> round(cohen_dav([50, 60, 70], [60, 75, 80])["d_av"], 6)
    1.143095
"""

from __future__ import annotations

import math

import numpy as np

from ..fmt import round_half_up
from .common import essentially_constant, paired_arrays
from .noncentral import hedges_j, ncp_interval


def cohen_dz(pre, post, *, confidence: float = 0.95) -> dict:
    """Cohen's d_z of post - pre with its exact noncentral-t interval, and Hedges' g_z.

    Parameters
    ----------
    pre, post : array_like
        The same participants' scores before and after, in the same order.
        Pairs with a missing value are dropped.
    confidence : float, default 0.95
        Level of the interval.

    Returns
    -------
    dict
        ``n``, ``d_z``, ``ci_low``, ``ci_high``, ``g_z``. NaN with fewer than
        2 pairs or differences that are one number repeated (``g_z`` needs 3).

    Notes
    -----
    With d_i = post_i - pre_i and s_d their standard deviation (n - 1):

        d_z = mean(d) / s_d,   g_z = J(n - 1) * d_z,

    J the exact factor of ``hedges_j``. The interval inverts the noncentral
    t: t = d_z * sqrt(n) has n - 1 df and noncentrality delta = d_z(pop) *
    sqrt(n); the limits are the deltas at which P(T <= t) is 0.975 and 0.025
    (``ncp_interval``), divided by sqrt(n). This is the exact root, as R

        uniroot(function(nc) pt(t, n - 1, nc) - 0.975, c(lo, hi), tol = 1e-15)

    where R's ``pt`` is exact (ncp below 37.62); d_z and g_z equal R
    ``effectsize::cohens_d(post, pre, paired = TRUE)`` and ``hedges_g``.
    effectsize's own interval comes from an optimiser that stops about 1e-7
    from these roots where it converges, and fails for large t (for d_z =
    1.35 at n = 5,000 it gives [1.485, 1.485] instead of [1.3116, 1.3883]).

    References
    ----------
    .. [1] Cohen, J. (1988). Statistical power analysis for the behavioral
       sciences (2nd ed.). Erlbaum.
    .. [2] Lakens, D. (2013). Calculating and reporting effect sizes to
       facilitate cumulative science: a practical primer for t-tests and
       ANOVAs. Frontiers in Psychology, 4, 863.
    .. [3] Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality interval
       estimation and the evaluation of statistical models. In What if there
       were no significance tests? (pp. 221-257). Erlbaum.

    Examples
    --------
    >>> r = cohen_dz([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0],
    ...              [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])
    >>> [round(r[k], 6) for k in ("d_z", "ci_low", "ci_high", "g_z")]
    [1.284558, 0.414628, 2.118017, 1.173925]
    """
    pre, post = paired_arrays(pre, post)
    d = post - pre
    n = len(d)
    out = {"n": n, "d_z": math.nan, "ci_low": math.nan, "ci_high": math.nan, "g_z": math.nan}
    if n < 2:
        return out
    sd = d.std(ddof=1)
    if sd == 0 or essentially_constant(d.mean(), sd, n):  # as paired_ttest: no d for a constant
        return out
    dz = float(d.mean() / sd)
    lo, hi = ncp_interval(dz * math.sqrt(n), n - 1, confidence)
    out.update(d_z=dz, g_z=float(dz * hedges_j(n - 1)),
               ci_low=float(lo) / math.sqrt(n), ci_high=float(hi) / math.sqrt(n))
    return out


def cohen_dav(pre, post) -> dict:
    """Cohen's d_av: the mean change over the average of the two SDs.

    Parameters
    ----------
    pre, post : array_like
        The same participants' scores before and after. Pairs with a
        missing value are dropped.

    Returns
    -------
    dict
        ``n``, ``mean_diff``, ``sd_pre``, ``sd_post``, ``d_av``, ``label``
        (``cohen_label``).

    Notes
    -----
    d_av = mean(post - pre) / sqrt((s_pre^2 + s_post^2) / 2). It ignores the
    correlation of pre and post, so it is comparable with a between-groups
    d (and with pingouin's paired "d"); d_z, the headline, measures the
    change against its own spread. For R:
    ``mean(post - pre) / sqrt((sd(pre)^2 + sd(post)^2) / 2)``.

    References
    ----------
    .. [1] Cumming, G. (2012). Understanding the new statistics. Routledge.
    .. [2] Lakens, D. (2013). Calculating and reporting effect sizes to
       facilitate cumulative science. Frontiers in Psychology, 4, 863.

    Examples
    --------
    >>> r = cohen_dav(pairs.matched["pct_pre"], pairs.matched["pct_post"])
    >>> round(r["d_av"], 6), r["label"]
    (0.980308, 'besar')
    """
    pre, post = paired_arrays(pre, post)
    n = len(pre)
    out = {"n": n, "mean_diff": float((post - pre).mean()) if n else math.nan,
           "sd_pre": math.nan, "sd_post": math.nan, "d_av": math.nan, "label": ""}
    if n < 2:
        return out
    sd_pre, sd_post = float(pre.std(ddof=1)), float(post.std(ddof=1))
    s = math.sqrt((sd_pre ** 2 + sd_post ** 2) / 2)
    out.update(sd_pre=sd_pre, sd_post=sd_post)
    if s > 0:
        out["d_av"] = out["mean_diff"] / s
        out["label"] = cohen_label(out["d_av"])
    return out


def normalized_gain(pre_pct, post_pct) -> dict:
    """Hake's normalised gain and Marx & Cummings' normalised change, on percent scores.

    Parameters
    ----------
    pre_pct, post_pct : array_like
        Percent scores (0-100) of the same participants before and after.

    Returns
    -------
    dict
        ``n``, ``g_class``, ``g_mean``, ``n_excluded`` (pre = 100, left out
        of g_mean), ``c_mean``, ``c_n_excluded`` (0 or 100 on both tests).

    Notes
    -----
    The share of the possible gain that was made:

        g_class = (mean(post) - mean(pre)) / (100 - mean(pre)),
        g_i = (post_i - pre_i) / (100 - pre_i)   (pre_i < 100),  g_mean = mean(g_i),
        c_i = (post_i - pre_i) / (100 - pre_i) if post_i > pre_i,
              (post_i - pre_i) / pre_i         if post_i < pre_i,
              0                                if equal,

    c dropping participants with 0 or 100 on both tests.

    References
    ----------
    .. [1] Hake, R. R. (1998). Interactive-engagement versus traditional
       methods. American Journal of Physics, 66(1), 64-74.
    .. [2] Marx, J. D., & Cummings, K. (2007). Normalized change. American
       Journal of Physics, 75(1), 87-91.

    Examples
    --------
    >>> r = normalized_gain([40, 60, 100], [70, 80, 100])
    >>> round(r["g_class"], 12), round(r["g_mean"], 12), r["n_excluded"]
    (0.5, 0.5, 1)
    """
    pre, post = paired_arrays(pre_pct, post_pct)
    out = {"n": len(pre), "g_class": math.nan, "g_mean": math.nan, "n_excluded": 0,
           "c_mean": math.nan, "c_n_excluded": 0}
    if len(pre) == 0:
        return out
    mpre, mpost = pre.mean(), post.mean()
    if mpre < 100:
        out["g_class"] = float((mpost - mpre) / (100 - mpre))
    ok = pre < 100
    out["n_excluded"] = int((~ok).sum())
    if ok.any():
        out["g_mean"] = float(((post[ok] - pre[ok]) / (100 - pre[ok])).mean())
    drop = ((pre == 0) & (post == 0)) | ((pre == 100) & (post == 100))
    p, q = pre[~drop], post[~drop]
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(q > p, (q - p) / (100 - p), np.where(q < p, (q - p) / p, 0.0))
    out["c_n_excluded"] = int(drop.sum())
    if len(c):
        out["c_mean"] = float(c.mean())
    return out


def cohen_label(d: float, lang: str = "id") -> str:
    """Cohen's words for |d|: sangat kecil (< 0.2), kecil (< 0.5), sedang (< 0.8), besar;
    decided from d as printed (two decimals, half up), so 0.7996, printed
    "0,80", is "besar".

    Example:
        >>> cohen_label(1.28), cohen_label(-0.3, "en"), cohen_label(0.7996), cohen_label(0.7949)
        ('besar', 'small', 'besar', 'sedang')
    """
    if d is None or math.isnan(d):
        return ""
    words = {"id": ("sangat kecil", "kecil", "sedang", "besar"),
             "en": ("negligible", "small", "medium", "large")}[lang]
    a = abs(round_half_up(d, 2))
    return words[0] if a < 0.2 else words[1] if a < 0.5 else words[2] if a < 0.8 else words[3]


def hake_label(g: float, lang: str = "id") -> str:
    """Hake's bands for <g>: rendah (< 0.3), sedang, tinggi (>= 0.7); decided
    from <g> as printed (two decimals, half up: 0.2996 prints "0,30", "sedang").

    Example:
        >>> hake_label(0.45), hake_label(0.7, "en"), hake_label(0.2996)
        ('sedang', 'high', 'sedang')
    """
    if g is None or math.isnan(g):
        return ""
    words = {"id": ("rendah", "sedang", "tinggi"), "en": ("low", "medium", "high")}[lang]
    g = round_half_up(g, 2)
    return words[0] if g < 0.3 else words[1] if g < 0.7 else words[2]
