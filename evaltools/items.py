"""Item analysis and reliability (classical test theory), on one wave.

``X`` is a participants x items matrix of 0/1 (right/wrong) scores, as
``score.mark`` returns (``Evaluation.marks``); conventions follow docs/statistics.md and
equal R ``psych::alpha``. Difficulty, upper-lower discrimination, corrected
item-total correlation, alpha if deleted, flags; Cronbach's alpha (= KR-20 on
0/1 items) with the Feldt CI; and the distractor table (who chose what).

Example:
    >>> import numpy as np
    >>> X = np.array([[1, 1, 1, 0], [1, 0, 1, 0], [1, 1, 1, 1], [0, 0, 1, 0], [1, 1, 0, 1]])
    >>> round(cronbach_alpha(X)["alpha"], 4)
    0.3077
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ._lazy import lazy
from .score import answered

st = lazy("scipy.stats")

UPPER_LOWER = 0.27      # Kelley's upper and lower 27%
EASY, HARD = 0.90, 0.20  # difficulty flags
WEAK = 0.20             # discrimination / r_drop below this: revise


def _matrix(X) -> tuple[np.ndarray, list, bool]:
    """The scores as floats (NaN where missing), the item names, and whether
    the scores are whole numbers by their type (integers or booleans: marks)."""
    if isinstance(X, pd.DataFrame):
        whole = all(pd.api.types.is_integer_dtype(t) or pd.api.types.is_bool_dtype(t) for t in X.dtypes)
        return X.to_numpy(dtype=float), [str(c) for c in X.columns], whole
    raw = np.asarray(X)
    a = raw.astype(float)
    return a, [f"item{j + 1}" for j in range(a.shape[1])], raw.dtype.kind in "iub"


def _alpha(a: np.ndarray) -> float:
    k = a.shape[1]
    total_var = a.sum(axis=1).var(ddof=1)
    if k < 2 or not total_var > 0:
        return math.nan
    return float(k / (k - 1) * (1 - a.var(axis=0, ddof=1).sum() / total_var))


def _varies(a: np.ndarray) -> np.ndarray:
    """Items with some variance (psych::alpha drops the others)."""
    return a.var(axis=0) > 0 if len(a) > 1 else np.ones(a.shape[1], bool)


def cronbach_alpha(X, *, confidence: float = 0.95) -> dict:
    """Cronbach's alpha with sample variances and the Feldt confidence interval,
    as R ``psych::alpha(X)$total$raw_alpha`` and ``$feldt``.

    Parameters
    ----------
    X : array_like or DataFrame
        Participants x items, 0/1 (``score.mark``) or any item scores. Rows
        with a missing value are dropped (complete cases; psych's default is
        pairwise, so with missing answers the two differ).
    confidence : float, default 0.95
        Level of the Feldt interval.

    Returns
    -------
    dict
        alpha, ci_low, ci_high, n, k (items used), k_dropped (items without
        variance: nobody or everybody right, left out as psych does).

    Notes
    -----
    alpha = k / (k - 1) * (1 - sum(var(item)) / var(total)), variances with
    n - 1 (KR-20 on 0/1 items). Feldt's interval: 1 - (1 - alpha) * F, with
    the F quantiles at 1 - tail and tail for df n - 1 and (n - 1)(k - 1).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of
    tests. Psychometrika 16, 297-334. Feldt, L. S. (1965). The approximate
    sampling distribution of Kuder-Richardson reliability coefficient twenty.
    Psychometrika 30, 357-370.

    Examples
    --------
    >>> r = cronbach_alpha([[1, 1, 0], [1, 0, 0], [1, 1, 1], [0, 0, 0]])
    >>> round(r["alpha"], 4), r["n"], r["k"]
    (0.75, 4, 3)
    """
    a, _, _ = _matrix(X)
    a = a[~np.isnan(a).any(axis=1)]
    varies = _varies(a)
    a = a[:, varies]
    n, k = a.shape
    alpha = _alpha(a) if n > 1 else math.nan
    out = {"alpha": alpha, "ci_low": math.nan, "ci_high": math.nan, "n": n, "k": k,
           "k_dropped": int((~varies).sum())}
    if n > 2 and not math.isnan(alpha):
        df1, df2 = n - 1, (n - 1) * (k - 1)
        tail = (1 - confidence) / 2
        out["ci_low"] = float(1 - (1 - alpha) * st.f.ppf(1 - tail, df1, df2))
        out["ci_high"] = float(1 - (1 - alpha) * st.f.ppf(tail, df1, df2))
    return out


def upper_lower(total, share: float = UPPER_LOWER) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the upper and lower groups by total score.

    Parameters
    ----------
    total : array_like
        Each participant's total score, in the order the groups are drawn.
    share : float, default 0.27
        Size of each group as a share of n (Kelley's 27%).

    Returns
    -------
    (ndarray of bool, ndarray of bool)
        The round(share * n) highest and the round(share * n) lowest totals
        (at least 1, at most n // 2): equal sizes, never overlapping. Ties at
        the boundary go by input order (stable sort), so the same people in
        another order can give other groups.

    References
    ----------
    Kelley, T. L. (1939). The selection of upper and lower groups for the
    validation of test items. Journal of Educational Psychology 30, 17-24.

    Examples
    --------
    >>> up, lo = upper_lower([3, 1, 2, 5, 4, 0, 2])
    >>> up.nonzero()[0].tolist(), lo.nonzero()[0].tolist()
    ([3, 4], [1, 5])
    """
    total = np.asarray(total, dtype=float)
    n = len(total)
    g = min(max(1, int(round(share * n))), n // 2)
    order = np.argsort(-total, kind="stable")
    up = np.zeros(n, bool)
    lo = np.zeros(n, bool)
    up[order[:g]] = True
    lo[np.argsort(total, kind="stable")[:g]] = True
    return up, lo


def item_stats(X, *, lang: str = "id") -> pd.DataFrame:
    """One row per item: difficulty, discrimination, r_drop, alpha if deleted, flags.

    Parameters
    ----------
    X : array_like or DataFrame
        Participants x items of 0/1 (``score.mark``); complete cases only.
        Column names become item names (else item1, item2, ...).
    lang : {"id", "en"}
        Language of the flags.

    Returns
    -------
    DataFrame
        item, n, difficulty, discrimination, r_drop, alpha_if_deleted, flags.

    Notes
    -----
    difficulty p = share correct; discrimination D = p in the upper 27% by
    total score minus p in the lower 27% (``upper_lower``); r_drop = Pearson
    correlation of the item with the total of the other items (R
    ``psych::alpha(X)$item.stats$r.drop``); alpha_if_deleted = alpha of the
    other items with variance (``$alpha.drop$raw_alpha``; NaN for an item
    without variance). Flags: terlalu mudah (p > 0.90), terlalu sulit
    (p < 0.20), perlu direvisi (D or r_drop < 0.20), periksa kunci (r_drop < 0).

    References
    ----------
    Ebel, R. L. & Frisbie, D. A. (1991). Essentials of Educational
    Measurement (5th ed.), ch. 13 (item analysis). Kelley (1939), see
    ``upper_lower``.

    Examples
    --------
    >>> X = [[1, 1, 0], [1, 0, 0], [1, 1, 1], [0, 0, 0], [1, 1, 0]]
    >>> item_stats(X)[["item", "difficulty"]].values.tolist()
    [['item1', 0.8], ['item2', 0.6], ['item3', 0.2]]
    """
    a, names, integers = _matrix(X)
    a = a[~np.isnan(a).any(axis=1)]
    n = len(a)
    total = a.sum(axis=1)
    up, lo = upper_lower(total)
    words = {"id": ("terlalu mudah", "terlalu sulit", "perlu direvisi", "periksa kunci"),
             "en": ("too easy", "too hard", "revise", "check the key")}[lang]
    with np.errstate(invalid="ignore", divide="ignore"):
        p = a.mean(axis=0) if n else np.full(a.shape[1], np.nan)
        d = a[up].mean(axis=0) - a[lo].mean(axis=0) if up.any() else np.full(a.shape[1], np.nan)
        r_drop, alpha_drop = _drop_one(a, total, integers)
    rows = []
    for j, name in enumerate(names):
        flags = []
        if p[j] > EASY:
            flags.append(words[0])
        if p[j] < HARD:
            flags.append(words[1])
        if d[j] < WEAK or r_drop[j] < WEAK:
            flags.append(words[2])
        if r_drop[j] < 0:
            flags.append(words[3])
        rows.append({"item": name, "n": n, "difficulty": float(p[j]), "discrimination": float(d[j]),
                     "r_drop": float(r_drop[j]), "alpha_if_deleted": float(alpha_drop[j]),
                     "flags": "; ".join(flags)})
    return pd.DataFrame(rows)


def _drop_one(a: np.ndarray, total: np.ndarray, integers: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per item j: the correlation of item j with the total of the others
    (NaN where either is constant), and alpha without j over the items with
    variance (NaN for an item without).

    ``integers``: the scores are whole numbers (marks, 0/1). Both then come
    from exact integer sums, a pass over n per item (the others' total is
    the total minus the item): a correlation of 0 or 0.2 is that value, not
    -1e-17 or 0.19999999999999998, which flagged "periksa kunci" or "perlu
    direvisi" by rounding. Other scores are computed as before, the others'
    columns summed for each item (k passes over the matrix per item: 0.3 s
    at 100,000 x 27, where marks take 0.08 s)."""
    k = a.shape[1]
    varies = _varies(a)
    item_var = a.var(axis=0, ddof=1)
    k_left = varies.sum() - 1  # items left in alpha without a varying item
    # |item|, |others' total| <= the largest row sum of |scores|: no int64 sum of products overflows
    integers = integers and len(a) * float(np.abs(a).sum(axis=1).max(initial=0)) ** 2 < 2 ** 62
    cols = np.ascontiguousarray(a.T, dtype=np.int64 if integers else float)  # an item: contiguous
    if integers:
        t, kept_total = total.astype(np.int64), cols[varies].sum(axis=0)
    r_drop, alpha_drop = np.full(k, np.nan), np.full(k, np.nan)
    for j in range(k):
        others = varies & (np.arange(k) != j)
        x = cols[j]
        if integers:
            r_drop[j] = _exact_correlation(x, t - x)
        elif x.std() > 0 and (total - x).std() > 0:
            r_drop[j] = float(np.corrcoef(x, total - x)[0, 1])
        if varies[j] and k_left >= 2:
            var_others = (kept_total - x if integers else a[:, others].sum(axis=1)).var(ddof=1)
            if var_others > 0:  # the others' own variances summed, none subtracted: nothing cancels
                alpha_drop[j] = k_left / (k_left - 1) * (1 - item_var[others].sum() / var_others)
    return r_drop, alpha_drop


def _exact_correlation(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson's r of the int64 arrays x and y from exact integer sums: r^2
    is a ratio of integers, divided with one rounding, so r is within an
    ulp of the true value and exactly 0 when it is 0; NaN where either is
    constant.

    Example:
        >>> _exact_correlation(np.array([0, 0, 0, 1, 1, 0]), np.array([1, 1, 2, 0, 3, 2]))
        0.0
    """
    n = len(x)
    sx, sy = int(x.sum()), int(y.sum())
    vx, vy, c = n * int(x @ x) - sx * sx, n * int(y @ y) - sy * sy, n * int(x @ y) - sx * sy
    if vx <= 0 or vy <= 0:
        return math.nan
    return math.copysign(math.sqrt(c * c / (vx * vy)), c)  # int / int is correctly rounded


def distractors(answers: pd.DataFrame, marks: pd.DataFrame, instrument) -> pd.DataFrame:
    """Who chose each option of each single-answer item, overall and in the
    upper and lower 27% by total score.

    Parameters
    ----------
    answers : DataFrame
        The responses' data (one column per item, holding option ids) of one
        wave's respondents, or of its matched participants
        (``Evaluation.wave_rows``).
    marks : DataFrame
        ``score.mark`` of the same rows, row for row: its row totals rank the
        upper and lower groups.
    instrument : Instrument

    Returns
    -------
    DataFrame
        One row per item and option (plus "(kosong)" for blanks): share_all,
        share_upper, share_lower, is_key, ``flag`` (a wrong option drawing the
        upper group more than the lower one: a flawed item or key) and ``n``
        (the respondents, the base of every share).

    Notes
    -----
    share = (number choosing the option) / (number in the group); the groups
    are ``upper_lower(marks.sum(axis=1))``. Multi-select items are left out:
    their answer is a set, not one option.

    References
    ----------
    Haladyna, T. M. (2004). Developing and Validating Multiple-Choice Test
    Items (3rd ed.), ch. 9 (distractor analysis).

    Examples
    --------
    >>> pre = responses.data["wave"] == "pre"
    >>> d = distractors(responses.data[pre], ev.marks[pre], inst)
    >>> d.loc[d["item"] == "q01", ["option", "is_key", "share_all"]].round(3).values.tolist()[:2]
    [['a', False, 0.309], ['b', True, 0.345]]
    """
    answers = answers.reset_index(drop=True)
    up, lo = upper_lower(marks.sum(axis=1).to_numpy())
    rows = []
    for item in instrument.scored_items:
        if item.type == "multi":
            continue  # a multi-select answer is a set, not one option
        for oid in [*item.options, ""]:
            chose = answered(answers[item.id], oid)  # on the codes: no text per answer
            rows.append({"item": item.id, "option": oid or "(kosong)", "is_key": oid == item.key,
                         "share_all": float(chose.mean()) if len(chose) else math.nan,
                         "share_upper": float(chose[up].mean()) if up.any() else math.nan,
                         "share_lower": float(chose[lo].mean()) if lo.any() else math.nan})
    out = pd.DataFrame(rows)
    out["flag"] = ~out["is_key"] & (out["option"] != "(kosong)") & \
        (out["share_upper"] > out["share_lower"])
    out["n"] = len(answers)
    return out
