"""Array-level statistics, each returning a plain dict.

Conventions follow docs/statistics.md and equal R:
``t.test(post, pre, paired = TRUE)``, ``wilcox.test(post, pre, paired = TRUE)``,
``effectsize::cohens_d(post, pre, paired = TRUE)``, ``p.adjust``; for unmatched
groups ``t.test(y, x)`` (Welch), ``wilcox.test(y, x)``, ``effectsize::hedges_g(y, x)``.
Distributions and tests come from scipy.stats.

Example:
    >>> from evaltools import stats
    >>> r = stats.paired_ttest([50, 60, 70], [60, 75, 80])
    >>> round(r["t"], 4), r["df"]
    (7.0, 2)
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from ._lazy import lazy

optimize, special, st = lazy("scipy.optimize"), lazy("scipy.special"), lazy("scipy.stats")

# Differences are rounded before ranking so that float noise in percent
# scores (100*k/27) cannot split a true tie.
_TIE_DECIMALS = 9


def _pair_arrays(pre, post):
    pre = np.asarray(pre, dtype=float)
    post = np.asarray(post, dtype=float)
    if pre.shape != post.shape or pre.ndim != 1:
        raise ValueError("pre and post must be 1-d arrays of equal length")
    keep = ~(np.isnan(pre) | np.isnan(post))
    return pre[keep], post[keep]


def essentially_constant(mean, sd, n):
    """R's test in t.test: differences whose standard error is under 10 machine
    epsilons of their mean are one number repeated (up to rounding); no t, no d.
    Works on arrays too.

    Example:
        >>> bool(essentially_constant(18.518518518518519, 1.9e-15, 6)), bool(essentially_constant(5.0, 1.0, 6))
        (True, False)
    """
    return np.asarray(sd) / np.sqrt(n) < 10 * np.finfo(float).eps * np.abs(mean)


def paired_ttest(pre, post, *, confidence: float = 0.95) -> dict:
    """Paired t-test of post - pre, two-sided, as R ``t.test(post, pre, paired = TRUE)``.

    Returns n, mean_diff, sd_diff, t, df, p, ci_low, ci_high. Pairs with a
    missing value are dropped; fewer than 2 pairs give NaN statistics.

    Example:
        >>> r = paired_ttest([0.7, -1.6, -0.2], [1.9, 0.8, 1.1])
        >>> r["n"], round(r["mean_diff"], 2)
        (3, 1.63)
    """
    pre, post = _pair_arrays(pre, post)
    d = post - pre
    n = len(d)
    out = {"n": n, "mean_diff": float(d.mean()) if n else math.nan,
           "sd_diff": float(d.std(ddof=1)) if n > 1 else math.nan,
           "t": math.nan, "df": n - 1 if n else 0, "p": math.nan,
           "ci_low": math.nan, "ci_high": math.nan}
    if n < 2:
        return out
    if out["sd_diff"] == 0 or essentially_constant(out["mean_diff"], out["sd_diff"], n):
        # Every participant changed by the same amount (up to rounding): t is undefined
        # (R's test, stderr < 10 eps |mean|, stops with "data are essentially constant");
        # the CI collapses to the mean.
        out["ci_low"] = out["ci_high"] = out["mean_diff"]
        return out
    res = st.ttest_rel(post, pre)
    ci = res.confidence_interval(confidence)
    out.update(t=float(res.statistic), p=float(res.pvalue),
               ci_low=float(ci.low), ci_high=float(ci.high))
    return out


def wilcoxon_signed_rank(pre, post) -> dict:
    """Wilcoxon signed-rank test on post - pre with R's default rules.

    Zero differences are dropped; ties get average ranks; the exact p is used
    when there are fewer than 50 non-zero differences and no ties or zeros,
    otherwise the normal approximation with tie-corrected variance and
    continuity correction. V is the sum of ranks of positive differences;
    ``r_rb`` is the matched-pairs rank-biserial correlation (T+ - T-)/(T+ + T-).

    Returns n, n_nonzero, V, p, method, r_rb.

    Example:
        >>> r = wilcoxon_signed_rank([12, 15, 9, 20, 14, 11, 18, 13, 16, 10],
        ...                          [14, 19, 10, 25, 11, 20, 24, 6, 24, 20])
        >>> r["V"], r["p"], r["method"]
        (45.0, 0.083984375, 'exact')
    """
    pre, post = _pair_arrays(pre, post)
    d = np.round(post - pre, _TIE_DECIMALS)
    n = len(d)
    has_zero = bool((d == 0).any())
    d = d[d != 0]
    m = len(d)
    out = {"n": n, "n_nonzero": m, "V": math.nan, "p": math.nan, "method": "none",
           "r_rb": math.nan}
    if m == 0:
        return out
    ranks = st.rankdata(np.abs(d))
    t_plus = float(ranks[d > 0].sum())
    t_minus = float(ranks[d < 0].sum())
    has_ties = len(np.unique(np.abs(d))) < m
    exact = m < 50 and not has_ties and not has_zero
    method = "exact" if exact else "asymptotic"
    res = st.wilcoxon(d, zero_method="wilcox", correction=True, method=method)
    out.update(V=t_plus, p=float(res.pvalue),
               method="exact" if exact else "normal, continuity-corrected",
               r_rb=(t_plus - t_minus) / (t_plus + t_minus))
    return out


def _hedges_j(df: float) -> float:
    # Exact small-sample factor, on the log scale so large df don't overflow.
    return math.exp(special.gammaln(df / 2) - 0.5 * math.log(df / 2)
                    - special.gammaln((df - 1) / 2))


def cohen_dz(pre, post, *, confidence: float = 0.95, ci_method: str = "effectsize") -> dict:
    """Cohen's d_z = mean(d) / sd(d) with the noncentral-t CI, and Hedges' g_z.

    As R ``effectsize::cohens_d(post, pre, paired = TRUE)`` and
    ``effectsize::hedges_g(post, pre, paired = TRUE)`` (exact J).

    The CI inverts the noncentral t. ``ci_method="effectsize"`` (default)
    finds the limits as effectsize does (R's Nelder-Mead ``optim`` with
    abstol 1e-9), so they equal R's to the last digit; ``"exact"`` solves for
    the roots to machine precision (they differ from effectsize's by ~1e-7).

    Returns n, d_z, ci_low, ci_high, g_z.

    Example:
        >>> r = cohen_dz([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0],
        ...              [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])
        >>> round(r["d_z"], 6), round(r["g_z"], 6)
        (1.284558, 1.173925)
    """
    pre, post = _pair_arrays(pre, post)
    d = post - pre
    n = len(d)
    out = {"n": n, "d_z": math.nan, "ci_low": math.nan, "ci_high": math.nan, "g_z": math.nan}
    if n < 2:
        return out
    sd = d.std(ddof=1)
    if sd == 0 or essentially_constant(d.mean(), sd, n):  # as paired_ttest: no d for a constant
        return out
    dz = float(d.mean() / sd)
    df = n - 1
    tval = dz * math.sqrt(n)
    alpha = 1 - confidence
    out.update(d_z=dz, g_z=dz * _hedges_j(df) if df > 1 else math.nan)
    if ci_method == "effectsize":
        from ._nelder_mead import effectsize_ncp_t
        lo, hi = effectsize_ncp_t(tval, df, confidence)
    elif ci_method == "exact":
        lo, hi = _ncp_for(tval, df, 1 - alpha / 2), _ncp_for(tval, df, alpha / 2)
    else:
        raise ValueError(f"unknown ci_method {ci_method!r}: use 'effectsize' or 'exact'")
    out["ci_low"], out["ci_high"] = lo / math.sqrt(n), hi / math.sqrt(n)
    return out


def _ncp_for(tval: float, df: int, prob: float) -> float:
    """The noncentrality parameter at which P(T <= tval) = prob."""
    f = lambda ncp: st.nct.cdf(tval, df, ncp) - prob  # noqa: E731
    # The root lies within a few standard errors of tval; widen the bracket
    # step by step because nct.cdf is NaN far out in the tails.
    se = math.sqrt(1 + tval * tval / (2 * df))
    for k in (2, 4, 8, 16, 32):
        lo, hi = tval - k * se, tval + k * se
        flo, fhi = f(lo), f(hi)
        if flo > 0 > fhi:
            return float(optimize.brentq(f, lo, hi, xtol=1e-14, rtol=1e-14, maxiter=500))
    return math.nan


# --- Unmatched groups (anonymous forms, one wave only, attrition) ------------
# Always called as f(x, y) with x the reference group (pre, or the completers)
# and y the comparison group (post, or the dropouts): every difference is
# y - x, so a positive value means y scores higher. The R equivalents take the
# groups the other way round: ``t.test(y, x)``, ``wilcox.test(y, x)``,
# ``effectsize::hedges_g(y, x)``.


def _group_array(a):
    a = np.asarray(a, dtype=float).ravel()
    return a[~np.isnan(a)]


def welch_ttest(x, y, *, confidence: float = 0.95) -> dict:
    """Welch two-sample t-test of y against x, two-sided, as R ``t.test(y, x)``.

    diff = mean(y) - mean(x); df is the Welch-Satterthwaite df; the CI is for
    diff. Missing values are dropped from each group separately. A group with
    fewer than 2 values gives NaN statistics; if both groups are constant
    (R stops with "data are essentially constant") t, df and p are NaN and
    the CI collapses to diff.

    Returns n_x, n_y, mean_x, mean_y, diff, t, df, p, ci_low, ci_high, method.

    Example:
        >>> r = welch_ttest([12, 15, 9, 20, 14, 11, 18, 13],
        ...                 [19, 22, 16, 25, 17, 23, 21])
        >>> round(r["diff"], 4), round(r["t"], 4), round(r["df"], 4)
        (6.4286, 3.6164, 12.982)
    """
    x, y = _group_array(x), _group_array(y)
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

    R's default rules: the exact p when both groups have fewer than 50 values
    and there are no ties, otherwise the normal approximation with
    tie-corrected variance and continuity correction. Values are rounded to
    9 decimals before ranking so that float noise in percent scores cannot
    split a true tie. W is R's statistic, the U of y: sum of the ranks of y
    minus n_y(n_y + 1)/2. ``r_rb`` = 2W/(n_x n_y) - 1 is the rank-biserial
    correlation, positive when y tends to be higher (as R
    ``effectsize::rank_biserial(y, x)``). Missing values are dropped.

    Returns n_x, n_y, W, p, method, r_rb.

    Example:
        >>> r = mann_whitney([12, 15, 9, 20, 14, 11, 18, 13],
        ...                  [19, 22, 16, 25, 17, 23, 21])
        >>> r["W"], round(r["p"], 6), r["method"], round(r["r_rb"], 4)
        (51.0, 0.005905, 'exact', 0.8214)
    """
    x = np.round(_group_array(x), _TIE_DECIMALS)
    y = np.round(_group_array(y), _TIE_DECIMALS)
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
    """Cohen's d_s and Hedges' g_s for two independent groups, as R ``effectsize::hedges_g(y, x)``.

    d_s = (mean(y) - mean(x)) / pooled SD (df = n_x + n_y - 2);
    g_s = d_s * J(df) with the exact small-sample factor. The CI (for g_s)
    inverts the noncentral t as effectsize does: its Nelder-Mead search for
    the limits of t = d_s / sqrt(1/n_x + 1/n_y), scaled back by
    sqrt(1/n_x + 1/n_y) and multiplied by J, so the limits equal R's to the
    last digit (they lie ~1e-7 from the exact roots). Missing values are
    dropped from each group; fewer than 4 values in all, or a pooled SD of 0,
    give NaN.

    Returns n_x, n_y, d_s, g_s, ci_low, ci_high, label (``cohen_label(g_s)``).

    Example:
        >>> r = hedges_gs([12, 15, 9, 20, 14, 11, 18, 13],
        ...               [19, 22, 16, 25, 17, 23, 21])
        >>> round(r["d_s"], 6), round(r["g_s"], 6), r["label"]
        (1.85747, 1.747847, 'besar')
    """
    x, y = _group_array(x), _group_array(y)
    nx, ny = len(x), len(y)
    out = {"n_x": nx, "n_y": ny, "d_s": math.nan, "g_s": math.nan,
           "ci_low": math.nan, "ci_high": math.nan, "label": ""}
    df = nx + ny - 2
    if nx == 0 or ny == 0 or df < 2:
        return out
    ss = float(((x - x.mean()) ** 2).sum() + ((y - y.mean()) ** 2).sum())
    s = math.sqrt(ss / df)
    if s == 0:
        return out
    # Same order of operations as effectsize, so the t handed to the search
    # is the same double and the search takes the same path.
    diff = float(y.mean() - x.mean())
    hn = 1 / nx + 1 / ny
    ds = diff / s
    tval = diff / (s * math.sqrt(hn))
    j = _hedges_j(df)
    from ._nelder_mead import effectsize_ncp_t
    lo, hi = effectsize_ncp_t(tval, df, confidence)
    gs = ds * j
    out.update(d_s=ds, g_s=gs, ci_low=lo * math.sqrt(hn) * j, ci_high=hi * math.sqrt(hn) * j,
               label=cohen_label(gs))
    return out


def normalized_gain(pre_pct, post_pct) -> dict:
    """Hake's normalised gain on percent scores (0-100).

    g_class = (mean(post) - mean(pre)) / (100 - mean(pre)); g_mean averages
    g_i = (post_i - pre_i) / (100 - pre_i) over participants with pre_i < 100
    (n_excluded counts the others); c_mean is Marx & Cummings' normalised
    change, dropping participants with 0 or 100 on both tests.

    Example:
        >>> round(normalized_gain([40, 60, 100], [70, 80, 100])["g_class"], 12)
        0.5
    """
    pre, post = _pair_arrays(pre_pct, post_pct)
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


def cohen_dav(pre, post) -> dict:
    """Cohen's d_av = mean(post - pre) / sqrt((sd_pre^2 + sd_post^2) / 2).

    The "average SD" paired effect size (Cumming; pingouin's paired d), for
    comparison with studies that report it; evaltools' headline is d_z.

    Returns n, mean_diff, sd_pre, sd_post, d_av, label.

    Example:
        >>> round(cohen_dav([50, 60, 70], [60, 75, 80])["d_av"], 6)
        1.143095
    """
    pre, post = _pair_arrays(pre, post)
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


def mcnemar(pre_correct, post_correct, *, exact: bool | None = None) -> dict:
    """McNemar's test of paired 0/1 outcomes (an item right or wrong, a pass).

    b = correct -> wrong, c = wrong -> correct. With b + c < 25 the exact
    two-sided binomial p (R ``binom.test(c, b + c)``, statistic = c), else the
    chi-square with continuity correction (R ``mcnemar.test``, statistic =
    (|b - c| - 1)^2 / (b + c)); ``exact`` True/False forces either. With no
    discordant pair nothing changed:
    p = 1 and the statistic is NaN (R's binom.test refuses n = 0).

    Returns n, b, c, statistic, p, method.

    Example:
        >>> r = mcnemar([1] * 3 + [0] * 12 + [1] * 5, [0] * 3 + [1] * 12 + [1] * 5)
        >>> r["b"], r["c"], r["p"], r["method"]
        (3, 12, 0.03515625, 'exact')
    """
    pre, post = _pair_arrays(pre_correct, post_correct)
    pre, post = pre.astype(bool), post.astype(bool)
    b, c = int((pre & ~post).sum()), int((~pre & post).sum())
    out = {"n": len(pre), "b": b, "c": c, "statistic": math.nan, "p": 1.0,
           "method": "no discordant pairs"}
    if b + c == 0:
        return out
    if (b + c < 25) if exact is None else exact:
        out.update(statistic=float(c), p=float(st.binomtest(c, b + c).pvalue), method="exact")
    else:
        # R corrects only an asymmetric table: b == c gives 0, p = 1
        chi2 = (abs(b - c) - (1 if b != c else 0)) ** 2 / (b + c)
        out.update(statistic=chi2, p=float(st.chi2.sf(chi2, 1)), method="chi-square, corrected")
    return out


def partial_pooling(means, variances, ns) -> dict:
    """Empirical-Bayes (partially pooled) group means, as a random-effects
    meta-analysis with DerSimonian-Laird tau^2 (R ``metafor::rma(yi, vi,
    method = "DL")`` and ``blup()``).

    ``means``: each group's mean (e.g. mean gain per OPD); ``variances``: the
    within-group sample variances (sd^2); ``ns``: group sizes. Each group's
    sampling variance is v_i = variance_i / n_i; its mean is shrunk toward
    the pooled mean mu by B_i = v_i / (v_i + tau2). Groups with n < 2 or a
    missing variance get no estimate of their own and are left out.

    Returns shrunken (array), mu, mu_se, tau2, I2 (percent), Q, k.

    Example:
        >>> r = partial_pooling([10, 20, 15], [100, 100, 100], [10, 10, 10])
        >>> round(r["tau2"], 4), r["shrunken"].round(3).tolist()
        (15.0, [12.0, 18.0, 15.0])
    """
    y = np.asarray(means, dtype=float)
    var = np.asarray(variances, dtype=float)
    n = np.asarray(ns, dtype=float)
    v = var / n
    ok = ~(np.isnan(y) | np.isnan(v)) & (n >= 2) & (v > 0)
    out = {"shrunken": np.full_like(y, np.nan), "mu": math.nan, "mu_se": math.nan,
           "tau2": math.nan, "I2": math.nan, "Q": math.nan, "k": int(ok.sum())}
    if ok.sum() < 2:
        return out
    w = 1 / v[ok]
    ybar = float((w * y[ok]).sum() / w.sum())
    q = float((w * (y[ok] - ybar) ** 2).sum())
    df = ok.sum() - 1
    tau2 = float(max(0.0, (q - df) / (w.sum() - (w ** 2).sum() / w.sum())))
    ws = 1 / (v[ok] + tau2)
    mu = float((ws * y[ok]).sum() / ws.sum())
    shrink = v[ok] / (v[ok] + tau2)
    out["shrunken"][ok] = shrink * mu + (1 - shrink) * y[ok]
    out.update(mu=mu, mu_se=float(math.sqrt(1 / ws.sum())), tau2=tau2, Q=q,
               I2=100 * max(0.0, (q - df) / q) if q > 0 else 0.0)
    return out


def adjust_p(p, method: str = "holm") -> np.ndarray:
    """Adjust p-values for multiple comparisons, as R ``p.adjust``.

    Methods: "holm" (default), "bonferroni", "BH". NaNs are kept and left
    out of the family size, as R does.

    Example:
        >>> adjust_p([0.01, 0.04, 0.03, 0.2, 0.005]).round(3).tolist()
        [0.04, 0.09, 0.09, 0.2, 0.025]
    """
    p = np.asarray(p, dtype=float)
    out = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    n = len(q)
    if n == 0:
        return out
    if method == "bonferroni":
        adj = np.minimum(1, q * n)
    elif method == "holm":
        order = np.argsort(q, kind="stable")
        steps = (n - np.arange(n)) * q[order]
        adj = np.empty(n)
        adj[order] = np.minimum(1, np.maximum.accumulate(steps))
    elif method == "BH":
        adj = st.false_discovery_control(q, method="bh")
    else:
        raise ValueError(f"unknown method {method!r}: use holm, bonferroni or BH")
    out[ok] = adj
    return out


def cohen_label(d: float, lang: str = "id") -> str:
    """Cohen's words for |d|: sangat kecil, kecil, sedang, besar."""
    if d is None or math.isnan(d):
        return ""
    words = {"id": ("sangat kecil", "kecil", "sedang", "besar"),
             "en": ("negligible", "small", "medium", "large")}[lang]
    a = abs(d)
    return words[0] if a < 0.2 else words[1] if a < 0.5 else words[2] if a < 0.8 else words[3]


def hake_label(g: float, lang: str = "id") -> str:
    """Hake's bands for <g>: rendah (< 0.3), sedang, tinggi (>= 0.7)."""
    if g is None or math.isnan(g):
        return ""
    words = {"id": ("rendah", "sedang", "tinggi"), "en": ("low", "medium", "high")}[lang]
    return words[0] if g < 0.3 else words[1] if g < 0.7 else words[2]
