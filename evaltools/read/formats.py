"""Format level: whatever tool wrote the file, map its headers and values to
the canonical layout (participant field ids, item ids holding option ids).

Recognised: the canonical layout; the evaltools Excel entry template; Google
Forms exports (question titles as headers, option texts as answers, the
form's stamp in the file name); KoboToolbox/ODK exports (group paths such as
"peserta/nip", select_multiple "q/choice" 0/1 columns, metadata columns).
Answers are accepted as option ids, letters in either case, or option texts.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from ..errors import EvalToolsError
from ..instrument import Instrument
from ..layout import parse_stamp
from .files import HEADER_ROW, Table, map_unique, strip_cells  # noqa: F401 (used by rows)

# Header spellings for control columns, in the canonical layout and the tools' exports.
CONTROL_ALIASES = {
    "session": ("session", "sesi", "id_sesi", "session_id"),
    "wave": ("wave", "gelombang", "tes", "jenis_tes"),
    "submitted_at": ("submitted_at", "waktu", "timestamp", "stempel_waktu", "cap_waktu",
                     "_submission_time", "submissiondate", "waktu_isi", "tanggal_isi"),
    "instrument": ("instrument", "instrumen"),
    "instrument_version": ("instrument_version", "versi_instrumen", "versi"),
    # the "other OPD" text question, by its form label in either language
    "opd_lainnya": ("opd_lainnya", "nama_opd_/_unit_kerja_lainnya", "nama opd unit kerja lainnya",
                    "other opd work unit"),
    # the tool's own id of a submission, kept as provenance (Kobo _uuid, Briefcase KEY)
    "submission_id": ("submission_id", "_uuid", "key"),
    "submission_no": ("submission_no", "_id"),      # Kobo's number of the submission
    "export_index": ("export_index", "_index"),     # its row in Kobo's export
}
# Common Indonesian and English headers of participant columns (compared by norm_text).
FIELD_ALIASES = {
    "nama": ("nama", "nama lengkap", "nama peserta", "name", "full name"),
    "nip": ("nip", "nip ni pppk", "nip nippppk", "ni pppk", "nomor induk pegawai", "nip pppk"),
    "kode_peserta": ("kode peserta", "kode", "participant code"),
    "opd": ("opd", "unit kerja", "instansi", "perangkat daerah", "asal opd", "asal instansi",
            "satuan kerja", "satker", "opd unit kerja", "work unit"),
    "jenis_pegawai": ("jenis pegawai", "status pegawai", "status kepegawaian", "employee type"),
    "jabatan": ("jabatan", "position"),
    "jenis_kelamin": ("jenis kelamin", "l p", "sex", "gender"),
    "kabupaten_kota": ("kabupaten kota", "kab kota", "kabupaten", "kota", "regency city"),
}
# Exported columns that are provenance or derived, never answers.
IGNORED = {"score", "skor", "email_address", "alamat_email",
           "_validation_status", "_notes", "_status", "_submitted_by", "_tags", "keterangan"}
WAVE_WORDS = {
    "pre": ("pre", "pretest", "pre_test", "pre-test", "awal", "tes_awal"),
    "post": ("post", "posttest", "post_test", "post-test", "akhir", "tes_akhir"),
    "followup": ("followup", "follow_up", "follow-up", "tindak_lanjut", "lanjutan"),
}
WAVE_OF = {w: k for k, words in WAVE_WORDS.items() for w in words}


def norm_header(h: str) -> str:
    return re.sub(r"\s+", "_", str(h).strip().lower())


def norm_text(s: str) -> str:
    """Text compared loosely: case, accents, punctuation, spacing and a
    leading question number ("7. ") do not matter."""
    s = unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"^\s*\d+\s*[.)]\s*", "", s)
    return " ".join(re.findall(r"[a-z0-9]+", s))


def _known_headers(inst: Instrument) -> dict:
    known = {}
    for f in inst.participant_fields:
        for key in (f.id, f.label, f.label_en):
            known[norm_header(key)] = f.id
            known[norm_text(key)] = f.id
    for canon, aliases in FIELD_ALIASES.items():
        if canon in inst.field_ids:
            for a in aliases:
                known.setdefault(a, canon)
    for canon, aliases in CONTROL_ALIASES.items():
        for a in aliases:
            known[a] = canon
    for i in (*inst.items, *inst.likert_items, *inst.open_items):
        known[i.id] = i.id
        known[norm_text(i.text)] = i.id
        known[norm_text(i.text_en)] = i.id
    return known


def _resolve(col: str, known: dict, sep: str) -> str | None:
    """Canonical id of a header. Kobo label headers put group labels in
    front ("Data peserta/NIP / NI PPPK") and labels may hold the separator
    themselves, so every tail of the header is tried, longest first."""
    parts = str(col).split(sep)
    for k in range(len(parts)):
        tail = sep.join(parts[k:])
        for key in (norm_header(tail), norm_text(tail)):
            if key and key in known:
                return known[key]
    return None


def _choice_column(col: str, known: dict, sep: str, multi: dict) -> tuple | None:
    """(item id, option id) for a Kobo select_multiple 0/1 column such as
    "pengetahuan/q31/a" or "Tes pengetahuan/31. Pilih SEMUA ...:/menjadi tim kampanye"."""
    parts = str(col).split(sep)
    for j in range(len(parts) - 1, 0, -1):
        item = _resolve(sep.join(parts[:j]), known, sep)
        if item in multi:
            oid, bad = parse_choice(sep.join(parts[j:]), multi[item])
            if oid and not bad:
                return item, oid
    return None


def canonical_ids(inst: Instrument) -> list:
    """Every column id a header can be mapped to with ``columns=``."""
    return [*CONTROL_ALIASES, *inst.field_ids, *inst.item_ids,
            *[i.id for i in inst.likert_items], *[i.id for i in inst.open_items]]


def check_user_columns(columns: dict | None, inst: Instrument) -> None:
    """Refuse a ``columns=`` target that is not a column id: it would drop
    the column silently."""
    ids = canonical_ids(inst)
    for header, target in (columns or {}).items():
        if target is not None and target not in ids:
            raise EvalToolsError(
                f"columns={{'{header}': '{target}'}}: '{target}' bukan id kolom", column=header,
                fix=f"pakai salah satu dari: {', '.join(ids[:12])}, ... (atau None untuk mengabaikan)",
                problem_en=f"'{target}' is not a column id",
                fix_en="use a participant field id (nama, nip, opd, ...), an item id, or None")


FORMATS = ("google", "kobo", "briefcase", "template", "sheet")  # sheet: canonical ids or common headers


def detect_format(table: Table) -> str:
    """Which tool wrote the file, from its headers (reported per file in
    ``Responses.sources``; ``read_responses(format=...)`` overrides it).

    Example:
        >>> detect_format(read_table(Path("export.csv")))  # doctest: +SKIP
        'kobo'
    """
    if table.meta.get("format") == "template":
        return "template"
    heads = {norm_header(c) for c in table.df.columns}
    if {"key", "submissiondate"} <= heads:
        return "briefcase"
    if heads & {"_uuid", "_submission_time", "_id"}:
        return "kobo"
    if heads & {"timestamp", "stempel_waktu", "cap_waktu"}:
        return "google"
    return "sheet"


def map_columns(table: Table, inst: Instrument, columns: dict | None,
                fmt: str | None = None) -> tuple[pd.DataFrame, list]:
    """Rename headers to canonical ids; rebuild select_multiple from Kobo's
    0/1 columns when the summary column is absent. Returns the canonical
    frame and the headers that were ignored."""
    df = table.df
    known = _known_headers(inst)
    user = {norm_header(k): v for k, v in (columns or {}).items()}
    multi = {i.id: dict(i.options) for i in inst.items if i.type == "multi"}
    fmt = fmt or detect_format(table)
    # Kobo joins group paths with "/", ODK Briefcase with "-"
    sep = "-" if fmt == "briefcase" else "/"
    rename, ignored, taken, choice_cols, unknown = {}, [], {}, {}, []
    for col in df.columns:
        h = norm_header(col)
        if h in user and user[h] is None:  # columns={"Instansi": None}: leave it out
            ignored.append(col)
            continue
        choice = None if h in user else _choice_column(col, known, sep, multi)
        if choice:
            choice_cols.setdefault(choice[0], []).append((choice[1], col))
            continue
        canon = user.get(h) or _resolve(col, known, sep)
        derived = h in IGNORED or h.endswith(("_[score]", "_[feedback]"))
        if canon is None or derived:
            ignored.append(col)
            if canon is None and not derived and fmt in FORM_EXPORTS:
                unknown.append(col)  # a question the instrument does not know, by its title
        elif canon in taken:
            raise EvalToolsError(
                f"dua kolom berarti sama: '{taken[canon]}' dan '{col}' (keduanya {canon})",
                file=table.name, row=HEADER_ROW, column=col,
                fix=f"hapus salah satu, atau abaikan dengan columns={{'{col}': None}}",
                problem_en=f"two columns mean the same: '{taken[canon]}' and '{col}' ({canon})",
                fix_en=f"delete one, or leave it out with columns={{'{col}': None}}")
        else:
            rename[col] = canon
            taken[canon] = col
    for col in unknown:
        _refuse_retitled(table, col, df[col], inst, taken, sep)
    out = df[list(rename)].rename(columns=rename)
    for item_id, cols in choice_cols.items():
        if item_id not in out.columns:  # no summary column: rebuild it from the 0/1 columns
            picked = pd.DataFrame({name: df[col].str.strip() == "1" for name, col in cols})
            out[item_id] = picked.apply(lambda r: " ".join(n for n, v in r.items() if v), axis=1)
        # the 0/1 columns are understood (they repeat the summary): not "ignored"
    return out, ignored


FORM_EXPORTS = ("google", "kobo", "briefcase")  # a question's title is its column's header


def _refuse_retitled(table: Table, col: str, values: pd.Series, inst: Instrument, taken: dict,
                     sep: str) -> None:
    """Refuse an unrecognised column of a form export whose answers are all
    option texts of one item: the question was retitled (or re-created) during
    collection, and the form tool keeps the old answers under the old title,
    so ignoring it would score those rows blank without a word. Texts several
    items share ("Benar"/"Salah") name the item only through the question
    number in the title ("7. ..."); without it the column stays ignored."""
    # distinct answers of the first rows first: a column of other things (ids,
    # times, free text) is ruled out without looking at the rest
    items, filled = [i for i in inst.items if i.options], False
    for part in (values.iloc[:1000], values.iloc[1000:]):
        seen = [x for x in part.fillna("").astype("str").str.strip().unique() if x]
        filled = filled or bool(seen)
        items = [i for i in items if _all_option_texts(seen, i)]
        if not items:
            return
    if not filled:
        return
    found = [i.id for i in items]
    if len(found) > 1:
        m = re.match(r"\s*(\d+)\s*[.)]", str(col).split(sep)[-1])
        n = int(m.group(1)) if m else 0
        found = [inst.items[n - 1].id] if 1 <= n <= len(inst.items) and inst.items[n - 1].id in found \
            else []
    if not found:  # no item's answers, or whose is unclear: left ignored, as listed
        return
    item = found[0]
    if item in taken:
        fix = (f"salin jawaban kolom ini ke sel kosong kolom '{taken[item]}' ({item}) lalu hapus "
               f"kolom ini, atau abaikan dengan columns={{'{col}': None}}")
        fix_en = (f"copy this column's answers into the empty cells of '{taken[item]}' ({item}) "
                  f"and delete this column, or leave it out with columns={{'{col}': None}}")
    else:
        fix = (f"petakan dengan columns={{'{col}': '{item}'}} (butir yang benar), atau abaikan "
               f"dengan columns={{'{col}': None}}")
        fix_en = (f"map it with columns={{'{col}': '{item}'}} (the right item), or leave it out "
                  f"with columns={{'{col}': None}}")
    raise EvalToolsError(
        f"kolom '{col}' berisi jawaban butir {item}, tetapi judulnya bukan judul butir itu "
        "(judul soal diubah di tengah pengumpulan?); jawaban di kolom ini tidak akan dinilai",
        file=table.name, row=table.header_row, column=col, fix=fix,
        problem_en=f"column '{col}' holds answers to item {item} under another title (the question "
                   "retitled during collection?); its answers would not be scored",
        fix_en=fix_en)


def _all_option_texts(values: list, item) -> bool:
    """Every value is an option text of ``item`` (Indonesian or English; for a
    multi item, texts joined as the tool joins them); option ids alone, such
    as Kobo's "a", do not count: many items share them."""
    texts = {norm_text(t) for t in (*item.options.values(), *item.options_en.values())} - {""}
    for v in values:
        if item.type == "multi":
            ids, bad = parse_multi(v, dict(item.options), dict(item.options_en))
            tokens = set(re.split(r"[\s,;]+", v.lower())) - {""}
            if bad or not ids or tokens <= set(item.options):
                return False
        elif norm_text(v) not in texts:
            return False
    return True


def _label_forms(inst: Instrument) -> dict:
    """Column id -> (its labels, texts a shortened label starts with), all
    ``norm_text``: what the entry template writes in row 2 for the typist
    ("Nama lengkap", "1. Undang-undang tentang ASN yang berlaku saat ini…",
    "Saya tetap netral walaupun calon adalah kerabat… (1-5)")."""
    forms = {f.id: ({norm_text(f.label), norm_text(f.label_en)} - {""}, []) for f in inst.participant_fields}
    for i in (*inst.items, *inst.likert_items, *inst.open_items):
        forms[i.id] = (set(), [t for t in (norm_text(i.text), norm_text(i.text_en)) if t])
    return forms


def _is_label(cell: str, forms: tuple) -> bool:
    labels, texts = forms
    # a hint in brackets at the end ("(1-5)", "(boleh lebih dari satu: a c d)") is not the text
    c = norm_text(re.sub(r"\s*\([^()]*\)\s*$", "", cell))
    # a shortened label keeps its first 40-odd characters: a short answer never passes as one
    return bool(c) and (c in labels or c in texts or any(len(c) >= 20 and t.startswith(c) for t in texts))


def _judge_labels(row: pd.Series, inst: Instrument) -> tuple[list, list]:
    """(columns holding their label, filled columns holding something else) of
    one canonical row; columns without a label (control columns) are not judged."""
    forms = _label_forms(inst)
    labels, other = [], []
    for cid, v in row.items():
        v = "" if not isinstance(v, str) else v.strip()
        if cid in forms and v:
            (labels if _is_label(v, forms[cid]) else other).append(cid)
    return labels, other


def _template_row2(table: Table) -> list[str] | None:
    """Row 2 of an entry template's sheet Jawaban as text, one cell per column
    of ``table`` (the file level reads the template's data from row 3 and
    keeps row 2 aside); None if the sheet has no row 2."""
    skipped = table.meta.get("skipped_rows")
    if not skipped:
        return None
    width = table.df.shape[1]
    cells = list(skipped[0])[:width]
    return cells + [""] * (width - len(cells))


def labels_row(table: Table, df: pd.DataFrame, inst: Instrument, columns: dict | None,
               fmt: str) -> tuple[Table, pd.DataFrame]:
    """The entry template's row 2 (the typists' column labels, under the ids
    of row 1) is no participant. Returns the table and its canonical frame
    (``map_columns``) without that row, and marks the table as the template,
    when row 2 is read as data (the sheet Petunjuk was deleted, so the file
    reads as a plain sheet). Refuses a template whose row 2 a typist
    overwrote with a participant: the file level never reads that row as data.
    """
    label_row = table.header_row + 1
    if table.meta.get("format") == "template":
        m = table.meta
        if (m.get("instrumen") or inst.id) != inst.id or (m.get("versi") or inst.version) != inst.version:
            return table, df  # another instrument's labels: refused as such later
        if table.first_row == label_row:
            row = df.iloc[0] if len(df) else pd.Series(dtype="str")
        else:
            cells = _template_row2(table)
            if cells is None:
                return table, df
            one = Table(pd.DataFrame([cells], columns=table.df.columns, dtype="str"), table.name,
                        table.path, meta=table.meta)
            row = map_columns(one, inst, columns, fmt)[0].iloc[0]
        labels, other = _judge_labels(row, inst)
        if other:
            _refuse_overwritten(table, label_row, other)
        if table.first_row != label_row:
            return table, df
    elif table.first_row != label_row or not len(df):
        return table, df
    else:
        labels, other = _judge_labels(df.iloc[0], inst)
        if len(labels) < 2 or len(labels) < len(other):
            return table, df  # a participant
        if other:
            _refuse_overwritten(table, label_row, other)
    keep = {k: v[1:] for k, v in table.meta.items() if k in ("overflow", "short") and v}
    out = Table(table.df.iloc[1:].reset_index(drop=True), table.name, table.path, label_row + 1,
                {**table.meta, **keep, "format": "template"}, table.header_row,
                None if table.blank is None else table.blank.iloc[1:].reset_index(drop=True))
    return out, df.iloc[1:].reset_index(drop=True)


def _refuse_overwritten(table: Table, row: int, columns: list) -> None:
    cols = ", ".join(columns[:5]) + (", ..." if len(columns) > 5 else "")
    raise EvalToolsError(
        f"baris {row} templat entri harus berisi keterangan kolom, tetapi berisi isian lain "
        f"(kolom {cols}): isian itu tidak akan terbaca",
        file=table.name, row=row, column=columns[0],
        fix=f"pindahkan isian baris {row} ke baris kosong di bawah tabel, lalu kembalikan "
            f"keterangan kolom di baris {row} (salin dari templat kosong)",
        problem_en=f"row {row} of the entry template must hold the column labels, but holds "
                   f"other entries (columns {cols}): they would not be read",
        fix_en=f"move the entries of row {row} to an empty row below the table, then restore the "
               f"column labels in row {row} (copy them from a blank template)")


def stamp_from(table: Table) -> dict:
    """What the file says about its instrument, version, wave and session:
    the entry template's Petunjuk sheet, or a Google Forms title stamp
    ("... [netralitas-asn-pilkada-2024 v2024.1 pre]") kept in the file name."""
    m = table.meta
    if m.get("format") == "template":
        return {"instrument": m.get("instrumen", ""), "instrument_version": m.get("versi", ""),
                "wave": m.get("gelombang", ""), "session": m.get("sesi", "")}
    return parse_stamp(table.name) or parse_stamp(table.meta.get("member", ""))


def check_instrument(values: pd.Series, versions: pd.Series, inst: Instrument, table: Table,
                     rows: pd.Series, keep: pd.Series) -> pd.Series:
    """Rows made with another instrument or version: their key differs.

    Returns the mask of such rows when only some are (a Kobo "all versions"
    export mixes form versions: those rows are excluded); refuses the file
    when every row that says so is.
    """
    bad = pd.Series(False, index=values.index)
    for col, got, want in (("instrument", values, inst.id),
                           ("instrument_version", versions, inst.version)):
        wrong = keep & (got != "") & (got != want)
        if wrong.any() and wrong.sum() == (keep & (got != "")).sum():
            first = wrong.idxmax()
            raise EvalToolsError(
                f"formulir untuk {col} '{got[first]}', bukan '{want}' (kunci jawaban berbeda)",
                file=table.name, row=int(rows[first]), column=col,
                fix=f"baca berkas ini dengan instrumen {got[first]}, atau kumpulkan ulang "
                    f"dengan formulir dari instrumen {inst.id} versi {inst.version}",
                problem_en=f"form made for {col} '{got[first]}', not '{want}' (different key)",
                fix_en="read it with its own instrument, or collect again with this one")
        bad |= wrong
    return bad


_SESSION_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-\d{4}-\d{2}-\d{2}")


def session_from_name(text: str) -> str | None:
    """A session id in a file or folder name: a slug ending in its date
    ("loa-janan-2024-11-22"), with a wave word around it allowed
    ("pre-loa-janan-2024-11-22"); an export name with a date in it is not one.

    Example:
        >>> session_from_name("post_loa-janan-2024-11-22"), session_from_name("Downloads")
        ('loa-janan-2024-11-22', None)
    """
    tokens = [t for t in re.split(r"[-_ ]+", text.lower()) if t]
    while tokens and (tokens[0] in WAVE_OF or tokens[0] in ("test", "tes")):
        tokens = tokens[1:]
    while tokens and (tokens[-1] in WAVE_OF or tokens[-1] in ("test", "tes")):
        tokens = tokens[:-1]
    slug = "-".join(tokens)
    return slug if _SESSION_ID.fullmatch(slug) else None


def wave_from_name(text: str) -> str | None:
    tokens = re.split(r"[^a-z0-9]+", text.lower())
    found = {WAVE_OF[t] for t in tokens if t in WAVE_OF}
    found |= {WAVE_OF[a + "_" + b] for a, b in zip(tokens, tokens[1:]) if a + "_" + b in WAVE_OF}
    return found.pop() if len(found) == 1 else None


def _option_lookup(options: dict, options_en: dict | None = None) -> dict:
    """Option id, Indonesian text or English text (a Kobo labels export in
    English) -> option id."""
    look = {}
    for oid, text in options.items():
        look[oid.lower()] = oid
        look[norm_text(text)] = oid
    for oid, text in (options_en or {}).items():
        look.setdefault(norm_text(text), oid)
    return look


def parse_choice(value: str, options: dict, look: dict | None = None) -> tuple[str, bool]:
    """One answer -> (option id or "", bad). Accepts ids, letters in any
    case, and option texts."""
    v = value.strip()
    if not v:
        return "", False
    look = look or _option_lookup(options)
    oid = look.get(v.lower()) or look.get(norm_text(v))
    return (oid, False) if oid else ("", True)


def parse_multi(value: str, options: dict, options_en: dict | None = None) -> tuple[str, bool]:
    """A multi-select answer -> (sorted space-joined ids, any part bad).
    Ids split on spaces/commas/semicolons; texts are found whole, longest
    first, because an option text can itself contain a comma."""
    v = value.strip()
    if not v:
        return "", False
    tokens = [t for t in re.split(r"[\s,;]+", v.lower()) if t]
    if all(t in options for t in tokens):
        return " ".join(sorted(set(tokens))), False
    rest = f" {norm_text(v)} "
    chosen = set()
    texts = [*options.items(), *(options_en or {}).items()]
    for oid, text in sorted(texts, key=lambda kv: -len(norm_text(kv[1]))):
        t = f" {norm_text(text)} "
        if t.strip() and t in rest:
            chosen.add(oid)
            rest = rest.replace(t, " ")
    return " ".join(sorted(chosen)), bool(rest.strip())


def parse_likert(value: str, points: dict | None = None) -> float | None:
    """"4", "4,0", "4 - Setuju" or a point label ("Setuju", from ``points``
    mapping label text to its number) -> 4.0; anything else -> None."""
    m = re.match(r"^\s*(\d+)(?:[.,]0+)?(?:\s*[-:.]\s*\D.*)?\s*$", value)
    if m:
        return float(m.group(1))
    hit = (points or {}).get(norm_text(value))
    return float(hit) if hit is not None else None


def likert_lookup(inst: Instrument) -> dict:
    """Point labels in both languages -> number, as Kobo label exports write them."""
    return {norm_text(t): k for pts in (inst.likert_points, inst.likert_points_en)
            for k, t in pts.items()}


def parse_times(values: pd.Series) -> pd.Series:
    """Submission times from any tool: ISO, Kobo's 2024-11-22T09:15:02, Google's
    '2024/11/22 8:15:02 AM GMT+8', Indonesian Excel's '22/11/2024 08.15',
    ODK Briefcase's 'Nov 22, 2024 11:49:12 AM', and Excel's serial day numbers
    (a time in a General-format cell, or a CSV saved from one: '45618.34375',
    '45618,34375'; days since 1899-12-30, rounded to the millisecond Excel keeps).

    Day-first is sniffed per column: it is assumed (Indonesian locale) unless
    some date can only be month-first (11/22/2024) and none only day-first.

    Example:
        >>> parse_times(pd.Series(["11/22/2024 8:15", "12/01/2024 9:00"])).dt.day.tolist()
        [22, 1]
        >>> parse_times(pd.Series(["2024/11/01 8:15:00 AM GMT+8", "01/11/2024 08.15"])).dt.month.tolist()
        [11, 11]
        >>> parse_times(pd.Series(["45597.4", "45597,375"])).astype(str).tolist()
        ['2024-11-01 09:36:00', '2024-11-01 09:00:00']
    """
    v = values.fillna("").astype(str).str.strip()
    # five digits, maybe with a fraction: a serial day number (10000 is 1927, 99999 is 2173)
    serial = v.str.fullmatch(r"[0-9]{5}(?:[.,][0-9]+)?")
    if serial.any():
        days = pd.to_numeric(v[serial].str.replace(",", ".", regex=False))
        serial_times = (_EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).dt.round("ms")
        v = v.mask(serial, "")
    # times are kept as the tool wrote them (wall clock); offsets are dropped so
    # that one column never mixes zones
    # (spaces written [ \t]: pandas runs a pattern with \s in Python, cell by cell)
    v = _replace(v, r"[ \t]*(GMT|UTC)[+-]?\d*(:\d\d)?$", "")
    v = _replace(v, r"(\d:\d\d(?::\d\d(?:\.\d+)?)?)(?:Z|[+-]\d\d:?\d\d)$", r"\1")
    # Indonesian Excel separates hours and minutes with a dot
    v = _replace(v, r"([ \t]\d{1,2})\.(\d{2})\.(\d{2})$", r"\1:\2:\3")
    v = _replace(v, r"([ \t]\d{1,2})\.(\d{2})$", r"\1:\2")
    over12 = "(?:1[3-9]|[2-9][0-9])"  # a day, never a month
    day_first = v.str.match(over12 + r"[/.-][0-9]{1,2}[/.-][0-9]{4}").any()
    month_first = v.str.match(r"[0-9]{1,2}[/.-]" + over12 + r"[/.-][0-9]{4}").any()
    dayfirst = not (month_first and not day_first)
    v = v.mask(v == "")
    # a date that starts with its year is year-month-day whatever the locale
    # (dateutil's dayfirst would read 2024/11/01 as 11 January)
    yearfirst = v.str.match(r"\d{4}[-/.]").fillna(False).astype(bool)
    out = _parse_times(v.where(yearfirst), dayfirst=False).astype("datetime64[us]")
    if (~yearfirst & v.notna()).any():
        out = out.fillna(_parse_times(v.where(~yearfirst), dayfirst=dayfirst).astype("datetime64[us]"))
    if serial.any():
        out[serial] = serial_times.astype("datetime64[us]")
    return out


_EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # serial day 0 (after Excel's 1900 leap-year error)


def _replace(v: pd.Series, pattern: str, repl: str) -> pd.Series:
    """``v.str.replace`` on the cells the pattern finds only: a replacement
    with groups runs cell by cell in Python, finding runs in Arrow."""
    hit = v.str.contains(re.sub(r"\((?!\?)", "(?:", pattern), regex=True)  # groups only to replace
    if not hit.any():
        return v
    out = v.copy()
    out[hit] = v[hit].str.replace(pattern, repl, regex=True)
    return out


def _parse_times(v: pd.Series, dayfirst: bool) -> pd.Series:
    """One tool writes one layout: parsed with the first value's format at C
    speed, and only what that leaves unread value by value."""
    import warnings
    from pandas.tseries.api import guess_datetime_format
    first = v.first_valid_index()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas' note on dayfirst: the choice is made above
        layout = guess_datetime_format(v[first], dayfirst=dayfirst) if first is not None else None
    if layout is None:
        return pd.to_datetime(v, errors="coerce", dayfirst=dayfirst, format="mixed")
    out = pd.to_datetime(v, errors="coerce", format=layout)
    rest = out.isna() & v.notna()
    if rest.any():
        out[rest] = pd.to_datetime(v[rest], errors="coerce", dayfirst=dayfirst, format="mixed")
    return out
