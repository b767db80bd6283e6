"""Compare pre and post for the whole session or per group.

``compare`` returns one tidy row per group with the paired t-test, the
Wilcoxon signed-rank test, Cohen's d_z with its CI (and d_av, labelled, for
comparison with studies that report it), Hake's gain, pass rates and
McNemar on pass/fail, on percent scores. Groups with fewer than ``min_n`` matched
participants are computed but flagged ``suppressed`` (manager outputs blank
them). With ``by``, p-values are also Holm-adjusted across the groups.

Example:
    >>> compare(pairs)              # doctest: +SKIP
    >>> compare(pairs, by="opd")    # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import stats
from .instrument import Instrument
from .groupstats import COLUMNS, paired_by_group
from .pair import Pairs

MIN_N = 5


def _row(pre: np.ndarray, post: np.ndarray, passed_pre, passed_post, min_n: int) -> dict:
    t = stats.paired_ttest(pre, post)
    w = stats.wilcoxon_signed_rank(pre, post)
    d = stats.cohen_dz(pre, post)
    g = stats.normalized_gain(pre, post)
    mc = stats.mcnemar(passed_pre, passed_post)  # pass/fail at the KKM, before vs after
    n = t["n"]
    ok = ~(np.isnan(pre) | np.isnan(post))  # the pairs the tests use
    return {"n": n, "mean_pre": float(np.mean(pre[ok])) if n else np.nan,
            "mean_post": float(np.mean(post[ok])) if n else np.nan,
            "mean_gain": t["mean_diff"], "sd_gain": t["sd_diff"],
            "ci_low": t["ci_low"], "ci_high": t["ci_high"], "t": t["t"], "df": t["df"],
            "p_t": t["p"], "V": w["V"], "p_w": w["p"], "wilcoxon_method": w["method"],
            "r_rb": w["r_rb"], "d_z": d["d_z"], "d_z_ci_low": d["ci_low"],
            "d_z_ci_high": d["ci_high"], "g_z": d["g_z"],
            "d_av": stats.cohen_dav(pre, post)["d_av"], "g_hake": g["g_class"],
            "g_mean": g["g_mean"],
            "pass_pre": 100.0 * float(np.mean(passed_pre)) if n else np.nan,
            "pass_post": 100.0 * float(np.mean(passed_post)) if n else np.nan,
            "p_pass": mc["p"] if n else np.nan, "suppressed": n < min_n}


UNREGISTERED = "(OPD tidak terdaftar)"
NO_OPD = "(OPD tidak diisi)"


def opd_labels(matched: pd.DataFrame) -> pd.Series:
    """The OPD as managers may see it: a registry name, else one shared label
    for free text that is no registry OPD (it can hold anything, even a
    name), and one for an empty OPD.

    Example:
        >>> opd_labels(pd.DataFrame({"opd": ["Kecamatan Loa Janan", "Ajudan (Budi)", ""],
        ...                          "opd_terdaftar": [True, False, False]})).tolist()
        ['Kecamatan Loa Janan', '(OPD tidak terdaftar)', '(OPD tidak diisi)']
    """
    opd = matched["opd"].fillna("").astype(str)
    known = matched["opd_terdaftar"].astype(bool) if "opd_terdaftar" in matched else opd != ""
    return opd.where(known | (opd == ""), UNREGISTERED).mask(opd == "", NO_OPD)


def secondary_suppression(table: pd.DataFrame, min_n: int = MIN_N) -> pd.DataFrame:
    """Also hide the smallest shown groups while the hidden ones hold fewer
    than ``min_n`` participants in all: otherwise the total minus the shown
    groups gives a hidden group's numbers back. ``suppressed_secondary``
    marks the groups hidden for that reason only.

    Example:
        >>> t = pd.DataFrame({"g": list("abc"), "n": [4, 10, 12], "suppressed": [True, False, False]})
        >>> secondary_suppression(t)["suppressed"].tolist()
        [True, True, False]
    """
    out = table.copy()
    first = out["suppressed"].astype(bool).to_numpy()
    hidden = first.copy()
    n = out["n"].to_numpy()
    order = np.lexsort((np.arange(len(out)), n))  # smallest first, ties by position
    for k in order:
        if not hidden.any() or n[hidden].sum() >= min_n:
            break
        if not hidden[k]:
            hidden[k] = True
    out["suppressed"] = hidden
    out["suppressed_secondary"] = hidden & ~first
    return out


def visible_only(table: pd.DataFrame) -> pd.DataFrame:
    """A per-group table for managers: Holm p-values and the partially pooled
    gain refitted on the groups that are shown, NaN for hidden ones (fitted
    on all groups they carry information about the hidden ones back).

    Example:
        >>> visible_only(ev.by("opd"))  # doctest: +SKIP
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


def compare(pairs: Pairs, by=None, *, metric: str = "pct", min_n: int = MIN_N,
            secondary: bool = True) -> pd.DataFrame:
    """Pre/post comparison, overall or per group (a column name or a list).

    ``metric`` picks the score compared: "pct" (default) or "pct_<topic>".
    With ``by``: groups under ``min_n`` are flagged ``suppressed``, and so are
    the smallest others while the flagged ones hold fewer than ``min_n`` in
    all (``secondary_suppression``); computed for all groups at once (``groupstats``; the d_z
    limits are then the exact noncentral-t roots), p-values Holm-adjusted
    across the groups (``p_t_holm``, ``p_w_holm``) and the partially pooled
    gain ``gain_pooled`` beside the raw ``mean_gain``, with the between-group
    variance ``tau2`` and ``I2``.

    Example:
        >>> compare(pairs, by="opd")[["opd", "n", "mean_gain", "p_t_holm"]]  # doctest: +SKIP
    """
    m = pairs.matched
    pre_col, post_col = f"{metric}_pre", f"{metric}_post"

    def one(g: pd.DataFrame) -> dict:
        return _row(g[pre_col].to_numpy(float), g[post_col].to_numpy(float),
                    g["passed_pre"].to_numpy(bool), g["passed_post"].to_numpy(bool), min_n)

    if by is None:
        return pd.DataFrame([one(m)], columns=COLUMNS)
    keys = [by] if isinstance(by, str) else list(by)
    # every group at once (groupstats), not a loop over groups: 500 OPDs cost about as much as one
    grouped = m.groupby(keys, sort=True, dropna=False)
    codes = grouped.ngroup().to_numpy()
    names = grouped.size().index.to_frame(index=False)
    stats_ = paired_by_group(codes, m[pre_col].to_numpy(float), m[post_col].to_numpy(float),
                             m["passed_pre"].to_numpy(bool), m["passed_post"].to_numpy(bool),
                             min_n=min_n) if len(m) else pd.DataFrame(columns=COLUMNS)
    out = pd.concat([names.reset_index(drop=True), stats_], axis=1)[[*keys, *COLUMNS]]
    out = secondary_suppression(out, min_n) if secondary else \
        out.assign(suppressed_secondary=False)
    out["p_t_holm"] = stats.adjust_p(out["p_t"].to_numpy(float), "holm")
    out["p_w_holm"] = stats.adjust_p(out["p_w"].to_numpy(float), "holm")
    # beside each raw mean gain, the partially pooled one (DerSimonian-Laird)
    pp = stats.partial_pooling(out["mean_gain"], out["sd_gain"] ** 2, out["n"])
    out["gain_pooled"] = pp["shrunken"]
    out["tau2"], out["I2"] = pp["tau2"], pp["I2"]
    return out


def compare_topics(pairs: Pairs, instrument: Instrument, *, min_n: int = MIN_N,
                   lang: str = "id") -> pd.DataFrame:
    """One row per topic: the paired comparison of that topic's percent
    correct, Holm-adjusted across topics.

    Example:
        >>> compare_topics(pairs, inst)[["topic", "mean_pre", "mean_post"]]  # doctest: +SKIP
    """
    rows = []
    for t in instrument.topics:
        r = compare(pairs, metric=f"pct_{t.id}", min_n=min_n).iloc[0].to_dict()
        # passing the KKM is a whole-test notion: not repeated on topic rows
        r.update(pass_pre=np.nan, pass_post=np.nan, p_pass=np.nan)
        n_items = sum(1 for i in instrument.scored_items if i.topic == t.id)
        rows.append({"topic": t.id, "label": t.label if lang == "id" else t.label_en,
                     "n_items": n_items, **r})
    out = pd.DataFrame(rows)
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
        >>> attrition(pairs)[["n_dropouts", "diff", "p_welch"]]  # doctest: +SKIP
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
        >>> compare_unpaired(ev.scores)[["n_pre", "n_post", "diff", "p_welch"]]  # doctest: +SKIP
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
