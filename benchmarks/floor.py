"""The floor under the CSV target: the least work any reader does to go from
the benchmark's two CSV files to the per-OPD table, in Arrow and numpy with
nothing checked that clean files could fail.

``minimal_table`` parses each file with the answers as codes (as evaltools'
reader does, see evaltools/read/columnar.py), checks each NIP's 18 digits and
birth date, parses the times in the one layout the files use, looks for a NIP
given twice, scores every scored item against its key, joins the waves by NIP and
takes each OPD's paired t statistics; the two files in two threads, so that
both cores work, as in evaltools. It skips what evaltools does beyond that:
trimming every cell, the time layout and day/month order decided from the
values, the OPD registry, names, participant codes and fuzzy pairing,
duplicates kept apart with a ledger line each, the pairing audit, Wilcoxon,
confidence limits and the rest of the table. Its time against pyarrow's read
is thus a floor for ``evaluate(...).by("opd")``'s (``make bench`` prints both).

It is no reader: on anything the benchmark's clean files do not hold (a bad
NIP, a time in another layout, a NIP given twice, an answer left out) it
raises rather than give a number. tests/test_benchmark_floor.py checks that
its table is evaluate's on a simulated session.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

TIME_LAYOUT = "%Y/%m/%d %I:%M:%S %p"  # Google Forms' stamp as the benchmark writes it, zone dropped
ZONE = " GMT+8"


def _wave(path: Path, items: list, scored: list) -> dict:
    """One file's NIPs, OPDs (codes and names) and percent scores: every item read
    as codes (``items``), the ``scored`` ones scored."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    coded = pa.dictionary(pa.int32(), pa.string())
    types = {i.id: coded for i in items} | {"opd": coded, "jenis_pegawai": coded,
                                             "Timestamp": pa.string(), "nip": pa.string(),
                                             "nama": pa.string()}
    table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(column_types=types))
    nip = pc.utf8_trim_whitespace(table["nip"])
    born = pc.strptime(pc.utf8_slice_codeunits(nip, 0, 8), format="%Y%m%d", unit="s", error_is_null=True)
    if not pc.all(pc.match_substring_regex(nip, r"^[0-9]{18}$")).as_py() or born.null_count:
        raise ValueError(f"{path.name}: a NIP that is not 18 digits from a birth date")
    if len(pc.unique(nip)) != len(nip):
        raise ValueError(f"{path.name}: a NIP given twice")
    times = pc.strptime(pc.replace_substring(table["Timestamp"], ZONE, ""), format=TIME_LAYOUT, unit="s",
                        error_is_null=True)
    if times.null_count:
        raise ValueError(f"{path.name}: a time not in the layout {TIME_LAYOUT}{ZONE}")
    right = np.zeros(table.num_rows, dtype=np.int64)
    for item in scored:
        col = table[item.id].combine_chunks()
        key = " ".join(sorted(item.key)) if item.type == "multi" else item.key
        # each distinct answer compared with the key once, spread to the rows by its code
        hit = pc.equal(col.dictionary, pa.scalar(key)).to_numpy(zero_copy_only=False)
        if (col.dictionary.to_numpy(zero_copy_only=False) == "").any() or col.null_count:
            raise ValueError(f"{path.name}: {item.id} left unanswered")
        right += hit[col.indices.to_numpy(zero_copy_only=False)]
    opd = table["opd"].combine_chunks()
    return {"nip": nip, "opd": pc.cast(opd, pa.string()), "pct": 100.0 * right / len(scored)}


def minimal_table(csvs: list, instrument) -> dict:
    """The per-OPD paired table of the two files ``csvs`` (pre, post) as
    numpy arrays: ``opd``, ``n``, ``mean_gain``, ``sd_gain``, ``t``; OPDs
    in order of name.

    Example:
        >>> t = minimal_table([folder / "pre.csv", folder / "post.csv"], inst)  # doctest: +SKIP
        >>> int(t["n"].sum())  # doctest: +SKIP
        1000000
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    items, scored = list(instrument.items), list(instrument.scored_items)
    with ThreadPoolExecutor(2) as pool:  # Arrow's kernels release the GIL: one file per core
        pre, post = pool.map(lambda p: _wave(Path(p), items, scored), csvs)
    joined = pa.table({"nip": pre["nip"], "opd": pre["opd"], "pre": pre["pct"]}).join(
        pa.table({"nip": post["nip"], "post": post["pct"]}), "nip", join_type="inner")
    codes = pc.dictionary_encode(joined["opd"]).combine_chunks()
    names = codes.dictionary.to_numpy(zero_copy_only=False).astype(str)
    order = np.argsort(names)
    k = np.argsort(order)[codes.indices.to_numpy(zero_copy_only=False)]  # codes in order of name
    gain = joined["post"].to_numpy() - joined["pre"].to_numpy()
    n = np.bincount(k, minlength=len(names))
    mean = np.bincount(k, gain, len(names)) / n
    sd = np.sqrt(np.bincount(k, (gain - mean[k]) ** 2, len(names)) / (n - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = mean / (sd / np.sqrt(n))
    return {"opd": names[order], "n": n, "mean_gain": mean, "sd_gain": sd, "t": t}
