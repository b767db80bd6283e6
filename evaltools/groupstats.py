"""The paired comparison for many groups at once: ``compare``'s one path.

One pass of array arithmetic per statistic instead of a Python loop over
groups, so 500 OPDs (or 1,000 groups of a national module) cost about as much
as one; the whole session is the case of a single group. Each value equals
the scalar functions of ``evaltools.stats`` (the ones checked against R) on
that group's rows, and the tests hold the two together group by group. The
d_z limits come from one root search over all groups
(``stats.ncp_interval``, which ``stats.cohen_dz`` calls too); only the exact
Wilcoxon p (fewer than 50 non-zero differences, no ties, no zeros: small
groups) is taken group by group, from ``stats.wilcoxon_signed_rank``.

Example:
    >>> t = paired_by_group(np.array([0, 0, 0, 1, 1, 1]), np.array([50., 60, 70, 40, 50, 60]),
    ...                     np.array([60., 75, 80, 45, 50, 70]), min_n=2)
    >>> [round(v, 4) for v in t["mean_gain"]]
    [11.6667, 5.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import stats
from ._lazy import lazy

special = lazy("scipy.special")

COLUMNS = ["n", "mean_pre", "mean_post", "mean_gain", "sd_gain", "ci_low", "ci_high", "t", "df",
           "p_t", "V", "p_w", "wilcoxon_method", "r_rb", "d_z", "d_z_ci_low", "d_z_ci_high",
           "g_z", "d_av", "g_hake", "g_mean", "pass_pre", "pass_post", "p_pass", "bf10",
           "min_detectable_gain", "suppressed"]


def _sum(codes, values, size):
    return np.bincount(codes, weights=values, minlength=size)


_DENSE_CELLS = 10_000_000  # groups x distinct values: tables of 80 MB at most


def _signed_ranks(codes, d, size):
    """Per group, over its non-zero differences d: V (the sum of the average
    ranks of |d| of the positive ones), their number m, the tie term
    sum(t^3 - t), whether any is tied; and whether the group has a zero.

    Scores move in steps (100/27 for 27 items), so the distinct differences
    are few: a groups x values table of counts (the values found by hashing,
    ``pd.factorize``), folded onto the sorted sizes |d|, gives the ranks
    without sorting the rows (zero, the smallest size, is its first column,
    left out). Many distinct values fall back to one sort
    (``_signed_ranks_sorted``). The sums are of half-integers: exact."""
    index, values = pd.factorize(d)
    if size * len(values) > _DENSE_CELLS:
        return _signed_ranks_sorted(codes, d, size)
    sizes, of = np.unique(np.abs(values), return_inverse=True)
    table = np.bincount(codes * len(values) + index, minlength=size * len(values))
    table = table.reshape(size, len(values)).T
    counts, positive = np.zeros((2, len(sizes), size), np.int64)
    np.add.at(counts, of, table)  # x and -x onto their size |x|
    np.add.at(positive, of, table * (values > 0)[:, None])
    counts, positive = counts.T, positive.T
    zero = int(len(sizes) > 0 and sizes[0] == 0)
    has_zero = counts[:, 0] > 0 if zero else np.zeros(size, bool)
    counts, positive = counts[:, zero:], positive[:, zero:]
    avg = np.cumsum(counts, axis=1) - (counts - 1) / 2  # ranks below + middle of the tie
    tt = counts.astype(float)
    return ((positive * avg).sum(axis=1), counts.sum(axis=1), (tt ** 3 - tt).sum(axis=1),
            (counts > 1).any(axis=1), has_zero)


def _signed_ranks_sorted(codes, d, size):
    """``_signed_ranks`` by one sort of the non-zero rows by group and |d|."""
    has_zero = np.bincount(codes[d == 0], minlength=size) > 0
    nz = d != 0
    c, dz = codes[nz], d[nz]
    values, inverse = np.unique(np.abs(dz), return_inverse=True)
    order = np.lexsort((inverse, c))
    key = c[order] * len(values) + inverse[order]
    start = np.r_[True, key[1:] != key[:-1]]
    run = np.cumsum(start) - 1  # tie-run of each sorted row
    n_run = np.bincount(run).astype(float)
    first = np.flatnonzero(start)
    group_start = np.r_[True, c[order][1:] != c[order][:-1]]
    pos = np.arange(len(dz)) - np.maximum.accumulate(np.where(group_start, np.arange(len(dz)), 0))
    avg = pos[first] + (n_run + 1) / 2
    g_run = c[order][first]
    positive = np.bincount(run, weights=(dz[order] > 0).astype(float), minlength=len(n_run))
    return (_sum(g_run, positive * avg, size), np.bincount(c, minlength=size),
            _sum(g_run, n_run ** 3 - n_run, size), _sum(g_run, (n_run > 1).astype(float), size) > 0,
            has_zero)


def _wilcoxon(codes, d, size):
    """V, p, method and r_rb per group, with R's rules (``stats.wilcoxon_signed_rank``)."""
    d = np.round(d, stats.TIE_DECIMALS)
    t_plus, m, tie_term, has_ties, has_zero = _signed_ranks(codes, d, size)
    m = m.astype(float)
    t_minus = m * (m + 1) / 2 - t_plus  # all ranks sum to m(m + 1)/2, exactly
    with np.errstate(invalid="ignore", divide="ignore"):
        z = t_plus - m * (m + 1) / 4
        sigma = np.sqrt(m * (m + 1) * (2 * m + 1) / 24 - tie_term / 48)
        zc = (z - 0.5 * np.sign(z)) / sigma
        p = 2 * np.minimum(special.ndtr(zc), special.ndtr(-zc))
        r_rb = (t_plus - t_minus) / (t_plus + t_minus)
    method = np.where(m == 0, "none", "normal, continuity-corrected").astype(object)
    V = np.where(m == 0, np.nan, t_plus)
    p = np.where(m == 0, np.nan, p)
    exact = np.flatnonzero((m > 0) & (m < 50) & ~has_ties & ~has_zero)
    if len(exact):  # small groups: the exact distribution, as R
        rows = np.flatnonzero(np.isin(codes, exact))
        rows = rows[np.argsort(codes[rows], kind="stable")]
        for g, dg in zip(exact, np.split(d[rows], np.cumsum(m[exact].astype(int))[:-1])):
            p[g] = stats.wilcoxon_signed_rank(np.zeros(len(dg)), dg)["p"]
            method[g] = "exact"
    return {"V": V, "p_w": p, "wilcoxon_method": method, "r_rb": np.where(m == 0, np.nan, r_rb)}


def _moments(codes, a, b, size):
    """Per group: n, the means of pre, post and the gain, and the three
    variances, in two passes (deviations from the group mean) as numpy's
    ``var`` does."""
    n = np.bincount(codes, minlength=size).astype(float)
    d = b - a
    out = {"n": n}
    for name, x in (("pre", a), ("post", b), ("gain", d)):
        mean = _sum(codes, x, size) / n
        out[f"mean_{name}"] = mean
        out[f"var_{name}"] = _sum(codes, (x - mean[codes]) ** 2, size) / (n - 1)
    return out


def _ttest(mom, confidence):
    """The paired t-test per group, as ``stats.paired_ttest``."""
    n, mean = mom["n"], mom["mean_gain"]
    sd = np.sqrt(mom["var_gain"])
    # R's "essentially constant" test: such a group has no t and no d
    sd = np.where(stats.essentially_constant(mean, sd, n), 0.0, sd)
    se = sd / np.sqrt(n)
    df = n - 1
    t = np.where(sd > 0, mean / se, np.nan)
    q = special.stdtrit(df, 1 - (1 - confidence) / 2)
    collapsed = np.where(n >= 2, mean, np.nan)  # a constant change: the CI is the change
    return sd, {"sd_gain": np.where(n > 1, sd, np.nan), "t": t,
                "df": np.where(n > 0, df, 0).astype(int),
                "p_t": np.where(sd > 0, 2 * special.stdtr(df, -np.abs(t)), np.nan),
                "ci_low": np.where(sd > 0, mean - q * se, collapsed),
                "ci_high": np.where(sd > 0, mean + q * se, collapsed)}


def _effect_sizes(mom, sd, confidence):
    """d_z with its exact interval, g_z and d_av per group, as
    ``stats.cohen_dz`` and ``stats.cohen_dav``."""
    n, mean = mom["n"], mom["mean_gain"]
    dz = np.where((n >= 2) & (sd > 0), mean / sd, np.nan)
    lo, hi = stats.ncp_interval(dz * np.sqrt(n), n - 1, confidence)
    s_av = np.sqrt((mom["var_pre"] + mom["var_post"]) / 2)
    return {"d_z": dz, "d_z_ci_low": lo / np.sqrt(n), "d_z_ci_high": hi / np.sqrt(n),
            "g_z": dz * stats.hedges_j(n - 1),
            "d_av": np.where((n >= 2) & (s_av > 0), mean / s_av, np.nan)}


def _hake(codes, a, b, mom, size):
    """Hake's class gain and mean individual gain per group, as ``stats.normalized_gain``."""
    n, mean_pre, mean_post = mom["n"], mom["mean_pre"], mom["mean_post"]
    g_class = np.where((n > 0) & (mean_pre < 100), (mean_post - mean_pre) / (100 - mean_pre), np.nan)
    below = a < 100
    g_n = _sum(codes, below, size)
    g_sum = _sum(codes, np.where(below, (b - a) / (100 - a), 0.0), size)  # + 0.0: the same sums
    return {"g_hake": g_class, "g_mean": np.where(g_n > 0, g_sum / np.maximum(g_n, 1), np.nan)}


def _passing(codes, passed_pre, passed_post, n, size):
    """Pass rates and McNemar's p per group over every row of the group
    (a missing score counts as not passed), as ``stats.mcnemar``."""
    if passed_pre is None:
        return {k: np.full(size, np.nan) for k in ("pass_pre", "pass_post", "p_pass")}  # 3 arrays, not 1
    pp, pq = np.asarray(passed_pre, bool), np.asarray(passed_post, bool)
    # one table of counts per group: [neither, post only, pre only, both]
    cells = np.bincount(codes * 4 + pp * 2 + pq, minlength=size * 4).reshape(size, 4)
    rows = cells.sum(axis=1).astype(float)
    b, c = cells[:, 2], cells[:, 1]
    k = b + c
    exact_p = np.minimum(1.0, 2 * special.bdtr(np.minimum(b, c), k, 0.5))
    chi2 = (np.abs(b - c) - (b != c)) ** 2 / np.maximum(k, 1)
    p = np.where(k == 0, 1.0, np.where(k < 25, exact_p, special.chdtrc(1, chi2)))
    return {"pass_pre": np.where(n > 0, 100 * (cells[:, 2] + cells[:, 3]) / rows, np.nan),
            "pass_post": np.where(n > 0, 100 * (cells[:, 1] + cells[:, 3]) / rows, np.nan),
            "p_pass": np.where(n > 0, p, np.nan)}


def _bayes_power(mom, t, sd_all, power):
    """BF10 (JZS, r = sqrt(2)/2) and the minimum detectable gain per group:
    the smallest d_z its n detects with ``power`` (alpha 0.05, two-sided)
    times the SD of the gains of every row (the session's), in points."""
    n = mom["n"]
    return {"bf10": stats.bf10_many(t, n),
            "min_detectable_gain": stats.min_detectable_d(n, power) * sd_all}


def paired_by_group(codes, pre, post, passed_pre=None, passed_post=None, *, size: int | None = None,
                    min_n: int = 5, confidence: float = 0.95, power: float = 0.8,
                    session_sd: bool = True) -> pd.DataFrame:
    """``paired_columns`` as a DataFrame (the same parameters): one row per
    group code, the columns of ``COLUMNS``.

    Example:
        >>> paired_by_group(np.array([0, 0, 1]), np.array([50., 60, 70]),
        ...                 np.array([60., 80, 70]), min_n=2)["mean_gain"].tolist()
        [15.0, 0.0]
    """
    return pd.DataFrame(paired_columns(codes, pre, post, passed_pre, passed_post, size=size, min_n=min_n,
                                       confidence=confidence, power=power, session_sd=session_sd),
                        columns=COLUMNS)


def paired_columns(codes, pre, post, passed_pre=None, passed_post=None, *, size: int | None = None,
                   min_n: int = 5, confidence: float = 0.95, power: float = 0.8,
                   session_sd: bool = True) -> dict:
    """``compare``'s columns for each group code 0..size-1: arrays holding
    one value per code, in code order.

    Parameters
    ----------
    codes : array of int
        Each participant's group, 0..size-1 (all 0 for the whole session).
    pre, post : array of float
        Percent scores; a participant missing either is left out of every
        statistic but the pass rates.
    passed_pre, passed_post : array of bool, optional
        Reached the passing score (KKM); omit for topic scores (pass
        columns NaN).
    size : int, optional
        Number of groups (default: the largest code + 1); groups without
        participants get n = 0 and NaN statistics.
    min_n : int, default 5
        Groups under it are flagged ``suppressed``.
    confidence : float, default 0.95
        Level of the mean-gain and d_z intervals.
    power : float, default 0.8
        Power of ``min_detectable_gain``.
    session_sd : bool, default True
        ``min_detectable_gain`` from the SD of every row's gain (the
        session's: OPDs, employee types); False: each group's own SD (topics,
        which are different scores).

    Returns
    -------
    dict
        ``COLUMNS`` in order, an array each, every one as its scalar function
        in ``stats`` on the group's rows (``paired_ttest``,
        ``wilcoxon_signed_rank``, ``cohen_dz``, ``jzs_bf10``,
        ``min_detectable_d`` times the SD above, ...): a table's columns
        (``paired_by_group`` makes it one; ``compare`` adds its own first).

    Notes
    -----
    Sums per group are ``np.bincount`` with weights, so every statistic is a
    few array operations whatever the number of groups; Wilcoxon from average
    ranks within each group (exact p for the small groups R computes exactly);
    the d_z intervals of every group found together (``stats.ncp_interval``).
    The formulas and R calls: docs/statistics.md.

    Examples
    --------
    >>> paired_columns(np.array([0, 0]), np.array([50., 60]), np.array([60., 60]))["n"].tolist()
    [2]
    >>> paired_columns(np.array([], int), np.array([]), np.array([]), size=1)["n"].tolist()
    [0]
    """
    codes = np.asarray(codes, dtype=np.int64)
    size = (int(codes.max()) + 1 if len(codes) else 0) if size is None else size
    cv, a, b = _complete(codes, np.asarray(pre, float), np.asarray(post, float))
    with np.errstate(invalid="ignore", divide="ignore"):
        mom = _moments(cv, a, b, size)
        sd, out = _ttest(mom, confidence)
        out |= _effect_sizes(mom, sd, confidence) | _hake(cv, a, b, mom, size)
        out |= _passing(codes, passed_pre, passed_post, mom["n"], size)
        # the session's SD of gains (OPDs, employee types), or each group's own (topics)
        sd_all = out["sd_gain"] if not session_sd else np.std(b - a, ddof=1) if len(a) > 1 else np.nan
        out |= _bayes_power(mom, out["t"], sd_all, power)
    out |= _wilcoxon(cv, b - a, size) | _counts_and_means(mom, min_n)
    return {c: out[c] for c in COLUMNS}


def _complete(codes, pre, post) -> tuple:
    """The codes and scores of the participants with both scores."""
    valid = ~(np.isnan(pre) | np.isnan(post))
    return (codes, pre, post) if valid.all() else (codes[valid], pre[valid], post[valid])


def _counts_and_means(mom, min_n: int) -> dict:
    """n, ``suppressed`` and the three means per group (NaN where n = 0)."""
    n = mom["n"]
    return {"n": n.astype(int), "suppressed": n < min_n,
            **{f"mean_{k}": np.where(n > 0, mom[f"mean_{k}"], np.nan) for k in ("pre", "post", "gain")}}
