"""Printable A4 paper form (PDF and standalone HTML), answer key on the last page.

Every page carries the title, the wave and the stamp (instrument id, version,
wave, session) plus "Halaman X dari Y", so a loose page is never scored with
the wrong key. The PDF is byte-identical on every run (reportlab invariant mode).
"""

from __future__ import annotations

import html
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (Flowable, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate,
                                Spacer, Table, TableStyle)

from . import WAVE_LABEL, FormSpec

ID_HINT = ("Isi NIP 18 angka tanpa spasi. Peserta non-ASN mengisi kode peserta: "
           "inisial nama + tanggal dan bulan lahir (DDMM).")
MARK_HINT = "Beri tanda silang (X) pada satu huruf jawaban yang paling tepat."
MULTI_HINT = "pilih semua yang benar"
LIKERT_HINT = "Beri tanda silang (X) pada satu kotak untuk setiap pernyataan."
KEY_TITLE = "KUNCI JAWABAN (untuk evaluator, jangan dibagikan)"
KEY_NOTE = ("Nilai lulus: {:g}. Butir pilih-semua dinilai benar hanya bila tepat semua huruf "
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


class _Mark(Flowable):
    """An empty circle (one answer) or square (tick box), drawn, not a font glyph."""

    def __init__(self, round_=False, size=10):
        super().__init__()
        self.width = self.height = self.size = size
        self.round = round_

    def draw(self):
        s, c = self.size, self.canv
        c.setLineWidth(0.9)
        c.circle(s / 2, s / 2, s / 2) if self.round else c.rect(0, 0, s, s)


def _numbered_canvas(draw_header):
    """Canvas class that holds pages back until the end so each page can say 'dari Y'."""
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
    return Table(cells, colWidths=widths, rowHeights=heights, hAlign="LEFT", style=TableStyle(
        [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
         ("RIGHTPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), pad),
         ("BOTTOMPADDING", (0, 0), (-1, -1), pad), *style]))


def _pdf_story(spec: FormSpec, st: dict) -> list:
    inst, body = spec.instrument, st["body"]
    P = lambda text, style=body: Paragraph(str(text), style)  # noqa: E731
    lined = [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("LINEBELOW", (0, 0), (-1, 0), 1.2, "black")]
    rows, heights, style = [], [], [("BOX", (0, 0), (-1, -1), 1, "black")]
    for r, f in enumerate(inst.participant_fields):
        if f.type in ("nip", "code"):  # one box per character
            n = 18 if f.type == "nip" else 8
            cell = _grid([[""] * n], [16] * n, [("GRID", (0, 0), (-1, -1), 0.8, "black")], 18)
        elif f.type == "select":
            opts = [_e(o) for o in f.options.values()]
            sizes = [pdfmetrics.stringWidth(o, body.fontName, body.fontSize) + 12 for o in opts]
            per = len(opts) if sum(sizes) + 14 * len(opts) < WIDTH - 130 else 3  # one row if it fits
            cells = [sum(([_Mark(), P(o)] for o in opts[i:i + per]), [])
                     for i in range(0, len(opts), per)]
            widths = sum(([14, s] for s in sizes), []) if per == len(opts) else [14, 107] * per
            cell = _grid([c + [""] * (2 * per - len(c)) for c in cells], widths)
        else:  # text, opd: a write-in line
            cell = ""
            style.append(("LINEBELOW", (1, r), (1, r), 0.6, "black"))
        rows.append([P(f"<b>{_e(f.label)}</b>" + (" *" if f.required else "")), cell])
        heights.append(None if f.type == "select" else 26)
    story = [P("A. Data peserta", st["h"]), P(ID_HINT, st["small"]), Spacer(1, 4),
             _grid(rows, [120, WIDTH - 120], style, heights, pad=5), P("* wajib diisi", st["small"]),
             Spacer(1, 8), P("B. Tes pengetahuan", st["h"]), P(MARK_HINT), Spacer(1, 4)]
    half = (WIDTH - 16) / 2 - 14
    for n, item in enumerate(inst.items, 1):
        multi = item.type == "multi"
        labels = [_option_label(item, o) for o in item.options]
        marks = [[_Mark(round_=not multi), P(_e(label))] for label in labels]
        wide = max(pdfmetrics.stringWidth(label, body.fontName, body.fontSize) for label in labels)
        if item.type == "truefalse" or wide < half - 8:  # short options: two per line, A B / C D
            cells = [[""] + sum(marks[i:i + 2], []) for i in range(0, len(marks), 2)]
            opts = _grid([c + [""] * (5 - len(c)) for c in cells], [16, 14, half, 14, half])
        else:
            opts = _grid([[""] + m for m in marks], [16, 14, WIDTH - 30])
        stem = _e(item.text) + (f" <b>({MULTI_HINT})</b>" if multi else "")
        story.append(KeepTogether([Paragraph(stem, st["item"], bulletText=f"{n}."), opts,
                                   Spacer(1, 7)]))
    legend = "; ".join(f"{k} = {_e(v)}" for k, v in sorted(inst.likert_points.items()))
    for letter, heading, items in _sections(spec):
        head = [P(f"{letter}. {_e(heading)}", st["h"])]
        if items is None:  # open item: three write-in lines
            lines = [("LINEBELOW", (0, 0), (-1, -1), 0.6, "black")]
            block = head + [_grid([[""]] * 3, [WIDTH], lines, 24)]
        else:
            rows = [[P(f"<b>{x}</b>", body if x in ("No", "Pernyataan") else st["center"])
                     for x in ("No", "Pernyataan", 1, 2, 3, 4, 5)]]
            rows += [[P(i), P(_e(li.text))] + [_Mark() for _ in range(5)]
                     for i, li in enumerate(items, 1)]
            table = _grid(rows, [24, WIDTH - 164] + [28] * 5,
                          lined + [("ALIGN", (2, 1), (-1, -1), "CENTER")], pad=3)
            block = head + [P(LIKERT_HINT), P(legend, st["small"]), Spacer(1, 4), table]
        story += [Spacer(1, 10), KeepTogether(block)]
    rows = [[P(f"<b>{x}</b>") for x in ("No", "ID", "Topik", "Kunci", "Dinilai")]]
    key = _grid(rows + _key_rows(inst), [30, 50, 200, 70, WIDTH - 350],
                lined + [("FONT", (0, 1), (-1, -1), body.fontName, 10)], pad=2.5)
    return story + [PageBreak(), P(KEY_TITLE, st["title"]), P(f"Stempel: {_e(spec.stamp)}"),
                    P(KEY_NOTE.format(inst.passing_score), st["small"]), Spacer(1, 6), key]


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
               f"<p class=s>{e(KEY_NOTE.format(inst.passing_score))}</p><table class=k><tr><th>No</th>"
               f"<th>ID</th><th>Topik</th><th>Kunci</th><th>Dinilai</th></tr>{rows}</table></section>")
    running = f"{title} | {wave} | {e(spec.stamp)}".replace('"', "'")  # on every printed page
    return (f'<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
            f"<title>{title} - {wave}</title><style>{CSS % running}</style></head>\n<body>\n"
            + "\n".join(out) + "\n</body></html>\n")


def write_paper_form(spec: FormSpec, pdf_path) -> list[Path]:
    """Write the A4 paper form as PDF and as standalone HTML; return [pdf, html].

    The HTML goes next to the PDF with the same stem. Both end with the answer
    key on its own page: leave that page out when copying forms for participants.

    Example:
        >>> spec = FormSpec(inst, "pre", None, ("Kesbangpol Prov. Kaltim",))  # doctest: +SKIP
        >>> write_paper_form(spec, "out/netralitas-asn-pilkada-2024-pre-kertas.pdf")  # doctest: +SKIP
        [PosixPath('out/...-pre-kertas.pdf'), PosixPath('out/...-pre-kertas.html')]
    """
    pdf_path = Path(pdf_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    regular, bold = _fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=10.5, leading=14)
    st = {"body": base, "small": ParagraphStyle("small", base, fontSize=9, leading=12),
          "center": ParagraphStyle("center", base, alignment=1),
          "item": ParagraphStyle("item", base, leftIndent=20, bulletIndent=0, spaceAfter=2,
                                 bulletFontName=bold, bulletFontSize=10.5),
          "h": ParagraphStyle("h", base, fontName=bold, fontSize=12, leading=16, spaceAfter=3),
          "title": ParagraphStyle("title", base, fontName=bold, fontSize=14, leading=18, spaceAfter=6)}
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

    doc = SimpleDocTemplate(str(pdf_path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=TOP, bottomMargin=13 * mm, invariant=1, title=title,
                            author="evaltools", subject=spec.stamp, initialFontName=regular)
    doc.build(_pdf_story(spec, st), canvasmaker=_numbered_canvas(draw_header))
    html_path = pdf_path.with_suffix(".html")
    html_path.write_text(_html(spec), encoding="utf-8")
    return [pdf_path, html_path]
