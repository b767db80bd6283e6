"""The floor under the CSV target: the least work a reader does to go from
the benchmark's two CSV files to the per-OPD table, done as fast as we know
how; only the checks a clean file passes, none of the handling of a file
that fails them.

``minimal_table`` parses each file (every column as text, one file per core),
checks that each NIP is 18 digits whose date part has a month 01-12 and a day
01-31, parses the times in the one layout the files use, looks for a NIP
given twice, scores the scored items against their keys, joins the waves by
NIP and takes each OPD's paired t statistics. It skips what evaltools does
beyond that: trimming every cell, checking the answers against the item's
options, the time layout and day/month order decided
from the values, the OPD registry, names, participant codes and fuzzy pairing,
duplicates kept apart with a ledger line each, the pairing audit, Wilcoxon,
confidence limits, the rest of the table, and holding the answers as codes
for every later step (items, distractors, exports). Its time against
pyarrow's read is thus a floor for ``evaluate(...).by("opd")``'s (``make
bench`` prints both).

What makes it fast (the million's two files): both parsed with every column
as text, one thread a file (1.05 s of CPU, against 2.8 s with the answers as
dictionary codes, as evaltools reads them, and Arrow's own threads); the
NIPs' digits checked on their bytes and the NIPs held as 64-bit integers, so
that duplicates and the join hash numbers, not text; answers of one width
(a/b/c/d, benar/salah) compared with the key as fixed-width bytes. An
independent review (2026-12-07) made it so; the first version, with codes
and text keys, took two to three times as long.

It is no reader: it raises on four things clean files do not hold (a NIP
not as above, a time in another layout, a NIP given twice in a file, a
scored answer left empty), and anything else unclean (an answer with a stray
space or outside the options, an empty or unknown OPD) goes into its table
unnoticed: it is for the benchmark's clean files only.
tests/test_benchmark_floor.py checks that its table is evaluate's on a
simulated session, and each refusal.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

TIME_LAYOUT = "%Y/%m/%d %I:%M:%S %p"  # Google Forms' stamp as the benchmark writes it
ZONE = " GMT+8"
NIP_DIGITS = 18


def _offsets(a: pa.Array) -> np.ndarray:
    """Where each text of ``a`` starts in its data buffer (and the last ends)."""
    return np.frombuffer(a.buffers()[1], dtype=np.int32, count=len(a) + 1, offset=a.offset * 4)


def _nips(col: pa.ChunkedArray, name: str) -> np.ndarray:
    """The NIPs as 64-bit integers; ValueError unless each is 18 digits
    with a month 01-12 and a day 01-31 after its year."""
    a = col.combine_chunks()
    off = _offsets(a)
    ok = a.null_count == 0 and bool((np.diff(off) == NIP_DIGITS).all())
    if ok:  # every text 18 bytes long: one row of 18 bytes per NIP
        digits = np.frombuffer(a.buffers()[2], dtype=np.uint8, count=NIP_DIGITS * len(a),
                               offset=int(off[0]))
        ok = bool((digits - np.uint8(ord("0")) < 10).all())
    if ok:
        nips = pc.cast(a, pa.int64()).to_numpy()  # 18 digits: below 2**63
        month, day = nips // 10**12 % 100, nips // 10**10 % 100
        ok = bool(((month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)).all())
    if not ok:
        raise ValueError(f"{name}: a NIP that is not {NIP_DIGITS} digits from a birth date")
    return nips


def _marks(col: pa.ChunkedArray, key: str, unanswered: str) -> np.ndarray:
    """Whether each answer is the key; ValueError where one is left empty.
    Answers of one width are compared as fixed-width bytes."""
    a = col.combine_chunks()
    off = _offsets(a)
    lengths = np.diff(off)
    if a.null_count or not lengths.all():
        raise ValueError(unanswered)
    width, wanted = int(lengths[0]) if len(a) else 0, key.encode()
    if len(a) and (lengths == width).all() and not wanted.endswith(b"\0"):
        if len(wanted) != width:
            return np.zeros(len(a), dtype=bool)
        raw = np.frombuffer(a.buffers()[2], dtype=f"S{width}", count=len(a), offset=int(off[0]))
        return raw == wanted
    return pc.equal(a, key).to_numpy(zero_copy_only=False)


def _times(col: pa.ChunkedArray, name: str) -> None:
    """ValueError unless every time is in ``TIME_LAYOUT`` with ``ZONE``."""
    parsed = pc.strptime(col, format=TIME_LAYOUT + ZONE, unit="s", error_is_null=True)
    if parsed.null_count:
        raise ValueError(f"{name}: a time not in the layout {TIME_LAYOUT}{ZONE}")


def _wave(path: Path, items: list, scored: list) -> dict:
    """One file's NIPs (a pandas index: its hash table made once, for the
    duplicates and the join), marks per participant and OPDs."""
    text = pa.string()
    types = {i.id: text for i in items} | {c: text for c in ("opd", "jenis_pegawai", "Timestamp", "nip", "nama")}
    # one thread per file: the two files already keep both cores busy
    table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(use_threads=False),
                           convert_options=pacsv.ConvertOptions(column_types=types))
    nips = pd.Index(_nips(table["nip"], path.name))
    if not nips.is_unique:
        raise ValueError(f"{path.name}: a NIP given twice")
    _times(table["Timestamp"], path.name)
    right = np.zeros(table.num_rows, dtype=np.int64)
    for item in scored:
        key = " ".join(sorted(item.key)) if item.type == "multi" else item.key
        right += _marks(table[item.id], key, f"{path.name}: {item.id} left unanswered")
    opd = pc.dictionary_encode(table["opd"]).combine_chunks()
    return {"nips": nips, "right": right, "opd": opd.indices.to_numpy(),
            "opd_names": opd.dictionary.to_numpy(zero_copy_only=False).astype(str)}


def minimal_table(csvs: list, instrument) -> dict:
    """The per-OPD paired table of the two files ``csvs`` (pre, post) as
    numpy arrays: ``opd``, ``n``, ``mean_gain``, ``sd_gain``, ``t``; OPDs
    with a pair, in order of name.

    Example:
        >>> t = minimal_table([folder / "pre.csv", folder / "post.csv"], inst)  # doctest: +SKIP
        >>> int(t["n"].sum())  # doctest: +SKIP
        1000000
    """
    items, scored = list(instrument.items), list(instrument.scored_items)
    with ThreadPoolExecutor(2) as pool:  # Arrow's parse and kernels leave Python's lock: a file per core
        pre, post = pool.map(lambda p: _wave(Path(p), items, scored), csvs)
    at = pre["nips"].get_indexer(post["nips"])  # each post row's pre row, -1 where none
    paired = at >= 0
    gain = post["right"][paired] - pre["right"][at[paired]]  # items gained, a whole number
    names = pre["opd_names"]
    order = np.argsort(names)
    group = np.argsort(order)[pre["opd"][at[paired]]]  # each pair's OPD, numbered in order of name
    n = np.bincount(group, minlength=len(names))
    s1 = np.bincount(group, gain, len(names))  # exact: whole numbers far below 2**53
    s2 = np.bincount(group, gain * gain, len(names))
    seen = n > 0
    n, s1, s2 = n[seen], s1[seen], s2[seen]
    step = 100.0 / len(scored)  # one item, in percent
    mean = step * s1 / n
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = step * np.sqrt((n * s2 - s1 * s1) / (n * (n - 1.0)))
        t = mean / (sd / np.sqrt(n))
    return {"opd": names[order][seen], "n": n, "mean_gain": mean, "sd_gain": sd, "t": t}
