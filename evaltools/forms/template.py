"""Excel data-entry template for typing paper forms.

One row per participant on sheet "Jawaban": row 1 holds the column ids that
evaltools reads, row 2 short labels for the typist, data from row 3. Every
answer cell has a dropdown; NIP cells are text so Excel cannot turn 18 digits
into 1.98E+17; the header is frozen. Sheet "Petunjuk" explains the work in
Bahasa Indonesia and records the instrument id, version and wave that the
reader checks; sheet "Daftar OPD" lists the OPDs for the OPD dropdown.

Example:
    >>> write_entry_template(FormSpec(inst, "pre", None, opds), "pre-entri.xlsx")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from ..layout import (TEMPLATE_DATA_SHEET as DATA_SHEET, TEMPLATE_FIRST_DATA_ROW as FIRST_DATA_ROW,
                          TEMPLATE_INFO_SHEET as INFO_SHEET, TEMPLATE_OPD_SHEET as OPD_SHEET)

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


def write_entry_template(spec, path) -> Path:
    """Write the .xlsx entry template for ``spec.wave``; return its path.

    Example:
        >>> write_entry_template(spec, "survey/forms/x-pre-entri.xlsx")  # doctest: +SKIP
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    inst = spec.instrument
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    cols = _columns(spec)
    last = FIRST_DATA_ROW + N_ROWS - 1
    head_fill = PatternFill("solid", fgColor="DDDDDD")
    for j, (cid, label, kind, choices) in enumerate(cols, start=1):
        letter = get_column_letter(j)
        ws.cell(1, j, cid).font = Font(bold=True)
        ws.cell(1, j).fill = head_fill
        c = ws.cell(2, j, label)
        c.font = Font(italic=True, size=9, color="444444")
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[letter].width = {"nip": 22, "opd": 34, "text": 24}.get(kind, 11)
        rng = f"{letter}{FIRST_DATA_ROW}:{letter}{last}"
        dv = None
        if kind == "select":
            dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        elif kind == "opd":
            dv = DataValidation(type="list", allow_blank=True,
                                formula1=f"'{OPD_SHEET}'!$A$2:$A${len(spec.opds) + 1}")
            dv.showErrorMessage = False  # an OPD missing from the list may still be typed
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
            for r in range(FIRST_DATA_ROW, last + 1):
                ws.cell(r, j).number_format = "@"  # text: 18 digits stay 18 digits
        if dv is not None:
            if kind != "opd" and not dv.error:
                dv.errorTitle, dv.error = "Isian tidak sah", "Pilih dari daftar."
            dv.showErrorMessage = dv.showErrorMessage if kind == "opd" else True
            dv.add(rng)
            ws.add_data_validation(dv)
    ws.row_dimensions[2].height = 60
    ws.freeze_panes = "B3"

    info = wb.create_sheet(INFO_SHEET)
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
        ("instrumen", inst.id), ("versi", inst.version), ("gelombang", spec.wave),
        ("sesi", spec.session or ""),
    ]
    for text, value in lines:
        info.append([text] if value is None else [text, value])
    info["A1"].font = Font(bold=True, size=13)
    info["A2"].font = info["A9"].font = Font(bold=True)
    info.column_dimensions["A"].width = 100
    info.column_dimensions["B"].width = 30

    opd = wb.create_sheet(OPD_SHEET)
    opd.append(["OPD / unit kerja"])
    opd["A1"].font = Font(bold=True)
    for name in spec.opds:
        opd.append([name])
    opd.column_dimensions["A"].width = 50
    path = Path(path)
    wb.save(path)
    return path


def fill_entry_template(spec, answers: list[dict], path) -> Path:
    """Write the entry template for ``spec`` and type ``answers`` into it as a
    typist would (letters A-D, Benar/Salah, labels such as "PNS"); return the path.

    ``answers`` use canonical values ("b", "a c", "pns", 4); an empty dict
    leaves its row empty; a non-text NIP (a float) is stored as a number, the
    way Excel stores one typed into a general cell.

    Example:
        >>> fill_entry_template(spec, [{"nama": "Ani", "nip": "198609262015052001",
        ...                             "q01": "b"}], "post-entri.xlsx")  # doctest: +SKIP
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
    wb.save(path)
    return path
