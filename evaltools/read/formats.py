"""Format level: whatever tool wrote the file, map its headers to the
canonical layout (participant field ids, item ids, control columns).

Recognised: the canonical layout; the evaltools Excel entry template; Google
Forms exports (question titles as headers, the form's stamp in the file
name); KoboToolbox/ODK exports (group paths such as "peserta/nip",
select_multiple "q/choice" 0/1 columns, metadata columns). The answers in
those columns are read by ``answers``, the entry template's label row by
``labels``.
"""

from __future__ import annotations

import re

import pandas as pd

from ..errors import EvalToolsError
from ..instrument import Instrument
from ..normalize import norm_header, norm_text
from .answers import option_lookup, parse_choice, parse_multi
from .paths import find_separator, strip_groups, vocabulary
from .table import HEADER_ROW, Table

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
    # the tool's own id of a submission, kept as provenance (Kobo _uuid, Briefcase/Central KEY)
    "submission_id": ("submission_id", "_uuid", "key"),
    # the form's instance id (ODK meta/instanceID: "meta-instanceID", or "instanceID" without
    # group names): the submission's id where there is no KEY or _uuid
    "instance_id": ("meta-instanceid", "meta/instanceid", "instanceid"),
    # the review status: Kobo's _validation_status, ODK Central's ReviewState
    "review": ("_validation_status", "reviewstate"),
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
           "_notes", "_status", "_submitted_by", "_tags", "keterangan",
           # ODK Central's metadata columns
           "submitterid", "submittername", "attachmentspresent", "attachmentsexpected", "deviceid",
           "formversion"}

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
    "q31/a" or "31. Pilih SEMUA ...:/menjadi tim kampanye" (groups already
    taken off; the choice by its name or its label in either language).
    ODK Central joins groups with "-" but a choice with "/" ("q31/a"): "/" is
    tried after the group separator."""
    for choice_sep in dict.fromkeys((sep, "/")):
        parts = str(col).split(choice_sep)
        for j in range(len(parts) - 1, 0, -1):
            item = _resolve(choice_sep.join(parts[:j]), known, sep)
            if item in multi:
                oid, bad = parse_choice(choice_sep.join(parts[j:]), *multi[item])
                if oid and not bad:
                    return item, oid
    return None


def canonical_ids(inst: Instrument) -> list:
    """Every column id a header can be mapped to with ``columns=``.

    Example:
        >>> canonical_ids(inst)[:3]
        ['session', 'wave', 'submitted_at']
    """
    return [*CONTROL_ALIASES, *inst.field_ids, *inst.item_ids,
            *[i.id for i in inst.likert_items], *[i.id for i in inst.open_items]]


def check_user_columns(columns: dict | None, inst: Instrument) -> None:
    """Refuse a ``columns=`` target that is not a column id: it would drop
    the column silently.

    Example:
        >>> check_user_columns({"Asal Instansi": "opd", "TTD": None}, inst)  # both fine
        >>> try:
        ...     check_user_columns({"Asal Instansi": "instansi"}, inst)
        ... except EvalToolsError as err:
        ...     print(err.problem_en)
        'instansi' is not a column id
    """
    ids = canonical_ids(inst)
    for header, target in (columns or {}).items():
        if target is not None and target not in ids:
            raise EvalToolsError(
                f"columns={{'{header}': '{target}'}}: '{target}' bukan id kolom", column=header,
                fix=f"pakai salah satu dari: {', '.join(ids[:12])}, ... (atau None untuk mengabaikan)",
                problem_en=f"'{target}' is not a column id",
                fix_en="use a participant field id (nama, nip, opd, ...), an item id, or None")


# sheet: canonical ids or common headers
FORMATS = ("google", "kobo", "briefcase", "central", "template", "sheet")
FORM_EXPORTS = ("google", "kobo", "briefcase", "central")  # a question's title is its column's header
# the columns ODK Central writes after KEY, which ODK Briefcase does not write
CENTRAL_COLUMNS = {"submitterid", "submittername", "reviewstate", "edits", "formversion"}
# headers that may be group paths, and the separator each tool uses unless told otherwise
PATH_SEPARATORS = {"kobo": "/", "briefcase": "-", "central": "-", "sheet": "/"}


def detect_format(table: Table) -> str:
    """Which tool wrote the file, from its headers (reported per file in
    ``Responses.sources``; ``read_responses(format=...)`` overrides it).

    Example:
        >>> from pathlib import Path
        >>> from evaltools.read.files import read_table
        >>> [detect_format(read_table(p)) for p in sorted(Path(folder).glob("*.[cx]*"))]
        ['kobo', 'template']
    """
    if table.meta.get("format") == "template":
        return "template"
    heads = {norm_header(c) for c in table.df.columns}
    if {"key", "submissiondate"} <= heads:
        return "central" if CENTRAL_COLUMNS & heads else "briefcase"
    if heads & {"_uuid", "_submission_time", "_id"}:
        return "kobo"
    if heads & {"timestamp", "stempel_waktu", "cap_waktu"}:
        return "google"
    return "sheet"


def map_columns(table: Table, inst: Instrument, columns: dict | None,
                fmt: str | None = None) -> tuple[pd.DataFrame, list]:
    """Rename headers to canonical ids; rebuild select_multiple from Kobo's
    0/1 columns when the summary column is absent. Returns the canonical
    frame and the headers that were ignored.

    Example:
        >>> t = Table(pd.DataFrame({"Nama Lengkap": ["Ani"], "NIP": ["1"], "TTD": [""]}), "x.csv", None)
        >>> df, ignored = map_columns(t, inst, None)
        >>> df.columns.tolist(), ignored
        (['nama', 'nip'], ['TTD'])
    """
    df = table.df
    known = _known_headers(inst)
    user = {norm_header(k): v for k, v in (columns or {}).items()}
    multi = {i.id: (dict(i.options), option_lookup(i.options, i.options_en))
             for i in inst.items if i.type == "multi"}
    fmt = fmt or detect_format(table)
    vocab = vocabulary(inst)
    found = find_separator(df.columns, vocab, fmt != "sheet") if fmt in PATH_SEPARATORS else None
    sep = found or PATH_SEPARATORS.get(fmt, "/")
    table.meta["group_sep"] = found or ""
    rename, ignored, taken, choice_cols, unknown = {}, [], {}, {}, []
    for col in df.columns:
        h = norm_header(col)
        if h in user and user[h] is None:  # columns={"Instansi": None}: leave it out
            ignored.append(col)
            continue
        base = strip_groups(col, sep, vocab) if fmt in PATH_SEPARATORS else col
        choice = None if h in user else _choice_column(base, known, sep, multi)
        if choice:
            choice_cols.setdefault(choice[0], []).append((choice[1], col))
            continue
        canon = user.get(h) or _resolve(base, known, sep)
        derived = h in IGNORED or h.endswith(("_[score]", "_[feedback]"))
        if canon is None or derived:
            ignored.append(col)
            if canon is None and not derived and fmt in FORM_EXPORTS:
                unknown.append(col)  # a question the instrument does not know, by its title
        elif canon in taken:
            path, path_en = (f"; pemisah grup '{found}'", f"; group separator '{found}'") if found \
                else ("", "")
            raise EvalToolsError(
                f"dua kolom berarti sama: '{taken[canon]}' dan '{col}' (keduanya {canon}{path})",
                file=table.name, row=HEADER_ROW, column=col,
                fix=f"hapus salah satu, atau abaikan dengan columns={{'{col}': None}}",
                problem_en=f"two columns mean the same: '{taken[canon]}' and '{col}' ({canon}{path_en})",
                fix_en=f"delete one, or leave it out with columns={{'{col}': None}}")
        else:
            rename[col] = canon
            taken[canon] = col
    for col in unknown:
        _refuse_retitled(table, col, df[col], inst, taken, sep)
    out = df[list(rename)].rename(columns=rename)
    table.meta["notes"], table.meta["notes_en"] = _multi_columns(df, out, choice_cols)
    return out, ignored


def _multi_columns(df: pd.DataFrame, out: pd.DataFrame, choice_cols: dict) -> list:
    """Rebuild a select_multiple answer from Kobo's separate 0/1 columns
    when the summary column is absent (a blank in every column: not
    answered); say which answers were rebuilt and which separate columns
    were left aside beside their summary (in Indonesian, and in English)."""
    notes, notes_en = [], []
    for item_id, cols in choice_cols.items():
        if item_id in out.columns:
            notes.append(f"{item_id}: {len(cols)} kolom pilihan terpisah tidak dipakai (sama dengan "
                         "kolom ringkasan)")
            notes_en.append(f"{item_id}: {len(cols)} separate choice columns not used (the same "
                            "as the summary column)")
            continue
        picked = pd.DataFrame({name: df[col].fillna("").str.strip().isin(("1", "1.0", "TRUE", "True"))
                               for name, col in cols})
        out[item_id] = picked.apply(lambda r: " ".join(n for n, v in r.items() if v), axis=1)
        notes.append(f"{item_id}: disusun dari {len(cols)} kolom pilihan terpisah")
        notes_en.append(f"{item_id}: rebuilt from {len(cols)} separate choice columns")
    return notes, notes_en



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

