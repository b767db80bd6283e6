"""The evaluator's voice in the workbooks: the "Rekomendasi" sheet (the
recommendations of ``Evaluation.recommendations`` or
``Recap.recommendations``), the letterhead (``kop`` of sesi.yaml) and the
evaluator's note (``catatan_evaluator``).

Example:
    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> write_advice(ws, ev.recommendations())
    >>> [c.value for c in ws[3]][:3]
    ['Jenis', 'Sasaran', 'Tindakan']
"""

from __future__ import annotations

import math

from .common import bold_header, safe_text

HEADER = {"id": ["Jenis", "Sasaran", "Tindakan", "Alasan", "Sumber"],
          "en": ["Kind", "Target", "Action", "Reason", "Source"]}
KIND = {"id": {"opd": "OPD", "opd_absent": "OPD belum hadir", "topic": "Topik",
               "evaluator": "Evaluator"},
        "en": {"opd": "Work unit", "opd_absent": "Unit never present", "topic": "Topic",
               "evaluator": "Evaluator"}}
SOURCE = {"id": {"evaltools": "dihitung evaltools", "evaluator": "evaluator"},
          "en": {"evaltools": "computed by evaltools", "evaluator": "evaluator"}}
TITLE = {"id": "Rekomendasi", "en": "Recommendations"}
INTRO = {"id": "Aturan: OPD dengan peserta lulus KKM di bawah target atau kenaikan yang belum pasti "
               "perlu sosialisasi ulang; kelompok kecil hanya disebut, tanpa angka.",
         "en": "Rules: work units under the pass-rate target or with no sure gain need another "
               "session; small groups are only named, with no numbers."}
WIDTHS = (16, 38, 26, 80, 20)  # column widths, characters
NOTE = {"id": "Catatan evaluator", "en": "Evaluator's note"}


def write_advice(ws, rec, lang: str = "id", kop: dict | None = None) -> None:
    """Fill a sheet with the recommendations: a title (under the letterhead
    when ``kop`` is given), one line on the rules, then one row each;
    wrapped, printed on one page width.

    Example:
        >>> from openpyxl import Workbook
        >>> ws = Workbook().active
        >>> write_advice(ws, ev.recommendations())
        >>> ws["B4"].value, ws["C4"].value
        ('Pemerintah Desa se-Kecamatan Loa Janan', 'perlu sosialisasi ulang')
    """
    from openpyxl.styles import Alignment, Font
    if kop:
        write_letterhead(ws, kop)
    ws.append([TITLE[lang]])
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=14)
    ws.append([INTRO[lang]])
    ws.cell(ws.max_row, 1).font = Font(italic=True)
    # the title and the rules span the table: wrapped in column A alone they read as a column
    for row in (ws.max_row - 1, ws.max_row):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(WIDTHS))
    ws.append(HEADER[lang])
    bold_header(ws[ws.max_row], fill="2F5496")
    for r in rec.itertuples():
        ws.append([KIND[lang].get(r.kind, r.kind), safe_text(r.target), safe_text(r.action),
                   safe_text(r.reason), SOURCE[lang].get(r.source, r.source)])
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        lines = max(math.ceil(len(str(v or "")) / w) for v, w in
                    zip((r.kind, r.target, r.action, r.reason, r.source), WIDTHS))
        ws.row_dimensions[ws.max_row].height = 15 * max(1, lines)
    for letter, width in zip("ABCDE", WIDTHS):
        ws.column_dimensions[letter].width = width
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.page_setup.orientation = "landscape"


def write_letterhead(ws, kop: dict) -> None:
    """The office's name in bold on the next row, its logo (if any) at the
    right of it in column B.

    Example:
        >>> from openpyxl import Workbook
        >>> ws = Workbook().active
        >>> write_letterhead(ws, {"nama": "Badan Kesbangpol"})
        >>> ws["A1"].value
        'Badan Kesbangpol'
    """
    from openpyxl.styles import Font
    ws.append([safe_text(str(kop.get("nama", "")))])
    row = ws.max_row
    ws.cell(row, 1).font = Font(bold=True, size=13)
    if kop.get("logo"):
        from openpyxl.drawing.image import Image
        img = Image(kop["logo"])
        scale = 40 / max(img.height, 1)  # 40 px high
        img.width, img.height = img.width * scale, img.height * scale
        ws.add_image(img, f"B{row}")
        ws.row_dimensions[row].height = 32
    ws.append([])


def write_note(ws, meta: dict, lang: str = "id") -> None:
    """The evaluator's note (``catatan_evaluator``), under a bold heading,
    merged over columns A:B and wrapped; nothing without one.

    Example:
        >>> from openpyxl import Workbook
        >>> ws = Workbook().active
        >>> write_note(ws, {"catatan_evaluator": "Ruang terlalu panas."})
        >>> ws["A3"].value
        'Ruang terlalu panas.'
    """
    from openpyxl.styles import Alignment
    note = str(meta.get("catatan_evaluator") or "").strip()
    if not note:
        return
    ws.append([])
    ws.append([NOTE[lang]])
    bold_header([ws.cell(ws.max_row, 1)])
    ws.append([safe_text(note)])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=2)
    ws.cell(ws.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[ws.max_row].height = 15 * math.ceil(len(note) / 110)
