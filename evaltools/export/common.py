"""What the exports share: the chart writer, and the workbook's column specs
and table writer (``ringkasan.xlsx`` and ``rekap.xlsx`` use the same).

Charts are drawn into bytes by :func:`figure_bytes` in each of ``FORMATS`` and
written by :func:`write_figure`. A table sheet is written by
:func:`write_table` from a DataFrame and a list of :class:`Column`; the
columns of a group (a session, an OPD, a topic) are named in
``GROUP_COLUMNS`` and picked by key with :func:`group_columns`.
Numbers stay numbers with a number format; every text cell passes
:func:`safe_text`.

Example:
    >>> [c.label for c in group_columns("n", "mean_gain", "p_t")]
    ['n', 'Kenaikan', 'p (uji t)']
    >>> P_FORMAT
    '[$-421][<0.001]"< 0,001";0.000'
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from .. import fmt
from ..errors import EvalToolsError
from ..overwrite import atomic_path

FORMATS = ("png", "svg", "pdf")
DPI = 200  # PNG resolution: sharp on a projector and in print
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")
P_FORMAT = fmt.p_number_format("id")  # the workbooks are in Indonesian
GAIN_FORMAT = fmt.excel_format("+0.0;-0.0;0.0")  # a gain shows its sign
PCT_FORMAT = fmt.pct_number_format("id")  # a pass rate in whole percent, as fmt.pct: 12.5 -> 13%


def cell_format(number_format: str, lang: str = "id") -> str:
    """The number format a cell gets: a plain pattern ("0.0") in the
    workbook's locale (:func:`evaltools.fmt.excel_format`); text ("@") and a
    format that already names its locale unchanged.

    Example:
        >>> cell_format("0.0"), cell_format("@"), cell_format(GAIN_FORMAT) == GAIN_FORMAT
        ('[$-421]0.0', '@', True)
    """
    if number_format in ("@", "General") or number_format.startswith("[$"):
        return number_format
    return fmt.excel_format(number_format, lang)


def check_formats(formats) -> None:
    """Refuse a chart format evaltools does not write, before anything is written.

    Example:
        >>> check_formats(("png", "svg"))
        >>> check_formats(("jpg",))
        Traceback (most recent call last):
        evaltools.errors.EvalToolsError: format grafik 'jpg' tidak dikenal. Perbaikan: pakai png, svg atau pdf
        (en) unknown chart format 'jpg'. Fix: use png, svg or pdf
    """
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise EvalToolsError(f"format grafik {bad[0]!r} tidak dikenal", fix="pakai png, svg atau pdf",
                             problem_en=f"unknown chart format {bad[0]!r}",
                             fix_en="use png, svg or pdf")


def figure_bytes(fig, formats=FORMATS) -> dict:
    """The files of ``fig`` by format: PNG at 200 dpi; SVG with real text
    (searchable, and checked for personal data) and fixed ids; PDF without a
    creation date, so the same data gives the same bytes. Bytes, not files:
    a figure drawn in another process is written by the one that holds the claim.

    Example:
        >>> from matplotlib.figure import Figure
        >>> files = figure_bytes(Figure(figsize=(2, 1)), ("png", "pdf"))
        >>> list(files), files["png"][1:4], files["pdf"][:5]
        (['png', 'pdf'], b'PNG', b'%PDF-')
    """
    import io

    import matplotlib
    files, engine = {}, fig.get_layout_engine()
    try:
        with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "evaltools"}):
            for suffix in formats:
                meta = {"png": {"Software": None}, "svg": {"Date": None},
                        "pdf": {"CreationDate": None}}.get(suffix, {})
                buf = io.BytesIO()
                fig.savefig(buf, format=suffix, dpi=DPI, metadata=meta)
                files[suffix] = buf.getvalue()
                # laid out once, by the first format's drawing: the others draw where it put
                # everything (a quarter of the time, and the same layout in every format)
                fix_layout(fig)
    finally:
        _set_engine(fig, engine)
    return files


def _set_engine(fig, engine) -> None:
    """Give ``fig`` the layout ``engine``; None is no engine at all, whatever
    the user's matplotlibrc says (there, None means its automatic layout)."""
    import matplotlib
    with matplotlib.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(engine)


def fix_layout(fig) -> None:
    """Keep every part of ``fig`` where its last drawing put it, rounded to
    1e-6 of the figure, and stop laying it out again: the layout's last
    float digits can vary with what matplotlib measured earlier in the
    process, and a PDF prints ten digits, so without the rounding the same
    data could give a different file. The figure is left with no layout
    engine at all (not the placeholder of ``set_layout_engine("none")``):
    ``savefig`` draws a figure that has any engine twice, once to lay it
    out, so each later format would pay for a layout it no longer does.

    Example:
        >>> from matplotlib.figure import Figure
        >>> fig = Figure(layout="constrained"); _ = fig.subplots(); fig.draw_without_rendering()
        >>> fix_layout(fig); fig.get_layout_engine() is None
        True
    """
    import numpy as np
    _set_engine(fig, None)
    subs = list(fig.subfigs)
    while subs:
        sub = subs.pop()
        subs += sub.subfigs
        sub.bbox_relative.set_points(np.round(sub.bbox_relative.get_points(), 6))
    for ax in fig.get_axes():
        ax.set_position(np.round(ax.get_position(original=False).bounds, 6))


def write_figure(files: dict, stem) -> list:
    """Write the ``files`` of :func:`figure_bytes` as ``stem.<format>``,
    each through ``atomic_path`` (never a partial chart under its name).

    Example:
        >>> import tempfile
        >>> [p.name for p in write_figure({"svg": b"<svg/>"}, Path(tempfile.mkdtemp()) / "g")]
        ['g.svg']
    """
    out = []
    for suffix, data in files.items():
        path = Path(stem).with_suffix(f".{suffix}")
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
        out.append(path)
    return out


def safe_text(value):
    """Neutralise a text value that a spreadsheet would run as a formula
    (OWASP: a leading = + - @ tab CR LF gets an apostrophe).

    Example:
        >>> safe_text("=HYPERLINK(\\"x\\")"), safe_text(-3), safe_text("- tambah waktu")
        ('\\'=HYPERLINK("x")', -3, "'- tambah waktu")
    """
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def cell_number(value):
    """A value as a workbook cell holds a number: a float, None for a missing
    one (an empty cell, not "nan"); a text is kept as it is.

    Example:
        >>> cell_number(3), cell_number(float("nan")), cell_number(None), cell_number("n < 5")
        (3.0, None, None, 'n < 5')
    """
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return value
    return None if math.isnan(f) else f


class Column(NamedTuple):
    """One column of a table sheet: the DataFrame column, its header, and
    its Excel number format ("@": text)."""
    key: str
    label: str
    number_format: str = "@"


# the columns of a group's comparison (compare.compare and compare.paired_by_group)
GROUP_COLUMNS = {c.key: c for c in (
    Column("n", "n", "0"), Column("mean_pre", "Rata-rata pre", "0.0"),
    Column("mean_post", "Rata-rata post", "0.0"), Column("mean_gain", "Kenaikan", GAIN_FORMAT),
    Column("gain_pooled", "Kenaikan (dipadukan)", GAIN_FORMAT),
    Column("ci_low", "IK 95% bawah", "0.0"), Column("ci_high", "IK 95% atas", "0.0"),
    Column("p_t", "p (uji t)", P_FORMAT), Column("p_t_holm", "p Holm", P_FORMAT),
    Column("d_z", "d_z", "0.00"), Column("bf10", "BF10 (Bayes)"),
    Column("min_detectable_gain", "Kenaikan min. terlihat", "0.0"),  # Metode explains it
    Column("g_hake", "Gain Hake <g>", "0.00"),
    Column("pass_pre", "% lulus pre", PCT_FORMAT), Column("pass_post", "% lulus post", PCT_FORMAT))}


def group_columns(*keys: str) -> list:
    """The ``GROUP_COLUMNS`` named by ``keys``, in that order.

    Example:
        >>> group_columns("ci_low", "ci_high")[1]
        Column(key='ci_high', label='IK 95% atas', number_format='0.0')
    """
    return [GROUP_COLUMNS[k] for k in keys]


def bold_header(row, *, fill: str | None = None) -> None:
    """Bold the cells of a header ``row`` (white on ``fill`` when given)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    for c in row:
        c.font = Font(bold=True, color="FFFFFF" if fill else None)
        if fill:
            c.fill = PatternFill("solid", fgColor=fill)
            c.alignment = Alignment(wrap_text=True, vertical="center")


def write_values(ws, rows) -> None:
    """Append (label, value, number format) rows: the label in column A,
    the value as a number in column B.

    Example:
        >>> from openpyxl import Workbook
        >>> ws = Workbook().active
        >>> write_values(ws, [("Kenaikan", 15.74, GAIN_FORMAT), ("p", float("nan"), P_FORMAT)])
        >>> [(c.value, c.number_format) for c in ws["B"]]
        [(15.74, '[$-421]+0.0;-0.0;0.0'), (None, '[$-421][<0.001]"< 0,001";0.000')]
    """
    for label, value, number_format in rows:
        ws.append([safe_text(label), cell_number(value)])
        ws.cell(ws.max_row, 2).number_format = cell_format(number_format)


def _row(r, label_cols: list, cols: list, min_n_note: str) -> list:
    row = [safe_text(str(r[c.key])) for c in label_cols]
    if not bool(r.get("suppressed", False)):
        return row + [cell_number(r.get(c.key)) for c in cols]
    # a group hidden only so that a smaller one cannot be derived says so
    why = ("disembunyikan (melindungi kelompok kecil)" if bool(r.get("suppressed_secondary", False))
           else min_n_note)
    return row + [why] + [None] * (len(cols) - 1)


# under a table with an empty number cell in a row that is shown (not "n < 5")
EMPTY_CELL_NOTE = ("Sel kosong: tidak dapat dihitung untuk baris itu (tanpa variasi: semua peserta "
                   "berubah sama besar atau menjawab sama, jadi tanpa uji, d_z atau daya beda; skor "
                   "pre-test sudah 100%: tanpa Gain Hake; atau terlalu sedikit peserta).")


def _has_gaps(df: pd.DataFrame, cols: list) -> bool:
    """Whether a row shown with numbers (not suppressed) has a missing one."""
    shown = df[~df["suppressed"].astype(bool)] if "suppressed" in df.columns else df
    keys = [c.key for c in cols if c.key in shown.columns and c.number_format != "@"]
    texts = [c.key for c in cols if c.key in shown.columns and c.number_format == "@"]  # bf10
    return bool(len(shown) and (shown[keys].apply(pd.to_numeric, errors="coerce").isna().any().any()
                                or shown[texts].isna().any().any()))


def bf_text(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its ``bf10`` column as text printed by
    ``fmt.bayes_factor`` (a factor past 1000 is "> 1000", never a number
    of 40 digits or inf); missing ones stay missing.

    Example:
        >>> b = bf_text(pd.DataFrame({"bf10": [2.3e10, 4.6, float("nan")]}))["bf10"]
        >>> b.tolist()[:2], bool(pd.isna(b.iloc[2]))
        (['> 1000', '4,60'], True)
    """
    return table.assign(bf10=[None if pd.isna(v) else fmt.bayes_factor(v) for v in table["bf10"]])


def write_table(ws, df: pd.DataFrame, label_cols: list, cols: list, min_n_note: str) -> None:
    """Write ``df`` as a table sheet: a header row, then one row per group,
    ``label_cols`` (:class:`Column`) as text, ``cols`` as numbers with their
    formats; a row flagged ``suppressed`` shows ``min_n_note`` ("n < 5")
    instead of numbers. Frozen header, printed landscape on one page width.

    Example:
        >>> from openpyxl import Workbook
        >>> ws = Workbook().active
        >>> write_table(ws, ev.by("opd"), [Column("opd", "OPD")], group_columns("n", "mean_gain"),
        ...             "n < 5")
        >>> [c.value for c in ws[1]], ws["A2"].value, round(ws["C2"].value, 2), ws["C2"].number_format
        (['OPD', 'n', 'Kenaikan'], 'Kecamatan Loa Janan', 16.52, '[$-421]+0.0;-0.0;0.0')
    """
    header = [c.label for c in label_cols] + [c.label for c in cols]
    ws.append([safe_text(h) for h in header])
    bold_header(ws[1], fill="0072B2")
    for _, r in df.iterrows():
        ws.append(_row(r, label_cols, cols, min_n_note))
        for j, c in enumerate(cols, start=len(label_cols) + 1):
            ws.cell(ws.max_row, j).number_format = cell_format(c.number_format)
    if _has_gaps(df, cols):  # an empty cell says why, once, under the table
        ws.append([])
        ws.append([EMPTY_CELL_NOTE])
    ws.freeze_panes = ws.cell(2, len(label_cols) + 1)
    for j in range(1, len(header) + 1):
        letter = ws.cell(1, j).column_letter
        ws.column_dimensions[letter].width = 42 if j <= len(label_cols) else 13
    ws.row_dimensions[1].height = 32
    # printed landscape on one page width; the header row repeats on every page
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"


def _text_width(value) -> int:
    """The longest line of a cell's value, in characters as a spreadsheet counts them."""
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:.1f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _fit_columns(ws, widest: int) -> dict:
    """Column letter -> width: a width set by the sheet is kept; others fit
    their longest value (headers included), at most ``widest``."""
    from openpyxl.utils import get_column_letter
    widths = {}
    for col in ws.iter_cols(min_row=1, max_row=ws.max_row):
        letter = get_column_letter(col[0].column)  # the first cell may be part of a merge
        set_by_sheet = letter in ws.column_dimensions and ws.column_dimensions[letter].width not in (
            None, 13)  # openpyxl's default width
        dim = ws.column_dimensions[letter]
        if set_by_sheet:
            widths[letter] = dim.width
            continue
        need = max((_text_width(c.value) for c in col), default=0) + 2
        widths[letter] = dim.width = float(min(max(need, 8), widest))
    return widths


def _wrap_cells(ws, widths: dict) -> None:
    """Wrap text longer than its column and grow its row (spreadsheets do not
    grow a row for text wrapped by openpyxl); text after a number column is
    indented, so "60.0" and "di bawah KKM" never print as one."""
    import math
    from copy import copy

    from openpyxl.utils import get_column_letter
    # a merged cell wraps at the width of all its columns
    merged = {(r.min_row, r.min_col): sum(widths.get(get_column_letter(i), 13)
                                          for i in range(r.min_col, r.max_col + 1))
              for r in ws.merged_cells.ranges}
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        height = 0.0  # points the row needs; a title in a larger font needs taller lines
        for c in row:
            if not isinstance(c.value, str) or c.value.startswith("="):
                continue
            width = merged.get((c.row, c.column), widths.get(c.column_letter, 13))
            al = copy(c.alignment)
            if c.row > 1 and c.column > 1 and al.horizontal in (None, "general", "left"):
                al.indent = max(al.indent or 0, 1)
            need = sum(max(1, math.ceil(len(x) / max(width - 2, 1))) for x in c.value.splitlines())
            if need > 1 or "\n" in c.value:
                al.wrap_text, al.vertical = True, "top"
                height = max(height, need * max(15.0, 1.35 * float(c.font.sz or 11)))
            c.alignment = al
        dim = ws.row_dimensions[row[0].row]
        if height and (dim.height is None or dim.height < height):
            dim.height = height


def _p_digits(ws) -> None:
    """A p-value cell shows the digits the sentences give it (``fmt.p_value``:
    four near 0.05, more where three would cross 0.05), so 0.0483 reads
    "0,0483" in the cell and in the sentence beside it."""
    for row in ws.iter_rows():
        for c in row:
            if c.number_format == P_FORMAT and isinstance(c.value, float):
                text = fmt.p_value(c.value, "en")
                digits = len(text.split(".")[1]) if "." in text and not text.startswith("<") else 3
                if digits > 3:
                    c.number_format = P_FORMAT.replace(";0.000", ";0." + "0" * digits)


def fit_print(ws, *, widest: int = 50) -> None:
    """Make ``ws`` print readably: columns as wide as their values (at most
    ``widest`` characters; widths the sheet set are kept), longer text
    wrapped with its row grown, and the page set to A4 with every column on
    one page width (landscape when the columns are wide), as many pages down
    as needed.

    Example:
        >>> from openpyxl import Workbook
        >>> ws = Workbook().active
        >>> ws.append(["Sesi", "Tanggal"])
        >>> ws.append(["Sosialisasi Netralitas ASN " * 3, "22 November 2024"])
        >>> fit_print(ws)
        >>> ws.column_dimensions["A"].width, ws["A2"].alignment.wrap_text, ws.page_setup.fitToWidth
        (50.0, True, 1)
    """
    _p_digits(ws)
    widths = _fit_columns(ws, widest)
    _wrap_cells(ws, widths)
    if sum(widths.values()) > 95:
        ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.page_margins.left = ws.page_margins.right = 0.4
