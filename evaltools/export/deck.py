"""The building blocks of ``ringkasan.pptx``: a 16:9 deck, titled slides,
text boxes, tables and native (editable) PowerPoint bar charts, and the
atomic save. The content is decided in ``slides``; here only the shapes.

Every text passes :func:`clean` (control characters dropped, a leading
= + - @ neutralised as in the workbooks), because a chart's category names
also go into the spreadsheet embedded behind the chart.

Example:
    >>> clean("=cmd|' /C calc'!A0"), clean("Dinas\\x07 Sosial")
    ("'=cmd|' /C calc'!A0", 'Dinas Sosial')
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from ..overwrite import atomic_path, claim_file
from .common import safe_text

WIDTH, HEIGHT = 13.333, 7.5  # inches: the 16:9 slide of PowerPoint and Impress
MARGIN = 0.6
INK, GREY, PRE, POST, ACCENT = "222222", "666666", "8C8C8C", "0072B2", "D55E00"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FIXED_TIME = _dt.datetime(2000, 1, 1)  # the same data gives the same file


def clean(value) -> str:
    """A text as a slide and the chart's embedded sheet may show it.

    Example:
        >>> clean("+62 811"), clean(None)
        ("'+62 811", '')
    """
    text = "" if value is None else _CONTROL.sub("", str(value))
    return safe_text(text)


def _rgb(hex_colour: str):
    from pptx.dml.color import RGBColor
    return RGBColor.from_string(hex_colour)


def new_deck():
    """An empty 16:9 presentation with fixed document properties.

    Example:
        >>> round(new_deck().slide_width.inches, 2)
        13.33
    """
    from pptx import Presentation
    from pptx.util import Inches
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(WIDTH), Inches(HEIGHT)
    core = prs.core_properties
    core.author = core.last_modified_by = "evaltools"
    core.created = core.modified = FIXED_TIME
    core.revision = 1
    core.title, core.comments = "ringkasan", ""
    return prs


def text_box(slide, box, lines, *, size: float = 18, bold: bool = False, colour: str = INK,
             align: str = "left", guard: bool = True):
    """A text box at ``box`` (x, y, w, h in inches), one paragraph per line.
    ``guard=False`` only for numbers written by ``evaltools.fmt`` ("+15,7"
    keeps its sign); every other text is :func:`clean`."""
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches, Pt
    shape = slide.shapes.add_textbox(*(Inches(v) for v in box))
    tf = shape.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.TOP
    for i, line in enumerate(lines):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        para.alignment = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER}[align]
        run = para.add_run()
        run.text = clean(line) if guard else _CONTROL.sub("", str(line))
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, _rgb(colour)
    return shape


def titled_slide(prs, title: str, note: str = ""):
    """A blank slide with its title on top and, when given, a small note at the bottom."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # the blank layout
    text_box(slide, (MARGIN, 0.35, WIDTH - 2 * MARGIN, 0.9), [title], size=28, bold=True)
    if note:
        text_box(slide, (MARGIN, HEIGHT - 0.75, WIDTH - 2 * MARGIN, 0.5), [note], size=12,
                 colour=GREY)
    return slide


def bar_chart(slide, box, categories, series, *, horizontal: bool = False, maximum=None):
    """A native clustered bar chart: ``series`` is a list of (name, values,
    colour, labels); the values stay in the chart's sheet, each bar shows its
    label (text written by ``evaltools.fmt``)."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
    from pptx.util import Inches, Pt
    data = CategoryChartData(number_format="0.0")
    data.categories = [clean(c) for c in categories]
    for name, values, _, _ in series:
        data.add_series(clean(name), [float(v) for v in values])
    kind = XL_CHART_TYPE.BAR_CLUSTERED if horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    chart = slide.shapes.add_chart(kind, *(Inches(v) for v in box), data).chart
    chart.font.size = Pt(14)
    chart.has_legend = True
    chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.TOP, False
    axis = chart.value_axis
    axis.minimum_scale = 0
    if maximum is not None:
        axis.maximum_scale = maximum
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = "0", False
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _rgb("DDDDDD")
    if horizontal:  # the first category on top, as it is read
        chart.category_axis.reverse_order = True
    for plot_series, (_, _, colour, labels) in zip(chart.plots[0].series, series):
        plot_series.format.fill.solid()
        plot_series.format.fill.fore_color.rgb = _rgb(colour)
        for point, label in zip(plot_series.points, labels):
            dl = point.data_label
            dl.text_frame.text = _CONTROL.sub("", str(label))  # a number by fmt, not in the sheet
            dl.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
            dl.position = XL_LABEL_POSITION.OUTSIDE_END
    chart.plots[0].gap_width = 60
    wb = chart.part.chart_workbook
    wb.update_from_xlsx_blob(fixed_xlsx(wb.xlsx_part.blob))
    return chart


def fixed_xlsx(blob: bytes) -> bytes:
    """The chart's sheet without the time it was made (its document dates and
    the zip's entry times), so the same data gives the same file.

    Example:
        >>> import io, zipfile
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w") as z:
        ...     z.writestr("docProps/core.xml", "<dcterms:created x>2026-12-05T22:00:00Z</dcterms:created>")
        >>> zipfile.ZipFile(io.BytesIO(fixed_xlsx(buf.getvalue()))).read("docProps/core.xml")
        b'<dcterms:created x>2000-01-01T00:00:00Z</dcterms:created>'
    """
    import io
    import zipfile
    src, out = zipfile.ZipFile(io.BytesIO(blob)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z",
                              data)
            dst.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), data,
                         zipfile.ZIP_DEFLATED)
    return out.getvalue()


def table(slide, box, header, rows, widths, *, size: float = 13):
    """A table: a header row on blue, then ``rows`` of texts; ``widths`` in inches."""
    from pptx.util import Inches, Pt
    shape = slide.shapes.add_table(len(rows) + 1, len(header), *(Inches(v) for v in box))
    tbl = shape.table
    for j, w in enumerate(widths):
        tbl.columns[j].width = Inches(w)
    for i, row in enumerate([header, *rows]):
        for j, value in enumerate(row):
            cell = tbl.cell(i, j)
            cell.text = clean(value)
            font = cell.text_frame.paragraphs[0].runs[0].font if cell.text else None
            if font is not None:
                font.size, font.bold = Pt(size), i == 0
            if i == 0:
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(POST)
            elif font is not None:
                font.color.rgb = _rgb(INK)
    return shape


def save_deck(prs, path, *, overwrite: bool = False) -> Path:
    """Save ``prs`` to ``path`` atomically (a temporary name in the same
    folder, then renamed), claimed like every export (``evaltools.overwrite``).

    Example:
        >>> import tempfile
        >>> save_deck(new_deck(), Path(tempfile.mkdtemp()) / "x.pptx").name
        'x.pptx'
    """
    import io
    path = Path(path)
    buf = io.BytesIO()
    prs.save(buf)
    with claim_file(path, overwrite=overwrite), atomic_path(path) as tmp:
        # without the time it was saved (zip entry times): the same data gives the same file
        Path(tmp).write_bytes(fixed_xlsx(buf.getvalue()))
    return path
