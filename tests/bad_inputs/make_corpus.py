"""Build tests/bad_inputs/: broken and hostile input files, and cases.csv,
the table of what a correct evaltools must do with each of them.

    .venv/bin/python tests/bad_inputs/make_corpus.py

writes ``files/<case id>/...`` (one folder per case, so that every file can
keep the name the collection tool gives it: the wave, the session and the
Google form stamp come from names) and ``cases.csv``. Files that would be big
(the 1 MB cell) or that are not files (a folder given as the instrument) are
not stored: ``GENERATED[name](folder)`` builds them at test time, and the
table names them ``@name``.

Like tests/fixtures/read/make_fixtures.py (whose helpers and synthetic people
it reuses) this script never imports evaltools: every expectation below is
written by hand from the file content it sits next to and from the rules in
README.md, evaltools/errors.py and evaltools/read/reasons.py, not from what
the toolkit currently returns. Where the toolkit is known to get a case wrong,
the expectation stays the correct one and the case carries ``xfail`` with
the reason (see README.md here).

Deterministic: no clock, no unseeded randomness; the .xlsx files get fixed
zip and docProps timestamps (make_fixtures.normalise_xlsx).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import random
import re
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
REPO = HERE.parents[1]
FORMS = REPO / "survey" / "forms"
INSTRUMENT_YAML = REPO / "survey" / "netralitas-asn-pilkada-2024.yaml"
FIXTURES = REPO / "tests" / "fixtures" / "read"


def _make_fixtures():
    spec = importlib.util.spec_from_file_location("_make_fixtures", FIXTURES / "make_fixtures.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


mf = _make_fixtures()
P, KEY, ITEMS, SIKAP, REAKSI = mf.P, mf.KEY, mf.ITEMS, mf.SIKAP, mf.REAKSI
SESSION = "loa-janan-2024-11-22"
SESS = f"session={SESSION}"
ZIP_TIME = mf.FIXED_ZIP_TIME

COLUMNS = ["id", "group", "files", "format", "args", "problem", "outcome", "input_rows", "kept",
           "ledger", "checks", "error_id", "error_en", "err_row", "err_column", "err_location",
           "xfail"]
CASES: list[dict] = []


def case(id, group, files, format, problem, outcome, *, args="", input_rows="", kept="",
         ledger="", checks="", error_id="", error_en="", err_row="", err_column="",
         err_location="", xfail=""):
    """One row of cases.csv. ``files``: paths under files/ joined by ';' (or
    '@name' for a file built at test time); ``ledger``: every ledger count as
    'action:reason=n' joined by spaces (empty: the ledger must be empty);
    ``checks``: ' | '-separated spot checks (see README.md)."""
    assert outcome in ("read", "repaired", "excluded", "error"), outcome
    assert not any(c["id"] == id for c in CASES), id
    if outcome == "error":
        assert error_id and error_en, id
    CASES.append(dict(id=id, group=group, files=files, format=format, args=args, problem=problem,
                      outcome=outcome, input_rows=input_rows, kept=kept, ledger=ledger, checks=checks,
                      error_id=error_id, error_en=error_en, err_row=err_row, err_column=err_column,
                      err_location=err_location, xfail=xfail))


# --------------------------------------------------------------------------
# writers
# --------------------------------------------------------------------------

def out(rel: str, data: bytes) -> str:
    path = FILES / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return rel


def save_wb(wb, rel: str, patch=None) -> str:
    """Save a workbook reproducibly; ``patch(name, xml) -> xml`` may edit a part."""
    path = FILES / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    if patch is not None:
        with zipfile.ZipFile(path) as z:
            parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts:
                z.writestr(name, patch(name, data))
    mf.normalise_xlsx(path)
    return rel


def zip_bytes(members: list[tuple[str, bytes]], stored_first: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k, (name, data) in enumerate(members):
            zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_STORED if (stored_first and k == 0) else zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
    return buf.getvalue()


def csv_bytes(rows, *, sep=",", le="\n", enc="utf-8", bom=False, quoting=csv.QUOTE_MINIMAL) -> bytes:
    text = mf.csv_text(rows, delimiter=sep, quoting=quoting, lineterminator=le)
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(enc)


# --------------------------------------------------------------------------
# the canonical layout (ids as headers), the people of tests/fixtures/read
# --------------------------------------------------------------------------

HEAD = ["nama", "nip", "kode_peserta", "opd", "jenis_pegawai", *ITEMS, *SIKAP]
LIK = {"sikap_1": "4", "sikap_2": "4", "sikap_3": "3", "sikap_4": "5", "sikap_5": "4", "sikap_6": "2"}
NIP = {k: P[k]["nip"] for k in P}


def person(key: str, **over) -> dict:
    """A canonical row: the person's fields, every item answered with the key."""
    p = P[key]
    d = {"nama": p["nama"], "nip": p["nip"], "kode_peserta": p["kode"], "opd": p["opd"],
         "jenis_pegawai": p["jp"], "jabatan": p["jabatan"],
         "jenis_kelamin": p["jk"], **KEY, **LIK}
    d.update(over)
    return d


def table(rows: list[dict], head=HEAD) -> list[list[str]]:
    return [list(head)] + [[str(r.get(h, "")) for h in head] for r in rows]


def canon_csv(rel, rows, head=HEAD, **kw) -> str:
    return out(rel, csv_bytes(table(rows, head), **kw))


def canon_xlsx(rel, rows, head=HEAD, patch=None, title="Sheet1") -> str:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(list(head))
    for r in rows:
        ws.append([r.get(h) for h in head])
    return save_wb(wb, rel, patch)


def pid_name(key: str) -> str:
    """The name identity of a person (see read.rows.participant_key), written out by hand."""
    return {"andi": "nama:andi saputra|kecamatan loa janan",
            "dewi": "nama:dewi lestari|upt puskesmas loa janan",
            "sri": "nama:sri wahyuni|upt dinas pendidikan kecamatan loa janan"}[key]


# --------------------------------------------------------------------------
# F: whole-file problems (any reader)
# --------------------------------------------------------------------------

def build_file_level():
    g = "F file"
    case("F01", g, out("F01/pre.csv", b""), "any (csv)", "empty file: 0 bytes, named .csv", "error",
         args=SESS, error_id="berkas kosong (0 byte)", error_en="empty file (0 bytes)")
    case("F02", g, out("F02/pre.xlsx", b""), "any (xlsx)", "empty file: 0 bytes, named .xlsx", "error",
         args=SESS, error_id="berkas kosong (0 byte)", error_en="empty file (0 bytes)")
    case("F03", g, out("F03/pre.csv", b"\r\n   \r\n\r\n"), "any (csv)",
         "only blank lines and spaces: no header, no data", "error", args=SESS,
         error_id="kosong", error_en="empty")
    wb = openpyxl.Workbook()
    case("F04", g, save_wb(wb, "F04/pre.xlsx"), "any (xlsx)",
         "a valid workbook whose only sheet has no cell at all", "error", args=SESS,
         error_id="kosong", error_en="empty")
    canon_csv("F05/pre.csv", [])
    case("F05", g, "F05/pre.csv", "canonical csv", "header only: an export made before anyone answered",
         "read", args=SESS, input_rows=0, kept=0)
    rnd = random.Random(2024)
    junk = b"\x7fELF\x02\x01\x01\x00" + rnd.randbytes(2040)
    case("F06", g, out("F06/pre.csv", junk), "any (csv)",
         "binary junk (an ELF header and seeded random bytes, NULs included) named .csv", "error",
         args=SESS, error_id="berkas biner", error_en="binary file")
    canon_csv("F07/pre.xlsx", [person("andi"), person("dewi")])
    case("F07", g, "F07/pre.xlsx", "canonical csv named .xlsx",
         ".xlsx that is not a zip: plain CSV text saved under an .xlsx name", "read", args=SESS,
         input_rows=2, kept=2, checks="format=sheet | 2:nama=Andi Saputra | 3:nip=" + NIP["dewi"])
    html = ("<html><head><meta charset=\"utf-8\"></head><body><table>\n"
            "<tr><td>Nama Lengkap</td><td>NIP</td><td>Unit Kerja</td><td>Nilai</td></tr>\n"
            "<tr><td>Andi Saputra</td><td>198609262015051001</td><td>Kecamatan Loa Janan</td><td>80</td></tr>\n"
            "</table></body></html>\n")
    case("F08", g, out("F08/pre.xlsx", html.encode()), "any (xlsx)",
         ".xlsx that is not a zip: an HTML table a web application called an Excel export", "error",
         args=SESS, error_id="HTML", error_en="HTML")
    canon_xlsx("F09/full.xlsx", [person("andi"), person("dewi"), person("sri")])
    whole = (FILES / "F09/full.xlsx").read_bytes()
    (FILES / "F09/full.xlsx").unlink()
    case("F09", g, out("F09/pre.xlsx", whole[:1500]), "any (xlsx)",
         "truncated .xlsx: a download cut after 1500 bytes (zip without its central directory)", "error",
         args=SESS, error_id="berkas Excel tidak dapat dibuka", error_en="Excel file cannot be opened")
    # an encrypted OOXML package is an OLE2 compound file holding EncryptionInfo + EncryptedPackage
    ole = bytearray(4096)
    ole[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    ole[0x18:0x1e] = b"\x3e\x00\x03\x00\xfe\xff"
    for off, name in ((1024, "EncryptionInfo"), (1152, "EncryptedPackage")):
        enc = name.encode("utf-16-le")
        ole[off:off + len(enc)] = enc
    case("F10", g, out("F10/pre.xlsx", bytes(ole)), "any (xlsx)",
         "password-protected .xlsx (an OLE2 container with EncryptionInfo/EncryptedPackage)", "error",
         args=SESS, error_id="berkata sandi", error_en="password-protected")
    case("F11", g, out("F11/Tes Pemahaman.csv.zip", zip_bytes([("foto-lembar-jawaban.jpg",
                                                                 b"\xff\xd8\xff\xe0" + bytes(60))])),
         "google zip", "a .zip holding no CSV (a phone photo of the answer sheet)", "error", args=SESS,
         error_id="arsip zip tanpa berkas CSV atau Excel", error_en="a zip archive with no CSV or Excel file")
    two = csv_bytes(table([person("andi")]))
    case("F12", g, out("F12/Tes Pemahaman.csv.zip", zip_bytes([("pre.csv", two), ("post.csv", two)])),
         "google zip", "a .zip holding two CSV files", "error", args=SESS,
         error_id="arsip zip berisi 2 berkas CSV", error_en="a zip archive with several CSV files")
    ods = zip_bytes([("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
                     ("META-INF/manifest.xml", b'<?xml version="1.0" encoding="UTF-8"?>\n'
                      b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                      b'<manifest:file-entry manifest:full-path="/" manifest:media-type='
                      b'"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>\n'),
                     ("content.xml", b'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
                      b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>\n')],
                    stored_first=True)
    case("F13", g, out("F13/pre.ods", ods), "any (ods)",
         "a LibreOffice .ods spreadsheet (itself a zip)", "error", args=SESS,
         error_id="jenis berkas .ods tidak didukung", error_en="file type .ods is not supported")


# --------------------------------------------------------------------------
# E: encodings, NUL bytes, line ends
# --------------------------------------------------------------------------

def build_encodings():
    g = "E encoding"
    text = csv_bytes(table([person("andi"), person("dewi", nama="Dewi\x00Lestari"), person("sri")]))
    case("E01", g, out("E01/pre.csv", text), "canonical csv",
         "a NUL byte inside a name (row 3, within the first 4 KB) of an otherwise clean UTF-8 CSV", "error",
         args=SESS, error_id="NUL", error_en="NUL", err_row=3, err_column="nama")
    many = [person("andi", nama=f"Peserta {k:03d}", nip="", kode_peserta=f"PS{k:04d}") for k in range(1, 61)]
    many[45]["nama"] = "Peserta\x00046"  # row 47
    rel = canon_csv("E02/pre.csv", many)
    assert (FILES / rel).read_bytes().index(b"\x00") > 4096
    case("E02", g, rel, "canonical csv",
         "a NUL byte inside a name at row 47, beyond the first 4 KB", "error", args=SESS,
         error_id="NUL", error_en="NUL", err_row=47, err_column="nama")
    head = csv_bytes(table([person("rene", opd="Kecamatan Loa Janan")]))
    agnes = csv_bytes(table([person("andi", nama="Agnès Tarigan", nip="199104222019032007")]))
    agnes_line = agnes.decode("utf-8").split("\n", 1)[1].encode("cp1252")
    tail = csv_bytes(table([person("andi")])).split(b"\n", 1)[1]
    case("E03", g, out("E03/pre.csv", head + agnes_line + tail), "canonical csv",
         "mixed encodings: UTF-8 file with one row (row 3) appended by a cp1252 tool", "read", args=SESS,
         input_rows=3, kept=3, checks="2:nama=René Wuisan | 3:nama=Agnès Tarigan | 4:nama=Andi Saputra")
    rows = [person("rene", opd="Kecamatan Loa Janan", jabatan="Kasi Trantib \u2013 Kecamatan"), person("andi")]
    case("E04", g, canon_csv("E04/pre.csv", rows, HEAD + ["jabatan"], le="\r\n", enc="cp1252"),
         "canonical csv", "the whole file in cp1252 (Windows Excel 'CSV'), an en dash and an é", "read",
         args=SESS, input_rows=2, kept=2, checks="2:nama=René Wuisan | 2:jabatan=Kasi Trantib \u2013 Kecamatan")
    case("E05", g, canon_csv("E05/pre.csv", [person("andi"), person("dewi")], le="\r\n", bom=True),
         "canonical csv", "UTF-8 with a BOM before the first header and CRLF line ends", "read", args=SESS,
         input_rows=2, kept=2, checks="2:nama=Andi Saputra | 2:pid=nip:" + NIP["andi"])
    case("E06", g, canon_csv("E06/pre.csv", [person("andi"), person("dewi"), person("sri")], le="\r"),
         "canonical csv", "CR-only line ends (old Mac Excel 'CSV (Macintosh)')", "read", args=SESS,
         input_rows=3, kept=3, checks="rows=2,3,4 | 4:nama=Sri Wahyuni")
    lines = csv_bytes(table([person("andi"), person("dewi"), person("sri")])).split(b"\n")
    mixed = lines[0] + b"\r\n" + lines[1] + b"\n" + lines[2] + b"\r" + lines[3] + b"\r\n"
    case("E07", g, out("E07/pre.csv", mixed), "canonical csv",
         "CRLF, LF and CR line ends mixed in one file", "read", args=SESS, input_rows=3, kept=3,
         checks="rows=2,3,4 | 3:nama=Dewi Lestari | 4:nip=" + NIP["sri"])
    rows = table([person("andi"), person("dewi")])
    utf16 = "\r\n".join("\t".join(r) for r in rows).encode("utf-16")
    case("E08", g, out("E08/pre.txt", utf16), "canonical (Excel Unicode Text)",
         "UTF-16 LE with BOM, tab-separated (Excel 'Unicode Text'), NUL bytes everywhere", "read",
         args=SESS, input_rows=2, kept=2, checks="3:nama=Dewi Lestari | 3:q31=a c d")


# --------------------------------------------------------------------------
# Q: quoting and row structure
# --------------------------------------------------------------------------

def build_quotes():
    g = "Q quoting"
    lines = csv_bytes(table([person("andi"), person("dewi"), person("hendra"), person("sri")])).decode().split("\n")
    assert lines[3].startswith("Hendra Gunawan,")
    lines[3] = '"' + lines[3]  # a quote opened before the name and never closed
    case("Q01", g, out("Q01/pre.csv", "\n".join(lines).encode()), "canonical csv",
         "unbalanced quote: opened at the start of row 4 and never closed", "error", args=SESS,
         error_id='tanda kutip (") dibuka tetapi tidak ditutup', error_en="not closed", err_row=4)
    lines = csv_bytes(table([person("dewi"), person("andi"), person("sri"),
                             person("siti_r")])).decode().split("\n")
    assert lines[4].startswith('"Hj. Siti Rahmawati, S.Pd."')
    lines[1] = '"' + lines[1]  # closed only by the quote that opens row 5's name
    case("Q02", g, out("Q02/pre.csv", "\n".join(lines).encode()), "canonical csv",
         "unbalanced quote at row 2 that a later quoted field (row 5) 'closes': rows 2-5 would be one cell",
         "error", args=SESS, error_id='tanda kutip (") dibuka tetapi tidak ditutup', error_en="not closed",
         err_row=2)
    src = next((FIXTURES / "google-csv-en").glob("*.csv"))
    text = src.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[5].count('"Hendra Gunawan"') == 1
    lines[5] = lines[5].replace('"Hendra Gunawan"', '"Hendra Gunawan')
    case("Q03", g, out("Q03/" + src.name, "\n".join(lines).encode()), "google csv (en)",
         "Google Forms CSV (every field quoted) with one closing quote missing in row 6", "error", args=SESS,
         error_id='tanda kutip (") dibuka tetapi tidak ditutup', error_en="not closed", err_row=6)
    src = next((FIXTURES / "odk-briefcase").glob("*.csv"))
    raw = src.read_bytes().split(b"\r\n")
    assert raw[3].count(b'"Materi media sosial, terutama WhatsApp, diperbanyak"') == 1
    raw[3] = raw[3].replace(b'diperbanyak"', b"diperbanyak")
    case("Q04", g, out("Q04/" + src.name, b"\r\n".join(raw)), "odk briefcase",
         "ODK Briefcase CSV: the quoted saran of row 4 lost its closing quote", "error", args=SESS,
         error_id='tanda kutip (") dibuka tetapi tidak ditutup', error_en="not closed", err_row=4)
    lines = csv_bytes(table([person("andi"), person("sri"), person("dewi")])).decode().split("\n")
    assert lines[2].startswith("Sri Wahyuni,")
    lines[2] = lines[2].replace("Sri Wahyuni,", "Sri Wahyuni, S.Pd.,", 1)  # the comma is not quoted
    case("Q05", g, out("Q05/pre.csv", "\n".join(lines).encode()), "canonical csv",
         "an unquoted comma in the name of row 3 shifts every later cell one column right", "excluded",
         args=SESS, input_rows=3, kept=2, ledger="excluded:extra_cells=1",
         checks="rows=2,4 | ledger:3:extra_cells")
    lines = csv_bytes(table([person("andi"), person("dewi"), person("sri")])).decode().split("\n")
    lines[2] = ",".join(lines[2].split(",")[:-3])  # sikap_4..6 cut off
    case("Q06", g, out("Q06/pre.csv", "\n".join(lines).encode()), "canonical csv",
         "row 3 cut short: its last three cells (sikap_4-6) missing", "read", args=SESS, input_rows=3,
         kept=3, ledger="flagged:short_row=1", checks="3:sikap_3=3 | 3:sikap_4= | 3:sikap_6= | ledger:3:short_row")
    kobo_rows = [dict(person="andi", kobo_id=512873001, sub_utc="2024-11-22T00:41:32",
                      ans=mf.ANS["andi_pre"], lik=mf.likert(4, 4, 3, 5, 4, 2)),
                 dict(person="sri", kobo_id=512873002, sub_utc="2024-11-22T00:42:10",
                      ans=mf.ANS["sri_pre"], lik=mf.likert(5, 4, 4, 5, 4, 1)),
                 dict(person="dewi", kobo_id=512873005, sub_utc="2024-11-22T00:44:57",
                      ans=mf.ANS["dewi_pre"], lik=mf.likert(4, 3, 3, 4, 3, 3))]
    data = mf.kobo_csv("pre", kobo_rows, labels=False)
    last = data.rindex(b'"Dewi Lestari"')
    name = f"Q07/{SESSION}/Tes Pemahaman Netralitas ASN - all versions - xml - 2024-11-22-11-40-02.csv"
    case("Q07", g, out(name, data[:last + 5]), "kobo csv (xml)",
         "a Kobo CSV download interrupted inside row 4 (in the middle of a quoted name)", "error",
         error_id='tanda kutip (") dibuka tetapi tidak ditutup', error_en="not closed", err_row=4)


# --------------------------------------------------------------------------
# H: headers and columns
# --------------------------------------------------------------------------

def build_headers():
    g = "H header"
    head = HEAD + ["q05"]
    rows = [dict(person("andi"), **{"q05": "c"}), person("dewi")]
    t = table(rows, HEAD)
    t[0].append("q05")
    t[1].append("a")   # the second q05 column disagrees with the first
    t[2].append("c")
    assert t[0].count("q05") == 2 and len(head) == len(t[0])
    case("H01", g, out("H01/pre.csv", csv_bytes(t)), "canonical csv",
         "duplicate header: two columns titled q05 (the second says 'a' where the first says 'c')",
         "error", args=SESS, error_id="dua kolom berarti sama", error_en="two columns mean the same",
         err_row=1, err_column="q05")
    plain = ["No", "Nama", "NIP", "Unit Kerja", *ITEMS, "Nama"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rekap"
    ws.append(plain)
    for k, who in enumerate(("andi", "dewi"), 1):
        p = person(who)
        ws.append([k, p["nama"], p["nip"], p["opd"], *[p[q] for q in ITEMS], "Drs. Bambang Sutrisno"])
    case("H02", g, save_wb(wb, "H02/pre.xlsx"), "plain sheet (xlsx)",
         "duplicate header in a hand-made sheet: 'Nama' (participant) and again 'Nama' (the supervisor)",
         "error", args=SESS, error_id="dua kolom berarti sama", error_en="two columns mean the same",
         err_row=1, err_column="Nama")
    head = ["Nama Lengkap", "NIP", "Unit Kerja", "Instansi", *ITEMS]
    rows = [dict(person(w), **{"Nama Lengkap": P[w]["nama"], "NIP": P[w]["nip"], "Unit Kerja": P[w]["opd"],
                                "Instansi": "Pemkab Kutai Kartanegara"}) for w in ("andi", "dewi")]
    case("H03", g, canon_csv("H03/pre.csv", rows, head), "plain sheet (csv)",
         "two different headers meaning the same field (Unit Kerja and Instansi are both OPD)", "error",
         args=SESS, error_id="dua kolom berarti sama", error_en="two columns mean the same",
         err_row=1, err_column="Instansi")
    head = [h for h in HEAD if h != "q07"]
    case("H04", g, canon_csv("H04/post.csv", [person("andi"), person("dewi")], head), "canonical csv",
         "missing item column: scored item q07 is not in the file", "error", args=SESS,
         error_id="kolom butir q07 tidak ada", error_en="item column(s) q07 missing", err_row=1, err_column="q07")
    head = [h for h in HEAD if h != "q04"]
    case("H05", g, canon_csv("H05/pre.csv", [person("andi"), person("dewi")], head), "canonical csv",
         "missing item column of an unscored item (q04 is scored: false)", "read", args=SESS,
         input_rows=2, kept=2, checks="2:q04= | 3:q04= | 2:q05=c")
    head = ["No", *HEAD, "q32", "q00"]
    rows = [dict(person(w), No=str(k), q32="a", q00="b") for k, w in enumerate(("andi", "dewi"), 1)]
    case("H06", g, canon_csv("H06/pre.csv", rows, head), "canonical csv",
         "extra item columns q32 and q00 the instrument does not have (and a 'No' column)", "read",
         args=SESS, input_rows=2, kept=2, checks="ignored~q32 | ignored~q00 | ignored~No | 2:q31=a c d")
    # Google Sheet: question 5 was deleted and added again with new words after three responses;
    # the Sheet keeps the old question's column (at the end) for the early rows
    old_title = "5. Sanksi bagi ASN yang menjadi anggota atau pengurus partai politik adalah:"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Form Responses 1"
    qs = [q for q in mf.GF["pre"]["questions"] if q["kind"] != "section"]
    ws.append(["Timestamp", "Email Address", "Score", *[q["title"] for q in qs], old_title])
    people = ["andi", "sri", "dewi", "hendra", "yusuf"]
    for k, who in enumerate(people):
        p = P[who]
        rec = [datetime(2024, 11, 22, 8, 10 + 3 * k), p["email"], "27 / 27"]
        for q in qs:
            qid = q["id"]
            v = {"nama": p["nama"], "nip": p["nip"], "kode_peserta": p["kode"], "opd": p["opd"],
                 "opd_lainnya": "", "jenis_pegawai": mf.JP_LABEL[p["jp"]], "jabatan": p["jabatan"],
                 "jenis_kelamin": mf.JK_LABEL[p["jk"]], "kabupaten_kota": mf.KAB}.get(qid)
            if qid in KEY:
                v = ", ".join(mf.option_text(qid, o) for o in KEY[qid].split())
            elif qid in SIKAP:
                v = mf.LIKERT_TEXT[4]
            if qid == "q05" and k < 3:
                v = None  # answered in the old column
            rec.append(v or None)
        rec.append(mf.option_text("q05", "c") if k < 3 else None)
        ws.append(rec)
    case("H07", g, save_wb(wb, "H07/tes-awal-respons.xlsx"), "google sheets xlsx",
         "an item column renamed in the middle of collection: q05 re-created with new words; rows 2-4 "
         "answered it in the old column (kept by the Sheet, at the end), rows 5-6 in the new one",
         "error", args="wave=pre;" + SESS, error_id="q05", error_en="q05", err_row=1, err_column=old_title)
    src = next((FIXTURES / "google-csv-en").glob("*.csv"))
    rows = list(csv.reader(io.StringIO(src.read_text(encoding="utf-8"))))
    q5 = next(k for k, h in enumerate(rows[0]) if h.startswith("5. "))
    renamed = rows[0][q5].replace("5. ", "5) ", 1).rstrip(":") + "?"
    rows[0].append(renamed)
    for k, r in enumerate(rows[1:], 1):
        r.append(r[q5] if k <= 3 else "")
        if k <= 3:
            r[q5] = ""
    case("H08", g, out("H08/" + src.name, csv_bytes(rows, quoting=csv.QUOTE_ALL)), "google csv (en)",
         "q05 retitled mid-collection with punctuation only ('5. ...:' -> '5) ...?'): two columns, "
         "one per period", "error", args=SESS, error_id="dua kolom berarti sama",
         error_en="two columns mean the same", err_row=1, err_column=renamed)
    head = ["opd", "jenis_pegawai", *ITEMS]
    case("H09", g, canon_csv("H09/pre.csv", [person("andi"), person("dewi")], head), "canonical csv",
         "no identifier column: neither nama, nip nor kode_peserta", "error", args=SESS,
         error_id="tidak ada kolom pengenal peserta", error_en="no participant identifier column", err_row=1)
    t = table([person("andi"), person("dewi")])
    t[0] = [f"  {h.upper()} " for h in t[0]]
    case("H10", g, out("H10/pre.csv", csv_bytes(t)), "canonical csv",
         "headers in upper case with spaces around them ('  NAMA ', '  Q01 ')", "read", args=SESS,
         input_rows=2, kept=2, checks="2:nama=Andi Saputra | 3:q01=b | 3:sikap_6=2")


# --------------------------------------------------------------------------
# R: rows
# --------------------------------------------------------------------------

def build_rows():
    g = "R row"
    t = table([person("andi"), person("dewi"), person("sri")])
    width = len(HEAD)
    lines = [mf.csv_text([r], lineterminator="\n").rstrip("\n") for r in t]
    body = [lines[0], lines[1], "", lines[2], "," * (width - 1), ",".join(["  "] * width), lines[3],
            "," * (width - 1), "," * (width - 1)]
    case("R01", g, out("R01/pre.csv", ("\n".join(body) + "\n").encode()), "canonical csv",
         "all-blank rows in the middle (an empty line, a row of commas, a row of spaces) and two "
         "trailing rows of commas (input rows too: what a spreadsheet leaves of deleted responses)",
         "excluded", args=SESS, input_rows=8, kept=3,
         ledger="excluded:empty_row=5", checks="rows=2,4,7 | ledger:3:empty_row | ledger:5:empty_row | "
                                               "ledger:6:empty_row | ledger:8:empty_row | ledger:9:empty_row")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    ws.append([person("andi")[h] for h in HEAD])
    ws.append(["  "] * 5)
    ws.append([None] * 3)
    ws.append([person("dewi")[h] for h in HEAD])
    from openpyxl.styles import PatternFill
    for r in range(6, 9):  # formatted but empty rows below the table
        for c in range(1, 6):
            ws.cell(r, c).fill = PatternFill("solid", fgColor="FFFF00")
    case("R02", g, save_wb(wb, "R02/pre.xlsx"), "canonical xlsx",
         "blank rows inside a workbook (spaces only, nothing) and formatted empty rows below the table",
         "excluded", args=SESS, input_rows=4, kept=2, ledger="excluded:empty_row=2",
         checks="rows=2,5 | ledger:3:empty_row | ledger:4:empty_row")
    rows = [person("andi"), person("andi", nama="", nip="", kode_peserta=""), person("dewi")]
    case("R03", g, canon_csv("R03/pre.csv", rows), "canonical csv",
         "a row with answers but no name, NIP or participant code", "excluded", args=SESS,
         input_rows=3, kept=2, ledger="excluded:no_identifier=1", checks="rows=2,4 | ledger:3:no_identifier")
    rows = [person("andi", wave="pre"), person("dewi", wave="Pre-Test"), person("sri", wave="sebelum")]
    case("R04", g, canon_csv("R04/jawaban.csv", rows, ["wave", *HEAD]), "canonical csv",
         "wave column with 'pre', 'Pre-Test' and 'sebelum' (not a wave word)", "excluded", args=SESS,
         input_rows=3, kept=2, ledger="excluded:unknown_wave=1",
         checks="rows=2,3 | 3:wave=pre | ledger:4:unknown_wave")
    case("R05", g, canon_csv("R05/jawaban.csv", [person("andi")]), "canonical csv",
         "no wave anywhere: no wave column, no pre/post in the file name, no wave= argument", "error",
         args=SESS, error_id="gelombang tes (pre/post) tidak diketahui", error_en="test wave (pre/post) unknown",
         err_column="wave")
    rows = [person("andi", submitted_at="2024-11-22 09:55:00", q01="a"),
            person("dewi", submitted_at="2024-11-22 10:00:00"),
            person("andi", submitted_at="2024-11-22 10:05:00")]
    case("R06", g, canon_csv("R06/pre.csv", rows, ["submitted_at", *HEAD]), "canonical csv",
         "the same NIP submitted twice (rows 2 and 4); row 4 is the later", "excluded", args=SESS,
         input_rows=3, kept=2, ledger="excluded:duplicate_submission=1",
         checks="rows=3,4 | 4:q01=b | ledger:2:duplicate_submission")


# --------------------------------------------------------------------------
# V: values
# --------------------------------------------------------------------------

def build_values():
    g = "V value"
    rows = [person("andi", q01="B", q02=" d ", q03="Loyal",
                   q08="pemotongan tunjangan kinerja 25% selama 6, 9 atau 12 bulan", q12="SALAH ",
                   q31="A, C; D", sikap_1="4 - Setuju", sikap_2="Sangat setuju", sikap_3="4,0"),
            person("dewi", q01="Law 20/2023", q02="d.", q03="(b)", q12="Salah",
                   q31="menjadi tim kampanye; membagikan unggahan akun pemenangan; "
                       "menggunakan mobil dinas untuk kegiatan calon")]
    case("V01", g, canon_csv("V01/pre.csv", rows), "canonical csv",
         "answers in upper case, with spaces, as option text (Indonesian and English), as 'd.' and '(b)', "
         "multi with mixed separators, Likert as '4 - Setuju' / 'Sangat setuju' / '4,0'", "read", args=SESS,
         input_rows=2, kept=2,
         checks="2:q01=b | 2:q02=d | 2:q03=b | 2:q08=b | 2:q12=salah | 2:q31=a c d | 2:sikap_1=4 | "
                "2:sikap_2=5 | 2:sikap_3=4 | 3:q01=b | 3:q02=d | 3:q03=b | 3:q12=salah | 3:q31=a c d")
    rows = [person("andi", q02="e", q03="5", q05="x"), person("dewi", q12="ya", q31="a f")]
    case("V02", g, canon_csv("V02/pre.csv", rows), "canonical csv",
         "answers out of range: 'e' of a/b/c/d, '5', 'x', 'ya' for benar/salah, multi 'a f'", "repaired",
         args=SESS, input_rows=2, kept=2, ledger="repaired:invalid_answer=5",
         checks="2:q02= | 2:q03= | 2:q05= | 3:q12= | 3:q31= | 2:q01=b | ledger:2:q02:invalid_answer | "
                "ledger:2:q03:invalid_answer | ledger:2:q05:invalid_answer | ledger:3:q12:invalid_answer | "
                "ledger:3:q31:invalid_answer")
    rows = [person("andi", sikap_1="0", sikap_2="6", sikap_3="-1", sikap_4="4.5", sikap_5="44", sikap_6="3,5"),
            person("dewi", sikap_1="4,0", sikap_2="5 - Sangat setuju", sikap_3="Setuju", sikap_4="Agree",
                   sikap_5="1", sikap_6="")]
    case("V03", g, canon_csv("V03/pre.csv", rows), "canonical csv",
         "Likert values outside 1-5 (0, 6, -1, 4.5, 44, 3,5) and valid spellings (4,0, '5 - Sangat setuju', "
         "'Setuju', 'Agree', 1, blank)", "repaired", args=SESS, input_rows=2, kept=2,
         ledger="repaired:invalid_likert=6",
         checks="2:sikap_1= | 2:sikap_2= | 2:sikap_3= | 2:sikap_4= | 2:sikap_5= | 2:sikap_6= | 3:sikap_1=4 | "
                "3:sikap_2=5 | 3:sikap_3=4 | 3:sikap_4=4 | 3:sikap_5=1 | 3:sikap_6= | ledger:2:sikap_4:invalid_likert")
    rows = [person("andi", nip="1,98609E+17"), person("dewi", nip="1.99005122023012E+17"),
            person("sri", nip="198703152010012000"), person("budi")]
    case("V04", g, canon_csv("V04/pre.csv", rows), "canonical csv",
         "NIPs in scientific notation (decimal comma and point) and one whose last digits Excel "
         "turned into 000", "repaired", args=SESS, input_rows=4, kept=4,
         ledger="repaired:nip_mangled_by_excel=3",
         checks=f"2:nip= | 2:pid={pid_name('andi')} | 3:nip= | 3:pid={pid_name('dewi')} | 4:nip= | "
                f"4:pid={pid_name('sri')} | 5:pid=nip:{NIP['budi']}")
    rows = [person("andi", nip=1.98609262015051e17), person("dewi", nip=int(NIP["dewi"])), person("sri")]

    def exact(name, xml):
        # openpyxl (like Excel) writes the integer as a double; another tool may write its 18 digits
        if name.startswith("xl/worksheets/sheet"):
            xml = xml.replace(b"<v>1.99005122023012e+17</v>", b"<v>" + NIP["dewi"].encode() + b"</v>")
        return xml
    rel = canon_xlsx("V05/pre.xlsx", rows, patch=exact)
    with zipfile.ZipFile(FILES / rel) as z:
        assert NIP["dewi"].encode() in z.read("xl/worksheets/sheet1.xml")
    case("V05", g, rel, "canonical xlsx",
         "NIPs in number cells: a float (1.98609262015051E+17) and an exact 18-digit integer", "repaired",
         args=SESS, input_rows=3, kept=3, ledger="repaired:nip_mangled_by_excel=1",
         checks=f"2:nip= | 2:pid={pid_name('andi')} | 3:nip={NIP['dewi']} | 3:pid=nip:{NIP['dewi']} | "
                f"4:nip={NIP['sri']}")
    rows = [person("andi", nip="NIP. 19860926 201505 1 001"), person("dewi", nip="'" + NIP["dewi"]),
            person("sri", nip="19870315201001200")]
    case("V06", g, canon_csv("V06/pre.csv", rows), "canonical csv",
         "NIP with a label and spaces, with Excel's text apostrophe, and one of 17 digits", "repaired",
         args=SESS, input_rows=3, kept=3, ledger="repaired:nip_cleaned=2 repaired:nip_invalid=1",
         checks=f"2:nip={NIP['andi']} | 3:nip={NIP['dewi']} | 4:nip=19870315201001200 | "
                f"4:pid=nip:19870315201001200")

    def cached(name, xml):
        # what Excel stores: the formula AND its last computed value
        if name.startswith("xl/worksheets/sheet"):
            xml = xml.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")
            xml = re.sub(rb'(<c r="[A-Z]+\d+")(><f>CHAR\(66\)</f>)<v />', rb'\1 t="str"\2<v>B</v>', xml)
        return xml
    head = [*HEAD, "jabatan"]
    rows = [person("andi", nama="=1+1", q01="=CHAR(66)", jabatan='=HYPERLINK("http://contoh.example/","klik")'),
            person("dewi")]
    rel = canon_xlsx("V07/pre.xlsx", rows, head, patch=cached)
    with zipfile.ZipFile(FILES / rel) as z:
        assert b"<v>2</v>" in z.read("xl/worksheets/sheet1.xml") and b"<v>B</v>" in z.read("xl/worksheets/sheet1.xml")
    case("V07", g, rel, "canonical xlsx",
         "formulas in cells, with cached values as Excel stores them: nama =1+1 (2), q01 =CHAR(66) ('B'), "
         "jabatan =HYPERLINK(...): read as their text, never evaluated", "repaired", args=SESS,
         input_rows=2, kept=2, ledger="repaired:invalid_answer=1",
         checks='2:nama==1+1 | 2:q01= | 2:jabatan==HYPERLINK("http://contoh.example/","klik") | '
                "2:pid=nip:" + NIP["andi"] + " | ledger:2:q01:invalid_answer")
    rows = [person("andi", nama="=cmd|' /C calc'!A0", jabatan="+62 812 5555 0101"),
            person("dewi", jabatan="@SUM(A1:A9)", kode_peserta="-DL1205")]
    case("V08", g, canon_csv("V08/pre.csv", rows, [*HEAD, "jabatan"]), "canonical csv",
         "formula-like text in a CSV (a DDE payload, +62..., @SUM, -code): kept as typed", "read", args=SESS,
         input_rows=2, kept=2,
         checks="2:nama==cmd|' /C calc'!A0 | 2:jabatan=+62 812 5555 0101 | 3:jabatan=@SUM(A1:A9) | "
                "3:kode_peserta=-DL1205")
    head = ["submitted_at", *HEAD]
    rows = [person("andi", submitted_at=45618.34375), person("dewi", submitted_at=45618.35416666667),
            person("andi", submitted_at=45618.3125, q01="a")]
    case("V09", g, canon_xlsx("V09/pre.xlsx", rows, head), "canonical xlsx",
         "submission times as Excel serial numbers in General-format cells (45618.34375 = 2024-11-22 "
         "08:15); the same NIP twice, the later submission (08:15) in row 2, the earlier (07:30) in row 4",
         "excluded", args=SESS, input_rows=3, kept=2, ledger="excluded:duplicate_submission=1",
         checks="rows=2,3 | 2:submitted_at=2024-11-22 08:15:00 | 3:submitted_at=2024-11-22 08:30:00 | "
                "2:q01=b | ledger:4:duplicate_submission")
    rows = [person("andi", submitted_at="45618,34375"), person("dewi", submitted_at="45618.35416666667"),
            person("andi", submitted_at="45618.3125", q01="a")]
    case("V10", g, canon_csv("V10/pre.csv", rows, head, sep=";"), "canonical csv",
         "the same serial times in a CSV saved from that sheet (';' separator, one with a decimal comma)",
         "excluded", args=SESS, input_rows=3, kept=2, ledger="excluded:duplicate_submission=1",
         checks="rows=2,3 | 2:submitted_at=2024-11-22 08:15:00 | 3:submitted_at=2024-11-22 08:30:00 | "
                "2:q01=b | ledger:4:duplicate_submission")
    case("V11", g, "@big_cell_csv", "canonical csv",
         "one 1 MB cell: a saran of 1,000,000 characters (generated at test time)", "read", args=SESS,
         input_rows=2, kept=2, checks="2:saran#len=1000000 | 3:saran=ok | 2:q01=b")
    case("V12", g, "@big_cell_xlsx", "canonical xlsx",
         "one 1 MB cell in a workbook (more than Excel's 32,767 characters; generated at test time)",
         "read", args=SESS, input_rows=2, kept=2, checks="2:saran#len=1000000 | 3:saran=ok")
    head = [*HEAD, "jenis_kelamin"]
    rows = [person("andi", jenis_pegawai="honorer", jenis_kelamin="X"),
            person("dewi", jenis_pegawai="PPPK", jenis_kelamin="Perempuan")]
    case("V13", g, canon_csv("V13/pre.csv", rows, head), "canonical csv",
         "participant choices outside their lists ('honorer', 'X') next to labels ('PPPK', 'Perempuan')",
         "repaired", args=SESS, input_rows=2, kept=2, ledger="repaired:invalid_choice=2",
         checks="2:jenis_pegawai= | 2:jenis_kelamin= | 3:jenis_pegawai=pppk | 3:jenis_kelamin=p")


def big_cell_csv(folder: Path) -> list[Path]:
    text = ("Mohon materi diperbanyak dan waktu diskusi ditambah. " * 20000)[:1_000_000]
    rows = [person("andi", saran=text), person("dewi", saran="ok")]
    path = folder / "pre.csv"
    path.write_bytes(csv_bytes(table(rows, [*HEAD, "saran"])))
    return [path]


def big_cell_xlsx(folder: Path) -> list[Path]:
    text = ("Mohon materi diperbanyak dan waktu diskusi ditambah. " * 20000)[:1_000_000]
    wb = openpyxl.Workbook()
    ws = wb.active
    head = [*HEAD, "saran"]
    ws.append(head)
    for r in (person("andi", saran="SARAN-PANJANG"), person("dewi", saran="ok")):
        ws.append([r.get(h) for h in head])
    path = folder / "pre.xlsx"
    wb.save(path)
    # openpyxl cuts a cell to Excel's 32,767 characters when writing: put the text into the XML
    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            if name == "xl/worksheets/sheet1.xml":
                assert data.count(b"<t>SARAN-PANJANG</t>") == 1
                data = data.replace(b"<t>SARAN-PANJANG</t>", b"<t>" + text.encode() + b"</t>")
            z.writestr(name, data)
    return [path]


def instrument_folder(folder: Path) -> list[Path]:
    path = folder / "instrumen.yaml"
    path.mkdir()
    return [path]


GENERATED = {"big_cell_csv": big_cell_csv, "big_cell_xlsx": big_cell_xlsx,
             "instrument_folder": instrument_folder}


# --------------------------------------------------------------------------
# I: identities across rows and files
# --------------------------------------------------------------------------

def build_identity():
    g = "I identity"
    head = ["submitted_at", *HEAD]
    rows = [person("andi", submitted_at="2024-11-22 08:15:00"),
            person("dewi", nip=NIP["andi"], submitted_at="2024-11-22 08:20:00")]
    case("I01", g, canon_csv("I01/pre.csv", rows, head), "canonical csv",
         "the same NIP with two different names (Andi Saputra at 08:15, Dewi Lestari at 08:20, other OPD): "
         "the NIP is the identity, so the later row is kept and the earlier one ledgered as a duplicate",
         "excluded", args=SESS, input_rows=2, kept=1, ledger="excluded:duplicate_submission=1",
         checks="rows=3 | 3:nama=Dewi Lestari | ledger:2:duplicate_submission")
    a = canon_csv("I02/pre-kecamatan-loa-janan-2024-11-22.csv", [person("andi"), person("dewi")])
    b = canon_csv("I02/pre-kecamatan-samboja-2024-12-05.csv", [person("andi", q01="a")])
    case("I02", g, f"{a};{b}", "canonical csv (2 files)",
         "a participant in two sessions (same NIP, sessions named by the file names)", "read",
         input_rows=3, kept=3,
         checks="pre-kecamatan-loa-janan-2024-11-22.csv#2:session=kecamatan-loa-janan-2024-11-22 | "
                "pre-kecamatan-samboja-2024-12-05.csv#2:session=kecamatan-samboja-2024-12-05 | "
                "pre-kecamatan-samboja-2024-12-05.csv#2:q01=a | pre-kecamatan-loa-janan-2024-11-22.csv#2:q01=b")
    rows = [person("andi", session=SESSION), person("dewi", session="samboja-2024-12-05"),
            person("sri", session="")]
    case("I03", g, canon_csv("I03/pre.csv", rows, ["session", *HEAD]), "canonical csv",
         "rows of another session in the file, read with session=", "excluded", args=SESS,
         input_rows=3, kept=2, ledger="excluded:unknown_session=1",
         checks=f"rows=2,4 | 4:session={SESSION} | ledger:3:unknown_session")


# --------------------------------------------------------------------------
# W: answers to another instrument or version
# --------------------------------------------------------------------------

def build_wrong_instrument():
    g = "W version"
    head = ["instrument", "instrument_version", *HEAD]
    rows = [person(w, instrument="netralitas-asn-pilkada-2024", instrument_version="2023.2") for w in ("andi", "dewi")]
    case("W01", g, canon_csv("W01/pre.csv", rows, head), "canonical csv",
         "every row made with version 2023.2 of the instrument (the key differs)", "error", args=SESS,
         error_id="formulir untuk instrument_version '2023.2'", error_en="form made for instrument_version '2023.2'",
         err_row=2, err_column="instrument_version")
    rows = [person(w, instrument="netralitas-asn-pemilu-2029", instrument_version="2029.1") for w in ("andi", "dewi")]
    case("W02", g, canon_csv("W02/pre.csv", rows, head), "canonical csv",
         "answers to another instrument (netralitas-asn-pemilu-2029)", "error", args=SESS,
         error_id="formulir untuk instrument 'netralitas-asn-pemilu-2029'",
         error_en="form made for instrument 'netralitas-asn-pemilu-2029'", err_row=2, err_column="instrument")
    src = next((FIXTURES / "google-csv-id").glob("*.csv"))
    name = src.name.replace("v2024.1", "v2023.2")
    assert name != src.name
    case("W03", g, out("W03/" + name, src.read_bytes()), "google csv (id)",
         "Google Forms CSV whose form stamp in the file name says v2023.2", "error", args=SESS,
         error_id="formulir untuk instrument_version '2023.2'", error_en="form made for instrument_version '2023.2'",
         err_row=2, err_column="instrument_version")
    rows = [dict(person="andi", kobo_id=612873001, sub_utc="2024-11-22T00:41:32", ans=mf.ANS["andi_pre"],
                 lik=mf.likert(4, 4, 3, 5, 4, 2)),
            dict(person="sri", kobo_id=612873002, sub_utc="2024-11-22T00:42:10", ans=mf.ANS["sri_pre"],
                 lik=mf.likert(5, 4, 4, 5, 4, 1), instrument_version="2023.2",
                 kobo_version="vA2eLm9TqW4xYc7NbR5kHs"),
            dict(person="dewi", kobo_id=612873005, sub_utc="2024-11-22T00:44:57", ans=mf.ANS["dewi_pre"],
                 lik=mf.likert(4, 3, 3, 4, 3, 3))]
    name = f"W04/{SESSION}/Tes Pemahaman Netralitas ASN - all versions - xml - 2024-11-22-11-40-02.csv"
    case("W04", g, out(name, mf.kobo_csv("pre", rows, labels=False)), "kobo csv (xml)",
         "a Kobo 'all versions' export where row 3 came from the older form version 2023.2", "excluded",
         input_rows=3, kept=2, ledger="excluded:wrong_instrument=1",
         checks="format=kobo | rows=2,4 | 2:session=" + SESSION + " | 4:q31=a b c d | ledger:3:wrong_instrument")
    for r in rows:
        r["instrument_version"] = "2023.2"
    name = f"K02/{SESSION}/Tes Pemahaman Netralitas ASN - all versions - xml - 2024-11-22-11-40-02.csv"
    case("K02", "K kobo", out(name, mf.kobo_csv("pre", rows, labels=False)), "kobo csv (xml)",
         "a Kobo export where every row came from the older form version 2023.2", "error",
         error_id="formulir untuk instrument_version '2023.2'", error_en="form made for instrument_version '2023.2'",
         err_row=2, err_column="instrument_version")
    wb = template("pre", [(3, person("andi")), (4, person("dewi"))], versi="2023.2")
    case("W05", g, save_wb(wb, "W05/pre-entri-loa-janan.xlsx"), "entry template",
         "an entry template made from version 2023.2 (sheet Petunjuk: versi 2023.2)", "error", args=SESS,
         error_id="formulir untuk instrument_version '2023.2'", error_en="form made for instrument_version '2023.2'",
         err_row=3, err_column="instrument_version")


# --------------------------------------------------------------------------
# X: workbook layout
# --------------------------------------------------------------------------

def build_workbooks():
    g = "X workbook"
    head = ["No", "Nama Lengkap", "NIP", "Unit Kerja", *ITEMS]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Pre-test"
    last = openpyxl.utils.get_column_letter(len(head))
    ws["A1"] = "DAFTAR HADIR DAN JAWABAN PRE-TEST SOSIALISASI NETRALITAS ASN"
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = "Kecamatan Loa Janan, 22 November 2024"
    ws.merge_cells(f"A2:{last}2")
    ws["B3"] = "Identitas peserta"
    ws.merge_cells("B3:D3")
    ws["E3"] = "Jawaban"
    ws.merge_cells(f"E3:{last}3")
    for c, h in enumerate(head, 1):
        ws.cell(4, c, h)
    for k, who in enumerate(("andi", "dewi", "sri"), 1):
        p = person(who)
        for c, v in enumerate([k, p["nama"], p["nip"], p["opd"], *[p[q] for q in ITEMS]], 1):
            ws.cell(4 + k, c, v)
    case("X01", g, save_wb(wb, "X01/pre-test-loa-janan.xlsx"), "plain sheet (xlsx)",
         "two merged title rows and a merged group header row above the real header (row 4)", "read",
         args=SESS, input_rows=3, kept=3,
         checks=f"rows=5,6,7 | 5:nama=Andi Saputra | 7:nip={NIP['sri']} | 6:opd=UPT Puskesmas Loa Janan")
    wb = openpyxl.Workbook()
    summary = wb.active
    summary.title = "Ringkasan"
    summary.append(["Rekap", "jumlah"])
    summary.append(["peserta", 2])
    data = wb.create_sheet("Data")
    for r in table([person("andi"), person("dewi")]):
        data.append(r)
    case("X02", g, save_wb(wb, "X02/pre.xlsx"), "canonical xlsx",
         "a second sheet holding the data; the first is a summary", "error", args=SESS,
         error_id="lembar pertama 'Ringkasan'", error_en="the first sheet 'Ringkasan'", err_row=1)
    wb = openpyxl.Workbook()
    data = wb.create_sheet("Data")
    for r in table([person("andi"), person("dewi")]):
        data.append(r)
    case("X03", g, save_wb(wb, "X03/pre.xlsx"), "canonical xlsx",
         "the data on the second sheet 'Data'; the first sheet 'Sheet' is empty", "error", args=SESS,
         error_id="Data", error_en="Data")


# --------------------------------------------------------------------------
# T: the evaltools Excel entry template
# --------------------------------------------------------------------------

def template(wave: str, rows: list[tuple[int, dict]], *, versi=None):
    """The entry template of survey/forms with rows typed in (Excel row, values)."""
    wb = openpyxl.load_workbook(FORMS / f"netralitas-asn-pilkada-2024-{wave}-entri.xlsx")
    ws = wb["Jawaban"]
    ids = [c.value for c in ws[1]]
    for r, values in rows:
        for k, h in enumerate(ids, 1):
            v = values.get(h)
            if h in ("jenis_pegawai",) and v:
                v = mf.JP_LABEL.get(v, v)
            if h == "jenis_kelamin" and v:
                v = mf.JK_LABEL.get(v, v)
            if h in SIKAP + REAKSI and isinstance(v, str) and v.isdigit():
                v = int(v)
            ws.cell(r, k, v if v != "" else None)
    if versi is not None:
        pet = wb["Petunjuk"]
        row = [c.value for c in pet["A"]].index("versi") + 1
        pet.cell(row, 2, versi)
    return wb


def build_template():
    g = "T template"
    case("T01", g, save_wb(template("pre", []), "T01/pre-entri-loa-janan.xlsx"), "entry template",
         "the entry template as generated, nothing typed in (500 formatted rows with drop-downs)", "read",
         args=SESS, input_rows=0, kept=0)
    up = {q: (KEY[q].capitalize() if KEY[q] in ("benar", "salah") else KEY[q].upper()) for q in ITEMS}
    low = {q: KEY[q] + " " for q in ITEMS}
    rows = [(3, person("andi", **up)), (5, person("dewi", **low)), (6, person("sri", q12="SALAH", q31="a,c,d"))]
    case("T02", g, save_wb(template("pre", rows), "T02/pre-entri-loa-janan.xlsx"), "entry template",
         "typed by hand: letters upper case (B, Benar, A C D), lower case with a trailing space, "
         "'a,c,d'; row 4 left blank in the middle", "excluded", args=SESS, input_rows=4, kept=3,
         ledger="excluded:empty_row=1",
         checks="rows=3,5,6 | 3:q01=b | 3:q12=salah | 3:q31=a c d | 5:q01=b | 5:q04=benar | 5:q31=a c d | "
                "6:q12=salah | 6:q31=a c d | 3:sikap_1=4 | 3:jenis_pegawai=pns | ledger:4:empty_row")
    wb = template("pre", [(3, person("andi")), (4, person("dewi"))])
    del wb["Petunjuk"]
    case("T03", g, save_wb(wb, "T03/pre-entri-loa-janan.xlsx"), "entry template without Petunjuk",
         "the template's sheet Petunjuk deleted (Jawaban copied into a new workbook): row 2 still holds "
         "the typists' column labels, data from row 3", "read", args=SESS, input_rows=2, kept=2,
         checks="rows=3,4 | 3:nama=Andi Saputra | 4:nip=" + NIP["dewi"])
    wb = template("pre", [(2, person("dewi")), (3, person("andi"))])
    case("T04", g, save_wb(wb, "T04/pre-entri-loa-janan.xlsx"), "entry template",
         "the typist overwrote row 2 (the labels row) with the first participant", "error", args=SESS,
         error_id="baris 2", error_en="row 2", err_row=2)
    wb = template("pre", [(3, person("andi")), (4, person("dewi"))])
    ws = wb["Jawaban"]
    col = [c.value for c in ws[1]].index("q05") + 1
    ws.cell(1, col, "Soal 5")
    case("T05", g, save_wb(wb, "T05/pre-entri-loa-janan.xlsx"), "entry template",
         "the typist renamed the column id of q05 in row 1 to 'Soal 5'", "error", args=SESS,
         error_id="kolom butir q05 tidak ada", error_en="item column(s) q05 missing", err_row=1,
         err_column="q05")


# --------------------------------------------------------------------------
# G, K, B: the tools' own exports
# --------------------------------------------------------------------------

def build_exports():
    src = next((FIXTURES / "google-csv-en").glob("*.csv"))
    header = src.read_bytes().split(b"\n", 1)[0] + b"\n"
    case("G01", "G google", out("G01/" + src.name, header), "google csv (en)",
         "Google Forms CSV with the header only (no response yet)", "read", args=SESS,
         input_rows=0, kept=0)
    src = next((FIXTURES / "google-csv-id").glob("*.csv"))
    lines = src.read_text(encoding="utf-8").split("\n")
    assert lines[2].startswith('"2024/11/22 12:03:45 PM GMT+8","sriwahyuni')
    assert lines[2].count('"UU 20/2023"') == 1
    lines[2] = lines[2].replace('"UU 20/2023"', '"UU No. 20 Tahun 2023 tentang ASN"')
    case("G02", "G google", out("G02/" + src.name, "\n".join(lines).encode()), "google csv (id)",
         "an option text edited in the form mid-collection: row 3's q01 holds the old text "
         "'UU No. 20 Tahun 2023 tentang ASN' (the rest as in tests/fixtures/read/google-csv-id)", "repaired",
         args=SESS, input_rows=6, kept=6,
         ledger="repaired:invalid_answer=1 repaired:opd_canonical=1 flagged:nip_implausible=1",
         checks="format=google | 3:q01= | 2:q01=b | ledger:3:q01:invalid_answer | 3:wave=post")
    rows = [dict(person="andi", ts="2024/11/22 8:15:02 AM GMT+8", ans=mf.ANS["andi_pre"],
                 lik=mf.likert(4, 4, 3, 5, 4, 2)),
            dict(person="nurul", ts="2024/13/22 8:25:02 AM GMT+8", ans=mf.ANS["nurul_pre"],
                 lik=mf.likert(5, 5, 4, 5, 5, 1))]
    data = mf.google_csv_rows("pre", rows, lang="id", extra_score_item=None)
    name = ("Tes Pemahaman Netralitas ASN - Pilkada Serentak 2024 - Pre-test (sebelum sosialisasi) "
            "[netralitas-asn-pilkada-2024 v2024.1 pre].csv")
    case("G03", "G google", out("G03/" + name, csv_bytes(data, quoting=csv.QUOTE_ALL)), "google csv (id)",
         "Indonesian Google Forms CSV whose 'Stempel waktu' of row 3 is unreadable "
         "('2024/13/22 8:25:02 AM GMT+8', month 13)",
         "read", args=SESS, input_rows=2, kept=2, ledger="flagged:time_unreadable=1",
         checks="format=google | 2:submitted_at=2024-11-22 08:15:02 | 3:submitted_at= | 3:q13=c | "
                "ledger:3:time_unreadable")
    name = f"K01/{SESSION}/Tes Pemahaman Netralitas ASN - all versions - xml - 2024-11-22-11-40-02.csv"
    case("K01", "K kobo", out(name, mf.kobo_csv("pre", [], labels=False)), "kobo csv (xml)",
         "Kobo CSV export with the header only", "read", input_rows=0, kept=0)
    rows = [dict(person="andi", kobo_id=712901101, sub_utc="2024-11-22T03:48:12", ans=mf.ANS["andi_post"],
                 lik=mf.likert(5, 4, 4, 5, 4, 1, 5, 4, 4, 4, 5, items=SIKAP + REAKSI), saran=""),
            dict(empty=True, kobo_id=712901102, sub_utc="2024-11-22T03:49:30"),
            dict(person="dewi", kobo_id=712901104, sub_utc="2024-11-22T03:50:02", ans=mf.ANS["dewi_post"],
                 lik=mf.likert(4, 4, 4, 5, 4, 2, 4, 4, 4, 3, 4, items=SIKAP + REAKSI), saran="")]
    name = (f"K03/{SESSION}/Tes Pemahaman Netralitas ASN - Post-test - latest version - labels - "
            "2024-11-22-12-30-05.csv")
    case("K03", "K kobo", out(name, mf.kobo_csv("post", rows, labels=True)), "kobo csv (labels)",
         "Kobo labels export with a blank submission in row 3 (only calculates and metadata filled)",
         "excluded", input_rows=3, kept=2, ledger="excluded:no_identifier=1",
         checks="format=kobo | rows=2,4 | 4:q31=a b c d | 2:reaksi_1=5 | 2:wave=post | ledger:3:no_identifier")
    cols = mf.kobo_columns("pre", labels=False)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tes Pemahaman Netralitas ASN - "
    summary = next(k for k, (h, _) in enumerate(cols) if h == "pengetahuan/q31")
    ws.append([h for k, (h, _) in enumerate(cols) if k != summary])
    rows = [dict(person="andi", kobo_id=812880201, sub_utc="2024-11-22T00:40:11", ans=mf.ANS["andi_pre"],
                 lik=mf.likert(4, 4, 3, 5, 4, 2)),
            dict(person="dewi", kobo_id=812880206, sub_utc="2024-11-22T00:44:02", ans=mf.ANS["dewi_pre"],
                 lik=mf.likert(4, 3, 3, 4, 3, 3))]
    for i, r in enumerate(rows, 1):
        rec = mf.kobo_record("pre", cols, mf.kobo_values("pre", r, i, labels=False), labels=False, xlsx=True)
        ws.append([v for k, v in enumerate(rec) if k != summary])
    name = (f"K04/{SESSION}/Tes Pemahaman Netralitas ASN - Pre-test Loa Janan - all versions - xml - "
            "2024-11-22-11-45-30.xlsx")
    case("K04", "K kobo", save_wb(wb, name), "kobo xlsx",
         "Kobo XLSX without the select_multiple summary column: q31 only as its 0/1 columns", "read",
         input_rows=2, kept=2, checks="format=kobo | 2:q31=a c | 3:q31=a b c d | 2:q11=a")
    src = next((FIXTURES / "odk-briefcase").glob("*.csv"))
    header = src.read_bytes().split(b"\r\n", 1)[0] + b"\r\n"
    case("B01", "B briefcase", out("B01/" + src.name, header), "odk briefcase",
         "ODK Briefcase CSV with the header only", "read", args=SESS, input_rows=0, kept=0,
         checks="format=briefcase")


# --------------------------------------------------------------------------
# Y: the instrument YAML (load_instrument)
# --------------------------------------------------------------------------

def build_yaml():
    g = "Y yaml"
    base = INSTRUMENT_YAML.read_text(encoding="utf-8")
    lines = base.split("\n")

    def line_of(text, start=0):
        return next(k for k in range(start, len(lines)) if lines[k] == text) + 1

    def y(rel, text):
        return out(rel, text.encode("utf-8"))

    unsafe = "id: !!python/object/apply:os.system ['echo evaltools-instrumen-tidak-aman']\n"
    case("Y01", g, y("Y01/instrumen.yaml", unsafe),
         "instrument yaml", "an unsafe tag !!python/object/apply:os.system as the whole document's id",
         "error", error_id="YAML tidak sah", error_en="invalid YAML", err_row=1)
    ln = line_of("passing_score: 70")
    text = base.replace("passing_score: 70", "passing_score: !!python/name:os.system", 1)
    case("Y02", g, y("Y02/instrumen.yaml", text),
         "instrument yaml", f"!!python/name:os.system as passing_score (line {ln})", "error",
         error_id="YAML tidak sah", error_en="invalid YAML", err_row=ln)
    ln = line_of("    type: single")
    text = base.replace("    type: single", "    type: !!python/object/new:subprocess.Popen [[touch, pwned]]", 1)
    case("Y03", g, y("Y03/instrumen.yaml", text), "instrument yaml",
         f"!!python/object/new:subprocess.Popen as an item's type (line {ln})", "error",
         error_id="YAML tidak sah", error_en="invalid YAML", err_row=ln)
    ln = line_of('version: "2024.1"')
    case("Y04", g, y("Y04/instrumen.yaml", base.replace('version: "2024.1"', "version: !include versi.yaml", 1)),
         "instrument yaml", f"an unknown custom tag !include (line {ln})", "error",
         error_id="YAML tidak sah", error_en="invalid YAML", err_row=ln)
    ln = line_of("passing_score: 70") + 1
    text = base.replace("passing_score: 70", "passing_score: 70\npassing_score: 60", 1)
    case("Y05", g, y("Y05/instrumen.yaml", text),
         "instrument yaml", f"duplicate top-level key passing_score (second at line {ln})", "error",
         error_id="duplicate key 'passing_score'", error_en="invalid YAML", err_row=ln)
    q01 = line_of("  - id: q01")
    key = line_of("    key: b", q01)
    text = "\n".join(lines[:key] + ["    key: c"] + lines[key:])
    case("Y06", g, y("Y06/instrumen.yaml", text), "instrument yaml",
         f"duplicate key inside item q01: 'key: b' then 'key: c' (line {key + 1})", "error",
         error_id="duplicate key 'key'", error_en="invalid YAML", err_row=key + 1)
    opt_a = next(k for k in range(q01, len(lines)) if lines[k].startswith("      a: "))
    text = "\n".join(lines[:opt_a + 1] + ['      a: "UU 5/2014 (lagi)"'] + lines[opt_a + 1:])
    case("Y07", g, y("Y07/instrumen.yaml", text), "instrument yaml",
         f"duplicate option id 'a' in the options of q01 (line {opt_a + 2})", "error",
         error_id="duplicate key 'a'", error_en="invalid YAML", err_row=opt_a + 2)
    ln = line_of("  - id: nama")
    case("Y08", g, y("Y08/instrumen.yaml", base.replace("\n  - id: nama", "\n\t- id: nama", 1)), "instrument yaml",
         f"a tab used for indentation (line {ln})", "error", error_id="YAML tidak sah", error_en="invalid YAML",
         err_row=ln)
    case("Y09", g, y("Y09/instrumen.yaml", "title: " + "[" * 2000 + "]" * 2000 + "\n"), "instrument yaml",
         "2000 nested flow sequences (hostile: exhausts the parser's recursion)", "error",
         error_id="YAML tidak sah", error_en="invalid YAML")
    ln = line_of('version: "2024.1"')
    case("Y10", g, y("Y10/instrumen.yaml", base.replace('version: "2024.1"', 'version: "2024\x00.1"', 1)),
         "instrument yaml", f"a NUL byte inside the version (line {ln})", "error",
         error_id="YAML tidak sah", error_en="invalid YAML")
    cp1252 = base.replace("Tes Pemahaman", "Tés Pemahaman").encode("cp1252", "replace")
    case("Y11", g, out("Y11/instrumen.yaml", cp1252),
         "instrument yaml", "the file saved in cp1252 (an é in the title)", "error",
         error_id="berkas instrumen bukan teks UTF-8", error_en="instrument file is not UTF-8 text")
    case("Y12", g, out("Y12/instrumen.yaml", b"\xef\xbb\xbf" + base.encode("utf-8")), "instrument yaml",
         "UTF-8 with a BOM (Windows Notepad)", "read", checks="inst.id=netralitas-asn-pilkada-2024 | "
                                                              "inst.version=2024.1 | inst.scored_items#len=27")
    case("Y13", g, y("Y13/instrumen.yaml", "# belum diisi\n"), "instrument yaml",
         "an empty instrument (a comment only)", "error", error_id="kosong", error_en="empty")
    text = "\n".join(lines[:key - 1] + lines[key:])
    case("Y14", g, y("Y14/instrumen.yaml", text), "instrument yaml", "item q01 without its answer key",
         "error", error_id="'key' tidak ada", error_en="missing", err_location="items[0] (q01)")
    items = line_of("items:")
    text = "\n".join(lines[:items - 1] + ["items: {q01: b, q02: d}", "old_items:"] + lines[items:])
    case("Y15", g, y("Y15/instrumen.yaml", text), "instrument yaml",
         "wrong type: items written as a mapping instead of a list", "error",
         error_id="'items' harus berupa", error_en="must", err_location="items")
    text = "\n".join(lines[:opt_a] + ['      on: "UU 5/2014"'] + lines[opt_a + 1:])
    case("Y16", g, y("Y16/instrumen.yaml", text), "instrument yaml",
         "option id 'on' (YAML 1.1 reads it as the boolean true) in q01", "error",
         error_id="'on'", error_en="option", err_location="items[0] (q01)")
    case("Y17", g, y("Y17/instrumen.yaml", base.replace("waves: [pre, post, followup]", "waves: pre", 1)),
         "instrument yaml", "wrong type: waves written as one word instead of a list", "error",
         error_id="gelombang", error_en="wave", err_location="waves")
    case("Y18", g, y("Y18/instrumen.yaml", base.replace('version: "2024.1"', "version: 2024.10", 1)),
         "instrument yaml", "version 2024.10 unquoted: YAML reads the float 2024.1, the previous version",
         "error", error_id="version", error_en="version", err_location="version")
    case("Y19", g, y("Y19/instrumen.yaml", base.replace("passing_score: 70", "passing_score: yes", 1)),
         "instrument yaml", "passing_score: yes (a YAML boolean)", "error", error_id="passing_score",
         error_en="passing_score", err_location="passing_score")
    q04 = line_of("  - id: q04")
    sc = line_of("    scored: false", q04)
    text = "\n".join(lines[:sc - 1] + ['    scored: "false"'] + lines[sc:])
    case("Y20", g, y("Y20/instrumen.yaml", text), "instrument yaml",
         "scored: \"false\" (a string) on the unscored item q04", "error", error_id="scored", error_en="scored",
         err_location="items[3] (q04)")
    lp = line_of("likert_points:")
    text = "\n".join(lines[:lp] + ["  satu: Sangat tidak setuju"] + lines[lp:])
    case("Y21", g, y("Y21/instrumen.yaml", text), "instrument yaml",
         "likert_points with a key that is not a number ('satu')", "error", error_id="likert_points",
         error_en="likert_points", err_location="likert_points")
    text = "\n".join(lines[:lp - 1] + ["likert_points: [Sangat tidak setuju, Tidak setuju, Ragu-ragu, Setuju, "
                                       "Sangat setuju]", "old_likert_points:"] + lines[lp:])
    case("Y22", g, y("Y22/instrumen.yaml", text), "instrument yaml", "wrong type: likert_points as a list",
         "error", error_id="likert_points", error_en="likert_points", err_location="likert_points")
    case("Y23", g, y("Y23/instrumen.yaml", base.replace("languages: [id, en]", "languages: 5", 1)),
         "instrument yaml", "wrong type: languages: 5", "error", error_id="languages", error_en="languages",
         err_location="languages")
    case("Y24", g, "@instrument_folder", "instrument yaml",
         "the instrument path is a folder (named instrumen.yaml), not a file", "error",
         error_id="berkas instrumen", error_en="instrument file")
    case("Y25", g, "Y25/tidak-ada.yaml", "instrument yaml", "the instrument file does not exist", "error",
         error_id="berkas instrumen tidak ditemukan", error_en="instrument file not found")
    bomb = ["x_lol:", "  a: &a [x, x, x, x, x, x, x, x, x]"]
    prev = "a"
    for name in "bcdefghi":
        bomb.append(f"  {name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
        prev = name
    case("Y26", g, y("Y26/instrumen.yaml", base.rstrip("\n") + "\n" + "\n".join(bomb) + "\n"), "instrument yaml",
         "a 'billion laughs' alias bomb (9^9 leaves) under an unused key", "read",
         checks="inst.version=2024.1 | inst.scored_items#len=27")


GROUP_ORDER = "FEQHRVIWXTGKBY"


def write_table():
    with open(HERE / "cases.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for c in sorted(CASES, key=lambda c: (GROUP_ORDER.index(c["id"][0]), c["id"])):
            w.writerow(c)


def main():
    if FILES.exists():
        shutil.rmtree(FILES)
    FILES.mkdir(parents=True)
    build_file_level()
    build_encodings()
    build_quotes()
    build_headers()
    build_rows()
    build_values()
    build_identity()
    build_wrong_instrument()
    build_workbooks()
    build_template()
    build_exports()
    build_yaml()
    write_table()
    big = [p for p in FILES.rglob("*") if p.is_file() and p.stat().st_size > 50_000]
    assert not big, big
    print(f"{len(CASES)} cases, {sum(1 for p in FILES.rglob('*') if p.is_file())} files")


if __name__ == "__main__":
    main()
