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
from ..findings import quality_sentence
from ..overwrite import claim_file
from ..stats import cohen_label

A4 = (8.27, 11.69)  # inches, portrait
INK = "#222222"
X0, X1 = 0.06, 0.94  # text margins (fractions of the page width)
MAX_GROUPS = 10  # OPD rows that stay readable on a fifth of a page
SHRINK = 0.82  # charts are drawn for a screen; on a third of a page their text is scaled down

_T = {
    "id": {"more": "{k} OPD dengan peserta terbanyak dari {m} yang ditampilkan; semua OPD: per_opd.png "
                   "dan ringkasan.xlsx.",
           "participants": "Peserta: {pre} mengisi pre-test, {post} post-test, {n} keduanya "
                           "(berpasangan).",
           "synthetic": "DATA CONTOH (SINTETIS): bukan data nyata",
           "gain": "kenaikan skor rata-rata\n(poin; {ci})",
           "scores": "skor rata-rata (% benar)\nsebelum → sesudah",
           "pass": "peserta lulus KKM {kkm}\nsebelum → sesudah",
           "effect": "ukuran efek: {label}",
           "findings": "Temuan utama", "none": "tidak ditampilkan: n < {min_n}",
           "footer": "Instrumen {inst} versi {ver} · dibuat dengan evaltools · angka lengkap: "
                     "ringkasan.xlsx"},
    "en": {"more": "The {k} work units with most participants, of {m} shown; every unit: per_opd.png "
                   "and ringkasan.xlsx.",
           "participants": "Participants: {pre} took the pre-test, {post} the post-test, {n} both "
                           "(matched).",
           "synthetic": "SAMPLE DATA (SYNTHETIC): not real data",
           "gain": "mean score gain\n(points; {ci})",
           "scores": "mean score (% correct)\nbefore → after",
           "pass": "reaching the pass mark {kkm}\nbefore → after",
           "effect": "effect size: {label}",
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
            (f"d_z = {fmt.num(s['d_z'], 2, lang)}", t["effect"].format(label=cohen_label(s["d_z"], lang)))]


def _header(sub, ev, lang):
    t = _T[lang]
    meta = ev.meta
    s = ev.summary.iloc[0]
    a = ev.attrition().iloc[0]
    n_post = int((ev.scores["wave"] == "post").sum())
    y = 0.98
    if ev.synthetic:
        sub.text(X0, y, t["synthetic"], fontsize=8, fontweight="bold", color=charts.ACCENT,
                 va="top")
        y -= 0.15
    title = textwrap.wrap(str(meta.get("nama", "Sosialisasi Netralitas ASN")), 64)
    sub.text(X0, y, "\n".join(title[:2]), fontsize=14 if len(title) == 1 else 12.5,
             fontweight="bold", va="top", color=INK, linespacing=1.1)
    y -= 0.08 if len(title) == 1 else 0.2
    facts = " · ".join(fmt.date(meta[k], lang) if k == "tanggal" else str(meta[k])
                       for k in ("tanggal", "tempat") if meta.get(k))
    counts = {k: fmt.count(v, lang) for k, v in (("pre", a["n_pre"]), ("post", n_post), ("n", s["n"]))}
    lines = [facts, str(meta.get("penyelenggara", "")), t["participants"].format(**counts)]
    for line in filter(None, lines):
        y -= 0.15
        sub.text(X0, y, line, fontsize=9, va="top", color=INK)


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
        sub.text(x + w / 2, 0.66, big, fontsize=17, fontweight="bold", ha="center", va="center",
                 color=charts.POST)
        sub.text(x + w / 2, 0.27, caption, fontsize=7.5, ha="center", va="center", color=INK,
                 linespacing=1.3)


def _findings(sub, ev, lang, width: int = 108):
    t = _T[lang]
    sub.text(X0, 0.98, t["findings"], fontsize=10, fontweight="bold", va="top", color=INK)
    lines = []
    for sentence in ev.findings(lang):
        wrapped = textwrap.wrap(sentence, width)
        lines += ["•  " + wrapped[0]] + ["    " + w for w in wrapped[1:]]
    size = 8.5 if len(lines) <= 11 else 7.5  # a long list still fits its box
    sub.text(X0, 0.88, "\n".join(lines), fontsize=size, va="top", color=INK, linespacing=1.45)
    quality = textwrap.wrap(quality_sentence(ev, lang), 125)
    sub.text(X0, 0.09, "\n".join(quality), fontsize=7.5, va="bottom", color="#444444",
             style="italic")
    sub.text(0.5, 0.0, t["footer"].format(inst=ev.instrument.id, ver=ev.instrument.version),
             ha="center", va="bottom", fontsize=6.5, color="#666666")


def _groups(ev, sub, lang, most: int = MAX_GROUPS):
    """The OPD rows that fit the page: all, or the ``most`` with most
    participants (the surest estimates), said so under the chart."""
    by = visible_only(ev.by("opd"))
    shown = by[~by["suppressed"]]
    if len(by) <= most:
        return by
    sub.text(X0, 0.0, _T[lang]["more"].format(k=fmt.count(most, lang), m=fmt.count(len(shown), lang)),
             fontsize=7, va="bottom",
             color="#444444", style="italic")
    return shown.sort_values(["n", "opd"], ascending=[False, True]).head(most)


def _shrink(sub):
    from matplotlib.text import Text
    for text in sub.findobj(Text):
        text.set_fontsize(text.get_fontsize() * SHRINK)


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


def write_onepage(ev, path, *, lang: str = "id", overwrite: bool = False) -> Path:
    """Write the one-page A4 summary (PDF, or PNG for a preview by suffix).
    An existing ``path`` is replaced only if evaltools wrote it and it is
    unchanged, or with ``overwrite=True`` (``evaltools.overwrite``).

    Example:
        >>> import tempfile
        >>> write_onepage(ev, Path(tempfile.mkdtemp()) / "ringkasan.pdf").name
        'ringkasan.pdf'
    """
    import matplotlib
    from matplotlib.figure import Figure
    path = Path(path)
    fig = Figure(figsize=A4, layout="constrained")
    fig.get_layout_engine().set(w_pad=0.25, h_pad=0.06, hspace=0.02)
    top, nums, row1, row2, bottom = fig.subfigures(5, 1, height_ratios=[1.0, 0.8, 3.4, 2.2, 2.0])
    _header(top, ev, lang)
    _numbers(nums, ev, lang)
    left, right = row1.subfigures(1, 2, width_ratios=[1, 1.3])
    syn = ev.synthetic
    # TrueType fonts keep the text extractable (search, screen readers, our privacy test);
    # a smaller base size for the ticks matplotlib makes at draw time
    rc = {"pdf.fonttype": 42, "font.size": 10 * SHRINK}
    with matplotlib.rc_context(rc):
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
        charts.group_forest(_groups(ev, row2, lang), overall=overall, ax=row2.subplots(), lang=lang,
                            synthetic=syn)
        for sub in (left, right, row2):
            _shrink(sub)
        _fit_titles(fig, (left, right, row2))
    _findings(bottom, ev, lang)
    with claim_file(path, overwrite=overwrite), matplotlib.rc_context(rc):
        fig.savefig(path, dpi=200, metadata={"CreationDate": None} if path.suffix == ".pdf" else
                    {"Software": None})
    return path
