"""Items that treat groups differently (DIF), as tables and sentences: each
group against the rest, matched on the rest score, by Mantel-Haenszel
(``stats.dif``), on 0/1 marks as ``score.mark`` returns them.

Example:
    >>> X = [[1, 0], [1, 1], [0, 1], [1, 1], [0, 0], [1, 0]] * 2
    >>> dif_table(X, ["a"] * 6 + ["b"] * 6)["ets"].tolist()
    ['A', 'A']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import fmt
from .stats.dif import mantel_haenszel
from .stats.multiple import adjust_p

DIF_COLUMNS = ["item", "by", "focal", "n_focal", "n_reference", "alpha_mh", "delta", "delta_se",
               "chi2", "p", "p_bh", "ets", "harder_for"]
_ETS_RANK = {"": 0, "A": 1, "B": 2, "C": 3}


def shown_groups(group, min_n: int) -> list:
    """The groups (non-empty names) of at least ``min_n`` people, sorted.

    Example:
        >>> shown_groups(["b"] * 5 + ["a"] * 5 + ["c", ""], 5)
        ['a', 'b']
    """
    counts = pd.Series(list(group), dtype="string").fillna("").value_counts()
    return sorted(str(g) for g, n in counts.items() if g != "" and n >= min_n)


def dif_groups(group, min_n: int) -> list:
    """The focal groups of a DIF analysis: every group of at least ``min_n``
    against the rest of those groups; with only two such groups, one
    comparison (the smaller group focal; ties: the first name, as R's
    ``names(sort(table(g)))[1]``).

    Example:
        >>> dif_groups(["pns"] * 6 + ["pppk"] * 5 + ["desa"] * 2, 5), dif_groups(["b", "a"] * 5, 5)
        (['pppk'], ['a'])
    """
    counts = pd.Series(list(group), dtype="string").fillna("").value_counts()
    shown = shown_groups(group, min_n)
    if len(shown) < 2:
        return []
    if len(shown) == 2:
        return [min(shown, key=lambda g: (counts[g], g))]
    return shown


def dif_table(X, group, *, by: str = "group", min_n: int = 5) -> pd.DataFrame:
    """Mantel-Haenszel DIF of each item for each focal group (``dif_groups``)
    against the rest, matched on the rest score (total minus the item):
    ``stats.dif.mantel_haenszel`` per item, BH across the items of each
    comparison. People in a group under ``min_n`` or without a group are
    left out, so a group never shown is never a reference either.

    Returns
    -------
    DataFrame
        ``DIF_COLUMNS``: item, by, focal, n_focal, n_reference, alpha_mh,
        delta, delta_se, chi2, p, p_bh, ets (A/B/C, "" when it cannot be
        computed), harder_for ("focal" when delta < 0, "reference" when > 0).

    Example:
        >>> X = [[1, 0], [1, 1], [0, 1], [1, 1], [0, 0], [1, 0]] * 2
        >>> dif_table(X, ["a"] * 6 + ["b"] * 6)[["item", "focal", "ets"]].values.tolist()
        [['item1', 'a', 'A'], ['item2', 'a', 'A']]
    """
    a = np.asarray(X, dtype=float).reshape(len(X), -1) if not isinstance(X, pd.DataFrame) \
        else X.to_numpy(dtype=float)
    names = [str(c) for c in X.columns] if isinstance(X, pd.DataFrame) \
        else [f"item{j + 1}" for j in range(a.shape[1])]
    g = pd.Series(list(group), dtype="string").fillna("").to_numpy(dtype=object)
    complete = ~np.isnan(a).any(axis=1)
    keep = complete & np.isin(g, shown_groups(g[complete], min_n))
    a, g = a[keep], g[keep]
    focals = dif_groups(g, min_n)
    total = a.sum(axis=1)
    rows = []
    for focal in focals:
        f = g == focal
        part = [{"item": name, "by": by, "focal": focal, "n_focal": int(f.sum()),
                 "n_reference": int((~f).sum()),
                 **mantel_haenszel(a[:, j], f, total - a[:, j])} for j, name in enumerate(names)]
        for r, q in zip(part, adjust_p([r["p"] for r in part], "BH")):
            r["p_bh"] = float(q)
            r["harder_for"] = ("focal" if r["delta"] < 0 else "reference"
                               if r["delta"] > 0 else "")
        rows += part
    return pd.DataFrame(rows, columns=DIF_COLUMNS)


def dif_worst(table: pd.DataFrame) -> pd.DataFrame:
    """One row per item of a ``dif_table`` (or several concatenated): the
    comparison with the highest ETS class, then the largest |delta|.

    Example:
        >>> t = pd.DataFrame({"item": ["q1", "q1"], "by": "g", "focal": ["a", "b"],
        ...                   "ets": ["A", "C"], "delta": [0.2, -1.9]})
        >>> dif_worst(t)[["item", "focal", "ets"]].values.tolist()
        [['q1', 'b', 'C']]
    """
    if table.empty:
        return table.copy()
    t = table.assign(_rank=table["ets"].map(_ETS_RANK).fillna(0),
                     _size=table["delta"].abs().fillna(-1))
    t = t.sort_values(["_rank", "_size"], ascending=False, kind="stable")
    return t.drop_duplicates("item").drop(columns=["_rank", "_size"]).reset_index(drop=True)


def dif_sentence(r, item: str, lang: str = "id") -> str:
    """One sentence for an item of ETS class C (a row of ``dif_table`` with
    ``focal_label``): which group finds it harder at an equal rest score;
    "" for any other class.

    Example:
        >>> r = {"ets": "C", "focal_label": "PPPK", "harder_for": "focal", "delta": -2.04,
        ...      "p_bh": 0.012}
        >>> dif_sentence(r, "No. 7")
        'No. 7 lebih sulit bagi PPPK daripada peserta lain dengan skor setara pada soal lain (DIF kategori C, delta MH -2,04; p BH 0,012): periksa kata-kata dan konteks soal.'
    """
    if r["ets"] != "C":
        return ""
    group, delta = r["focal_label"], fmt.num(r["delta"], 2, lang)
    p = fmt.p_value(r["p_bh"], lang)
    if lang == "en":
        who = (f"harder for {group} than for the others" if r["harder_for"] == "focal"
               else f"easier for {group} than for the others")
        return (f"{item} is {who} with the same score on the other items (DIF class C, MH delta "
                f"{delta}; BH p {p}): check its wording and context.")
    who = (f"lebih sulit bagi {group} daripada peserta lain" if r["harder_for"] == "focal"
           else f"lebih mudah bagi {group} daripada peserta lain")
    return (f"{item} {who} dengan skor setara pada soal lain (DIF kategori C, delta MH {delta}; "
            f"p BH {p}): periksa kata-kata dan konteks soal.")


def dif_by_item(table: pd.DataFrame, items, item_label=None, lang: str = "id") -> pd.DataFrame:
    """The columns a per-item sheet shows, one row per item of ``items``
    (``dif_worst``): dif_ets (A/B/C; "tidak diuji" without two groups of at
    least ``min_n``; the reason when it cannot be computed), dif_group (the
    group and the direction, for B and C), dif_delta, dif_p_bh and dif_note
    (``dif_sentence`` for C, with ``item_label(item)`` as the subject).

    Example:
        >>> X = [[1, 0], [1, 1], [0, 1], [1, 1], [0, 0], [1, 0]] * 2
        >>> t = dif_table(X, ["a"] * 6 + ["b"] * 6).assign(focal_label="B")
        >>> dif_by_item(t, ["item1", "item2", "q9"])["dif_ets"].tolist()
        ['A', 'A', 'tidak diuji']
    """
    en = lang == "en"
    out = pd.DataFrame({"item": list(items)})
    w = dif_worst(table).set_index("item").reindex(out["item"]) if len(table) else None
    if w is None:
        w = pd.DataFrame(index=out["item"], columns=DIF_COLUMNS[1:] + ["focal_label"])
    harder = {"focal": ("lebih sulit", "harder"), "reference": ("lebih mudah", "easier")}
    out["dif_delta"] = w["delta"].to_numpy(float)
    out["dif_p_bh"] = w["p_bh"].to_numpy(float)
    alike = ("one group answered alike at equal scores" if en else
             "satu kelompok menjawab sama pada skor setara")  # an odds ratio of 0 or infinity
    out["dif_ets"] = [("not tested" if en else "tidak diuji") if pd.isna(f) else e or
                      fmt.uncomputable("same_answers" if pd.isna(p) else alike, lang)
                      for f, e, p in zip(w["focal"], w["ets"], w["p"])]
    out["dif_group"] = [f"{g} ({harder[h][en]})" if e in ("B", "C") and h in harder
                        else ("none" if en else "tidak ada")
                        for g, h, e in zip(w["focal_label"], w["harder_for"], w["ets"])]
    label = item_label or (lambda i: i)
    out["dif_note"] = [dif_sentence(r, label(i), lang) if r["ets"] == "C" else ""
                       for i, r in w.iterrows()]
    return out


def dif_summary(table: pd.DataFrame, lang: str = "id", item_label=None) -> str:
    """The DIF analysis in one sentence: how many comparisons, and the items
    of class C and B (a ``dif_table`` with ``focal_label``), each named by
    ``item_label(item)`` (default: its id).

    Example:
        >>> t = pd.DataFrame({"item": ["q1", "q2"], "by": "jenis_pegawai", "focal": "pppk",
        ...                   "focal_label": "PPPK", "ets": ["C", "A"]})
        >>> dif_summary(t, "en")
        '1 group compared with the others on 2 items: class C (large DIF): q1 (PPPK); class B: none.'
    """
    en = lang == "en"
    if table.empty:
        return ("Not tested: fewer than two groups of at least 5 participants." if en else
                "Tidak diuji: kurang dari dua kelompok dengan sedikitnya 5 peserta.")
    n_groups = table[["by", "focal"]].drop_duplicates().shape[0]
    label = item_label or (lambda i: i)
    listed = {}
    for cls in ("C", "B"):
        rows = table[table["ets"] == cls]
        listed[cls] = ", ".join(f"{label(i)} ({g})" for i, g in zip(rows["item"], rows["focal_label"])) \
            or ("none" if en else "tidak ada")
    items = fmt.count(table["item"].nunique(), lang)
    if en:
        noun = "group" if n_groups == 1 else "groups"
        return (f"{fmt.count(n_groups, lang)} {noun} compared with the others on {items} items: "
                f"class C (large DIF): {listed['C']}; class B: {listed['B']}.")
    return (f"{fmt.count(n_groups, lang)} kelompok dibandingkan dengan peserta lain pada {items} "
            f"butir: kategori C (DIF besar): {listed['C']}; kategori B: {listed['B']}.")
