"""One-way ANCOVA: the post-test regressed on the pre-test and a group
factor, as R ``lm(post ~ pre + group)`` with ``car::Anova(m, type = 2)``,
``emmeans::emmeans(m, "group")``, ``pairs(emm, adjust = "holm")``, the
assumption checks (slopes, ``car::leveneTest``, ``shapiro.test``) and the
gain-score comparison (Welch) beside it.

The model is fitted by least squares (``numpy.linalg.lstsq``) with R's
treatment contrasts; the groups are sorted, as R's ``factor`` sorts them.

Example:
    >>> r = ancova([40, 50, 60, 45, 55, 65], [55, 60, 75, 70, 72, 85], list("aaabbb"), min_n=3)
    >>> r["table"]["term"].tolist(), r["means"]["group"].tolist()
    (['pre', 'group', 'residuals'], ['a', 'b'])
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from .._lazy import lazy
from .multiple import adjust_p
from .unpaired import welch_ttest

st = lazy("scipy.stats")

TABLE_COLUMNS = ["term", "sum_sq", "df", "f", "p", "eta2_partial"]
MEANS_COLUMNS = ["group", "n", "mean_pre", "mean_post", "mean_gain", "sd_gain", "adj_mean", "se",
                 "df", "ci_low", "ci_high"]
PAIRS_COLUMNS = ["contrast", "group_a", "group_b", "estimate", "se", "df", "t", "p", "p_holm"]
CHECK_COLUMNS = ["check", "test", "statistic", "df1", "df2", "p", "passed"]
GAIN_COLUMNS = ["test", "statistic", "df1", "df2", "p", "estimate", "ci_low", "ci_high"]
ALPHA_CHECKS = 0.05  # an assumption check "fails" at p < 0.05


def design(pre, group, levels, interaction: bool = False) -> np.ndarray:
    """The model matrix of ``post ~ pre + group`` (``pre * group`` with
    ``interaction``) under R's treatment contrasts: intercept, pre, one
    dummy per group after the first (and pre times each dummy).

    Example:
        >>> design([1.0, 2.0, 3.0], np.array(["a", "b", "b"]), ["a", "b"]).tolist()
        [[1.0, 1.0, 0.0], [1.0, 2.0, 1.0], [1.0, 3.0, 1.0]]
    """
    pre = np.asarray(pre, dtype=float)
    dummies = np.column_stack([group == g for g in levels[1:]]).astype(float)
    cols = [np.ones_like(pre), pre, dummies]
    if interaction:
        cols.append(dummies * pre[:, None])
    return np.column_stack(cols)


def rss(x: np.ndarray, y: np.ndarray) -> float:
    """Residual sum of squares of the least-squares fit of ``y`` on ``x``.

    Example:
        >>> round(rss(np.ones((3, 1)), np.array([1.0, 2.0, 3.0])), 12)
        2.0
    """
    beta = np.linalg.lstsq(x, y, rcond=None)[0]
    r = y - x @ beta
    return float(r @ r)


def anova_table(pre, post, group, levels) -> pd.DataFrame:
    """Type II sums of squares of ``post ~ pre + group``, as
    ``car::Anova(lm(post ~ pre + group), type = 2)``: each term's SS is the
    drop in RSS when it is added last; F against the residual mean square;
    partial eta squared SS / (SS + SS_residual).

    Example:
        >>> t = anova_table([40, 50, 60, 45, 55, 65], [55, 60, 75, 70, 72, 85],
        ...                 np.array(list("aaabbb")), ["a", "b"])
        >>> t["df"].tolist()
        [1, 1, 3]
    """
    pre, post = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    n, k = len(post), len(levels)
    full = design(pre, group, levels)
    sse = rss(full, post)
    df_res = n - full.shape[1]
    ss_pre = rss(np.delete(full, 1, axis=1), post) - sse
    ss_group = rss(full[:, :2], post) - sse
    rows = []
    for term, ss, df in (("pre", ss_pre, 1), ("group", ss_group, k - 1)):
        f = (ss / df) / (sse / df_res)
        rows.append({"term": term, "sum_sq": ss, "df": df, "f": f,
                     "p": float(st.f.sf(f, df, df_res)), "eta2_partial": ss / (ss + sse)})
    rows.append({"term": "residuals", "sum_sq": sse, "df": df_res, "f": math.nan, "p": math.nan,
                 "eta2_partial": math.nan})
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def adjusted_means(pre, post, group, levels, confidence: float = 0.95):
    """Adjusted (estimated marginal) means of each group at the mean pre-test
    of all participants, with SE, df and CI, as ``emmeans(m, "group")``; and
    every pairwise difference (first minus second, in level order) with
    Holm-adjusted p, as ``pairs(emm, adjust = "holm")``.

    Example:
        >>> m, d = adjusted_means([40, 50, 60, 45, 55, 65], [55, 60, 75, 70, 72, 85],
        ...                       np.array(list("aaabbb")), ["a", "b"])
        >>> d["contrast"].tolist(), round(float(d["estimate"].iloc[0]), 4)
        (['a - b'], -7.9583)
    """
    pre, post = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    x = design(pre, group, levels)
    beta, *_ = np.linalg.lstsq(x, post, rcond=None)
    df = len(post) - x.shape[1]
    resid = post - x @ beta
    cov = float(resid @ resid) / df * np.linalg.inv(x.T @ x)
    at = np.zeros((len(levels), x.shape[1]))
    at[:, 0], at[:, 1] = 1.0, pre.mean()
    for i in range(1, len(levels)):
        at[i, 1 + i] = 1.0
    est, se = at @ beta, np.sqrt(np.einsum("ij,jk,ik->i", at, cov, at))
    q = float(st.t.ppf(0.5 + confidence / 2, df))
    means = pd.DataFrame({"group": levels, "adj_mean": est, "se": se, "df": df,
                          "ci_low": est - q * se, "ci_high": est + q * se})
    rows = []
    for i, j in itertools.combinations(range(len(levels)), 2):
        c = at[i] - at[j]
        d, s = float(c @ beta), math.sqrt(float(c @ cov @ c))
        rows.append({"contrast": f"{levels[i]} - {levels[j]}", "group_a": levels[i],
                     "group_b": levels[j], "estimate": d, "se": s, "df": df, "t": d / s,
                     "p": float(2 * st.t.sf(abs(d / s), df))})
    pairs = pd.DataFrame(rows, columns=PAIRS_COLUMNS[:-1])
    pairs["p_holm"] = adjust_p(pairs["p"].to_numpy(), "holm")
    return means, pairs


def assumption_checks(pre, post, group, levels) -> pd.DataFrame:
    """The checks a statistician expects of the ANCOVA, one row each, with
    ``passed`` (p >= 0.05):

    - ``slopes``: homogeneity of regression slopes, the F test of the
      pre x group interaction (``anova(lm(post ~ pre + group),
      lm(post ~ pre * group))``, equal to its type II row);
    - ``levene``: equal residual variance across groups,
      ``car::leveneTest(residuals(m) ~ group)`` (its default centre, the
      median: the Brown-Forsythe form);
    - ``normality``: Shapiro-Wilk on the residuals, ``shapiro.test(residuals(m))``.

    Example:
        >>> c = assumption_checks([40, 50, 60, 45, 55, 65], [55, 60, 75, 70, 72, 85],
        ...                       np.array(list("aaabbb")), ["a", "b"])
        >>> c["check"].tolist()
        ['slopes', 'levene', 'normality']
    """
    pre, post = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    x, xi = design(pre, group, levels), design(pre, group, levels, interaction=True)
    sse, sse_i = rss(x, post), rss(xi, post)
    df1, df2 = xi.shape[1] - x.shape[1], len(post) - xi.shape[1]
    f = ((sse - sse_i) / df1) / (sse_i / df2) if df2 > 0 and sse_i > 0 else math.nan
    resid = post - x @ np.linalg.lstsq(x, post, rcond=None)[0]
    parts = [resid[group == g] for g in levels]
    lev = st.levene(*parts, center="median")
    rows = [("slopes", "F pre x group", f, df1, df2, float(st.f.sf(f, df1, df2))),
            ("levene", "Levene (median)", float(lev.statistic), len(levels) - 1,
             len(post) - len(levels), float(lev.pvalue))]
    sw = shapiro_wilk(resid)
    rows.append(("normality", "Shapiro-Wilk", sw["w"], math.nan, math.nan, sw["p"]))
    out = pd.DataFrame(rows, columns=CHECK_COLUMNS[:-1])
    out["passed"] = out["p"].isna() | (out["p"] >= ALPHA_CHECKS)
    return out


def shapiro_w(x) -> float:
    """Shapiro-Wilk's W with Royston's coefficients (AS R94), as R's
    ``swilk.c`` computes them, in double precision (3 <= n <= 5000).

    Example:
        >>> round(shapiro_w([2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8]), 10)
        0.9401366783
    """
    x = np.sort(np.asarray(x, dtype=float))
    n = len(x)
    half = n // 2
    if n == 3:
        a = np.array([math.sqrt(0.5)])
    else:
        m = np.asarray(st.norm.ppf((np.arange(1, half + 1) - 0.375) / (n + 0.25)))
        summ2 = 2 * float(m @ m)
        rsn = 1 / math.sqrt(n)
        a1 = np.polyval([-2.706056, 4.434685, -2.07119, -0.147981, 0.221157, 0.0], rsn) \
            - m[0] / math.sqrt(summ2)
        if n > 5:
            a2 = np.polyval([-3.582633, 5.682633, -1.752461, -0.293762, 0.042981, 0.0], rsn) \
                - m[1] / math.sqrt(summ2)
            fac = math.sqrt((summ2 - 2 * m[0] ** 2 - 2 * m[1] ** 2) / (1 - 2 * a1 ** 2 - 2 * a2 ** 2))
            a = np.concatenate([[a1, a2], -m[2:] / fac])
        else:
            fac = math.sqrt((summ2 - 2 * m[0] ** 2) / (1 - 2 * a1 ** 2))
            a = np.concatenate([[a1], -m[1:] / fac])
    spread = x[::-1][:len(a)] - x[:len(a)]
    centred = x - x.mean()
    return float((a @ spread) ** 2 / (centred @ centred))


def shapiro_wilk(x) -> dict:
    """Shapiro-Wilk's W and p by Royston's algorithm (AS R94) in double
    precision, as R's ``shapiro.test``: scipy's ``shapiro`` keeps the
    coefficients in single precision, so its W differs from R's by about
    1e-9 and its p, for a few hundred values, by about 1e-8 relative.
    NaN outside 3 <= n <= 5000 (R refuses those sizes).

    Example:
        >>> r = shapiro_wilk([2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 6.1, 3.9, 4.0, 2.2, 3.1])
        >>> round(r["w"], 6), round(r["p"], 6)
        (0.937077, 0.461157)
    """
    x = np.asarray(x, dtype=float)
    n = len(x)
    if not 3 <= n <= 5000:
        return {"w": math.nan, "p": math.nan}
    w = shapiro_w(x)
    if n == 3:  # exact
        p = 6 / math.pi * (math.asin(math.sqrt(min(w, 1.0))) - math.asin(math.sqrt(0.75)))
        return {"w": w, "p": max(p, 0.0)}
    w1 = math.log1p(-w) if w < 1 else -math.inf
    if n <= 11:
        gamma = -2.273 + 0.459 * n
        if w1 >= gamma:
            return {"w": w, "p": 1e-99}  # R's floor
        y = -math.log(gamma - w1)
        m = np.polyval([-6.714e-4, 0.025054, -0.39978, 0.544], n)
        s = math.exp(np.polyval([-0.0020322, 0.062767, -0.77857, 1.3822], n))
    else:
        xx = math.log(n)
        y = w1
        m = np.polyval([0.0038915, -0.083751, -0.31082, -1.5861], xx)
        s = math.exp(np.polyval([0.0030302, -0.082676, -0.4803], xx))
    return {"w": w, "p": float(st.norm.sf(y, m, s))}


def welch_anova(gains) -> dict:
    """Welch's one-way ANOVA of several groups' values (unequal variances),
    as R ``oneway.test(gain ~ group)``: with w_i = n_i / s_i^2,
    F = [sum w_i (m_i - m_w)^2 / (k - 1)] / [1 + 2 (k - 2) L / (k^2 - 1)],
    L = sum (1 - w_i / W)^2 / (n_i - 1), df2 = (k^2 - 1) / (3 L).

    Example:
        >>> r = welch_anova([[1, 2, 3, 4], [2, 4, 6, 9], [5, 6, 7, 7]])
        >>> r["df1"], round(r["f"], 4)
        (2, 9.7118)
    """
    arrays = [np.asarray(g, dtype=float) for g in gains]
    k = len(arrays)
    n = np.array([len(a) for a in arrays], dtype=float)
    m = np.array([a.mean() for a in arrays])
    var = np.array([a.var(ddof=1) for a in arrays])
    if (var == 0).any():  # a group whose values are all equal: R stops, evaltools says NaN
        return {"f": math.nan, "df1": k - 1, "df2": math.nan, "p": math.nan}
    w = n / var
    mw = float((w * m).sum() / w.sum())
    lam = float(((1 - w / w.sum()) ** 2 / (n - 1)).sum())
    f = float((w * (m - mw) ** 2).sum() / (k - 1) / (1 + 2 * (k - 2) * lam / (k ** 2 - 1)))
    df2 = (k ** 2 - 1) / (3 * lam)
    return {"f": f, "df1": k - 1, "df2": df2, "p": float(st.f.sf(f, k - 1, df2))}


def gain_comparison(pre, post, group, levels) -> pd.DataFrame:
    """The robust alternative beside the ANCOVA: the gains (post - pre)
    compared between groups without equal variances: two groups by Welch's t
    (``t.test(gain[g == b], gain[g == a])``: estimate a - b, as the pairs),
    more by Welch's one-way ANOVA (``oneway.test(gain ~ group)``).

    Example:
        >>> g = gain_comparison([40, 50, 60, 45, 55, 65], [55, 60, 75, 70, 72, 85],
        ...                     np.array(list("aaabbb")), ["a", "b"])
        >>> g["test"].tolist(), round(float(g["estimate"].iloc[0]), 4)
        (['welch_t'], -7.3333)
    """
    gain = np.asarray(post, dtype=float) - np.asarray(pre, dtype=float)
    parts = [gain[group == g] for g in levels]
    if len(levels) == 2:
        w = welch_ttest(parts[1], parts[0])
        row = {"test": "welch_t", "statistic": w["t"], "df1": math.nan, "df2": w["df"],
               "p": w["p"], "estimate": w["diff"], "ci_low": w["ci_low"], "ci_high": w["ci_high"]}
    else:
        w = welch_anova(parts)
        row = {"test": "welch_anova", "statistic": w["f"], "df1": w["df1"], "df2": w["df2"],
               "p": w["p"], "estimate": math.nan, "ci_low": math.nan, "ci_high": math.nan}
    return pd.DataFrame([row], columns=GAIN_COLUMNS)


def ancova(pre, post, group, *, min_n: int = 5, confidence: float = 0.95) -> dict:
    """The whole one-way ANCOVA of ``post ~ pre + group``: rows with a
    missing value are dropped, groups with fewer than ``min_n`` participants
    left out (``excluded``: {group: n}). Returns a dict of tidy frames:
    ``table`` (:func:`anova_table`), ``means`` (n, raw means, gain and the
    adjusted mean with its CI), ``pairs``, ``checks``, ``gain``; plus ``n``,
    ``levels``, ``excluded`` and ``why`` (None, or why no model could be
    fitted: fewer than two groups, or no residual degrees of freedom).

    Example:
        >>> r = ancova([40, 50, 60, 45, 55, 65, 50], [55, 60, 75, 70, 72, 85, 60],
        ...            list("aaabbbc"), min_n=3)
        >>> r["excluded"], r["n"], r["why"]
        ({'c': 1}, 6, None)
    """
    frame = pd.DataFrame({"pre": np.asarray(pre, dtype=float), "post": np.asarray(post, dtype=float),
                          "group": pd.Series(list(group), dtype=object).astype(str)}).dropna()
    sizes = frame["group"].value_counts()
    excluded = {str(g): int(n) for g, n in sorted(sizes.items()) if n < min_n}
    frame = frame[~frame["group"].isin(excluded)]
    levels = sorted(frame["group"].unique())
    out = {"n": len(frame), "levels": levels, "excluded": excluded, "why": None,
           "table": pd.DataFrame(columns=TABLE_COLUMNS), "means": pd.DataFrame(columns=MEANS_COLUMNS),
           "pairs": pd.DataFrame(columns=PAIRS_COLUMNS), "checks": pd.DataFrame(columns=CHECK_COLUMNS),
           "gain": pd.DataFrame(columns=GAIN_COLUMNS)}
    if len(levels) < 2:
        out["why"] = "groups"
        return out
    pre, post, g = frame["pre"].to_numpy(), frame["post"].to_numpy(), frame["group"].to_numpy()
    x = design(pre, g, levels, interaction=True)
    if len(frame) <= 2 * len(levels) or frame["post"].std() == 0 \
            or np.linalg.matrix_rank(x) < x.shape[1]:  # e.g. one pre-test score in a group
        out["why"] = "df"
        return out
    raw = frame.assign(gain=post - pre).groupby("group").agg(
        n=("post", "size"), mean_pre=("pre", "mean"), mean_post=("post", "mean"),
        mean_gain=("gain", "mean"), sd_gain=("gain", "std")).reset_index()
    adj, pairs = adjusted_means(pre, post, g, levels, confidence)
    out.update(table=anova_table(pre, post, g, levels), pairs=pairs,
               means=raw.merge(adj, on="group")[MEANS_COLUMNS],
               checks=assumption_checks(pre, post, g, levels),
               gain=gain_comparison(pre, post, g, levels))
    return out
