"""Property tests of the CSV reader (read.files, read.columnar): whatever bytes a
response file holds, ``read_responses`` returns rows that add up (input = kept +
excluded, every row once) or raises one EvalToolsError naming the file; a
well-formed file gives back exactly the answers written into it."""

from __future__ import annotations

import pandas as pd
from hypothesis import example, given
from hypothesis import strategies as st

from propsettings import budget, fresh_dir, regression
from evaltools.read.table import decoded
from read_strategies import (BASELINE, EvalToolsError, INST, PADS, Path, Raw, answer_tables,
                             check_accounting, check_read, csv_files, encode, read_file,
                             write_records)

def test_baseline_families_map_every_item():
    """The fixtures' headers are the real ones: each family maps every scored item."""
    for fam, (cls, fmt) in BASELINE.items():
        targets = {c[1] for c in cls.values() if c[0] == "col"}
        assert {i.id for i in INST.scored_items} <= targets, fam
        assert {"nama", "nip"} <= targets, fam
    assert BASELINE["briefcase"][1] == "briefcase" and BASELINE["kobo-xml"][1] == "kobo"
    assert BASELINE["google-en"][1] == BASELINE["google-id"][1] == "google"


# the reader bugs these examples ran into (the field limit, a damaged BOM, a
# duplicate-title suffix) are fixed and pinned by the test_csv_regression_* tests below
@budget(80)
@given(case=csv_files())
def test_csv_reader_accounts_for_every_row_or_names_the_file(workdir, case):
    check_read(fresh_dir(workdir), *case)


def _csv_regression(reason: str, *cases):
    """``_regression`` for ``check_read`` on explicit (name, bytes, kwargs)."""
    return regression(csv_files(), reason, *cases)


@_csv_regression("a cell over 131072 characters: csv.Error 'field larger than field limit' "
                 "escapes files._sniff_separator (its csv.reader is outside the try); in "
                 "_read_csv the same error would be reported as an unclosed quote. Fix: "
                 "csv.field_size_limit(...) raised once, or the error turned into an "
                 "EvalToolsError saying a cell is too long",
                 ("pre.csv", Raw(b"nama,nip\n" + b"x" * 140000 + b",1\n"), {"session": "s1"}))
def test_csv_regression_cell_over_field_limit(workdir, case):
    check_read(fresh_dir(workdir), *case)


@_csv_regression("files._decode: bytes after a UTF-16 BOM that are not UTF-16 (odd length, "
                 "a lone surrogate) or after a UTF-8 BOM that are not UTF-8 raise "
                 "UnicodeDecodeError; only BOM-less text falls back to cp1252. Fix: "
                 "errors='replace' there too, or an EvalToolsError naming the encoding",
                 ("pre.csv", Raw(b"\xff\xfeD"), {}),
                 ("pre.csv", Raw(b"\xff\xfe\x00\xd8a\x00"), {}),
                 ("pre.csv", Raw(b"\xef\xbb\xbfnama,q01\n\xff\n"), {}))
def test_csv_regression_damaged_bom_text(workdir, case):
    check_read(fresh_dir(workdir), *case)


@_csv_regression("titles 'x', 'x', 'x.1': files._frame renames the second 'x' to 'x.1', "
                 "which is already taken, so the table has two columns 'x.1' and df[c] is a "
                 "DataFrame (AttributeError in files._text; ValueError in strip_cells at HEAD). "
                 "Fix: _frame (and read_csv_columnar) must pick a suffix not yet used",
                 ("pre.csv", Raw(b"x,x,x.1\n1,2,3\n"), {"session": "s1"}))
def test_csv_regression_duplicate_title_suffix_collides(workdir, case):
    check_read(fresh_dir(workdir), *case)


def check_columnar(folder: Path, name: str, raw: bytes) -> None:
    """A file the columnar reader (files of 16 MB and more) takes reads as
    the row-by-row reader reads it: the same table, or the same error; read
    whole and in blocks of 256 bytes, scanned 5 bytes at a time (records cut anywhere)."""
    from evaltools.read import columnar, files, text
    path = folder / name
    path.write_bytes(raw)

    def read(how):
        try:
            return how()
        except EvalToolsError as err:
            return (err.problem, err.row, err.column)
    rows = read(lambda: files._read_text(path, path.read_bytes()))
    for block, scan in ((columnar.BLOCK_BYTES, columnar._SCAN_BYTES), (256, 5)):
        kept = columnar.BLOCK_BYTES, columnar._SCAN_BYTES
        columnar.BLOCK_BYTES, columnar._SCAN_BYTES = block, scan
        try:
            with text.wide_fields():
                got = read(lambda: columnar.read_csv_columnar(path))
        finally:
            columnar.BLOCK_BYTES, columnar._SCAN_BYTES = kept
        if got is None:  # not a file for Arrow (or a record wider than a block): rows read it
            continue
        if isinstance(got, tuple) or isinstance(rows, tuple):
            assert got == rows
            continue
        pd.testing.assert_frame_equal(decoded(got.df), rows.df, check_dtype=False)
        assert got.meta.get("same_title") == rows.meta.get("same_title")


# was a bug (columnar reader): a title holding a line break (Arrow's skip_rows skips a
# line, not a record), a quote never closed (Arrow read the rest of the file as one
# cell), a header glued by a stray quote, a file of blank lines (IndexError)
@budget(80)
@given(case=csv_files())
@example(case=("pre.csv", Raw(b'"\rfa""1","\rf""1"\n,\n'), {}))
@example(case=("pre.csv", Raw(b'\xef\xbb\xbf"DAFTAR HADIR\nSosialisasi'), {}))
@example(case=("pre.csv", Raw(b"nama,q01\n" + b"a,b\n" * 20000 + b'x,"c\nd\n'), {}))
@example(case=("pre.csv", Raw(b'"a\nb;c;d;e;f\ng";x\n1;2\n'), {}))
@example(case=("pre.csv", Raw(b"\n\n"), {}))
def test_columnar_reader_reads_as_the_row_reader(workdir, case):
    check_columnar(fresh_dir(workdir), *case[:2])


@budget(40)
@given(table=answer_tables())
def test_well_formed_canonical_csv_reads_back_exactly(workdir, table):
    records, expected, columns, sep, quoting, line_end, bom = table
    raw = encode(write_records(records, sep, quoting, line_end), "utf-8-sig" if bom else "utf-8")
    path, r = read_file(fresh_dir(workdir), "jawaban.csv", raw, {})
    check_accounting(r, "jawaban.csv")
    assert r.n_excluded == 0 and len(r.data) == len(expected)
    data = r.data.sort_values("row").reset_index(drop=True)
    assert data["row"].tolist() == list(range(2, 2 + len(expected)))
    for k, want in enumerate(expected):
        got = data.iloc[k]
        for c in ("session", "wave", "nama", "nip", "kode_peserta", *INST.item_ids):
            assert isinstance(got[c], str), (c, got[c])
            assert got[c] == want[c], (k, c, got[c], want[c])
        if "jenis_pegawai" in columns:
            assert got["jenis_pegawai"] == want["jenis_pegawai"]
        if "opd" in columns:
            assert got["opd"] == want["opd"]
        for li in INST.likert_items:
            v = got[li.id]
            if li.id in columns and want[li.id]:
                assert v == int(want[li.id]), (li.id, v, want[li.id])
            else:
                assert pd.isna(v), (li.id, v)
        if "saran" in columns:
            assert got["saran"] == want["saran"].strip(), (got["saran"], want["saran"])
        pid = f"nip:{want['nip']}" if want["nip"] else f"kode:{want['kode_peserta']}"
        assert got["pid"] == pid
    bad = {"invalid_answer", "invalid_likert", "invalid_choice", "nip_cleaned", "nip_invalid",
           "nip_mangled_by_excel", "opd_fuzzy", "opd_unknown", "opd_canonical", "time_unreadable"}
    assert not set(r.ledger["reason"]) & bad, r.ledger


ZZ_JUNK = st.from_regex(r"zz[a-z0-9 .()#:-]{0,10}", fullmatch=True)
# what a meaningless column may hold (a NUL would rightly make the file "binary")
JUNK_CELLS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12)


@budget(12)
@given(table=answer_tables(), junk=st.lists(st.tuples(ZZ_JUNK, st.integers(0, 80),
                                                      st.lists(JUNK_CELLS, min_size=6, max_size=6)),
                                            min_size=1, max_size=3, unique_by=lambda t: t[0].strip()),
       pad=PADS)
def test_junk_columns_change_nothing_but_ignored_columns(workdir, table, junk, pad):
    """The same file with meaningless columns added reads the same; the
    added columns are listed in sources["ignored_columns"]."""
    records, expected, columns, sep, quoting, line_end, bom = table
    folder = fresh_dir(workdir)
    raw = encode(write_records(records, sep, quoting, line_end), "utf-8")
    _, plain = read_file(folder, "pre.csv", raw, {})
    widened = [list(r) for r in records]
    names = []
    for title, at, cells in junk:
        at = at % (len(widened[0]) + 1)
        widened[0].insert(at, pad[0] + title + pad[1])
        for r, cell in zip(widened[1:], cells):
            r.insert(at, cell.replace("\n", " ").replace("\r", " "))
    names = [h.strip() for h in widened[0] if h.strip().startswith("zz")]
    raw = encode(write_records(widened, sep, "all", line_end), "utf-8")
    try:
        _, r = read_file(folder, "pre.csv", raw, {})
    except EvalToolsError as err:
        raise AssertionError(f"meaningless columns made the file unreadable: {err}") from None
    check_accounting(r, "pre.csv")
    assert r.sources["ignored_columns"].iloc[0] == ", ".join(names)
    pd.testing.assert_frame_equal(r.data, plain.data)
    pd.testing.assert_frame_equal(r.ledger, plain.ledger)


