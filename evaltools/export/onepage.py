"""``ringkasan.pdf``: the session on one A4 page for managers.

Session facts, four headline numbers, three charts (scores, topics, OPDs),
the findings and one line on data quality; aggregates only. Drawn with
matplotlib, so it needs nothing beyond the charts; the PDF carries no
creation date, so the same data gives the same file.

Example:
    >>> [big for big, _ in headline_numbers(ev.summary.iloc[0], inst.passing_score)]
    ['+15,7', '55 → 71', '17% → 56%', 'd_z = 1,35']
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from .. import charts, fmt
from ..compare import visible_only
from ..findings import quality_sentence, why_missing
from ..overwrite import atomic_path, claim_file
from ..stats import cohen_label
from .common import fix_layout

A4 = (8.27, 11.69)  # inches, portrait
INK = "#222222"
X0, X1 = 0.06, 0.94  # text margins (fractions of the page width)
LINE = 1.2  # height of a line of text per point of font size (DejaVu Sans)
MAX_GROUPS = 8  # OPD rows that stay readable on a fifth of a page
NEED = 4  # of them, the OPDs most in need (2 lowest pass rates, 2 lowest gains)
MIN_PT = 8  # no text on the page smaller
MAX_ADVICE_LINES = 10  # recommendation lines on the page (a line more says where the rest are)
SHRINK = 0.82  # charts are drawn for a screen; on a third of a page their text is scaled down

_T = {
    "id": {"more": "{k} dari {m} OPD ditampilkan: yang lulus KKM atau kenaikannya terendah dan yang "
                   "pesertanya terbanyak; {r} lainnya di per_opd.png dan ringkasan.xlsx.",
           "advice": "Rekomendasi", "note": "Catatan evaluator: ", "data": "perlu data lebih banyak",
           "more_advice": "Rekomendasi lain ({r}) ada di ringkasan.xlsx, lembar Rekomendasi.",
           "participants": "Peserta: {pre} mengisi pre-test, {post} post-test, {n} keduanya "
                           "(berpasangan).",
           "synthetic": "DATA CONTOH (SINTETIS): bukan data nyata",
           "gain": "kenaikan skor rata-rata\n(poin; {ci})",
           "scores": "skor rata-rata (% benar)\nsebelum → sesudah",
           "pass": "peserta lulus KKM {kkm}\nsebelum → sesudah",
           "effect": "ukuran efek: {label}", "effect_none": "ukuran efek",
           "findings": "Temuan utama", "none": "tidak ditampilkan: n < {min_n}",
           "footer": "Instrumen {inst} versi {ver} · dibuat dengan evaltools · angka lengkap: "
                     "ringkasan.xlsx"},
    "en": {"more": "{k} of {m} work units shown: those with the lowest pass rate or gain and those "
                   "with most participants; the other {r} in per_opd.png and ringkasan.xlsx.",
           "advice": "Recommendations", "note": "Evaluator's note: ", "data": "needs more data",
           "more_advice": "{r} more recommendations in ringkasan.xlsx, Rekomendasi sheet.",
           "participants": "Participants: {pre} took the pre-test, {post} the post-test, {n} both "
                           "(matched).",
           "synthetic": "SAMPLE DATA (SYNTHETIC): not real data",
           "gain": "mean score gain\n(points; {ci})",
           "scores": "mean score (% correct)\nbefore → after",
           "pass": "reaching the pass mark {kkm}\nbefore → after",
           "effect": "effect size: {label}", "effect_none": "effect size",
           "findings": "Main findings", "none": "not shown: n < {min_n}",
           "footer": "Instrument {inst} version {ver} · made with evaltools · all figures: "
                     "ringkasan.xlsx"},
}


def headline_numbers(s, passing_score: float, lang: str = "id") -> list:
    """The four tiles of the page as (number, caption) pairs, from a row of
    ``ev.summary``: the mean gain with its CI, the mean scores, the pass
    rates and d_z; none for a suppressed session.

    Example:
        >>> big, caption = headline_numbers(ev.summary.iloc[0], 70, "en")[2]
        >>> big, caption.splitlines()
        ('17% → 56%', ['reaching the pass mark 70', 'before → after'])
    """
    t = _T[lang]
    if bool(s["suppressed"]):
        return []
    return [(fmt.points(s["mean_gain"], 1, lang),
             t["gain"].format(ci=fmt.ci(s["ci_low"], s["ci_high"], 1, lang))),
            (f"{fmt.num(s['mean_pre'], 0, lang)} → {fmt.num(s['mean_post'], 0, lang)}", t["scores"]),
            (f"{fmt.pct(s['pass_pre'], 0, lang)} → {fmt.pct(s['pass_post'], 0, lang)}",
             t["pass"].format(kkm=fmt.plain(passing_score, lang))),
            _effect_tile(s, lang)]


def _effect_tile(s, lang: str) -> tuple:
    """The d_z tile; a d_z that cannot be computed says why in its caption."""
    big = f"d_z = {fmt.num(s['d_z'], 2, lang)}"
    if not fmt.missing(s["d_z"]):
        return big, _T[lang]["effect"].format(label=cohen_label(s["d_z"], lang))
    why = fmt.uncomputable(why_missing(s, "d_z"), lang)
    return big, "\n".join(textwrap.wrap(f"{_T[lang]['effect_none']} {why}", 28))


def _line(sub, below: float, text: str, **kw):
    """Text whose top is ``below`` points under the top of ``sub`` at the left
    margin: the header is laid out in points, so it fits whatever its height."""
    if sub is None:  # measuring only
        return None
    from matplotlib.transforms import offset_copy
    where = offset_copy(sub.transSubfigure, fig=sub.figure, y=-below, units="points")
    return sub.text(X0, 1.0, text, transform=where, va="top", color=kw.pop("color", INK), **kw)


def _header(sub, ev, lang) -> float:
    """Draw the header (letterhead, title, facts) on ``sub``, or only measure
    it with ``sub=None``; return its height in points."""
    t = _T[lang]
    meta = ev.meta
    s = ev.summary.iloc[0]
    a = ev.attrition().iloc[0]
    n_post = int((ev.scores["wave"] == "post").sum())
    y = 2.0  # points under the top
    kop = meta.get("kop") or {}
    if kop:
        y = _letterhead(sub, kop) if sub is not None else 34.0
    if ev.synthetic:
        _line(sub, y, t["synthetic"], fontsize=8, fontweight="bold", color=charts.ACCENT)
        y += 12
    title = textwrap.wrap(str(meta.get("nama", "Sosialisasi Netralitas ASN")), 64)
    size = 14 if len(title) == 1 else 12.5
    _line(sub, y, "\n".join(title[:2]), fontsize=size, fontweight="bold", linespacing=1.1)
    y += len(title[:2]) * size * 1.25 + 3
    facts = " · ".join(fmt.date(meta[k], lang) if k == "tanggal" else str(meta[k])
                       for k in ("tanggal", "tempat") if meta.get(k))
    counts = {k: fmt.count(v, lang) for k, v in (("pre", a["n_pre"]), ("post", n_post), ("n", s["n"]))}
    lines = [facts, str(meta.get("penyelenggara", "")), t["participants"].format(**counts)]
    for line in filter(None, lines):
        _line(sub, y, line, fontsize=9)
        y += 13
    return y


def _letterhead(sub, kop) -> float:
    """The office's name (and its logo, 28 pt high, left of it) at the top;
    returns how far down (points) the rest of the header starts."""
    from matplotlib.offsetbox import AnnotationBbox, OffsetImage
    indent = 0.0
    if kop.get("logo"):
        import matplotlib.image as mpimg
        img = mpimg.imread(kop["logo"])
        box = AnnotationBbox(OffsetImage(img, zoom=28 / max(img.shape[0], 1)), (X0, 1.0),
                             xycoords="subfigure fraction", box_alignment=(0, 1), frameon=False,
                             xybox=(0, -2), boxcoords="offset points")
        sub.add_artist(box)
        indent = 34.0
    from matplotlib.transforms import offset_copy
    where = offset_copy(sub.transSubfigure, fig=sub.figure, x=indent, y=-8, units="points")
    sub.text(X0, 1.0, str(kop.get("nama", "")), transform=where, fontsize=11, fontweight="bold",
             va="top", color=INK)
    return 34.0


def _numbers(sub, ev, lang):
    t = _T[lang]
    s = ev.summary.iloc[0]
    boxes = headline_numbers(s, ev.instrument.passing_score, lang)
    if not boxes:
        sub.text(X0, 0.5, t["none"].format(min_n=fmt.count(ev.min_n, lang)), fontsize=11, va="center")
        return
    from matplotlib.patches import FancyBboxPatch
    w = (X1 - X0) / len(boxes)
    for i, (big, caption) in enumerate(boxes):
        x = X0 + i * w
        sub.add_artist(FancyBboxPatch((x + 0.006, 0.04), w - 0.012, 0.9, boxstyle="round,pad=0,rounding_size=0.03",
                                      transform=sub.transSubfigure, facecolor="#F2F6FA",
                                      edgecolor="#C8D6E5", lw=0.8))
        sub.text(x + w / 2, 0.66, big, fontsize=17 if len(big) < 10 else 15, fontweight="bold",
                 ha="center", va="center",
                 color=charts.POST)
        sub.text(x + w / 2, 0.27, caption, fontsize=MIN_PT, ha="center", va="center", color=INK,
                 linespacing=1.3)


def _findings(sub, ev, lang, width: int = 116) -> float:
    """Draw the findings, the data-quality line and the footer on ``sub``, or
    only measure them with ``sub=None``; return their height in points (laid
    out in points like the header, so a long list never runs into the
    quality line)."""
    t = _T[lang]
    lines = []
    for sentence in ev.findings(lang):
        wrapped = textwrap.wrap(sentence, width)
        lines += ["•  " + wrapped[0]] + ["    " + w for w in wrapped[1:]]
    size = 8.5 if len(lines) <= 8 else MIN_PT
    _line(sub, 2, t["findings"], fontsize=10, fontweight="bold")
    _line(sub, 18, "\n".join(lines), fontsize=size, linespacing=1.3)
    y = 18 + len(lines) * size * 1.3 * LINE + 6  # LINE: a text line's height per point of size
    quality = textwrap.wrap(quality_sentence(ev, lang), 125)
    _line(sub, y, "\n".join(quality), fontsize=MIN_PT, color="#444444", style="italic")
    y += len(quality) * MIN_PT * 1.2 * LINE + 6
    if sub is not None:
        sub.text(0.5, 0.0, t["footer"].format(inst=ev.instrument.id, ver=ev.instrument.version),
                 ha="center", va="bottom", fontsize=MIN_PT, color="#666666")
    return y + MIN_PT * LINE + 4


def pick_groups(shown, most: int = MAX_GROUPS, need: int = NEED):
    """The OPD rows that fit the page when not all do: the ``need`` most in
    need (half with the lowest pass rate after the session, half with the
    lowest gain) and the rest with most participants (the surest estimates).

    Example:
        >>> import pandas as pd
        >>> t = pd.DataFrame({"opd": list("abcdef"), "n": [30, 20, 10, 9, 8, 7],
        ...                   "pass_post": [90, 90, 90, 90, 10, 90], "mean_gain": [9, 9, 9, 9, 9, 0]})
        >>> sorted(pick_groups(t, 3, 2)["opd"])
        ['a', 'e', 'f']
    """
    if len(shown) <= most:
        return shown
    low_pass = shown.sort_values(["pass_post", "n", "opd"], ascending=[True, False, True])
    picked = list(low_pass["opd"].head(need // 2))
    low_gain = shown.sort_values(["mean_gain", "n", "opd"], ascending=[True, False, True])
    picked += [o for o in low_gain["opd"] if o not in picked][:need - len(picked)]
    largest = shown.sort_values(["n", "opd"], ascending=[False, True])
    picked += [o for o in largest["opd"] if o not in picked][:most - len(picked)]
    return shown[shown["opd"].isin(picked)]


def _groups(ev, lang, most: int = MAX_GROUPS):
    """The OPD rows that fit the page: all, or ``pick_groups`` with a line
    saying how many are left out and where they are ("" when all fit)."""
    by = visible_only(ev.by("opd"))
    if len(by) <= most:
        return by, ""
    shown = by[~by["suppressed"]]
    picked = pick_groups(shown, most)
    text = _T[lang]["more"].format(k=fmt.count(len(picked), lang), m=fmt.count(len(by), lang),
                                   r=fmt.count(len(by) - len(picked), lang))
    return picked, text


def page_advice(rec, lang: str = "id"):
    """The recommendations as the page lists them: the OPDs that need more
    data (no numbers, no ranking) in one row, after the ranked OPDs.

    Example:
        >>> page_advice(ev.recommendations())["target"].tolist()[-3]
        'Kelurahan Loa Janan Ilir, UPT Puskesmas Loa Janan'
    """
    import pandas as pd
    more = rec["action"] == _T[lang]["data"]
    if more.sum() < 2:
        return rec
    row = rec[more].iloc[[0]].assign(target=", ".join(rec.loc[more, "target"]))
    first = rec[(rec["kind"] == "opd") & ~more]
    rest = rec[(rec["kind"] != "opd") & ~more]
    return pd.concat([first, row, rest], ignore_index=True)


def _advice(sub, ev, lang, left_out: str = "", width: int = 112):
    """The "Rekomendasi" block: the OPDs left out of the chart (if any), the
    evaluator's note, the first recommendations, one bullet each."""
    t = _T[lang]
    y = 2.0  # points under the top, like the header
    if left_out:
        wrapped = textwrap.wrap(left_out, 118)
        _line(sub, y, "\n".join(wrapped), fontsize=MIN_PT, color="#444444")
        y += len(wrapped) * MIN_PT * 1.2 * LINE + 5
    _line(sub, y, t["advice"], fontsize=10, fontweight="bold")
    y += 16
    rec = ev.recommendations(lang)
    lines, used = [], 0
    history = ev.history_sentence(lang)
    if history:
        lines += textwrap.wrap(history, width)[:2]
    note = str(ev.meta.get("catatan_evaluator") or "").strip()
    if note:
        lines += textwrap.wrap(t["note"] + note, width)[:3]
    advice = page_advice(rec, lang)
    for r in advice.itertuples():
        head = f"{r.target}: {r.action}" if r.target else r.action
        wrapped = textwrap.wrap(f"{head}. {r.reason}", width)
        if len(lines) + len(wrapped) > MAX_ADVICE_LINES:
            break
        lines += ["•  " + wrapped[0]] + ["    " + w for w in wrapped[1:]]
        used += 1
    left = len(advice) - used
    if left:
        lines.append(t["more_advice"].format(r=fmt.count(left, lang)))
    _line(sub, y, "\n".join(lines), fontsize=MIN_PT, linespacing=1.25)
    return y + len(lines) * MIN_PT * 1.25 * LINE + 4


def _shrink(sub):
    """Scale a chart's text down for the page, never under ``MIN_PT``."""
    from matplotlib.text import Text
    for text in sub.findobj(Text):
        text.set_fontsize(max(MIN_PT, text.get_fontsize() * SHRINK))


def _fit_titles(fig, subs):
    """A chart title wider than its part of the page goes onto two lines."""
    fig.draw_without_rendering()  # lays the page out, so the extents are final
    for sub in subs:
        right = sub.bbox.x1
        for ax in sub.axes:
            title = ax.title if ax.get_title(loc="left") == "" else ax._left_title
            text = title.get_text()
            if title.get_window_extent().x1 > right and " " in text:
                words = text.split(" ")
                half = len(words) // 2
                title.set_text(" ".join(words[:half]) + "\n" + " ".join(words[half:]))


def onepage_figure(ev, lang: str = "id"):
    """The one-page A4 summary as a matplotlib Figure (``write_onepage``
    saves it): header and letterhead, four numbers, three charts, the
    recommendations, the findings; no text under 8 pt.

    Example:
        >>> fig = onepage_figure(ev)
        >>> [round(float(x), 2) for x in fig.get_size_inches()]
        [8.27, 11.69]
    """
    import matplotlib
    from matplotlib.figure import Figure
    fig = Figure(figsize=A4, layout="constrained")
    fig.get_layout_engine().set(w_pad=0.25, h_pad=0.06, hspace=0.02)
    groups, left_out = _groups(ev, lang)
    rest = [0.8, 2.6, 1.0 + 0.22 * max(len(groups), 3)]  # the OPD chart grows with its rows
    # header, recommendations and findings take the points they need; the page less
    # its padding is some 800 points, the numbers and charts share the rest
    head, tail = _header(None, ev, lang) + 6, _findings(None, ev, lang)
    middle = _advice(None, ev, lang, left_out)
    scale = sum(rest) / (800 - head - middle - tail)
    top, nums, row1, row2, advice, bottom = fig.subfigures(6, 1, height_ratios=[
        round(head * scale, 2), *rest, round(middle * scale, 2), round(tail * scale, 2)])
    _header(top, ev, lang)
    _numbers(nums, ev, lang)
    left, right = row1.subfigures(1, 2, width_ratios=[1, 1.3])
    syn = ev.synthetic
    with matplotlib.rc_context(RC):
        if bool(ev.summary["suppressed"].iloc[0]):  # under min_n: nothing a person could be read from
            for sub, name in ((left, "skor_pre_post"), (right, "per_topik")):
                charts.placeholder(sub.subplots(), charts.title(name, lang), min_n=ev.min_n, lang=lang,
                                   synthetic=syn)
            overall = None
        else:
            charts.score_slopes(ev.pairs.matched, kkm=ev.instrument.passing_score,
                                ax=left.subplots(), lang=lang, synthetic=syn)
            charts.topic_dumbbell(ev.topics(lang), ax=right.subplots(), lang=lang, synthetic=syn)
            overall = float(ev.summary["mean_gain"].iloc[0])
        charts.group_forest(groups, overall=overall, ax=row2.subplots(), lang=lang,
                            synthetic=syn, why=ev.no_opd_reason())
        for sub in (left, right, row2):
            _shrink(sub)
        _fit_titles(fig, (left, right, row2))
    _advice(advice, ev, lang, left_out)
    _findings(bottom, ev, lang)
    return fig


# TrueType fonts keep the text extractable (search, screen readers, our privacy test);
# a smaller base size for the ticks matplotlib makes at draw time, never under MIN_PT
RC = {"pdf.fonttype": 42, "font.size": max(MIN_PT, 10 * SHRINK)}


def settle(fig) -> None:
    """Lay ``fig`` out once and fix every part where it landed
    (:func:`evaltools.export.common.fix_layout`): the same data gives the same file.

    Example:
        >>> fig = onepage_figure(ev)
        >>> settle(fig); fig.get_layout_engine() is None
        True
    """
    fig.draw_without_rendering()
    fix_layout(fig)


def onepage_bytes(ev, lang: str = "id", fmt: str = "pdf") -> bytes:
    """The one-page A4 summary as the bytes of a PDF (or a PNG preview),
    laid out once (:func:`settle`) and without a creation date or software
    name: the same data gives the same bytes.

    Example:
        >>> onepage_bytes(ev)[:5]
        b'%PDF-'
    """
    import io

    import matplotlib
    fig = onepage_figure(ev, lang)
    buf = io.BytesIO()
    with matplotlib.rc_context(RC):
        settle(fig)
        fig.savefig(buf, format=fmt, dpi=200,
                    metadata={"CreationDate": None} if fmt == "pdf" else {"Software": None})
    return buf.getvalue()


def write_onepage(ev, path, *, lang: str = "id", overwrite: bool = False, data: bytes | None = None) -> Path:
    """Write the one-page A4 summary (PDF, or PNG for a preview by suffix);
    ``data``: its bytes, already drawn (:func:`onepage_bytes`). An existing
    ``path`` is replaced only if evaltools wrote it and it is unchanged, or
    with ``overwrite=True`` (``evaltools.overwrite``).

    Example:
        >>> import tempfile
        >>> write_onepage(ev, Path(tempfile.mkdtemp()) / "ringkasan.pdf").name
        'ringkasan.pdf'
    """
    path = Path(path)
    if data is None:
        data = onepage_bytes(ev, lang, path.suffix[1:])
    with claim_file(path, overwrite=overwrite), atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path
