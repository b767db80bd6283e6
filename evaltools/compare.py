"""Compare pre and post for the whole session or per group.

``compare`` returns one tidy row per group with the paired t-test, the
Wilcoxon signed-rank test, Cohen's d_z with its exact CI (and d_av, labelled,
for comparison with studies that report it), Hake's gain, pass rates and
McNemar on pass/fail, on percent scores. Groups with fewer than ``min_n``
matched participants are computed but flagged ``suppressed`` (manager outputs
blank them). With ``by``, p-values are also Holm-adjusted across the groups.
Every row, the session's included, comes from one vectorised path
(``groupstats.paired_columns``); docs/statistics.md explains each column.

Example:
    >>> s = compare(pairs).iloc[0]
    >>> int(s["n"]), round(float(s["mean_gain"]), 2), round(float(s["d_z"]), 3)
    (52, 15.74, 1.347)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import stats
# COLUMNS: also read from here (compare.COLUMNS)
from .groupstats import COLUMNS, paired_by_group, paired_columns  # noqa: F401
from .instrument import Instrument
from .pair import Pairs

MIN_N = 5


def secondary_suppression(table: pd.DataFrame, min_n: int = MIN_N, *,
                          outside: int = 0) -> pd.DataFrame:
    """Also hide the smallest shown groups while the hidden ones hold fewer
    than ``min_n`` participants in all: otherwise the total minus the shown
    groups gives a hidden group's numbers back. ``outside`` participants
    count in the total but in no group (e.g. those without a registry OPD):
    they are hidden too, so they count with the hidden ones, and when they
    alone are under ``min_n`` groups are hidden to cover them as well.
    ``suppressed_secondary`` marks the groups hidden for that reason only.

    Example:
        >>> t = pd.DataFrame({"g": list("abc"), "n": [4, 10, 12], "suppressed": [True, False, False]})
        >>> secondary_suppression(t)["suppressed"].tolist()
        [True, True, False]
        >>> t = pd.DataFrame({"g": list("abc"), "n": [3, 10, 12], "suppressed": [True, False, False]})
        >>> secondary_suppression(t, outside=2)["suppressed"].tolist()  # 3 + 2 hidden: enough
        [True, False, False]
        >>> t = pd.DataFrame({"g": list("abc"), "n": [6, 10, 12], "suppressed": False})
        >>> secondary_suppression(t, outside=2)["suppressed"].tolist()  # else total - shown = the 2
        [True, False, False]
    """
    out = table.copy()
    out["suppressed"], out["suppressed_secondary"] = _hidden(out["n"].to_numpy(),
                                                             out["suppressed"].to_numpy(bool),
                                                             min_n, outside)
    return out


def _hidden(n: np.ndarray, first: np.ndarray, min_n: int, outside: int) -> tuple:
    """``secondary_suppression``'s two columns from the groups' n and their
    first ``suppressed``: every group hidden, and those hidden by this rule only."""
    hidden = first.copy()
    order = np.lexsort((np.arange(len(n)), n))  # smallest first, ties by position
    for k in order:
        if not (hidden.any() or outside) or n[hidden].sum() + outside >= min_n:
            break
        if not hidden[k]:
            hidden[k] = True
    return hidden, hidden & ~first


def visible_only(table: pd.DataFrame) -> pd.DataFrame:
    """A per-group table for managers: Holm p-values and the partially pooled
    gain refitted on the groups that are shown, NaN for hidden ones (fitted
    on all groups they carry information about the hidden ones back).

    Example:
        >>> visible_only(compare(pairs, by="opd"))["p_t_holm"].round(6).tolist()
        [0.001172, nan, 0.017862, 6.5e-05, nan]
    """
    out = table.copy()
    shown = ~out["suppressed"].astype(bool)
    for col in ("p_t_holm", "p_w_holm", "gain_pooled"):
        out[col] = np.nan
    if shown.any():
        v = out[shown]
        out.loc[shown, "p_t_holm"] = stats.adjust_p(v["p_t"].to_numpy(float), "holm")
        out.loc[shown, "p_w_holm"] = stats.adjust_p(v["p_w"].to_numpy(float), "holm")
        pp = stats.partial_pooling(v["mean_gain"], v["sd_gain"] ** 2, v["n"])
        out.loc[shown, "gain_pooled"] = np.asarray(pp["shrunken"], float)
        out["tau2"], out["I2"] = pp["tau2"], pp["I2"]
    return out


def _holm_and_pooling(cols: dict) -> dict:
    """Holm-adjusted p-values across the groups, and beside each raw mean
    gain the partially pooled one (DerSimonian-Laird) with tau2 and I2."""
    pp = stats.partial_pooling(cols["mean_gain"], cols["sd_gain"] ** 2, cols["n"])
    size = len(cols["n"])
    return {"p_t_holm": stats.adjust_p(cols["p_t"], "holm"), "p_w_holm": stats.adjust_p(cols["p_w"], "holm"),
            "gain_pooled": np.asarray(pp["shrunken"], float), "tau2": np.full(size, pp["tau2"]),
            "I2": np.full(size, pp["I2"])}


def compare(pairs: Pairs, by=None, *, metric: str = "pct", min_n: int = MIN_N,
            secondary: bool = True, outside: int = 0) -> pd.DataFrame:
    """Pre/post comparison of the matched participants, overall or per group.

    Parameters
    ----------
    pairs : Pairs
        The matched participants (``pair``).
    by : str or list of str, optional
        Participant column(s) to group by (e.g. "opd"); None: one row for
        the whole session.
    metric : str, default "pct"
        The score compared: "pct" or "pct_<topic>".
    min_n : int, default 5
        Groups under it are flagged ``suppressed``.
    secondary : bool, default True
        Also flag the smallest other groups while the flagged ones hold
        fewer than ``min_n`` in all (``secondary_suppression``).
    outside : int, default 0
        Participants of the same session left out of ``pairs`` (no registry
        OPD): counted with the hidden ones by ``secondary_suppression``.

    Returns
    -------
    DataFrame
        One row per group (the ``by`` columns first, groups sorted): the
        columns of ``groupstats.COLUMNS``. With ``by`` also
        ``suppressed_secondary``, the Holm-adjusted ``p_t_holm`` and
        ``p_w_holm``, the partially pooled ``gain_pooled`` beside the raw
        ``mean_gain``, and the between-group ``tau2`` and ``I2``.

    Notes
    -----
    Every group, and the session as the one-group case, is computed by
    ``groupstats.paired_columns`` in one vectorised pass; its values equal
    the scalar ``stats`` functions (``paired_ttest``,
    ``wilcoxon_signed_rank``, ``cohen_dz``, ``cohen_dav``,
    ``normalized_gain``, ``mcnemar``) on the group's rows, so the session row
    and a group holding every participant agree. docs/statistics.md gives
    the formulas and the R calls.

    Examples
    --------
    >>> compare(pairs)[["n", "t", "d_z_ci_low", "d_z_ci_high"]].round(4).values.tolist()
    [[52.0, 9.7129, 0.9668, 1.72]]
    >>> by = compare(pairs, by="opd")
    >>> by[["n", "suppressed", "suppressed_secondary"]].values.tolist()
    [[13, False, False], [4, True, False], [11, False, False], [14, False, False], [10, True, True]]
    """
    m = pairs.matched
    if by is None:
        return pd.DataFrame(_paired(m, np.zeros(len(m), dtype=np.int64), 1, metric, min_n))
    keys = [by] if isinstance(by, str) else list(by)
    codes, names = _group_codes(m, keys)
    cols = _paired(m, codes, len(names), metric, min_n)
    if secondary:
        cols["suppressed"], cols["suppressed_secondary"] = _hidden(cols["n"], cols["suppressed"],
                                                                   min_n, outside)
    else:
        cols["suppressed_secondary"] = np.zeros(len(names), bool)
    cols |= _holm_and_pooling(cols)
    taken = [k for k in keys if k in cols]
    if taken:  # the group's label would be lost under a statistic of the same name
        raise ValueError(f"compare(by=...): {', '.join(map(repr, taken))} is also the name of a "
                         "column of the comparison; rename that participant column first")
    # made once from arrays: a table per step, joined, cost 1 ms of the 16 (100,000 rows, 500 groups)
    return pd.DataFrame({**{k: names[k].array for k in keys}, **cols})


def _group_codes(m: pd.DataFrame, keys: list) -> tuple[np.ndarray, pd.DataFrame]:
    """Each row's group number, 0.. in sorted order of the ``keys`` (missing
    last, as a group), and the groups' keys, as ``groupby(keys, sort=True,
    dropna=False)`` numbers them; one key by hashing (``pd.factorize``), faster."""
    if len(keys) == 1 and not isinstance(m[keys[0]].dtype, pd.CategoricalDtype):
        codes, uniques = pd.factorize(m[keys[0]], sort=True, use_na_sentinel=False)
        return codes.astype(np.int64), pd.DataFrame({keys[0]: uniques})
    grouped = m.groupby(keys, sort=True, dropna=False)
    return grouped.ngroup().to_numpy(), grouped.size().index.to_frame(index=False)


def _paired(m: pd.DataFrame, codes: np.ndarray, size: int, metric: str, min_n: int) -> dict:
    return paired_columns(codes, m[f"{metric}_pre"].to_numpy(float),
                          m[f"{metric}_post"].to_numpy(float), m["passed_pre"].to_numpy(bool),
                          m["passed_post"].to_numpy(bool), size=size, min_n=min_n)


def compare_topics(pairs: Pairs, instrument: Instrument, *, min_n: int = MIN_N,
                   lang: str = "id") -> pd.DataFrame:
    """One row per topic: the paired comparison of that topic's percent
    correct, Holm-adjusted across topics.

    Parameters
    ----------
    pairs : Pairs
        The matched participants, with ``pct_<topic>_pre`` and ``_post``.
    instrument : Instrument
        Gives the topics, their labels and their scored items.
    min_n : int, default 5
        Topics are flagged ``suppressed`` when fewer matched participants.
    lang : {"id", "en"}, default "id"
        Language of ``label``.

    Returns
    -------
    DataFrame
        ``topic``, ``label``, ``n_items``, the columns of ``compare`` (pass
        rates NaN: passing the KKM is a whole-test notion), ``p_t_holm`` and
        ``p_w_holm``.

    Notes
    -----
    The topics are the groups of one ``groupstats.paired_by_group`` call
    (each participant once per topic), so a topic's row equals
    ``compare(pairs, metric=f"pct_{topic}")``.

    Examples
    --------
    >>> t = compare_topics(pairs, inst)
    >>> t[["topic", "n_items"]].values.tolist()[0], round(float(t["mean_gain"].iloc[0]), 2)
    (['dasar_hukum', 3], 27.56)
    """
    m, topics = pairs.matched, instrument.topics
    stacked = {w: np.concatenate([m[f"pct_{t.id}_{w}"].to_numpy(float) for t in topics])
               if topics else np.array([]) for w in ("pre", "post")}
    codes = np.repeat(np.arange(len(topics)), len(m))
    table = paired_by_group(codes, stacked["pre"], stacked["post"], size=len(topics), min_n=min_n,
                            session_sd=False)
    out = pd.DataFrame({"topic": [t.id for t in topics],
                        "label": [t.label if lang == "id" else t.label_en for t in topics],
                        "n_items": [sum(1 for i in instrument.scored_items if i.topic == t.id)
                                    for t in topics]})
    out = pd.concat([out, table], axis=1)
    out["p_t_holm"] = stats.adjust_p(out["p_t"].to_numpy(float), "holm")
    out["p_w_holm"] = stats.adjust_p(out["p_w"].to_numpy(float), "holm")
    return out


ATTRITION_COLUMNS = ["n_pre", "n_completers", "n_dropouts", "n_unresolved", "attrition_pct",
                     "mean_pre_completers", "mean_pre_dropouts", "diff", "ci_low", "ci_high",
                     "t", "df", "p_welch", "W", "p_mw", "mw_method", "r_rb", "suppressed"]


def attrition(pairs: Pairs, *, min_n: int = MIN_N) -> pd.DataFrame:
    """Who took the pre-test but not the post-test, and whether their
    pre-scores differ from completers' (dropouts bias a gain upwards when
    the weaker participants leave).

    One row: pre-test takers, completers (matched), dropouts (pre only),
    unresolved (ambiguous matches, neither), the dropout rate, both groups'
    mean pre-score, diff = dropouts - completers with the Welch t-test and
    its CI, and the Mann-Whitney test (W and rank-biserial r oriented the
    same way). Tests need two dropouts; ``suppressed`` when dropouts or
    completers < min_n (manager outputs then show counts only).

    Example:
        >>> a = attrition(pairs).iloc[0]
        >>> int(a["n_dropouts"]), bool(a["suppressed"]), round(float(a["p_welch"]), 3)
        (3, True, 0.937)
    """
    u = pairs.unmatched
    wave_pre = u["reason"] == "no_post"
    completers = pairs.matched["pct_pre"].to_numpy(float)
    dropouts = u.loc[wave_pre, "pct"].to_numpy(float) if "pct" in u.columns else np.array([])
    unresolved = int(((u["reason"] == "ambiguous") & (u["wave"] == "pre")).sum()) \
        if "wave" in u.columns else 0
    n_pre = len(completers) + len(dropouts) + unresolved
    row = {"n_pre": n_pre, "n_completers": len(completers), "n_dropouts": len(dropouts),
           "n_unresolved": unresolved,
           "attrition_pct": 100.0 * len(dropouts) / n_pre if n_pre else np.nan,
           "mean_pre_completers": float(np.mean(completers)) if len(completers) else np.nan,
           "mean_pre_dropouts": float(np.mean(dropouts)) if len(dropouts) else np.nan,
           # either group under min_n: its mean would be one of a few people's
           "suppressed": min(len(dropouts), len(completers)) < min_n}
    if len(dropouts) >= 2 and len(completers) >= 2:
        w = stats.welch_ttest(completers, dropouts)
        mw = stats.mann_whitney(completers, dropouts)
        row.update({"diff": w["diff"], "ci_low": w["ci_low"], "ci_high": w["ci_high"],
                    "t": w["t"], "df": w["df"], "p_welch": w["p"], "W": mw["W"], "p_mw": mw["p"],
                    "mw_method": mw["method"], "r_rb": mw["r_rb"]})
    return pd.DataFrame([row], columns=ATTRITION_COLUMNS)


def compare_items(marks: pd.DataFrame, pairs: Pairs, instrument: Instrument) -> pd.DataFrame:
    """One row per scored item: percent correct pre and post among matched
    participants, McNemar (b = right -> wrong, c = wrong -> right; exact when
    b + c < 25), BH-adjusted across items. ``marks``: ``score.mark`` of the
    responses that were paired (``Evaluation.marks``).

    Example:
        >>> t = compare_items(ev.marks, pairs, inst)
        >>> q01 = t.set_index("item").loc["q01"]
        >>> int(q01["b"]), int(q01["c"]), q01["method"]
        (6, 22, 'chi-square, corrected')
    """
    ids = [i.id for i in instrument.scored_items]
    pre, post = pairs.aligned(marks[ids])
    rows = []
    for item in instrument.scored_items:
        mc = stats.mcnemar(pre[item.id].to_numpy(), post[item.id].to_numpy())
        rows.append({"item": item.id, "topic": item.topic, "n": mc["n"],
                     "pct_pre": 100 * float(pre[item.id].mean()) if len(pre) else np.nan,
                     "pct_post": 100 * float(post[item.id].mean()) if len(post) else np.nan,
                     "b": mc["b"], "c": mc["c"], "statistic": mc["statistic"], "p": mc["p"],
                     "method": mc["method"]})
    out = pd.DataFrame(rows)
    out["change"] = out["pct_post"] - out["pct_pre"]
    out["p_bh"] = stats.adjust_p(out["p"].to_numpy(float), "BH")
    return out


UNPAIRED_COLUMNS = ["n_pre", "n_post", "mean_pre", "mean_post", "diff", "ci_low", "ci_high", "t",
                    "df", "p_welch", "W", "p_mw", "r_rb", "g_s", "g_s_ci_low", "g_s_ci_high",
                    "suppressed", "evidence"]


def compare_unpaired(scores: pd.DataFrame, *, metric: str = "pct", pre: str = "pre",
                     post: str = "post", min_n: int = MIN_N) -> pd.DataFrame:
    """Everyone's pre-test against everyone's post-test, as two independent
    groups: for anonymous forms, or when too few can be matched. Welch t,
    Mann-Whitney and Hedges' g_s (diff = post - pre). Weaker evidence than
    the paired comparison: it cannot tell a real gain from a change in who
    came, and says so in ``evidence``.

    Example:
        >>> u = compare_unpaired(scores).iloc[0]
        >>> int(u["n_pre"]), int(u["n_post"]), round(float(u["diff"]), 2), round(float(u["g_s"]), 3)
        (55, 53, 15.84, 0.993)
    """
    x = scores.loc[scores["wave"] == pre, metric].to_numpy(float)
    y = scores.loc[scores["wave"] == post, metric].to_numpy(float)
    w, mw, g = stats.welch_ttest(x, y), stats.mann_whitney(x, y), stats.hedges_gs(x, y)
    row = {"n_pre": w["n_x"], "n_post": w["n_y"], "mean_pre": w["mean_x"], "mean_post": w["mean_y"],
           "diff": w["diff"], "ci_low": w["ci_low"], "ci_high": w["ci_high"], "t": w["t"],
           "df": w["df"], "p_welch": w["p"], "W": mw["W"], "p_mw": mw["p"], "r_rb": mw["r_rb"],
           "g_s": g["g_s"], "g_s_ci_low": g["ci_low"], "g_s_ci_high": g["ci_high"],
           "suppressed": min(w["n_x"], w["n_y"]) < min_n,
           "evidence": "lebih lemah: kelompok tidak berpasangan (weaker: unpaired groups)"}
    return pd.DataFrame([row], columns=UNPAIRED_COLUMNS)
