"""What the read property tests draw from: the real headers of each tool's
export (fixtures), cells, whole CSV files, well-formed answer tables, and the
checks of the reader's contract (every row kept or excluded, once)."""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path

import pandas as pd
from hypothesis import strategies as st

import evaltools as et
from evaltools.errors import EvalToolsError
from evaltools.instrument import WAVES
from evaltools.read import formats
from evaltools.read.opd import load_opd_registry
from evaltools.read.table import Table
from evaltools.read.reasons import REASONS

ROOT = Path(__file__).resolve().parents[2]
INSTRUMENT_PATH = ROOT / "survey" / "netralitas-asn-pilkada-2024.yaml"
FIXTURES = ROOT / "tests" / "fixtures" / "read"
INST = et.load_instrument(INSTRUMENT_PATH)
REGISTRY = load_opd_registry(ROOT / "data" / "opd.csv")

# --------------------------------------------------------------------------
# The real headers: canonical ids and those of each tool's export (fixtures)
# --------------------------------------------------------------------------

def _first_record(path: Path) -> list:
    text = path.read_bytes().decode("utf-8-sig")
    line = text.split("\n", 1)[0]
    sep = ";" if line.count(";") > line.count(",") else ","
    return next(csv.reader(io.StringIO(text, newline=""), delimiter=sep))


def _fixture_headers(folder: str) -> list:
    (path,) = sorted((FIXTURES / folder).rglob("*.csv"))
    return _first_record(path)


FAMILIES = {
    "canonical": formats.canonical_ids(INST),
    "google-en": _fixture_headers("google-csv-en"),
    "google-id": _fixture_headers("google-csv-id"),
    "kobo-xml": _fixture_headers("kobo-csv-xml"),
    "kobo-labels": _fixture_headers("kobo-csv-labels"),
    "briefcase": _fixture_headers("odk-briefcase"),
}
FAMILY_NAMES = sorted(FAMILIES)
# Google's own control columns: compared as ids (norm_header), not as text
GOOGLE_CONTROLS = {"Timestamp", "Email Address", "Score", "Stempel waktu", "Alamat email", "Skor"}


def _table(headers: list, rows: list | None = None, name: str = "x.csv") -> Table:
    rows = rows if rows is not None else [[f"\x01{i}" for i in range(len(headers))]]
    df = pd.DataFrame(rows, columns=list(headers), dtype=str)
    return Table(df, name, Path(name))


def classify(headers: list, fmt: str | None = None) -> tuple[dict, str]:
    """What ``map_columns`` made of each header (by position):
    ("col", canonical id), ("ignored",) or ("choice",) (a Kobo 0/1 column
    understood through its select_multiple summary); and the format."""
    table = _table(headers)
    detected = formats.detect_format(table)
    out, ignored = formats.map_columns(table, INST, None, fmt)
    assert len(out.columns) == len(set(out.columns)), out.columns
    cls = {}
    for canon in out.columns:
        v = out[canon].iloc[0]
        if isinstance(v, str) and v.startswith("\x01"):
            i = int(v[1:])
            assert i not in cls
            cls[i] = ("col", canon)
    for h in ignored:
        i = headers.index(h)
        assert i not in cls, (h, cls[i])
        cls[i] = ("ignored",)
    for i in range(len(headers)):
        cls.setdefault(i, ("choice",))
    return cls, detected


BASELINE = {f: classify(h) for f, h in FAMILIES.items()}
HEADER_CANON = {f: {h: BASELINE[f][0][i][1] if BASELINE[f][0][i][0] == "col" else None
                    for i, h in enumerate(hs)} for f, hs in FAMILIES.items()}


# --------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------

NIP_OK = "198609262015051001"
MANGLED = ["1.98609262015051E+17", "1,98609E+17", "1.98609262015051e+17", "198609262015051000",
           "198609262015051008.0", "1.9860926201505101E17"]
SPECIAL_CELLS = ['"', '""', '"a"b', 'a"b', '"a', ",", ";", "\t", "|", "\n", "\r", "\r\n",
                 "=1+1", '=HYPERLINK("http://x";"y")', "+62 811", "-1", "@SUM(A1)", "'0123",
                 "NaN", "nan", "None", "null", "N/A", "#N/A", "TRUE", "FALSE", "-", " ", "\ufeff",
                 "\u2028", "\x85", "\x1c", "\xa0", "sep=;", "0", "1", "00123", "1e5", "inf",
                 *MANGLED, "Lainnya", "lainnya", "Lainnya (tulis)"]

junk_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
# at most one per file (see csv_files): Python's csv module refuses fields over 131072 characters
long_cell = st.builds(lambda s, k: s * k, st.sampled_from(["x", "a,b;c|d\t", '"', "é", "baris\n", "\r"]),
                      st.sampled_from([300, 5000, 70_000, 140_000]))
junk_cell = st.one_of(st.sampled_from(SPECIAL_CELLS), junk_text,
                      st.text(st.sampled_from(',;|\t"\r\n =\'x1'), max_size=8))


def _nip_like():
    digits = st.text(st.sampled_from("0123456789"), min_size=18, max_size=18)
    return st.one_of(st.just(NIP_OK), digits, st.sampled_from(MANGLED),
                     digits.map(lambda d: f"{d[:8]} {d[8:14]} {d[14]} {d[15:]}"),
                     digits.map(lambda d: "'" + d), digits.map(lambda d: "NIP. " + d),
                     st.text(st.sampled_from("0123456789 .-"), max_size=20))


def _answer_cells(item):
    opts = dict(item.options)
    texts = [*opts.values(), *dict(item.options_en).values()]
    if item.type == "multi":
        ids = list(opts)
        return st.one_of(
            st.lists(st.sampled_from(ids), unique=True).map(" ".join),
            st.lists(st.sampled_from(ids), unique=True).map(";".join),
            st.lists(st.sampled_from(texts), unique=True, max_size=3).map(";".join),
            st.lists(st.sampled_from(texts), unique=True, max_size=3).map(", ".join))
    return st.sampled_from(["", *opts, *[o.upper() for o in opts], *texts, "e", "x"])


def _column_cells(canon: str | None):
    if canon is None:
        return st.sampled_from(["", "0", "1", "x"])
    if canon in INST.item_ids:
        return _answer_cells(INST.item(canon))
    if canon in {i.id for i in INST.likert_items}:
        return st.sampled_from(["", "1", "2", "3", "4", "5", "4 - Setuju", "4,0", "Setuju", "7", "0"])
    if canon == "nip":
        return _nip_like()
    if canon == "kode_peserta":
        return st.sampled_from(["", "AS2208", "as2208", "0123", "HG1204 "])
    if canon == "nama":
        return st.sampled_from(["", "Ani Lestari", "Hj. Siti Rahmawati, S.Pd.", "=1+1", "M. Rizki",
                                "Budi", "  Budi  "])
    if canon == "opd":
        return st.sampled_from(["", *REGISTRY["singkatan"][:5], "Lainnya", "Kec. Loa Janaan",
                                "opd_6402_003", "Dinas Entah"])
    if canon == "session":
        return st.sampled_from(["", "s1", "loa-janan-2024-11-22", "lain"])
    if canon == "wave":
        return st.sampled_from(["", "pre", "post", "Pre-test", "followup", "x", "POST"])
    if canon == "submitted_at":
        return st.sampled_from(["", "2024-11-22 08:15:02", "2024/11/22 8:15:02 AM GMT+8",
                                "22/11/2024 08.15", "11/22/2024 8:15", "Nov 22, 2024 11:49:12 AM",
                                "2024-11-22T09:15:02.000+08:00", "kemarin", "31/02/2024 10:00"])
    if canon == "instrument":
        return st.sampled_from(["", INST.id, "instrumen-lain"])
    if canon == "instrument_version":
        return st.sampled_from(["", INST.version, "2023.2"])
    if canon == "jenis_pegawai":
        return st.sampled_from(["", "pns", "PNS", "pppk", "honorer", "Kepala/Perangkat Desa"])
    if canon == "jenis_kelamin":
        return st.sampled_from(["", "l", "P", "Laki-laki", "Female", "x"])
    if canon == "kabupaten_kota":
        return st.sampled_from(["", "kutai_kartanegara", "Kab. Paser", "Samarinda City", "x"])
    return st.sampled_from(["", "x", "1"])


def cells_for(canon):
    return st.one_of(_column_cells(canon), _column_cells(canon), junk_cell)


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------

class Raw(bytes):
    """File contents whose repr stays short and can be pasted into an
    @example: long repeats are written as b"x" * 140000."""

    def __repr__(self):
        parts, pos = [], 0
        for m in re.finditer(rb"(.{1,8}?)\1{31,}", self, re.S):
            if m.start() > pos:
                parts.append(repr(bytes(self[pos:m.start()])))
            parts.append(f"{bytes(m.group(1))!r} * {len(m.group()) // len(m.group(1))}")
            pos = m.end()
        if pos < len(self) or not parts:
            parts.append(repr(bytes(self[pos:])))
        return f"Raw({' + '.join(parts)})"


FILE_NAMES = ["pre.csv", "post.csv", "jawaban.csv", "pre_loa-janan-2024-11-22.csv", "data.txt",
              "post-test.tsv",
              "Tes Netralitas - Post-test [netralitas-asn-pilkada-2024 v2024.1 post] (Responses).csv",
              "Tes [netralitas-asn-pilkada-2024 v2023.2 pre sesi-lama-2024-01-01].csv"]
SEPARATORS = [",", ";", "\t", "|"]
LINE_ENDS = ["\n", "\r\n", "\r"]


def write_records(records: list, sep: str, quoting: str, line_end: str) -> str:
    if quoting == "none":  # what a hand-made export does: no quoting at all
        return "".join(sep.join(r) + line_end for r in records)
    out = io.StringIO()
    w = csv.writer(out, delimiter=sep, lineterminator=line_end,
                   quoting=csv.QUOTE_ALL if quoting == "all" else csv.QUOTE_MINIMAL)
    w.writerows(records)
    return out.getvalue()


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if encoding == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if encoding == "cp1252":
        return text.encode("cp1252", "replace")
    return text.encode("utf-8", "surrogatepass")


@st.composite
def headers_for_fuzz(draw):
    """Headers: a real family kept whole, edited (columns dropped, duplicated,
    renamed "x.1" as pandas would, junk added, blanked, swapped), or a random
    pick of real and junk headers."""
    fam = draw(st.sampled_from(FAMILY_NAMES))
    mode = draw(st.sampled_from(["whole", "edited", "edited", "edited", "random"]))
    if mode == "random":
        pool = [h for f in FAMILY_NAMES for h in FAMILIES[f]]
        heads = draw(st.lists(st.one_of(st.sampled_from(pool), junk_text), max_size=12))
    else:
        heads = list(FAMILIES[fam])
        if mode == "edited":
            for _ in range(draw(st.integers(1, 3))):
                op = draw(st.sampled_from(["drop", "dup", "dotted", "junk", "junk", "blank", "swap"]))
                k = draw(st.integers(0, len(heads) - 1))
                if op == "drop" and len(heads) > 1:
                    heads.pop(k)
                elif op == "dup":
                    heads.insert(draw(st.integers(0, len(heads))), heads[k])
                elif op == "dotted":  # "x" twice beside an "x.1" (pandas' name for a second "x")
                    heads.insert(draw(st.integers(0, len(heads))), heads[k] + ".1")
                    heads.insert(draw(st.integers(0, len(heads))), heads[k])
                elif op == "junk":
                    heads.insert(k, draw(st.one_of(junk_text, st.sampled_from(
                        ["x", "x.1", "kolom_3", "q01.1", "Score", "Nama", "NIP", "kode", "_id",
                         "pengetahuan/q31/a", "Q01", " q02 ", "sep=,", "No", "TTD"]))))
                elif op == "blank":
                    heads[k] = ""
                elif op == "swap":
                    j = draw(st.integers(0, len(heads) - 1))
                    heads[k], heads[j] = heads[j], heads[k]
    canon = HEADER_CANON[fam]
    return fam, heads, [canon.get(h) for h in heads]


@st.composite
def csv_files(draw):
    """(file name, bytes, read_responses keyword arguments). A file is
    "clean" (answers as the tools write them), "messy" (junk among them) or
    "broken" (no quoting, stray bytes, cut short)."""
    fam, heads, canon = draw(headers_for_fuzz())
    level = draw(st.sampled_from(["clean", "clean", "messy", "messy", "broken"]))
    cells = (lambda c: _column_cells(c)) if level == "clean" else cells_for
    records = [list(heads)]
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["full", "full", "full", "full", "empty", "short", "long"]))
        row = [draw(cells(c)) for c in canon]
        if kind == "empty":
            row = [""] * len(heads)
        elif kind == "short":
            row = row[: draw(st.integers(0, len(row)))]
        elif kind == "long":
            row = row + draw(st.lists(junk_cell, min_size=1, max_size=3))
        records.append(row)
    if level != "clean" and draw(st.integers(0, 3)) == 0:  # one very long cell somewhere
        r = draw(st.integers(0, len(records) - 1))
        if records[r]:
            records[r][draw(st.integers(0, len(records[r]) - 1))] = draw(long_cell)
    sep = draw(st.sampled_from(SEPARATORS))
    quoting = draw(st.sampled_from(["minimal", "all"] + (["none"] if level == "broken" else [])))
    text = write_records(records, sep, quoting, draw(st.sampled_from(LINE_ENDS)))
    if draw(st.integers(0, 5)) == 0:
        text = f"sep={sep}\n" + text
    if draw(st.integers(0, 5)) == 0:
        text = "DAFTAR HADIR\nSosialisasi Netralitas ASN\n" + text
    text += draw(st.sampled_from(["", "", "\n", "\r\n\r\n", sep * 5 + "\n"]))
    raw = encode(text, draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252"])))
    for _ in range(draw(st.integers(1, 3)) if level == "broken" else 0):  # stray bytes, a cut
        at = draw(st.integers(0, len(raw)))
        if draw(st.integers(0, 3)):
            raw = raw[:at] + draw(st.one_of(st.binary(max_size=3), st.sampled_from(
                [b"\x00", b"\xff", b"\x81", b"\xc3", b"\r", b'"', b"\xef\xbb\xbf"]))) + raw[at:]
        else:
            raw = raw[:at]
    kwargs = {"wave": draw(st.sampled_from([None, None, "pre", "post", "followup"])),
              "session": draw(st.sampled_from([None, "s1", "s1", "loa-janan-2024-11-22"]))}
    fmt = draw(st.sampled_from([None] * 8 + list(formats.FORMATS)))
    if fmt:
        kwargs["format"] = fmt
    if draw(st.integers(0, 7)) == 0:
        kwargs["anonymous"] = True
    return draw(st.sampled_from(FILE_NAMES)), Raw(raw), kwargs


def read_file(folder: Path, name: str, raw: bytes, kwargs: dict):
    """``read_responses`` on ``raw`` saved as ``folder/name``; warnings are
    errors (as in the project's pytest settings)."""
    path = folder / name
    path.write_bytes(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        warnings.simplefilter("error", RuntimeWarning)
        return path, et.read_responses(path, INST, registry=REGISTRY, **kwargs)


def check_accounting(r, name: str) -> None:
    """Every input row is kept or excluded, exactly once; the ledger names the file."""
    assert r.n_input_rows == len(r.data) + r.n_excluded
    assert len(r.sources) == 1 and r.sources["source"].tolist() == [name]
    assert (r.sources["rows"] == r.sources["kept"] + r.sources["excluded"]).all()
    assert (r.ledger["source"] == name).all(), r.ledger["source"].unique()
    assert (r.data["source"] == name).all()
    excluded = r.ledger.loc[r.ledger["action"] == "excluded", "row"].astype(int).tolist()
    assert len(excluded) == len(set(excluded)), "a row excluded twice"
    kept = r.data["row"].astype(int).tolist()
    assert len(kept) == len(set(kept)), "a row kept twice"
    assert all(k >= 2 for k in kept) and all(x >= 2 for x in excluded)
    assert not set(kept) & set(excluded), "a row both kept and excluded"
    rows = sorted(kept + excluded)
    assert not rows or rows == list(range(rows[0], rows[0] + len(rows))), \
        "input rows are not one run of consecutive Excel rows"
    # repairs and flags are about kept rows only; reasons are the documented ones
    notes = r.ledger[r.ledger["action"] != "excluded"]
    assert set(notes["row"].astype(int)) <= set(kept)
    for reason, action in zip(r.ledger["reason"], r.ledger["action"]):
        assert reason in REASONS and REASONS[reason][0] == action, (reason, action)
    assert all(isinstance(v, str) for v in r.data["nip"]), "a NIP that is not text"
    assert all(isinstance(v, str) and v for v in r.data["pid"])
    assert set(r.data["wave"]) <= {"pre", "post", "followup"}


def check_read(folder: Path, name: str, raw: bytes, kwargs: dict):
    """The reader's contract: accounting holds, or one EvalToolsError naming the file."""
    try:
        path, r = read_file(folder, name, raw, kwargs)
    except EvalToolsError as err:
        assert err.file == name, (err.file, str(err))
        return None
    check_accounting(r, name)
    return r


# --------------------------------------------------------------------------
# A well-formed canonical CSV reads back exactly
# --------------------------------------------------------------------------

NIPS = st.text(st.sampled_from("0123456789"), min_size=18, max_size=18).filter(
    lambda d: not d.endswith("000"))
KODES = st.from_regex(r"[0-9A-Z]{2,8}", fullmatch=True)
NAMES = st.from_regex(r"[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8}){0,2}", fullmatch=True)
SARAN = st.text(st.sampled_from("abc XYZ.,;|\t\"'\n0123"), max_size=12)


@st.composite
def answer_tables(draw):
    """(records to write, what the reader must return, write options)."""
    n = draw(st.integers(1, 6))
    nips = draw(st.lists(NIPS, min_size=n, max_size=n, unique=True))
    kodes = draw(st.lists(KODES, min_size=n, max_size=n, unique=True))
    wave = draw(st.sampled_from(WAVES))
    likert_ids = [i.id for i in INST.likert_items]
    extra = draw(st.lists(st.sampled_from(["jenis_pegawai", "opd", "submitted_at", "instrument",
                                           "instrument_version", *likert_ids, "saran"]), unique=True))
    expected = []
    for k in range(n):
        ident = draw(st.sampled_from(["nip", "kode", "both"]))
        row = {"session": "s1", "wave": wave, "nama": draw(NAMES),
               "nip": nips[k] if ident != "kode" else "",
               "kode_peserta": kodes[k] if ident != "nip" else "",
               "opd": draw(st.sampled_from(list(REGISTRY["singkatan"]))),
               "jenis_pegawai": draw(st.sampled_from(["", *INST.field("jenis_pegawai").options])),
               "submitted_at": f"2024-11-22 08:{k:02d}:00", "instrument": INST.id,
               "instrument_version": INST.version, "saran": draw(SARAN)}
        for item in INST.items:
            opts = list(item.options)
            if item.type == "multi":
                row[item.id] = " ".join(sorted(draw(st.lists(st.sampled_from(opts), unique=True))))
            else:
                row[item.id] = draw(st.sampled_from(["", *opts]))
        for lid in likert_ids:
            row[lid] = draw(st.sampled_from(["", "1", "2", "3", "4", "5"]))
        expected.append(row)
    columns = ["session", "wave", "nama", "nip", "kode_peserta", *INST.item_ids, *extra]
    columns = draw(st.permutations(columns))
    styles = {c: draw(st.sampled_from(["id", "upper", "text", "text_en"])) for c in INST.item_ids}
    likert_style = draw(st.sampled_from(["digit", "labelled", "decimal", "label"]))
    records = [list(columns)]
    for row in expected:
        records.append([_written(c, row[c], styles.get(c), likert_style) for c in columns])
    quoting = draw(st.sampled_from(["minimal", "all"]))
    return (records, expected, columns, draw(st.sampled_from(SEPARATORS)), quoting,
            draw(st.sampled_from(LINE_ENDS[:2])), draw(st.booleans()))


def _written(column: str, value: str, style: str | None, likert_style: str) -> str:
    """An answer as some tool writes it: id, upper-case id or option text."""
    if column in INST.item_ids and value and style != "id":
        item = INST.item(column)
        if style == "upper":
            return value.upper()
        texts = dict(item.options if style == "text" else item.options_en)
        return ";".join(texts[v] for v in value.split()) if item.type == "multi" else texts[value]
    if column in {i.id for i in INST.likert_items} and value:
        label = INST.likert_points[int(value)]
        return {"digit": value, "labelled": f"{value} - {label}", "decimal": f"{value},0",
                "label": label}[likert_style]
    return value



PADS = st.tuples(st.sampled_from(["", "", " ", "  ", "\t", "\xa0"]),
                 st.sampled_from(["", "", " ", "\t ", "\xa0"]))


