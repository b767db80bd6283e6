"""``ringkasan.pptx``: the session as slides for the next meeting.

A title slide (session, date, place, organiser, the letterhead's name), the
four headline numbers, the main findings, the scores, the topics, the OPDs,
the recommendations and the items to revise. Charts are native PowerPoint
charts with their numbers in the sheet behind them, so a manager can restyle
them; every number shown is written by ``evaltools.fmt``. Aggregates only:
no names, NIPs or codes; groups under ``min_n`` get no numbers.

Example:
    >>> import tempfile
    >>> from pptx import Presentation
    >>> path = write_slides(ev, Path(tempfile.mkdtemp()) / "ringkasan.pptx")
    >>> len(Presentation(path).slides)
    8
"""

from __future__ import annotations

from pathlib import Path

from .. import fmt
from ..compare import visible_only
from ..dif import dif_sentence, dif_worst
from .deck import (ACCENT, GREY, HEIGHT, MARGIN, POST, PRE, WIDTH, bar_chart, new_deck, save_deck,
                   table, text_box, titled_slide)
from .onepage import headline_numbers

PER_SLIDE = 12  # OPD bars that stay readable on one slide
ROWS = 9  # table rows per slide
CHART_BOX = (MARGIN, 1.3, WIDTH - 2 * MARGIN, HEIGHT - 2.2)

_T = {
    "id": {"numbers": "Angka utama", "findings": "Temuan utama",
           "scores": "Skor sebelum dan sesudah sosialisasi", "topics": "Pemahaman per topik",
           "opd": "Peserta lulus KKM {kkm} per OPD", "rec": "Rekomendasi",
           "items": "Butir soal yang perlu direvisi", "pre": "Sebelum (pre-test)",
           "post": "Sesudah (post-test)", "score": "Skor rata-rata (% benar)",
           "pass": "Peserta lulus KKM {kkm} (%)", "topic_note": "% jawaban benar per topik, "
           "{n} peserta berpasangan", "hidden": "{k} OPD tidak ditampilkan: n < {min_n}",
           "hidden2": "{k} OPD tidak ditampilkan: n < {min_n} atau untuk melindungi kelompok kecil",
           "none": "tidak ditampilkan: n < {min_n}", "part": " ({i}/{m})",
           "participants": "{n} peserta mengikuti kedua tes", "synthetic":
           "DATA CONTOH (SINTETIS): bukan data nyata", "rec_head": ("Sasaran", "Tindakan", "Alasan"),
           "items_head": ("Butir", "Topik", "Catatan"), "no_items": "Tidak ada butir yang perlu "
           "direvisi.", "no_rec": "Tidak ada rekomendasi.",
           "source": "evaltools · angka lengkap: ringkasan.xlsx"},
    "en": {"numbers": "Headline figures", "findings": "Main findings",
           "scores": "Scores before and after the session", "topics": "Understanding by topic",
           "opd": "Reaching the pass mark {kkm} by work unit", "rec": "Recommendations",
           "items": "Test items to revise", "pre": "Before (pre-test)", "post": "After (post-test)",
           "score": "Mean score (% correct)", "pass": "Reaching the pass mark {kkm} (%)",
           "topic_note": "% correct answers by topic, {n} matched participants",
           "hidden": "{k} work units not shown: n < {min_n}",
           "hidden2": "{k} work units not shown: n < {min_n} or to protect a small group", "none": "not shown: n < {min_n}",
           "part": " ({i}/{m})", "participants": "{n} participants took both tests",
           "synthetic": "SAMPLE DATA (SYNTHETIC): not real data",
           "rec_head": ("Target", "Action", "Reason"), "items_head": ("Item", "Topic", "Note"),
           "no_items": "No item needs revising.", "no_rec": "No recommendations.",
           "source": "evaltools · all figures: ringkasan.xlsx"},
}


def _chunks(rows: list, most: int) -> list:
    """``rows`` in parts of at most ``most``, as even as they can be."""
    parts = -(-len(rows) // most)
    size = -(-len(rows) // parts) if parts else 1
    return [rows[i:i + size] for i in range(0, len(rows), size)] or [[]]


def _part(t, i: int, m: int) -> str:
    return t["part"].format(i=i + 1, m=m) if m > 1 else ""


def _title_slide(prs, ev, lang):
    t, meta = _T[lang], ev.meta
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    kop = meta.get("kop") or {}
    if isinstance(kop, dict) and kop.get("nama"):
        text_box(slide, (MARGIN, 0.5, WIDTH - 2 * MARGIN, 0.6), [kop["nama"]], size=18, bold=True,
                 colour=GREY, align="center")
    name = meta.get("nama") or "Sosialisasi Netralitas ASN"
    text_box(slide, (MARGIN + 0.4, 2.1, WIDTH - 2 * MARGIN - 0.8, 1.8), [name], size=36, bold=True,
             colour=POST, align="center")
    facts = " · ".join(fmt.date(meta[k], lang) if k == "tanggal" else str(meta[k])
                       for k in ("tanggal", "tempat") if meta.get(k))
    lines = [x for x in (facts, str(meta.get("penyelenggara") or "")) if x]
    text_box(slide, (MARGIN, 4.3, WIDTH - 2 * MARGIN, 1.4), lines, size=20, align="center")
    if ev.synthetic:
        text_box(slide, (MARGIN, HEIGHT - 1.1, WIDTH - 2 * MARGIN, 0.5), [t["synthetic"]], size=16,
                 bold=True, colour=ACCENT, align="center")


def _numbers_slide(prs, ev, lang):
    t, s = _T[lang], ev.summary.iloc[0]
    slide = titled_slide(prs, t["numbers"], t["source"])
    tiles = headline_numbers(s, ev.instrument.passing_score, lang)
    if not tiles:
        text_box(slide, (MARGIN, 3.0, WIDTH - 2 * MARGIN, 1.0),
                 [t["none"].format(min_n=fmt.count(ev.min_n, lang))], size=28, align="center")
        return
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches
    w = (WIDTH - 2 * MARGIN) / len(tiles)
    for i, (big, caption) in enumerate(tiles):
        x = MARGIN + i * w
        tile = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(x + 0.1), Inches(1.9), Inches(w - 0.2), Inches(3.6))
        tile.fill.solid()
        tile.fill.fore_color.rgb = RGBColor.from_string("F2F6FA")
        tile.line.color.rgb = RGBColor.from_string("C8D6E5")
        text_box(slide, (x + 0.2, 2.3, w - 0.4, 1.2), [big], size=26, bold=True, colour=POST,
                 align="center", guard=False)
        text_box(slide, (x + 0.2, 3.7, w - 0.4, 1.6), caption.splitlines(), size=15, align="center")
    text_box(slide, (MARGIN, 5.8, WIDTH - 2 * MARGIN, 0.5),
             [t["participants"].format(n=fmt.count(s["n"], lang))], size=16, align="center")


def _findings_slide(prs, ev, lang):
    t = _T[lang]
    slide = titled_slide(prs, t["findings"], t["source"])
    found = ev.findings(lang)
    size = 20 if len(found) <= 5 else 16
    text_box(slide, (MARGIN, 1.4, WIDTH - 2 * MARGIN, HEIGHT - 2.3), [f"•  {x}" for x in found],
             size=size)


def _scores_slide(prs, ev, lang):
    t, s = _T[lang], ev.summary.iloc[0]
    kkm = fmt.plain(ev.instrument.passing_score, lang)
    slide = titled_slide(prs, t["scores"], t["participants"].format(n=fmt.count(s["n"], lang)))
    if bool(s["suppressed"]):
        text_box(slide, (MARGIN, 3.0, WIDTH - 2 * MARGIN, 1.0),
                 [t["none"].format(min_n=fmt.count(ev.min_n, lang))], size=28, align="center")
        return
    cats = [t["score"], t["pass"].format(kkm=kkm)]
    series = [(t[w], [s[f"mean_{w}"], s[f"pass_{w}"]], col,
               [fmt.num(s[f"mean_{w}"], 0, lang), fmt.pct(s[f"pass_{w}"], 0, lang)])
              for w, col in (("pre", PRE), ("post", POST))]
    bar_chart(slide, CHART_BOX, cats, series, maximum=100)


def _topics_slide(prs, ev, lang):
    t, s = _T[lang], ev.summary.iloc[0]
    slide = titled_slide(prs, t["topics"], t["topic_note"].format(n=fmt.count(s["n"], lang)))
    top = ev.topics(lang)
    if bool(s["suppressed"]) or not len(top):
        text_box(slide, (MARGIN, 3.0, WIDTH - 2 * MARGIN, 1.0),
                 [t["none"].format(min_n=fmt.count(ev.min_n, lang))], size=28, align="center")
        return
    series = [(t[w], top[f"mean_{w}"].tolist(), col,
               [fmt.pct(v, 0, lang) for v in top[f"mean_{w}"]])
              for w, col in (("pre", PRE), ("post", POST))]
    bar_chart(slide, CHART_BOX, top["label"].tolist(), series, horizontal=True, maximum=100)


def opd_rows(ev):
    """The OPDs a slide may chart (visible, not suppressed) and how many were hidden.

    Example:
        >>> shown, hidden = opd_rows(ev)
        >>> len(shown), hidden
        (3, 2)
    """
    by = visible_only(ev.by("opd"))
    shown = by[~by["suppressed"].astype(bool)]
    return shown.reset_index(drop=True), len(by) - len(shown)


def _opd_slides(prs, ev, lang):
    t = _T[lang]
    kkm = fmt.plain(ev.instrument.passing_score, lang)
    shown, hidden = opd_rows(ev)
    by = ev.by("opd")
    key = "hidden2" if by.get("suppressed_secondary", by["suppressed"] & False).any() else "hidden"
    note = t[key].format(k=fmt.count(hidden, lang), min_n=fmt.count(ev.min_n, lang)) \
        if hidden else ""
    parts = _chunks(list(range(len(shown))), PER_SLIDE)
    for i, rows in enumerate(parts):
        slide = titled_slide(prs, t["opd"].format(kkm=kkm) + _part(t, i, len(parts)), note)
        if not rows:
            text_box(slide, (MARGIN, 3.0, WIDTH - 2 * MARGIN, 1.0),
                     [t["none"].format(min_n=fmt.count(ev.min_n, lang))], size=28, align="center")
            continue
        part = shown.iloc[rows]
        series = [(t[w], part[f"pass_{w}"].tolist(), col,
                   [fmt.pct(v, 0, lang) for v in part[f"pass_{w}"]])
                  for w, col in (("pre", PRE), ("post", POST))]
        bar_chart(slide, CHART_BOX, part["opd"].tolist(), series, horizontal=True, maximum=100)


def _table_slides(prs, t: dict, key: str, rows: list, widths):
    """Slides titled ``t[key]`` with a table of ``rows`` under ``t[key + "_head"]``."""
    parts = _chunks(rows, ROWS)
    for i, part in enumerate(parts):
        slide = titled_slide(prs, t[key] + _part(t, i, len(parts)), t["source"])
        if not part:
            text_box(slide, (MARGIN, 1.6, WIDTH - 2 * MARGIN, 1.0), [t[f"no_{key}"]], size=20)
            continue
        table(slide, (MARGIN, 1.4, sum(widths), 0.5 * (len(part) + 1)), t[f"{key}_head"], part,
              widths)


def _rec_slides(prs, ev, lang):
    t = _T[lang]
    rec = ev.recommendations(lang)
    rows = [(r["target"] or "—", r["action"], r["reason"]) for _, r in rec.iterrows()]
    _table_slides(prs, t, "rec", rows, (3.8, 2.8, 5.5))


def revise_items(ev, lang: str = "id") -> list:
    """(item label, topic, flags) of the items the post-test analysis says to
    revise or to check the key of (a too easy item alone is not listed), and
    of the items of DIF class C (``Evaluation.dif``), with their sentence.

    Example:
        >>> [(topic, flags) for _, topic, flags in revise_items(ev, "en")][:2]
        [('Sanctions', 'revise'), ('Voting rights & candidacy', 'too easy; revise')]
    """
    words = {"id": ("perlu direvisi", "periksa kunci"), "en": ("revise", "check the key")}[lang]
    ia = ev.item_analysis("post", lang=lang, matched_only=True)
    worst = dif_worst(ev.dif()).set_index("item") if len(ev.dif()) else None
    this = {"id": "Butir ini", "en": "This item"}[lang]
    rows = []
    for _, r in ia.iterrows():
        # an item of DIF class C: its sentence (docs/statistics.md, "DIF")
        dif = "" if worst is None or r["item"] not in worst.index else \
            dif_sentence(worst.loc[r["item"]], this, lang)
        if any(w in str(r["flags"]) for w in words) or dif:
            name = ev.instrument.item_label(r["item"], lang, 48)
            rows.append((name, str(r["topic"]), "; ".join(x for x in (str(r["flags"]), dif) if x)))
    return rows


def _items_slides(prs, ev, lang):
    t = _T[lang]
    rows = [] if bool(ev.summary["suppressed"].iloc[0]) else revise_items(ev, lang)
    _table_slides(prs, t, "items", rows, (5.6, 3.4, 3.1))


def write_slides(ev, path, *, lang: str = "id", overwrite: bool = False) -> Path:
    """Write ``ringkasan.pptx`` (see the module). An existing ``path`` is
    replaced only if evaltools wrote it and it is unchanged, or with
    ``overwrite=True`` (``evaltools.overwrite``); written to a temporary name
    first, so a failure never leaves half a file.

    Example:
        >>> import tempfile
        >>> from pptx import Presentation
        >>> deck = Presentation(write_slides(ev, Path(tempfile.mkdtemp()) / "r.pptx", lang="en"))
        >>> deck.slides[1].shapes[0].text_frame.text
        'Headline figures'
    """
    prs = new_deck()
    for part in (_title_slide, _numbers_slide, _findings_slide, _scores_slide, _topics_slide,
                 _opd_slides, _rec_slides, _items_slides):
        part(prs, ev, lang)
    return save_deck(prs, path, overwrite=overwrite)
