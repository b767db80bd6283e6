"""Excel data-entry template for typing paper forms.

One row per participant on sheet "Jawaban": row 1 holds the column ids that
evaltools reads, row 2 short labels for the typist, data from row 3. Every
answer cell has a dropdown; NIP cells are text so Excel cannot turn 18 digits
into 1.98E+17; the header is frozen. Sheet "Petunjuk" explains the work in
Bahasa Indonesia and records the instrument id, version and wave that the
reader checks; sheet "Daftar OPD" lists the OPDs for the OPD dropdown.

Example:
    >>> cols = _columns(FormSpec(inst, "pre", None, ("Kesbangpol Prov. Kaltim",)))
    >>> [(cid, kind) for cid, _, kind, _ in cols[:2]], cols[-1][0]
    ([('nama', 'text'), ('nip', 'nip')], 'sikap_6')
"""

from __future__ import annotations

from pathlib import Path

from ..layout import TEMPLATE_DATA_SHEET as DATA_SHEET
from ..layout import TEMPLATE_FIRST_DATA_ROW as FIRST_DATA_ROW
from ..layout import TEMPLATE_INFO_KEYS
from ..layout import TEMPLATE_INFO_SHEET as INFO_SHEET
from ..layout import TEMPLATE_OPD_SHEET as OPD_SHEET
from ..overwrite import atomic_path
from .spec import FormSpec  # noqa: F401  (the examples build one)

N_ROWS = 500  # rows prepared with dropdowns; more can be added by copying a row


def _short(text: str, n: int = 48) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _columns(spec):
    """(id, short label, kind, choices) for every column, in order."""
    inst = spec.instrument
    cols = []
    for f in inst.participant_fields:
        kind = "nip" if f.type == "nip" else "opd" if f.type == "opd" else (
            "select" if f.type == "select" else "text")
        cols.append((f.id, f.label, kind, list(f.options.values())))
    for n, item in enumerate(inst.items, start=1):
        if item.type == "multi":
            cols.append((item.id, f"{n}. {_short(item.text)} (boleh lebih dari satu: a c d)",
                         "multi", list(item.options)))
        elif item.type == "truefalse":
            cols.append((item.id, f"{n}. {_short(item.text)}", "select",
                         [item.options[k] for k in item.options]))
        else:
            cols.append((item.id, f"{n}. {_short(item.text)}", "select",
                         [k.upper() for k in item.options]))
    for li in spec.likert_items():
        cols.append((li.id, f"{_short(li.text)} (1-5)", "likert", []))
    for oi in spec.open_items():
        cols.append((oi.id, oi.text, "text", []))
    return cols


def _validation(kind: str, choices: list, spec):
    """The dropdown or check of an answer column of ``kind``; None for free text."""
    from openpyxl.worksheet.datavalidation import DataValidation
    dv = None
    if kind == "select":
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    elif kind == "opd":
        dv = DataValidation(type="list", allow_blank=True,
                            formula1=f"'{OPD_SHEET}'!$A$2:$A${len(spec.opds) + 1}")
        dv.showErrorMessage = False  # an OPD missing from the list may still be typed
        return dv
    elif kind == "likert":
        dv = DataValidation(type="whole", operator="between", formula1="1", formula2="5",
                            allow_blank=True)
    elif kind == "multi":
        dv = DataValidation(type="textLength", operator="lessThanOrEqual",
                            formula1=str(2 * len(choices)), allow_blank=True)
        dv.promptTitle, dv.prompt = "Pilihan ganda", "Ketik huruf yang dipilih, dipisah spasi: a c d"
    elif kind == "nip":
        dv = DataValidation(type="textLength", operator="equal", formula1="18", allow_blank=True)
        dv.errorTitle, dv.error = "NIP", "NIP harus 18 angka tanpa spasi."
    if dv is not None:
        if not dv.error:
            dv.errorTitle, dv.error = "Isian tidak sah", "Pilih dari daftar."
        dv.showErrorMessage = True
    return dv


def _write_answer_sheet(ws, spec) -> None:
    """Row 1 the column ids, row 2 the typist's labels, then ``N_ROWS`` rows
    with a dropdown or check in every answer cell."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    last = FIRST_DATA_ROW + N_ROWS - 1
    head_fill = PatternFill("solid", fgColor="DDDDDD")
    for j, (cid, label, kind, choices) in enumerate(_columns(spec), start=1):
        letter = get_column_letter(j)
        ws.cell(1, j, cid).font = Font(bold=True)
        ws.cell(1, j).fill = head_fill
        c = ws.cell(2, j, label)
        c.font = Font(italic=True, size=9, color="444444")
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[letter].width = {"nip": 22, "opd": 34, "text": 24}.get(kind, 11)
        if kind == "nip":
            for r in range(FIRST_DATA_ROW, last + 1):
                ws.cell(r, j).number_format = "@"  # text: 18 digits stay 18 digits
        dv = _validation(kind, choices, spec)
        if dv is not None:
            dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last}")
            ws.add_data_validation(dv)
    ws.row_dimensions[2].height = 60
    ws.freeze_panes = "B3"


def _write_info_sheet(info, spec) -> None:
    """How to type the forms, and the form's identity that the reader checks."""
    from openpyxl.styles import Font
    inst = spec.instrument
    lines = [
        (f"Templat entri jawaban: {inst.title}", None),
        ("Cara mengisi", None),
        ("1. Satu baris untuk satu peserta, mulai baris 3 di lembar 'Jawaban'. Baris 1 (kode kolom) "
         "dan baris 2 (keterangan) jangan diubah.", None),
        ("2. NIP diketik 18 angka tanpa spasi. Peserta non-ASN/kepala desa mengisi kode_peserta "
         "(inisial + tanggal dan bulan lahir, mis. AS2208).", None),
        ("3. Jawaban butir: pilih huruf dari daftar (A-D) atau Benar/Salah. Butir 'pilih semua': "
         "ketik huruf dipisah spasi, mis. a c d. Jawaban kosong biarkan kosong.", None),
        ("4. Skala sikap/reaksi: angka 1 (sangat tidak setuju) sampai 5 (sangat setuju).", None),
        ("5. Simpan sebagai .xlsx; jangan mengganti nama lembar. Baca dengan evaltools.", None),
        ("", None),
        ("Identitas formulir (dibaca evaltools, jangan diubah)", None),
        *zip(TEMPLATE_INFO_KEYS, (inst.id, inst.version, spec.wave, spec.session or "")),
    ]
    for text, value in lines:
        info.append([text] if value is None else [text, value])
    info["A1"].font = Font(bold=True, size=13)
    info["A2"].font = info["A9"].font = Font(bold=True)
    info.column_dimensions["A"].width = 100
    info.column_dimensions["B"].width = 30


def write_entry_template(spec, path) -> Path:
    """Write the .xlsx entry template for ``spec.wave``; return its path.

    Example:
        >>> import tempfile
        >>> from openpyxl import load_workbook
        >>> spec = FormSpec(inst, "pre", None, ("Kesbangpol Prov. Kaltim",))
        >>> wb = load_workbook(write_entry_template(spec, Path(tempfile.mkdtemp()) / "x.xlsx"))
        >>> wb.sheetnames, [c.value for c in wb["Jawaban"][1]][:3]
        (['Jawaban', 'Petunjuk', 'Daftar OPD'], ['nama', 'nip', 'kode_peserta'])
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    _write_answer_sheet(ws, spec)
    _write_info_sheet(wb.create_sheet(INFO_SHEET), spec)
    opd = wb.create_sheet(OPD_SHEET)
    opd.append(["OPD / unit kerja"])
    opd["A1"].font = Font(bold=True)
    for name in spec.opds:
        opd.append([name])
    opd.column_dimensions["A"].width = 50
    path = Path(path)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def fill_entry_template(spec, answers: list[dict], path) -> Path:
    """Write the entry template for ``spec`` and type ``answers`` into it as a
    typist would (letters A-D, Benar/Salah, labels such as "PNS"); return the path.

    ``answers`` use canonical values ("b", "a c", "pns", 4); an empty dict
    leaves its row empty; a non-text NIP (a float) is stored as a number, the
    way Excel stores one typed into a general cell.

    Example:
        >>> import tempfile
        >>> from openpyxl import load_workbook
        >>> spec = FormSpec(inst, "post", None, ("Kesbangpol Prov. Kaltim",))
        >>> path = fill_entry_template(spec, [{"nama": "Ani", "nip": "198609262015052001",
        ...                                    "q01": "b"}], Path(tempfile.mkdtemp()) / "x.xlsx")
        >>> ws = load_workbook(path)["Jawaban"]
        >>> row = {c.value: ws.cell(3, c.column).value for c in ws[1]}
        >>> row["nama"], row["nip"], row["q01"]
        ('Ani', '198609262015052001', 'B')
    """
    from openpyxl import load_workbook
    path = write_entry_template(spec, path)
    inst = spec.instrument
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    header = [c.value for c in ws[1]]
    col = {cid: j for j, cid in enumerate(header, start=1)}
    fields = {f.id: f for f in inst.participant_fields}
    items = {i.id: i for i in inst.items}
    for k, ans in enumerate(answers):
        r = FIRST_DATA_ROW + k
        for cid, v in ans.items():
            if cid not in col or v is None or v == "":
                continue
            if cid in items and items[cid].type == "truefalse":
                v = items[cid].options[v]
            elif cid in items and items[cid].type != "multi":
                v = str(v).upper()
            elif cid in fields and fields[cid].type == "select":
                v = fields[cid].options.get(v, v)
            ws.cell(r, col[cid]).value = v
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
