"""Match each participant's pre-test to their post-test.

Rules, in order, each on the records the earlier rules left over:

1. ``nip``: the same 18-digit NIP (already cleaned when read);
2. ``kode_peserta``: the same participant code;
3. ``nama_opd``: the same person by name within the same OPD, scored with
   rapidfuzz (``token_sort_ratio`` of names without titles and degrees). A
   pair is made only when each side has exactly one candidate at or above
   ``threshold``; when two candidates fit, nobody is matched and the audit
   says "ambiguous". Records whose NIPs (or codes) both exist and clearly
   differ are never candidates.

Nobody is dropped silently: every score row is either in a matched pair or in
``unmatched`` with a reason, and ``audit`` records how each record was
handled, with the rule and the name score for matches weaker than NIP.

Example:
    >>> p = pair(scores)                    # doctest: +SKIP
    >>> len(p.matched), len(p.unmatched)    # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .normalize import map_unique, norm_name, norm_text

METRICS_PREFIX = ("n_correct", "n_blank", "pct", "passed", "skala_")
NAME_THRESHOLD = 90  # rapidfuzz token_sort_ratio for a name match within one OPD
PROVENANCE = ("source", "row")


@dataclass
class Pairs:
    """matched: one row per participant with <metric>_pre, <metric>_post and gain;
    unmatched: score rows without a partner (reason no_post, no_pre or ambiguous);
    audit: one row per pair or unmatched record: rule, name score, status, detail."""
    matched: pd.DataFrame
    unmatched: pd.DataFrame
    audit: pd.DataFrame


def _metrics(scores: pd.DataFrame) -> list:
    return [c for c in scores.columns if c.startswith(METRICS_PREFIX)]


def _digits_apart(a: str, b: str) -> int:
    return sum(x != y for x, y in zip(a, b)) + abs(len(a) - len(b))


def _conflict(x, y) -> str | None:
    """Why two records cannot be one person though their names agree."""
    na, nb = str(x.get("nip") or ""), str(y.get("nip") or "")
    if len(na) == 18 and len(nb) == 18 and _digits_apart(na, nb) > 2:
        return "NIP berbeda"
    ka, kb = str(x.get("kode_peserta") or ""), str(y.get("kode_peserta") or "")
    if ka and kb and ka != kb and not (na or nb):
        return "kode peserta berbeda"
    return None


def _name_links(a: pd.DataFrame, b: pd.DataFrame, threshold: float):
    """Fuzzy name+OPD links between the leftover pre (a) and post (b) rows.
    Returns (links [(i, j, score, detail)], ambiguous {("a", i) or ("b", j): detail})."""
    from rapidfuzz import fuzz, process  # lazy: only needed when records are left over

    def keyed(d):
        blank = pd.Series("", index=d.index, dtype="str")
        return d.assign(_name=map_unique(d.get("nama", blank).fillna(""), norm_name, dtype="str"),
                        _unit=map_unique(d.get("opd", blank).fillna(""), norm_text, dtype="str"))
    a, b = keyed(a), keyed(b)
    a = a[a["_name"] != ""]
    # candidates only within one session and OPD; each block scored at once (cdist)
    blocks = dict(iter(b.groupby(["session", "_unit"], sort=False)))
    cand = []
    for key, ga in a.groupby(["session", "_unit"], sort=False):
        gb = blocks.get(key)
        if gb is None:
            continue
        m = process.cdist(ga["_name"].tolist(), gb["_name"].tolist(), scorer=fuzz.token_sort_ratio,
                          score_cutoff=threshold, dtype=np.float64)
        for i, j in zip(*np.nonzero(m >= threshold)):
            x, y = ga.iloc[i], gb.iloc[j]
            if not _conflict(x, y):
                cand.append((int(x["_i"]), int(y["_j"]), float(m[i, j])))
    cand.sort()  # pre records in order, then post records: as one pass over both would
    by_i, by_j = {}, {}
    for i, j, s in cand:
        by_i.setdefault(i, []).append((j, s))
        by_j.setdefault(j, []).append((i, s))
    names_b = dict(zip(b["_j"], b.get("nama", pd.Series("", index=b.index))))
    names_a = dict(zip(a["_i"], a.get("nama", pd.Series("", index=a.index))))
    links, ambiguous = [], {}
    for i, js in by_i.items():
        j, s = js[0]
        if len(js) == 1 and len(by_j[j]) == 1:
            links.append((i, j, s, ""))
            continue
        rivals = [f"{names_b[jj]} ({ss:.0f})" for jj, ss in js] if len(js) > 1 else \
            [f"{names_a[ii]} ({ss:.0f})" for ii, ss in by_j[j]]
        detail = "lebih dari satu calon: " + "; ".join(rivals)
        ambiguous[("a", i)] = detail
        for jj, _ in js:
            ambiguous[("b", jj)] = detail
    return links, ambiguous


def pair(scores: pd.DataFrame, *, pre: str = "pre", post: str = "post",
         threshold: float = NAME_THRESHOLD) -> Pairs:
    """Pair the ``pre`` and ``post`` waves of a score table (from ``score``).

    Example:
        >>> p = pair(score(read_responses(folder, inst), inst))  # doctest: +SKIP
        >>> p.audit["match_by"].value_counts()                    # doctest: +SKIP
    """
    metrics = _metrics(scores)
    fields = [c for c in scores.columns if c not in metrics
              and c not in ("session", "wave", "pid", "n_items", *PROVENANCE)]
    a = scores[scores["wave"] == pre].reset_index(drop=True)
    b = scores[scores["wave"] == post].reset_index(drop=True)
    a["_i"], b["_j"] = range(len(a)), range(len(b))

    links = []
    used_a, used_b = np.zeros(len(a), dtype=bool), np.zeros(len(b), dtype=bool)
    for key in ("nip", "kode_peserta"):
        if key not in scores.columns:
            continue
        la = a[~used_a & (a[key].fillna("") != "")]
        lb = b[~used_b & (b[key].fillna("") != "")]
        # duplicates were removed when reading, so a key is unique per wave
        m = la[["session", key, "_i"]].merge(lb[["session", key, "_j"]], on=["session", key])
        m = m.drop_duplicates("_i").drop_duplicates("_j")
        links.append(pd.DataFrame({"_i": m["_i"].to_numpy(), "_j": m["_j"].to_numpy(),
                                   "match_by": key, "score": np.nan, "detail": ""}))
        used_a[m["_i"].to_numpy()] = True
        used_b[m["_j"].to_numpy()] = True
    ambiguous: dict = {}
    if "nama" in scores.columns and "opd" in scores.columns:
        named, ambiguous = _name_links(a[~used_a], b[~used_b], threshold)
        links.append(pd.DataFrame(named, columns=["_i", "_j", "score", "detail"]).assign(
            match_by="nama_opd"))
        used_a[[i for i, *_ in named]] = True
        used_b[[j for _, j, *_ in named]] = True
    columns = ["_i", "_j", "match_by", "score", "detail"]
    link = pd.concat([x[columns] for x in links if len(x)], ignore_index=True) \
        if any(len(x) for x in links) else pd.DataFrame(columns=columns)

    left = a.take(link["_i"].to_numpy(dtype="int64")).reset_index(drop=True)
    right = b.take(link["_j"].to_numpy(dtype="int64")).reset_index(drop=True)
    matched = left[["session", "pid"]].copy()
    matched["match_by"] = link["match_by"].to_numpy()
    for f in fields:
        # participant fields from the pre-test, filled from the post-test
        lv, rv = left[f], right[f]
        matched[f] = lv.mask(lv.isna() | (lv.astype(str) == ""), rv)
    for mcol in metrics:
        matched[f"{mcol}_pre"] = left[mcol].to_numpy()
        matched[f"{mcol}_post"] = right[mcol].to_numpy()
    matched["gain"] = matched["pct_post"] - matched["pct_pre"]

    def why(side, k, default):
        return "ambiguous" if (side, k) in ambiguous else default
    un_a = a[~used_a]
    un_a = un_a.assign(reason=pd.array([why("a", i, "no_post") for i in un_a["_i"]], dtype="str"))
    un_b = b[~used_b]
    un_b = un_b.assign(reason=pd.array([why("b", j, "no_pre") for j in un_b["_j"]], dtype="str"))
    unmatched = pd.concat([un_a, un_b], ignore_index=True).drop(columns=["_i", "_j"])

    # .array keeps pandas' string dtype (to_numpy would give Python objects, ~5x the memory)
    def col(df, c):
        return df[c].array if c in df.columns else pd.array([""] * len(df), dtype="str")

    def where(df):
        if "source" not in df.columns or "row" not in df.columns:
            return pd.array([""] * len(df), dtype="str")
        src = df["source"].fillna("").astype("str")
        return (src + ":" + df["row"].astype("str")).where(src != "", "").array
    audit = pd.concat([
        pd.DataFrame({"session": left["session"], "pid_pre": left["pid"], "pid_post": right["pid"],
                      "nama_pre": col(left, "nama"), "nama_post": col(right, "nama"),
                      "opd": col(left, "opd"), "row_pre": where(left), "row_post": where(right),
                      "match_by": link["match_by"].array, "score": link["score"].to_numpy(),
                      "status": "matched", "detail": link["detail"].astype("str").array}),
        pd.DataFrame({"session": un_a["session"], "pid_pre": un_a["pid"], "pid_post": "",
                      "nama_pre": col(un_a, "nama"), "nama_post": "", "opd": col(un_a, "opd"),
                      "row_pre": where(un_a), "row_post": "", "match_by": "", "score": None,
                      "status": un_a["reason"],
                      "detail": pd.array([ambiguous.get(("a", i), "") for i in un_a["_i"]],
                                         dtype="str")}),
        pd.DataFrame({"session": un_b["session"], "pid_pre": "", "pid_post": un_b["pid"],
                      "nama_pre": "", "nama_post": col(un_b, "nama"), "opd": col(un_b, "opd"),
                      "row_pre": "", "row_post": where(un_b), "match_by": "", "score": None,
                      "status": un_b["reason"],
                      "detail": pd.array([ambiguous.get(("b", j), "") for j in un_b["_j"]],
                                         dtype="str")}),
    ], ignore_index=True)
    audit["score"] = pd.to_numeric(audit["score"], errors="coerce")
    return Pairs(matched=matched, unmatched=unmatched, audit=audit)


def matched_values(data: pd.DataFrame, pairs: Pairs, columns: list) -> tuple:
    """``columns`` of the matched participants, pre and post, row-aligned (one
    row per pair, in the order of ``pairs.matched``), from the kept responses.

    Example:
        >>> pre, post = matched_values(ev.responses.data, ev.pairs, ["q01"])  # doctest: +SKIP
    """
    link = pairs.audit[pairs.audit["status"] == "matched"]
    out = []
    for wave, col in (("pre", "pid_pre"), ("post", "pid_post")):
        d = data[data["wave"] == wave].set_index(["session", "pid"])
        out.append(d.loc[list(zip(link["session"], link[col])), columns].reset_index(drop=True))
    return out[0], out[1]
