"""Recommendations for managers: which OPDs and topics need another session,
decided from the numbers, with the evaluator's own added from ``sesi.yaml``.

Rules (docs/recommendations.md): an OPD "perlu sosialisasi ulang" when its
post-test pass rate is under the target (``target_lulus``, default 80% of
participants reaching the KKM) or its partially pooled gain's 95% interval
includes 0; an OPD under ``min_n`` (or hidden to protect one) is only named,
"perlu data lebih banyak", with no number and after the ranked ones; the
topics still under the KKM after the session (at least the weakest) "perkuat
materi", with their weakest items. Every number goes through ``fmt``.

Example:
    >>> rec = recommendations(ev)
    >>> list(rec.columns)
    ['kind', 'target', 'action', 'reason', 'source']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import fmt, stats
from .compare import visible_only

COLUMNS = ["kind", "target", "action", "reason", "source"]
TARGET_PASS = 0.8  # share of participants reaching the KKM after the session
Z95 = 1.959963984540054
MAX_TOPICS, MAX_ITEMS = 3, 3

_T = {
    "id": {"again": "perlu sosialisasi ulang", "data": "perlu data lebih banyak",
           "topic": "perkuat materi", "evaluator": "rekomendasi evaluator",
           "pass": "hanya {post} peserta lulus KKM sesudah sesi (target {target})",
           "zero": "kenaikan skornya {gain} poin; dipadukan dengan OPD lain, {ci} masih mencakup 0 "
                   "(belum pasti naik)",
           "detect": "dengan {n} peserta, hanya kenaikan di atas {x} poin yang dapat terlihat",
           "small": "terlalu sedikit peserta berpasangan untuk dinilai; angka tidak ditampilkan",
           "weak": "{post} benar sesudah sesi (sebelum {pre}; KKM {kkm})",
           "items": "butir terlemah: {items}", "join": "; "},
    "en": {"again": "needs another session", "data": "needs more data",
           "topic": "strengthen the material", "evaluator": "evaluator's recommendation",
           "pass": "only {post} of participants reached the pass mark after the session "
                   "(target {target})",
           "zero": "its score gain is {gain} points; pooled with the other units, the {ci} still "
                   "includes 0 (no sure gain)",
           "detect": "with {n} participants, only gains above {x} points could have shown",
           "small": "too few matched participants to judge; no numbers shown",
           "weak": "{post} correct after the session (before {pre}; pass mark {kkm})",
           "items": "weakest items: {items}", "join": "; "},
}


def target_pass(meta: dict) -> float:
    """The target share of participants reaching the KKM: ``target_lulus``
    of sesi.yaml, else 0.8.

    Example:
        >>> target_pass({}), target_pass({"target_lulus": 0.9})
        (0.8, 0.9)
    """
    return float(meta.get("target_lulus", TARGET_PASS))


def pooled_interval(table: pd.DataFrame) -> pd.DataFrame:
    """The shown groups' partially pooled gain with its 95% interval
    (``stats.partial_pooling``: metafor ``blup()``), refitted on the shown
    groups only as in ``compare.visible_only``; NaN for hidden groups.

    Example:
        >>> t = pooled_interval(ev.by("opd")).dropna(subset=["pooled"])
        >>> bool((t["pooled_low"] < t["pooled"]).all()), len(t)
        (True, 3)
    """
    out = table.copy()
    out["pooled"], out["pooled_low"], out["pooled_high"] = np.nan, np.nan, np.nan
    shown = ~out["suppressed"].astype(bool)
    if shown.sum() >= 2:  # fewer: partial_pooling gives NaN, filled below
        v = out[shown]
        pp = stats.partial_pooling(v["mean_gain"], v["sd_gain"] ** 2, v["n"])
        est, se = np.asarray(pp["shrunken"], float), np.asarray(pp["shrunken_se"], float)
        out.loc[shown, "pooled"] = est
        out.loc[shown, "pooled_low"] = est - Z95 * se
        out.loc[shown, "pooled_high"] = est + Z95 * se
    # one group, or a group with no spread in its gains: nothing to pool, its own interval
    own = shown & out["pooled"].isna()
    out.loc[own, "pooled"] = out.loc[own, "mean_gain"]
    out.loc[own, "pooled_low"] = out.loc[own, "ci_low"]
    out.loc[own, "pooled_high"] = out.loc[own, "ci_high"]
    return out


def opd_rows(by: pd.DataFrame, target: float, lang: str = "id") -> list:
    """Recommendation rows for the OPDs of a ``compare(by="opd")`` table:
    shown OPDs under the target or with no sure gain (least passing first;
    an OPD at 100% before the session has nothing left to gain),
    then the hidden ones by name with no number. Free-text and empty OPD
    groups are no OPD a manager can act on and are left out.

    Example:
        >>> [r["action"] for r in opd_rows(ev.by("opd"), 0.8)][:1]
        ['perlu sosialisasi ulang']
    """
    t = _T[lang]
    by = pooled_interval(visible_only(by))
    shown = by[~by["suppressed"].astype(bool)].sort_values(["pass_post", "pooled", "opd"])
    rows = []
    for _, r in shown.iterrows():
        why = []
        if r["pass_post"] < 100 * target:
            why.append(t["pass"].format(post=fmt.pct(r["pass_post"], 0, lang),
                                        target=fmt.pct(100 * target, 0, lang)))
        # no sure gain: a reason, unless the OPD scored 100% before (nothing left to gain)
        if r["pooled_low"] <= 0 <= r["pooled_high"] and r["mean_pre"] < 100:
            why.append(t["zero"].format(gain=fmt.points(r["mean_gain"], 1, lang),
                                        ci=fmt.ci(r["pooled_low"], r["pooled_high"], 1, lang)))
            if not fmt.missing(r.get("min_detectable_gain")):  # how much its n could have shown
                why.append(t["detect"].format(n=fmt.count(r["n"], lang),
                                              x=fmt.num(r["min_detectable_gain"], 1, lang)))
        if why:
            rows.append(_row("opd", r["opd"], t["again"], t["join"].join(why)))
    for name in sorted(by.loc[by["suppressed"].astype(bool), "opd"]):
        rows.append(_row("opd", name, t["data"], t["small"]))
    return rows


def _row(kind, target, action, reason, source="evaltools") -> dict:
    text = str(reason)
    return {"kind": kind, "target": str(target), "action": action,
            "reason": text[:1].upper() + text[1:] + ("" if text.endswith(".") else "."),
            "source": source}


def topic_rows(ev, lang: str = "id") -> list:
    """The topics still under the KKM after the session (at least the
    weakest, unless all are at 100%; at most three), each with its weakest
    items after the session.

    Example:
        >>> topic_rows(ev)[0]["action"]
        'perkuat materi'
    """
    if bool(ev.summary["suppressed"].iloc[0]):
        return []
    t, kkm = _T[lang], ev.instrument.passing_score
    topics = ev.topics(lang).sort_values(["mean_post", "topic"])
    topics = topics[~topics["suppressed"].astype(bool)]
    weak = topics[topics["mean_post"] < kkm].head(MAX_TOPICS)
    if weak.empty:  # the weakest, unless every topic is at 100%
        weak = topics[topics["mean_post"] < 100].head(1)
    items = ev.items().sort_values(["pct_post", "item"])
    rows = []
    for _, r in weak.iterrows():
        mine = items[items["topic"] == r["topic"]].head(MAX_ITEMS)
        listed = ", ".join(f"{ev.instrument.item_label(i.item, lang, 40)} ({fmt.pct(i.pct_post, 0, lang)})"
                           for i in mine.itertuples())
        reason = t["weak"].format(post=fmt.pct(r["mean_post"], 0, lang),
                                  pre=fmt.pct(r["mean_pre"], 0, lang), kkm=fmt.plain(kkm, lang))
        if listed:
            reason += t["join"] + t["items"].format(items=listed)
        rows.append(_row("topic", r["label"], t["topic"], reason))
    return rows


def evaluator_rows(meta: dict, lang: str = "id") -> list:
    """The evaluator's ``rekomendasi`` from sesi.yaml, as written (a line of
    text, or ``{target, action, alasan}``).

    Example:
        >>> evaluator_rows({"rekomendasi": ["Undang camat", {"target": "Dinas Sosial",
        ...                 "action": "sesi khusus", "alasan": "baru bergabung"}]})[1]["target"]
        'Dinas Sosial'
    """
    t = _T[lang]
    rows = []
    for entry in meta.get("rekomendasi") or []:
        if isinstance(entry, str):
            rows.append({"kind": "evaluator", "target": "", "action": t["evaluator"],
                         "reason": entry, "source": "evaluator"})
        else:
            rows.append({"kind": "evaluator", "target": str(entry.get("target", "")),
                         "action": str(entry.get("action", t["evaluator"])),
                         "reason": str(entry.get("alasan", "")), "source": "evaluator"})
    return rows


def combine(computed: list, evaluator: list) -> pd.DataFrame:
    """Computed rows and the evaluator's: an evaluator's row naming a target
    replaces the computed rows for it (the evaluator overrides).

    Example:
        >>> combine([_row("opd", "A", "x", "y")], [{"kind": "evaluator", "target": "A",
        ...          "action": "z", "reason": "w", "source": "evaluator"}])["action"].tolist()
        ['z']
    """
    overridden = {r["target"] for r in evaluator if r["target"]}
    rows = [r for r in computed if r["target"] not in overridden] + evaluator
    return pd.DataFrame(rows, columns=COLUMNS)


def recommendations(ev, lang: str = "id") -> pd.DataFrame:
    """A session's recommendations: ``kind`` ("opd", "topic", "evaluator"),
    ``target``, ``action``, ``reason`` (numbers via fmt, none for hidden
    groups), ``source`` ("evaltools" or "evaluator").

    Example:
        >>> recommendations(ev, "en")["kind"].unique().tolist()
        ['opd', 'topic']
    """
    computed = []
    if len(ev.pairs.matched):
        computed = opd_rows(ev.by("opd"), target_pass(ev.meta), lang) + topic_rows(ev, lang)
    return combine(computed, evaluator_rows(ev.meta, lang))


_R = {
    "id": {"low": "lulus KKM sesudah sesi {post} dari {n} peserta berpasangan di {k} sesi (target {target})",
           "absent": "OPD terdaftar yang belum pernah mengirim peserta ke sesi mana pun",
           "invite": "undang ke sesi berikutnya",
           "weak": "{post} benar sesudah sesi (sebelum {pre}; KKM {kkm}), semua sesi digabung"},
    "en": {"low": "{post} reached the pass mark after the session, of {n} matched participants "
                  "in {k} sessions (target {target})",
           "absent": "a registered work unit that has never sent anyone to any session",
           "invite": "invite to the next session",
           "weak": "{post} correct after the session (before {pre}; pass mark {kkm}), all "
                   "sessions together"},
}


def recap_opd_rows(by: pd.DataFrame, target: float, lang: str = "id") -> list:
    """OPDs whose pass rate after the sessions stayed under the target, all
    their sessions together (a ``Recap.by_opd`` table), least passing first;
    hidden OPDs named only, "perlu data lebih banyak".

    Example:
        >>> by = pd.DataFrame({"opd": ["A", "B"], "n": [12, 3], "n_sessions": [2, 1],
        ...                    "pass_post": [50.0, 0.0], "suppressed": [False, True]})
        >>> [r["action"] for r in recap_opd_rows(by, 0.8)]
        ['perlu sosialisasi ulang', 'perlu data lebih banyak']
    """
    t, r_ = _T[lang], _R[lang]
    hidden = by["suppressed"].astype(bool)
    rows = []
    for _, r in by[~hidden].sort_values(["pass_post", "opd"]).iterrows():
        if r["pass_post"] < 100 * target:
            rows.append(_row("opd", r["opd"], t["again"], r_["low"].format(
                post=fmt.pct(r["pass_post"], 0, lang), n=fmt.count(r["n"], lang),
                k=fmt.count(r["n_sessions"], lang), target=fmt.pct(100 * target, 0, lang))))
    rows += [_row("opd", name, t["data"], t["small"]) for name in sorted(by.loc[hidden, "opd"])]
    return rows


def absent_rows(registry_names, sent, lang: str = "id") -> list:
    """Registry OPDs that sent no one to any session, by name.

    Example:
        >>> [r["target"] for r in absent_rows(["A", "B", "C"], {"B"})]
        ['A', 'C']
    """
    r_ = _R[lang]
    return [_row("opd_absent", name, r_["invite"], r_["absent"])
            for name in sorted(set(registry_names) - set(sent))]


def recap_topic_rows(matched: pd.DataFrame, instrument, min_n: int, lang: str = "id") -> list:
    """The topics under the KKM after the sessions, all matched participants
    together (at least the weakest; at most three).

    Example:
        >>> recap_topic_rows(ev.pairs.matched, inst, 5)[0]["target"]
        'Sanksi'
    """
    if len(matched) < min_n:
        return []
    kkm = instrument.passing_score
    topics = sorted(((float(matched[f"pct_{tp.id}_post"].mean()), tp.id,
                      float(matched[f"pct_{tp.id}_pre"].mean())) for tp in instrument.topics))
    weak = [x for x in topics if x[0] < kkm][:MAX_TOPICS] or topics[:1]
    return [_row("topic", instrument.topic_label(tid, lang), _T[lang]["topic"], _R[lang]["weak"].format(
        post=fmt.pct(post, 0, lang), pre=fmt.pct(pre, 0, lang), kkm=fmt.plain(kkm, lang)))
        for post, tid, pre in weak]
