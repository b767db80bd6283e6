"""The paired comparison of ``compare`` for many groups at once, vectorised.

One pass of array arithmetic per statistic instead of a Python loop over
groups, so 500 OPDs (or 1,000 groups of a national module) cost about as much
as one. Each value equals the scalar functions in ``stats`` (the ones checked
against R) on that group's rows, with two documented exceptions:

- the d_z confidence limits are the exact roots of the noncentral t (R
  ``uniroot``; ``stats.cohen_dz(ci_method="exact")``), found for all groups
  together with ``scipy.optimize.elementwise.find_root``; effectsize's own
  optimiser stops about 1e-7 from them;
- the exact Wilcoxon p (fewer than 50 non-zero differences, no ties, no
  zeros) still comes from ``stats.wilcoxon_signed_rank`` group by group:
  such groups are small.

Example:
    >>> import numpy as np
    >>> t = paired_by_group(np.array([0, 0, 0, 1, 1, 1]), np.array([50., 60, 70, 40, 50, 60]),
    ...                     np.array([60., 75, 80, 45, 50, 70]), min_n=2)
    >>> [round(v, 4) for v in t["mean_gain"]]
    [11.6667, 5.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._lazy import lazy
from . import stats

special = lazy("scipy.special")

COLUMNS = ["n", "mean_pre", "mean_post", "mean_gain", "sd_gain", "ci_low", "ci_high", "t", "df",
           "p_t", "V", "p_w", "wilcoxon_method", "r_rb", "d_z", "d_z_ci_low", "d_z_ci_high",
           "g_z", "d_av", "g_hake", "g_mean", "pass_pre", "pass_post", "p_pass", "suppressed"]


def _sum(codes, values, size):
    return np.bincount(codes, weights=values, minlength=size)


def _ncp_roots(tval, df, prob):
    """Noncentrality at which P(T <= tval) = prob, for arrays of t and df."""
    from scipy.optimize.elementwise import find_root
    out = np.full(tval.shape, np.nan)
    ok = np.isfinite(tval) & (df >= 1)
    if not ok.any():
        return out
    t, d = tval[ok], df[ok].astype(float)
    f = lambda ncp, t, d: special.nctdtr(d, ncp, t) - prob  # noqa: E731
    se = np.sqrt(1 + t * t / (2 * d))
    root = np.full(t.shape, np.nan)
    todo = np.ones(t.shape, bool)
    # scipy's own inverse is fast but good to ~1e-6 only: a narrow bracket around it,
    # then wider ones (as stats._ncp_for) wherever the root is not inside
    guess = special.nctdtrinc(d, prob, t)
    guess = np.where(np.isfinite(guess), guess, t)
    for k in (1e-4 / se, 2, 4, 8, 16, 32):
        lo, hi = guess - k * se, guess + k * se
        good = todo & (f(lo, t, d) > 0) & (f(hi, t, d) < 0)
        if good.any():
            res = find_root(f, (lo[good], hi[good]), args=(t[good], d[good]),
                            tolerances={"xatol": 1e-14, "xrtol": 1e-14}, maxiter=500)
            root[good] = res.x
            todo &= ~good
        if not todo.any():
            break
    out[ok] = root
    return out


_DENSE_CELLS = 20_000_000  # groups x distinct values: 160 MB of counts at most


def _ranks(codes, a, size):
    """Average ranks of ``a`` within each group, and per group the tie term
    sum(t^3 - t) and whether any value is tied.

    Scores move in steps (100/27 for 27 items), so the distinct values are
    few: ranks come from a groups x values table of counts, without sorting
    the rows. Many distinct values fall back to one sort."""
    values, inverse = np.unique(a, return_inverse=True)
    k = len(values)
    if size * k <= _DENSE_CELLS:
        counts = np.bincount(codes * k + inverse, minlength=size * k).reshape(size, k)
        avg = np.cumsum(counts, axis=1) - (counts - 1) / 2  # ranks below + middle of the tie
        tt = counts.astype(float)
        return avg.ravel()[codes * k + inverse], (tt ** 3 - tt).sum(axis=1), (counts > 1).any(axis=1)
    order = np.lexsort((inverse, codes))
    key = codes[order] * k + inverse[order]
    start = np.r_[True, key[1:] != key[:-1]]
    run = np.cumsum(start) - 1  # tie-run of each sorted row
    n_run = np.bincount(run).astype(float)
    first = np.flatnonzero(start)
    group_start = np.r_[True, codes[order][1:] != codes[order][:-1]]
    pos = np.arange(len(a)) - np.maximum.accumulate(np.where(group_start, np.arange(len(a)), 0))
    avg = pos[first] + (n_run + 1) / 2
    ranks = np.empty(len(a))
    ranks[order] = avg[run]
    g_run = codes[order][first]
    return ranks, _sum(g_run, n_run ** 3 - n_run, size), _sum(g_run, (n_run > 1).astype(float), size) > 0


def _wilcoxon(codes, d, size):
    """V, p, method and r_rb per group, with R's rules (see stats.wilcoxon_signed_rank)."""
    d = np.round(d, stats._TIE_DECIMALS)
    has_zero = _sum(codes, (d == 0).astype(float), size) > 0
    nz = d != 0
    c, dz = codes[nz], d[nz]
    ranks, tie_term, has_ties = _ranks(c, np.abs(dz), size)
    t_plus = _sum(c, ranks * (dz > 0), size)
    t_minus = _sum(c, ranks * (dz < 0), size)
    m = np.bincount(c, minlength=size).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = t_plus - m * (m + 1) / 4
        sigma = np.sqrt(m * (m + 1) * (2 * m + 1) / 24 - tie_term / 48)
        zc = (z - 0.5 * np.sign(z)) / sigma
        p = 2 * np.minimum(special.ndtr(zc), special.ndtr(-zc))
        r_rb = (t_plus - t_minus) / (t_plus + t_minus)
    method = np.where(m == 0, "none", "normal, continuity-corrected").astype(object)
    V = np.where(m == 0, np.nan, t_plus)
    p = np.where(m == 0, np.nan, p)
    exact = (m > 0) & (m < 50) & ~has_ties & ~has_zero
    for g in np.flatnonzero(exact):  # small groups: the exact distribution, as R
        dg = dz[c == g]
        p[g] = stats.wilcoxon_signed_rank(np.zeros(len(dg)), dg)["p"]
        method[g] = "exact"
    return V, p, method, np.where(m == 0, np.nan, r_rb)


def paired_by_group(codes, pre, post, passed_pre=None, passed_post=None, *,
                    min_n: int = 5, confidence: float = 0.95) -> pd.DataFrame:
    """``compare``'s columns for each group code 0..G-1 (one row per code, in
    code order). ``codes``: int array, one per participant; ``pre``/``post``:
    percent scores; ``passed_*``: reached the KKM (omit for topic scores).

    Example:
        >>> paired_by_group(np.array([0, 0]), np.array([50., 60]), np.array([60., 60]))["n"].tolist()
        [2]
    """
    codes = np.asarray(codes, dtype=np.int64)
    size = int(codes.max()) + 1 if len(codes) else 0
    pre, post = np.asarray(pre, float), np.asarray(post, float)
    valid = ~(np.isnan(pre) | np.isnan(post))
    cv, a, b = codes[valid], pre[valid], post[valid]
    d = b - a
    n = np.bincount(cv, minlength=size).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_pre, mean_post = _sum(cv, a, size) / n, _sum(cv, b, size) / n
        mean = _sum(cv, d, size) / n
        # two passes (deviations from the group mean), as numpy's std does
        var = _sum(cv, (d - mean[cv]) ** 2, size) / (n - 1)
        var_pre = _sum(cv, (a - mean_pre[cv]) ** 2, size) / (n - 1)
        var_post = _sum(cv, (b - mean_post[cv]) ** 2, size) / (n - 1)
        sd = np.sqrt(var)
        df = n - 1
        se = sd / np.sqrt(n)
        # R's "essentially constant" test: such a group has no t, as in stats.paired_ttest
        sd = np.where(stats.essentially_constant(mean, sd, n), 0.0, sd)
        se = sd / np.sqrt(n)
        t = np.where(sd > 0, mean / se, np.nan)
        p_t = np.where(sd > 0, 2 * special.stdtr(df, -np.abs(t)), np.nan)
        q = special.stdtrit(df, 1 - (1 - confidence) / 2)
        ci_low = np.where(sd > 0, mean - q * se, np.where(n >= 2, mean, np.nan))
        ci_high = np.where(sd > 0, mean + q * se, np.where(n >= 2, mean, np.nan))
        dz = np.where((n >= 2) & (sd > 0), mean / sd, np.nan)
        logj = special.gammaln(df / 2) - 0.5 * np.log(df / 2) - special.gammaln((df - 1) / 2)
        g_z = np.where(df > 1, dz * np.exp(logj), np.nan)
        alpha = 1 - confidence
        tval = dz * np.sqrt(n)
        dz_lo = _ncp_roots(tval, df, 1 - alpha / 2) / np.sqrt(n)
        dz_hi = _ncp_roots(tval, df, alpha / 2) / np.sqrt(n)
        s_av = np.sqrt((var_pre + var_post) / 2)
        d_av = np.where((n >= 2) & (s_av > 0), mean / s_av, np.nan)
        g_class = np.where((n > 0) & (mean_pre < 100), (mean_post - mean_pre) / (100 - mean_pre),
                           np.nan)
        below = a < 100
        g_sum = _sum(cv[below], (b[below] - a[below]) / (100 - a[below]), size)
        g_n = np.bincount(cv[below], minlength=size)
        g_mean = np.where(g_n > 0, g_sum / g_n, np.nan)
    V, p_w, method, r_rb = _wilcoxon(cv, d, size)
    out = {"n": n.astype(int), "mean_pre": np.where(n > 0, mean_pre, np.nan),
           "mean_post": np.where(n > 0, mean_post, np.nan), "mean_gain": np.where(n > 0, mean, np.nan),
           "sd_gain": np.where(n > 1, sd, np.nan), "ci_low": ci_low, "ci_high": ci_high, "t": t,
           "df": np.where(n > 0, df, 0).astype(int), "p_t": p_t, "V": V, "p_w": p_w,
           "wilcoxon_method": method, "r_rb": r_rb, "d_z": dz, "d_z_ci_low": dz_lo,
           "d_z_ci_high": dz_hi, "g_z": g_z, "d_av": d_av, "g_hake": g_class, "g_mean": g_mean}
    if passed_pre is None:
        out.update(pass_pre=np.nan, pass_post=np.nan, p_pass=np.nan)
    else:
        # pass rates and McNemar over every row of the group, as compare's scalar path
        pp, pq = np.asarray(passed_pre, bool), np.asarray(passed_post, bool)
        rows = np.bincount(codes, minlength=size).astype(float)
        bb = np.bincount(codes[pp & ~pq], minlength=size)
        cc = np.bincount(codes[~pp & pq], minlength=size)
        k = bb + cc
        with np.errstate(invalid="ignore", divide="ignore"):
            exact_p = np.minimum(1.0, 2 * special.bdtr(np.minimum(bb, cc), k, 0.5))
            chi2 = (np.abs(bb - cc) - (bb != cc)) ** 2 / k
            p_mc = np.where(k == 0, 1.0, np.where(k < 25, exact_p, special.chdtrc(1, chi2)))
            out.update(pass_pre=np.where(n > 0, 100 * _sum(codes, pp.astype(float), size) / rows, np.nan),
                       pass_post=np.where(n > 0, 100 * _sum(codes, pq.astype(float), size) / rows, np.nan),
                       p_pass=np.where(n > 0, p_mc, np.nan))
    out["suppressed"] = n < min_n
    return pd.DataFrame(out, columns=COLUMNS)
