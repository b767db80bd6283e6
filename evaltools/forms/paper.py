"""Printable A4 paper form (PDF and standalone HTML), answer key on the last page.

Every page carries the title, the wave and the stamp (instrument id, version,
wave, session) plus "Halaman X dari Y", so a loose page is never scored with
the wrong key. The PDF is byte-identical on every run (reportlab invariant mode).
reportlab is imported when a PDF is drawn, not with the module.

Example:
    >>> spec = FormSpec(inst, "pre", None, ("Kesbangpol Prov. Kaltim",))
    >>> _key_rows(inst)[0]
    (1, 'q01', 'Dasar hukum', 'B', 'ya')
    >>> "Halaman " in _html(spec) and spec.stamp in _html(spec)
    True
"""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path

from .. import fmt
from ..overwrite import atomic_path, write_text
from .spec import WAVE_LABEL, FormSpec

# reportlab's units and page size (reportlab.lib.units.mm, reportlab.lib.pagesizes.A4), computed
# as reportlab computes them so the PDF stays byte for byte the same
mm = 72.0 / 2.54 * 0.1
A4 = (210 * mm, 297 * mm)

ID_HINT = ("Isi NIP 18 angka tanpa spasi. Peserta non-ASN mengisi kode peserta: "
           "inisial nama + tanggal dan bulan lahir (DDMM).")
MARK_HINT = "Beri tanda silang (X) pada satu huruf jawaban yang paling tepat."
MULTI_HINT = "pilih semua yang benar"
LIKERT_HINT = "Beri tanda silang (X) pada satu kotak untuk setiap pernyataan."
KEY_TITLE = "KUNCI JAWABAN (untuk evaluator, jangan dibagikan)"
KEY_NOTE = ("Nilai lulus: {}. Butir pilih-semua dinilai benar hanya bila tepat semua huruf "
            "kunci yang dipilih.")
MARGIN, TOP, WIDTH = 18 * mm, 27 * mm, A4[0] - 36 * mm


def _e(text) -> str:
    """Escape text for Paragraph markup and HTML alike."""
    return html.escape(str(text), quote=False)


def _letter(option_id: str) -> str:
    """Option id as printed: a -> A; truefalse benar -> B, salah -> S."""
    return {"benar": "B", "salah": "S"}.get(option_id, option_id.upper())


def _option_label(item, option_id: str) -> str:
    fmt = "{} ({})" if item.type == "truefalse" else "{}. {}"
    return fmt.format(_letter(option_id), item.options[option_id])


def _key_rows(inst):
    """Answer key rows: number, item id, topic, key letter(s), scored."""
    return [(n, it.id, inst.topic_label(it.topic),
             ", ".join(_letter(o) for o in it.options
                       if o in (it.key if it.type == "multi" else {it.key})),
             "ya" if it.scored else "tidak dinilai") for n, it in enumerate(inst.items, 1)]


def _sections(spec: FormSpec):
    """(letter, heading, likert items or None for an open item), after A and B."""
    asked = spec.likert_items()
    parts = [(s.label, [li for li in asked if li.scale == s.id])
             for s in spec.instrument.scales if any(li.scale == s.id for li in asked)]
    parts += [(oi.text, None) for oi in spec.open_items()]
    return [(chr(ord("C") + n), heading, items) for n, (heading, items) in enumerate(parts)]


def _fonts() -> tuple[str, str]:
    """Register DejaVu Sans (bundled with matplotlib); fall back to Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont
    try:
        import matplotlib
        ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        for name in ("DejaVuSans", "DejaVuSans-Bold"):
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(ttf / f"{name}.ttf")))
        pdfmetrics.registerFontFamily("DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold",
                                      italic="DejaVuSans", boldItalic="DejaVuSans-Bold")
        return "DejaVuSans", "DejaVuSans-Bold"
    except (ImportError, OSError, TTFError):
        return "Helvetica", "Helvetica-Bold"


@cache
def _mark_class():
    from reportlab.platypus import Flowable

    class Mark(Flowable):
        """An empty circle (one answer) or square (tick box), drawn, not a font glyph."""

        def __init__(self, round_=False, size=10):
            super().__init__()
            self.width = self.height = self.size = size
            self.round = round_

        def draw(self):
            s, c = self.size, self.canv
            c.setLineWidth(0.9)
            c.circle(s / 2, s / 2, s / 2) if self.round else c.rect(0, 0, s, s)
    return Mark


def _mark(round_=False, size=10):
    return _mark_class()(round_, size)


def _numbered_canvas(draw_header):
    """Canvas class that holds pages back until the end so each page can say 'dari Y'."""
    from reportlab.pdfgen.canvas import Canvas

    class _Canvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for n, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                draw_header(self, n, len(self._pages))
                super().showPage()
            super().save()
    return _Canvas


def _grid(cells, widths, style=(), heights=None, pad=2):
    from reportlab.platypus import Table, TableStyle
    return Table(cells, colWidths=widths, rowHeights=heights, hAlign="LEFT", style=TableStyle(
        [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
         ("RIGHTPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), pad),
         ("BOTTOMPADDING", (0, 0), (-1, -1), pad), *style]))


_LINED = [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("LINEBELOW", (0, 0), (-1, 0), 1.2, "black")]


def _para(text, style):
    from reportlab.platypus import Paragraph
    return Paragraph(str(text), style)


def _participant_part(spec: FormSpec, st: dict) -> list:
    """A. Data peserta: one boxed row per participant field."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.platypus import Spacer
    body = st["body"]
    rows, heights, style = [], [], [("BOX", (0, 0), (-1, -1), 1, "black")]
    for r, f in enumerate(spec.instrument.participant_fields):
        if f.type in ("nip", "code"):  # one box per character
            n = 18 if f.type == "nip" else 8
            cell = _grid([[""] * n], [16] * n, [("GRID", (0, 0), (-1, -1), 0.8, "black")], 18)
        elif f.type == "select":
            opts = [_e(o) for o in f.options.values()]
            sizes = [pdfmetrics.stringWidth(o, body.fontName, body.fontSize) + 12 for o in opts]
            per = len(opts) if sum(sizes) + 14 * len(opts) < WIDTH - 130 else 3  # one row if it fits
            cells = [sum(([_mark(), _para(o, body)] for o in opts[i:i + per]), [])
                     for i in range(0, len(opts), per)]
            widths = sum(([14, s] for s in sizes), []) if per == len(opts) else [14, 107] * per
            cell = _grid([c + [""] * (2 * per - len(c)) for c in cells], widths)
        else:  # text, opd: a write-in line
            cell = ""
            style.append(("LINEBELOW", (1, r), (1, r), 0.6, "black"))
        rows.append([_para(f"<b>{_e(f.label)}</b>" + (" *" if f.required else ""), body), cell])
        heights.append(None if f.type == "select" else 26)
    return [_para("A. Data peserta", st["h"]), _para(ID_HINT, st["small"]), Spacer(1, 4),
            _grid(rows, [120, WIDTH - 120], style, heights, pad=5),
            _para("* wajib diisi", st["small"]), Spacer(1, 8)]


def _knowledge_part(spec: FormSpec, st: dict) -> list:
    """B. Tes pengetahuan: each item with its options, two per line where they fit."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.platypus import KeepTogether, Paragraph, Spacer
    body = st["body"]
    out = [_para("B. Tes pengetahuan", st["h"]), _para(MARK_HINT, body), Spacer(1, 4)]
    half = (WIDTH - 16) / 2 - 14
    for n, item in enumerate(spec.instrument.items, 1):
        multi = item.type == "multi"
        labels = [_option_label(item, o) for o in item.options]
        marks = [[_mark(round_=not multi), _para(_e(label), body)] for label in labels]
        wide = max(pdfmetrics.stringWidth(label, body.fontName, body.fontSize) for label in labels)
        if item.type == "truefalse" or wide < half - 8:  # short options: two per line, A B / C D
            cells = [[""] + sum(marks[i:i + 2], []) for i in range(0, len(marks), 2)]
            opts = _grid([c + [""] * (5 - len(c)) for c in cells], [16, 14, half, 14, half])
        else:
            opts = _grid([[""] + m for m in marks], [16, 14, WIDTH - 30])
        stem = _e(item.text) + (f" <b>({MULTI_HINT})</b>" if multi else "")
        out.append(KeepTogether([Paragraph(stem, st["item"], bulletText=f"{n}."), opts,
                                 Spacer(1, 7)]))
    return out


def _scale_parts(spec: FormSpec, st: dict) -> list:
    """C, D, ...: a Likert table per scale, three write-in lines per open item."""
    from reportlab.platypus import KeepTogether, Spacer
    body, out = st["body"], []
    legend = "; ".join(f"{k} = {_e(v)}" for k, v in sorted(spec.instrument.likert_points.items()))
    for letter, heading, items in _sections(spec):
        head = [_para(f"{letter}. {_e(heading)}", st["h"])]
        if items is None:  # open item: three write-in lines
            lines = [("LINEBELOW", (0, 0), (-1, -1), 0.6, "black")]
            block = head + [_grid([[""]] * 3, [WIDTH], lines, 24)]
        else:
            rows = [[_para(f"<b>{x}</b>", body if x in ("No", "Pernyataan") else st["center"])
                     for x in ("No", "Pernyataan", 1, 2, 3, 4, 5)]]
            rows += [[_para(i, body), _para(_e(li.text), body)] + [_mark() for _ in range(5)]
                     for i, li in enumerate(items, 1)]
            table = _grid(rows, [24, WIDTH - 164] + [28] * 5,
                          _LINED + [("ALIGN", (2, 1), (-1, -1), "CENTER")], pad=3)
            block = head + [_para(LIKERT_HINT, body), _para(legend, st["small"]), Spacer(1, 4), table]
        out += [Spacer(1, 10), KeepTogether(block)]
    return out


def _key_part(spec: FormSpec, st: dict) -> list:
    """The answer key, on a page of its own."""
    from reportlab.platypus import PageBreak, Spacer
    inst, body = spec.instrument, st["body"]
    rows = [[_para(f"<b>{x}</b>", body) for x in ("No", "ID", "Topik", "Kunci", "Dinilai")]]
    key = _grid(rows + _key_rows(inst), [30, 50, 200, 70, WIDTH - 350],
                _LINED + [("FONT", (0, 1), (-1, -1), body.fontName, 10)], pad=2.5)
    return [PageBreak(), _para(KEY_TITLE, st["title"]), _para(f"Stempel: {_e(spec.stamp)}", body),
            _para(KEY_NOTE.format(fmt.plain(inst.passing_score)), st["small"]), Spacer(1, 6), key]


def _pdf_story(spec: FormSpec, st: dict) -> list:
    return (_participant_part(spec, st) + _knowledge_part(spec, st) + _scale_parts(spec, st)
            + _key_part(spec, st))


# Print CSS; %s is the running header (title | wave | stamp) on every printed page.
CSS = """@page { size: A4; margin: 16mm 18mm; @top-left { content: "%s"; font-size: 8pt; }
  @top-right { content: "Halaman " counter(page) " dari " counter(pages); font-size: 9pt; } }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #000; }
@media screen { body { max-width: 174mm; margin: 1em auto; } } h1 { font-size: 14pt; }
header { border-bottom: 1px solid #000; margin-bottom: 6pt; padding-bottom: 3pt; }
h2 { font-size: 12pt; margin: 10pt 0 4pt; } .s, small { font-size: 9pt; } li { margin: 2pt 0; }
.item { break-inside: avoid; page-break-inside: avoid; } .item p { margin: 6pt 0 2pt; }
ul { list-style: none; margin: 0 0 6pt 1.5em; padding: 0; } .o { border-radius: 50%%; }
ul.truefalse li, .opt { display: inline-block; margin-right: 3em; } .opt { margin-right: 1.2em; }
.o, .sq, .d { display: inline-block; width: 10px; height: 10px; border: 1px solid #000;
  vertical-align: middle; } .d { width: 14px; height: 16px; }
.key { break-before: page; page-break-before: always; }
.line { border-bottom: 1px solid #000; height: 22pt; } table { border-collapse: collapse; width: 100%%; }
.p { border: 1.5px solid #000; } .p th { text-align: left; width: 32mm; } .p td, .p th { padding: 5pt; }
.l td, .l th, .k td, .k th { border: 1px solid #000; padding: 3pt; } .l td:nth-child(n+3) { text-align: center; }"""


def _html(spec: FormSpec) -> str:
    inst, e = spec.instrument, _e
    title, wave = e(inst.title), e(WAVE_LABEL[spec.wave][0])
    header = f"<header><b>{title}</b><br>{wave}<br><small>{e(spec.stamp)}</small></header>"
    out = [header, "<h2>A. Data peserta</h2>", f"<p class=s>{e(ID_HINT)}</p><table class=p>"]
    for f in inst.participant_fields:
        if f.type in ("nip", "code"):
            cell = "<span class=d></span>" * (18 if f.type == "nip" else 8)
        elif f.type == "select":
            cell = " ".join(f"<span class=opt><span class=sq></span> {e(o)}</span>"
                            for o in f.options.values())
        else:
            cell = "<div class=line></div>"
        out.append(f"<tr><th>{e(f.label)}{' *' if f.required else ''}</th><td>{cell}</td></tr>")
    out += ["</table><p class=s>* wajib diisi</p><h2>B. Tes pengetahuan</h2>", f"<p>{e(MARK_HINT)}</p>"]
    for n, item in enumerate(inst.items, 1):
        multi = item.type == "multi"
        opts = "".join(f"<li><span class={'sq' if multi else 'o'}></span> "
                       f"{e(_option_label(item, o))}</li>" for o in item.options)
        hint = f" <b>({MULTI_HINT})</b>" if multi else ""
        out.append(f"<div class=item><p><b>{n}.</b> {e(item.text)}{hint}</p>"
                   f"<ul class={item.type}>{opts}</ul></div>")
    legend = "; ".join(f"{k} = {e(v)}" for k, v in sorted(inst.likert_points.items()))
    for letter, heading, items in _sections(spec):
        if items is None:
            body = "<div class=line></div>" * 3
        else:
            rows = "".join(f"<tr><td>{i}</td><td>{e(li.text)}</td>" + "<td><span class=sq></span></td>"
                           * 5 + "</tr>" for i, li in enumerate(items, 1))
            body = (f"<p>{e(LIKERT_HINT)}</p><p class=s>{legend}</p><table class=l><tr><th>No</th>"
                    "<th>Pernyataan</th>" + "".join(f"<th>{k}</th>" for k in range(1, 6))
                    + f"</tr>{rows}</table>")
        out.append(f"<div class=item><h2>{letter}. {e(heading)}</h2>{body}</div>")
    rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in _key_rows(inst))
    out.append(f"<section class=key>{header}<h1>{e(KEY_TITLE)}</h1><p>Stempel: {e(spec.stamp)}</p>"
               f"<p class=s>{e(KEY_NOTE.format(fmt.plain(inst.passing_score)))}</p><table class=k><tr><th>No</th>"
               f"<th>ID</th><th>Topik</th><th>Kunci</th><th>Dinilai</th></tr>{rows}</table></section>")
    running = f"{title} | {wave} | {e(spec.stamp)}".replace('"', "'")  # on every printed page
    return (f'<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
            f"<title>{title} - {wave}</title><style>{CSS % running}</style></head>\n<body>\n"
            + "\n".join(out) + "\n</body></html>\n")


def _styles(regular: str, bold: str) -> dict:
    from reportlab.lib.styles import ParagraphStyle
    base = ParagraphStyle("base", fontName=regular, fontSize=10.5, leading=14)
    return {"body": base, "small": ParagraphStyle("small", base, fontSize=9, leading=12),
            "center": ParagraphStyle("center", base, alignment=1),
            "item": ParagraphStyle("item", base, leftIndent=20, bulletIndent=0, spaceAfter=2,
                                   bulletFontName=bold, bulletFontSize=10.5),
            "h": ParagraphStyle("h", base, fontName=bold, fontSize=12, leading=16, spaceAfter=3),
            "title": ParagraphStyle("title", base, fontName=bold, fontSize=14, leading=18,
                                    spaceAfter=6)}


def write_paper_form(spec: FormSpec, pdf_path) -> list[Path]:
    """Write the A4 paper form as PDF and as standalone HTML; return [pdf, html].

    The HTML goes next to the PDF with the same stem. Both end with the answer
    key on its own page: leave that page out when copying forms for participants.

    Example:
        >>> import tempfile
        >>> spec = FormSpec(inst, "pre", None, ("Kesbangpol Prov. Kaltim",))
        >>> pdf, page = write_paper_form(spec, Path(tempfile.mkdtemp()) / "x-pre-kertas.pdf")
        >>> pdf.read_bytes()[:5], page.name
        (b'%PDF-', 'x-pre-kertas.html')
    """
    from reportlab.platypus import SimpleDocTemplate
    pdf_path = Path(pdf_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    regular, bold = _fonts()
    st = _styles(regular, bold)
    title, wave = spec.instrument.title, WAVE_LABEL[spec.wave][0]

    def draw_header(c, page, pages):
        top, right = A4[1] - 12 * mm, A4[0] - MARGIN
        for font, size, dy, text in ((bold, 11, 0, title), (regular, 8, 26, spec.stamp),
                                     (regular, 10, 14, wave)):
            c.setFont(font, size)
            c.drawString(MARGIN, top - dy, text)
        c.drawRightString(right, top - 14, f"Halaman {page} dari {pages}")
        c.setLineWidth(0.8)
        c.line(MARGIN, top - 31, right, top - 31)

    with atomic_path(pdf_path) as tmp:
        _build(SimpleDocTemplate(str(tmp), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=TOP, bottomMargin=13 * mm, invariant=1, title=title,
                                   author="evaltools", subject=spec.stamp, initialFontName=regular),
               _pdf_story(spec, st), draw_header)
    return [pdf_path, write_text(pdf_path.with_suffix(".html"), _html(spec))]


def _build(doc, story, draw_header) -> None:
    """Lay out ``story`` in ``doc``, each page numbered 'Halaman X dari Y'."""
    doc.build(story, canvasmaker=_numbered_canvas(draw_header))
