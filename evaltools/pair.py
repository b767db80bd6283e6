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

A pair's participant fields come from the pre-test, filled from the
post-test where empty; its OPD (``opd``, ``opd_induk``, ``opd_terdaftar``)
comes whole from one wave: the pre-test's, unless that is empty or no
registry OPD while the post-test's is (``opd_from_post``).

Nobody is dropped silently: every score row is either in a matched pair or in
``unmatched`` with a reason, and ``audit`` records how each record was
handled, with the rule and the name score for matches weaker than NIP.

Example:
    >>> p = pair(scores)
    >>> len(p.matched), len(p.unmatched)
    (52, 4)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .normalize import digit_keys, has_repeats, map_unique, norm_name, norm_text
from .pages import page_policy

METRICS_PREFIX = ("n_correct", "n_blank", "pct", "passed", "skala_")
NAME_THRESHOLD = 90  # rapidfuzz token_sort_ratio for a name match within one OPD
PROVENANCE = ("source", "row")


@dataclass
class Pairs:
    """What ``pair`` returns.

    matched: one row per participant with <metric>_pre, <metric>_post and gain;
    unmatched: score rows without a partner (reason no_post, no_pre or ambiguous);
    audit: one row per pair or unmatched record: rule, name score, status, detail
    (built when first read: a per-OPD table never needs it);
    rows: for each row of ``matched``, in order, the positions (``pre``, ``post``) of
    its two rows in the score table that was paired, which are also their positions
    in the responses it was scored from: ``aligned`` takes any frame laid out like
    that (answers, marks) to the matched participants without looking them up again.
    """
    matched: pd.DataFrame
    unmatched: pd.DataFrame
    audit: pd.DataFrame
    rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"pre": [], "post": []},
                                                                     dtype="int64"))

    def __getattribute__(self, name):
        # ``pair`` gives the audit as work to do (``_Later``), done when first read: a
        # per-OPD table never reads it (a million pairs: 0.4 s of texts, "pre.csv:7")
        value = object.__getattribute__(self, name)
        if name == "audit" and isinstance(value, _Later):
            value = value()
            object.__setattr__(self, "audit", value)
        return value

    def __getstate__(self) -> dict:
        self.audit  # built before it is pickled (a report's worker process)
        return self.__dict__

    def sharing_audit(self, matched: pd.DataFrame) -> Pairs:
        """These pairs with another matched table (a subset of the
        participants), the same unmatched records and audit, built or not,
        and no row links (``aligned`` refuses)."""
        return Pairs(matched, self.unmatched, object.__getattribute__(self, "audit"))

    def aligned(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """``frame``'s rows of the matched participants, pre and post, each in the
        order of ``matched`` (row k of both is participant k). ``frame`` is laid
        out as the paired score table: the responses' ``data``, or ``mark`` of it.

        Example:
            >>> pre, post = pairs.aligned(responses.data[["pid", "q01"]])
            >>> len(pre) == len(post) == len(pairs.matched)
            True
            >>> bool((pre["pid"] == pairs.matched["pid"]).all())
            True
        """
        if len(self.rows) != len(self.matched):
            raise ValueError("these Pairs hold no links to the paired rows (Pairs.rows): "
                             "pair them with evaltools.pair")
        return (frame.iloc[self.rows["pre"].to_numpy()].reset_index(drop=True),
                frame.iloc[self.rows["post"].to_numpy()].reset_index(drop=True))


class _Later:
    """A function and its arguments, called once when its value is wanted."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __call__(self):
        if self.args is not None:  # done once, whoever asks first; its inputs let go
            self.value = self.func(*self.args)
            self.func = self.args = None
        return self.value


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


LINK_COLUMNS = ["_i", "_j", "match_by", "score", "detail"]


def _key_links(a: pd.DataFrame, b: pd.DataFrame, used_a, used_b) -> list:
    """Links by NIP, then by participant code, among the records not yet linked;
    marks the linked ones in ``used_a`` / ``used_b``."""
    links = []
    for key in ("nip", "kode_peserta"):
        if key not in a.columns:
            continue
        la = _where_true(a[["session", key, "_i"]], ~used_a & (a[key].fillna("") != "").to_numpy())
        lb = _where_true(b[["session", key, "_j"]], ~used_b & (b[key].fillna("") != "").to_numpy())
        found = _digit_join(la, lb, key)
        if found is None:
            # duplicates were removed when reading, so a key is unique per wave
            m = la.merge(lb, on=["session", key])
            m = m.drop_duplicates("_i").drop_duplicates("_j")
            found = m["_i"].to_numpy(), m["_j"].to_numpy()
        links.append(pd.DataFrame({"_i": found[0], "_j": found[1],
                                   "match_by": key, "score": np.nan, "detail": ""}))
        used_a[found[0]] = True
        used_b[found[1]] = True
    return links


def _digit_join(la: pd.DataFrame, lb: pd.DataFrame, key: str) -> tuple | None:
    """(``_i``, ``_j``) of the records whose ``key`` is the same, in the order
    of ``la``, as ``la.merge(lb, on=["session", key])`` gives them, where both
    waves are of one session and every key is digits of one length (NIPs):
    the keys as integers (``digit_keys``) through a hash table of integers,
    not of texts (a million pairs: 0.16 s against 0.34 s). None where that
    does not hold, or a key repeats in a wave: the merge takes those."""
    if not len(la) or not len(lb):
        return None
    firsts = pd.concat([la["session"].iloc[:1], lb["session"].iloc[:1]])  # (pandas' equality: NA too)
    one_session = la["session"].nunique(dropna=False) == 1 == lb["session"].nunique(dropna=False) \
        and firsts.nunique(dropna=False) == 1
    # both waves' keys of one shape (digit_keys checks each wave): the first ones alike
    a, b = la[key].iloc[0], lb[key].iloc[0]
    if not one_session or not isinstance(a, str) or not isinstance(b, str) or len(a) != len(b) \
            or a.rstrip("0123456789") != b.rstrip("0123456789"):
        return None
    ints = [digit_keys(la[key]), digit_keys(lb[key])]
    if ints[0] is None or ints[1] is None:
        return None
    if has_repeats(ints[0]) or has_repeats(ints[1]):  # a key given twice in a wave: the merge
        return None
    at = pd.Index(ints[1]).get_indexer(ints[0])
    hit = at >= 0
    return la["_i"].to_numpy()[hit], lb["_j"].to_numpy()[at[hit]]


def _rows_at(frame: pd.DataFrame, pos: np.ndarray) -> pd.DataFrame:
    """Rows ``pos`` of ``frame`` (renumbered from 0); a run of consecutive
    rows (one wave's file read after the other's) is a slice, not a copy."""
    if len(pos) and pos[-1] - pos[0] + 1 == len(pos):
        return frame.iloc[pos[0]:pos[-1] + 1].reset_index(drop=True)
    return frame.iloc[pos].reset_index(drop=True)


def _where_true(frame: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """``frame[keep]``, the frame itself when every row is kept (no copy)."""
    return frame if keep.all() else frame[keep]


# the OPD as read: taken together from one wave, never one column from each
OPD_FIELDS = ("opd", "opd_induk", "opd_terdaftar")


def opd_from_post(left: pd.DataFrame, right: pd.DataFrame) -> np.ndarray:
    """For each pair (pre rows ``left``, post rows ``right``, aligned), whether
    its OPD columns come from the post-test: when the pre-test's OPD is
    empty, or is no registry OPD while the post-test's is. Otherwise the
    pre-test's, all of ``OPD_FIELDS`` from the same row.

    Example:
        >>> pre = pd.DataFrame({"opd": ["", "Bapeda Kaltim", "Dinsos"], "opd_terdaftar": [False, False, True]})
        >>> post = pd.DataFrame({"opd": ["Dinsos", "Bappeda Prov. Kaltim", "BKD"],
        ...                      "opd_terdaftar": [True, True, True]})
        >>> opd_from_post(pre, post).tolist()
        [True, True, False]
    """
    def named(d):  # compared where the text is (Arrow): no Python string per row
        return (d["opd"].fillna("").astype(str) != "").to_numpy(dtype=bool) if "opd" in d.columns \
            else np.zeros(len(d), dtype=bool)

    def known(d, has):
        return d["opd_terdaftar"].fillna(False).astype(bool).to_numpy() \
            if "opd_terdaftar" in d.columns else has
    lo, ro = named(left), named(right)
    return (~lo & ro) | (~known(left, lo) & known(right, ro))


def _matched_table(left: pd.DataFrame, right: pd.DataFrame, link: pd.DataFrame, fields: list,
                   metrics: list) -> pd.DataFrame:
    """One row per pair: its fields (from the pre-test, filled from the
    post-test; the OPD columns all from one wave, ``opd_from_post``) and
    each metric pre and post."""
    columns = {"session": left["session"], "pid": left["pid"],
               "match_by": pd.Series(link["match_by"].array, copy=False)}  # (text stays Arrow text)
    post_opd = opd_from_post(left, right)
    for f in fields:
        lv, rv = left[f], right[f]
        take = post_opd if f in OPD_FIELDS else (lv.isna() | (lv.astype(str) == "")).to_numpy()
        # a column with nothing to take from the post-test is shared, not copied; one with
        # everything to take (a pre-test without the field) is the post-test's
        if take.all() and len(take) and rv.dtype == lv.dtype:
            columns[f] = rv
        else:
            columns[f] = lv.mask(take, rv) if take.any() else lv
    for mcol in metrics:
        columns[f"{mcol}_pre"] = left[mcol].to_numpy()
        columns[f"{mcol}_post"] = right[mcol].to_numpy()
    columns["gain"] = columns["pct_post"] - columns["pct_pre"]
    # built at once from its columns: a column set on a frame one at a time makes pandas
    # rearrange the frame's blocks first (a million pairs: 0.3 s)
    return pd.DataFrame(columns, copy=False)


class _Rows:
    """Rows ``pos`` of ``frame``, a column taken only when it is asked for:
    the matched table and the audit are built a column at a time, so the
    paired rows are never held whole beside them (4.3 million pairs)."""

    def __init__(self, frame: pd.DataFrame, pos: np.ndarray):
        self.frame, self.pos, self.columns = frame, pos, frame.columns
        # a run of consecutive rows (both files in the same order, everyone matched
        # by one rule) is a slice: shared with the score table, not copied
        run = len(pos) > 0 and bool((np.diff(pos) == 1).all())
        self.at = slice(int(pos[0]), int(pos[-1]) + 1) if run else pos

    def __len__(self) -> int:
        return len(self.pos)

    def __getitem__(self, col):
        if isinstance(col, list):
            return pd.DataFrame({c: self[c] for c in col})
        return self.frame[col].iloc[self.at].reset_index(drop=True)


def _text(df: pd.DataFrame, c: str):
    # .array keeps pandas' string dtype (to_numpy would give Python objects, ~5x the memory)
    return df[c].array if c in df.columns else pd.array([""] * len(df), dtype="str")


def _where(df: pd.DataFrame):
    """Each record's file and row ("pre.csv:7"), or "" where unknown."""
    if "source" not in df.columns or "row" not in df.columns:
        return pd.array([""] * len(df), dtype="str")
    src = df["source"].fillna("").astype("str")
    if df["row"].dtype.kind != "i" or df["row"].isna().any():  # as pandas writes them
        return (src + ":" + df["row"].astype("str")).where(src != "", "").array
    import pyarrow as pa
    import pyarrow.compute as pc
    # joined in Arrow: pandas' text concatenation makes a copy per operator
    text = pa.array(src.array, pa.large_string())
    row = pc.cast(pa.array(df["row"].to_numpy(dtype="int64")), pa.large_string())
    joined = pc.binary_join_element_wise(text, row, pa.scalar(":", pa.large_string()))
    return pd.array(pc.if_else(pc.equal(text, ""), pa.scalar("", pa.large_string()), joined), dtype="str")


def _audit(left, right, link, un_a, un_b, ambiguous: dict) -> pd.DataFrame:
    """One row per pair and per unmatched record: how each was handled."""
    def details(side, ids):
        return pd.array([ambiguous.get((side, k), "") for k in ids], dtype="str")
    audit = pd.concat([
        pd.DataFrame({"session": left["session"], "pid_pre": left["pid"], "pid_post": right["pid"],
                      "nama_pre": _text(left, "nama"), "nama_post": _text(right, "nama"),
                      "opd": _text(left, "opd"), "row_pre": _where(left), "row_post": _where(right),
                      "match_by": link["match_by"].array, "score": link["score"].to_numpy(),
                      "status": "matched", "detail": link["detail"].astype("str").array}),
        pd.DataFrame({"session": un_a["session"], "pid_pre": un_a["pid"], "pid_post": "",
                      "nama_pre": _text(un_a, "nama"), "nama_post": "", "opd": _text(un_a, "opd"),
                      "row_pre": _where(un_a), "row_post": "", "match_by": "", "score": None,
                      "status": un_a["reason"], "detail": details("a", un_a["_i"])}),
        pd.DataFrame({"session": un_b["session"], "pid_pre": "", "pid_post": un_b["pid"],
                      "nama_pre": "", "nama_post": _text(un_b, "nama"), "opd": _text(un_b, "opd"),
                      "row_pre": "", "row_post": _where(un_b), "match_by": "", "score": None,
                      "status": un_b["reason"], "detail": details("b", un_b["_j"])}),
    ], ignore_index=True)
    audit["score"] = pd.to_numeric(audit["score"], errors="coerce")
    return audit


def _left_over(scores: pd.DataFrame, pos: np.ndarray, used, key: str, tag: str, default: str,
               ambiguous: dict):
    """The records of one wave (rows ``pos`` of ``scores``) left without a
    partner, with their reason."""
    at = np.flatnonzero(~used)
    # nobody left over (the usual case): an empty slice, not a take, which would first make
    # pandas consolidate the whole score table's blocks
    rows = scores.iloc[:0] if not len(at) else scores.iloc[pos[at]]
    rest = rows.reset_index(drop=True).assign(**{key: at})
    why = ["ambiguous" if (tag, k) in ambiguous else default for k in at]
    return rest.assign(reason=pd.array(why, dtype="str"))


@page_policy()  # (evaltools/pages.py)
def pair(scores: pd.DataFrame, *, pre: str = "pre", post: str = "post",
         threshold: float = NAME_THRESHOLD) -> Pairs:
    """Pair the ``pre`` and ``post`` waves of a score table (from ``score``).

    Example:
        >>> p = pair(scores)
        >>> p.audit["match_by"].value_counts().to_dict()
        {'nip': 33, 'kode_peserta': 13, 'nama_opd': 6, '': 4}
    """
    metrics = _metrics(scores)
    fields = [c for c in scores.columns if c not in metrics
              and c not in ("session", "wave", "pid", "n_items", *PROVENANCE)]
    pos_a = np.flatnonzero((scores["wave"] == pre).to_numpy())
    pos_b = np.flatnonzero((scores["wave"] == post).to_numpy())
    # linking reads the keys only; each row is copied whole once, where it ends up
    keys = [c for c in ("session", "pid", "nip", "kode_peserta", "nama", "opd") if c in scores.columns]
    a = _rows_at(scores[keys], pos_a).assign(_i=np.arange(len(pos_a)))
    b = _rows_at(scores[keys], pos_b).assign(_j=np.arange(len(pos_b)))

    used_a, used_b = np.zeros(len(a), dtype=bool), np.zeros(len(b), dtype=bool)
    links = _key_links(a, b, used_a, used_b)
    ambiguous: dict = {}
    if "nama" in scores.columns and "opd" in scores.columns:
        named, ambiguous = _name_links(a[~used_a], b[~used_b], threshold)
        links.append(pd.DataFrame(named, columns=["_i", "_j", "score", "detail"]).assign(
            match_by="nama_opd"))
        used_a[[i for i, *_ in named]] = True
        used_b[[j for _, j, *_ in named]] = True
    found = [x[LINK_COLUMNS] for x in links if len(x)]
    link = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=LINK_COLUMNS)
    i, j = link["_i"].to_numpy(dtype="int64"), link["_j"].to_numpy(dtype="int64")
    # the audit is built later from these rows: a shallow copy (copy-on-write) keeps them as
    # they are now, whatever the caller then does to its score table
    frozen = scores.copy(deep=False)
    left, right = _Rows(frozen, pos_a[i]), _Rows(frozen, pos_b[j])

    un_a = _left_over(scores, pos_a, used_a, "_i", "a", "no_post", ambiguous)
    un_b = _left_over(scores, pos_b, used_b, "_j", "b", "no_pre", ambiguous)
    unmatched = pd.concat([un_a, un_b], ignore_index=True).drop(columns=["_i", "_j"])
    return Pairs(matched=_matched_table(left, right, link, fields, metrics), unmatched=unmatched,
                 audit=_Later(_audit, left, right, link, un_a, un_b, ambiguous),
                 rows=pd.DataFrame({"pre": pos_a[i], "post": pos_b[j]}))
