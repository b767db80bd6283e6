"""A session's files for managers, in ``kirim/``: its charts,
``ringkasan.xlsx``, the one-page ``ringkasan.pdf`` and ``ringkasan.pptx``.

:func:`session_charts` says which charts a session gets, how each is drawn,
its size and how many people are behind it; :func:`export_session` writes
them (a placeholder where fewer than ``min_n`` people are behind a chart),
then the workbook, the page and the slides; :func:`prepare_export` starts
drawing them early, while a notebook goes on with its cells.

Example:
    >>> [c.name for c in session_charts(ev)][:3]
    ['skor_pre_post', 'per_topik', 'per_opd']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable

import pandas as pd

from .. import charts
from ..charts.history import TITLE as HISTORY_TITLE
from ..charts.history import history_chart
from ..compare import visible_only
from ..items import WEAK
from ..overwrite import SEND, claim, retire
from .common import FORMATS, check_formats, figure_bytes, write_figure
from .onepage import A4, onepage_bytes, write_onepage
from .slides import write_slides
from .workbook import write_workbook
from .workers import Started, start


@dataclass(frozen=True)
class SessionChart:
    """One chart of the session: ``name`` (its file name and the key of its
    title), ``draw(ax)``, its ``size`` in inches, ``n`` the people behind it
    (None: the chart hides its small rows itself) and the ``title`` its
    placeholder shows."""
    name: str
    draw: Callable
    size: tuple
    n: int | None
    title: str


def _rows(height: float, per_row: float, rows: int, least: int = 3) -> float:
    """A chart's height in inches: a frame plus a band per row, for at least ``least`` rows."""
    return height + per_row * max(rows, least)


def _statements(att, lang: str) -> list:
    """The attitude labels as the chart writes them (reverse-coded ones say so)."""
    word = charts.LABELS[lang]["reversed"]
    return [f"{r['text']} ({word})" if r.get("reverse", False) else str(r["text"])
            for _, r in att.iterrows()]


def _max_n(df) -> int:
    return int(df["n"].max()) if len(df) else 0


def distractor_chart(ev, lang: str = "id") -> list:
    """The answers chosen for the item most still get wrong (which wrong answer
    do they believe?), by the matched participants before and after, as the
    exported ``pengecoh`` chart; none where there is no such item. Draw it with
    :func:`chart_figure` (notebook 03 shows the same chart as the export).

    Example:
        >>> [(c.name, c.n) for c in distractor_chart(ev)]
        [('pengecoh', 52)]
    """
    worst = ev.hardest_item()
    if worst is None:
        return []
    inst, syn = ev.instrument, ev.synthetic
    pre = ev.distractors("pre", matched_only=True)
    post = ev.distractors("post", matched_only=True)
    return [SessionChart("pengecoh", lambda ax: charts.distractor_bars(
        pre, post, item=worst, instrument=inst, ax=ax, lang=lang, synthetic=syn), (6.8, 3.8),
        min(_max_n(pre), _max_n(post)),
        charts.title("pengecoh", lang, item=inst.item_label(worst, lang, 50)))]


def session_charts(ev, lang: str = "id") -> list:
    """The session's charts, in the order they are written (see :class:`SessionChart`).

    Example:
        >>> c = session_charts(ev, "en")[-1]
        >>> c.name, c.n, c.title
        ('pengecoh', 52, 'Answers chosen: item 8. A moderate disciplinary penalty for a PNS…')
    """
    syn, m, s = ev.synthetic, ev.pairs.matched, ev.summary.iloc[0]
    n = 0 if bool(s["suppressed"]) else int(s["n"])
    kkm = ev.instrument.passing_score
    by = visible_only(ev.by("opd"))
    overall = None if bool(s["suppressed"]) else float(s["mean_gain"])
    items, att, rea = ev.items(), ev.attitudes(), ev.reaction()
    # no matched pair: no item analysis (the chart is a placeholder)
    analysis = ev.item_analysis("pre", lang=lang, matched_only=True) if n else None
    flagged = int(((analysis["discrimination"] < WEAK) | (analysis["r_drop"] < WEAK)).sum()) if n else 0
    opts = {"lang": lang, "synthetic": syn}
    spec = [
        ("skor_pre_post", lambda ax: charts.score_slopes(m, kkm=kkm, ax=ax, **opts), (6.4, 4.8), n),
        ("per_topik", lambda ax: charts.topic_dumbbell(ev.topics(lang), ax=ax, **opts), (6.4, 4.2), n),
        ("per_opd", lambda ax: charts.group_forest(by, overall=overall, ax=ax, why=ev.no_opd_reason(),
                                                   **opts),
         (7.5, _rows(1.4, 0.32, len(by))), None),  # each row hides itself
        ("per_butir", lambda ax: charts.item_change(items, ax=ax, instrument=ev.instrument, **opts),
         (8.8, _rows(1.6, 0.2, len(items), 5)), n),  # room for the questions
        # items and answers of the matched participants: every number is about the same people
        ("peta_butir", lambda ax: charts.item_map(analysis, wave="pre", ax=ax,
                                                  instrument=ev.instrument, **opts),
         (6.4, 4.8 + 0.16 * flagged), n),  # a key line per flagged item under the chart
        ("sikap", lambda ax: charts.attitude_dumbbell(att, ax=ax, **opts),
         (7.5, 1.6 + charts.rows_height(_statements(att, lang))), _max_n(att)),
        ("reaksi", lambda ax: charts.reaction_bars(rea, ax=ax, **opts),
         (7.5, 1.9 + charts.rows_height(rea["text"] if len(rea) else [])), _max_n(rea)),
        ("lulus_kkm", lambda ax: charts.pass_rates(by, overall=s, kkm=kkm, ax=ax, **opts),
         (7.5, _rows(1.6, 0.42, len(by) + 1, 0)), n)]
    return [SessionChart(name, draw, size, people, charts.title(name, lang, kkm=kkm))
            for name, draw, size, people in spec] + distractor_chart(ev, lang) + \
        _history_chart(ev, lang, syn)


def _history_chart(ev, lang: str, syn: bool) -> list:
    """``sesi_sebelumnya``: this session beside the previous one of the same
    organiser (``Evaluation.previous``), when there is one."""
    prev = ev.previous()
    if prev is None:
        return []
    rows = pd.DataFrame([{"label": str(e.meta.get("nama", "")), "date": str(e.meta.get("tanggal", "")),
                          **e.summary.iloc[0][["n", "mean_pre", "mean_post", "pass_post",
                                               "suppressed"]].to_dict()} for e in (prev, ev)])
    return [SessionChart("sesi_sebelumnya",
                         lambda ax: history_chart(rows, ax=ax, lang=lang, synthetic=syn),
                         (7.5, 2.6), None, HISTORY_TITLE[lang])]


def chart_figure(chart: SessionChart, ev, lang: str = "id"):
    """The figure of ``chart`` as the export draws it: the chart, or where
    fewer than ``min_n`` people are behind it, its placeholder.

    Example:
        >>> chart_figure(distractor_chart(ev)[0], ev).get_size_inches().tolist()
        [6.8, 3.8]
    """
    from matplotlib.figure import Figure  # no pyplot: nothing global, nothing shown
    fig = Figure(figsize=chart.size, layout="constrained")
    if chart.n is not None and chart.n < ev.min_n:
        charts.placeholder(fig.subplots(), chart.title, min_n=ev.min_n, lang=lang,
                           synthetic=ev.synthetic)
    else:
        chart.draw(fig.subplots())
    return fig


def _chart_files(chart: SessionChart, ev, formats, lang: str) -> dict:
    """The bytes of one chart (or its placeholder) in each of ``formats``."""
    return figure_bytes(chart_figure(chart, ev, lang), formats)


def write_chart(files: dict, out: Path, name: str) -> list:
    """One chart's files (:func:`~evaltools.export.common.figure_bytes`): the
    PNG in ``out/kirim/`` (for managers), the other formats in ``out/`` (for
    the evaluator).

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp())
        >>> (out / "kirim").mkdir()  # made by the export's claim
        >>> [p.relative_to(out).as_posix() for p in write_chart({"png": b"x", "svg": b"<svg/>"}, out, "per_opd")]
        ['kirim/per_opd.png', 'per_opd.svg']
    """
    png = {f: b for f, b in files.items() if f == "png"}
    return write_figure(png, out / SEND / name) + \
        write_figure({f: b for f, b in files.items() if f != "png"}, out / name)


# every chart a session may get (pengecoh and sesi_sebelumnya only some): see session_charts
ALL_CHARTS = ("skor_pre_post", "per_topik", "per_opd", "per_butir", "peta_butir", "sikap", "reaksi",
              "lulus_kkm", "pengecoh", "sesi_sebelumnya")
SENT = tuple(f"{SEND}/ringkasan.{ext}" for ext in ("xlsx", "pdf", "pptx"))  # the session's summary


def report_names(formats=FORMATS) -> list:
    """Every name below a session's report folder that :func:`export_session`
    may write (without participants), known before anything is computed: the
    command line checks them all first (``evaltools.overwrite.check``).

    Example:
        >>> {c.name for c in session_charts(ev)} <= set(ALL_CHARTS)
        True
        >>> len(report_names()), report_names()[-1]
        (33, 'kirim/ringkasan.pptx')
    """
    return chart_names(ALL_CHARTS, formats) + list(SENT)


def chart_names(names, formats) -> list:
    """Where each chart file goes below the report folder: PNG in ``kirim/``.

    Example:
        >>> chart_names(["per_opd"], ("png", "svg"))
        ['kirim/per_opd.png', 'per_opd.svg']
    """
    return [f"{SEND}/{n}.{f}" if f == "png" else f"{n}.{f}" for n in names for f in formats]


def export_session(ev, out_dir, *, lang: str = "id", formats=FORMATS,
                   include_participants: bool = False, salt: str | None = None,
                   overwrite: bool = False) -> list:
    """Write what managers get into ``out_dir/kirim/``: the PNG charts (200
    dpi), ``ringkasan.xlsx``, the one-page ``ringkasan.pdf`` and
    ``ringkasan.pptx``; the charts' other ``formats`` stay in ``out_dir``
    for the evaluator, and so does ``ringkasan-peserta.xlsx`` with
    ``include_participants`` (the workbook with the pseudonymised
    participants, see ``write_workbook``; ``salt`` too). Returns the written
    paths. A file already there that evaltools did not write, or that was
    changed since, is refused before anything is written unless
    ``overwrite=True`` (see ``evaltools.overwrite``); the managers' files an
    older evaltools wrote straight into ``out_dir`` are removed if unchanged.

    Example:
        >>> import tempfile
        >>> paths = export_session(ev, tempfile.mkdtemp(), formats=("png",))
        >>> [f"{p.parent.name}/{p.name}" for p in paths][-4:]
        ['kirim/pengecoh.png', 'kirim/ringkasan.xlsx', 'kirim/ringkasan.pdf', 'kirim/ringkasan.pptx']
    """
    check_formats(formats)
    out = Path(out_dir)
    key = (lang, tuple(formats))
    prepared = ev._drawings.get(key)
    planned = prepared[0] if prepared else session_charts(ev, lang)
    names = chart_names([c.name for c in planned], formats) + list(SENT) \
        + (["ringkasan-peserta.xlsx"] if include_participants else [])
    # checked before anything is written; the old files stay until every new one is complete
    with claim(out, names, overwrite=overwrite, staged=True):
        kirim = out / SEND
        # the figures are drawn on every core (export.workers), unless prepare_export started
        # them already (taken: used once), while this process writes the workbook and slides;
        # then every file is written here, in the same order as ever
        drawing = ev._drawings.pop(key)[1] if prepared else _start(ev, planned, lang, key[1])
        book = write_workbook(ev, kirim / "ringkasan.xlsx", overwrite=overwrite)
        deck = write_slides(ev, kirim / "ringkasan.pptx", lang=lang, overwrite=overwrite)
        drawn = drawing.results()
        written = [p for c, files in zip(planned, drawn) for p in write_chart(files, out, c.name)]
        written += [book, write_onepage(ev, kirim / "ringkasan.pdf", lang=lang, overwrite=overwrite,
                                        data=drawn[-1]), deck]
        if include_participants:
            written.append(write_workbook(ev, out / "ringkasan-peserta.xlsx", salt=salt,
                                          overwrite=overwrite, include_participants=True))
    # the old layout's files for managers, if ours and unchanged, would look current: removed
    retire(out, [f"{c.name}.png" for c in planned] + ["ringkasan.xlsx", "ringkasan.pdf"])
    return written


def prepare_export(ev, lang: str = "id", formats=FORMATS) -> None:
    """Start drawing the figures :func:`export_session` will write (every
    chart in ``formats`` and the one page) in forked workers, and return at
    once: a notebook goes on with its cells while they draw, and the export
    that follows with the same ``lang`` and ``formats`` takes them instead of
    drawing its own. Nothing is written. Where the export cannot draw in
    workers (see ``export.workers``), nothing starts: the export draws them
    itself, as without this call; so does it where starting fails (the error,
    if any, is the export's to raise, in its own cell).

    Example:
        >>> import tempfile
        >>> prepare_export(ev, "en", ("png",))
        >>> [p.name for p in ev.export(tempfile.mkdtemp(), lang="en", formats=("png",))][-1]
        'ringkasan.pptx'
    """
    check_formats(formats)
    key = (lang, tuple(formats))
    earlier = ev._drawings.pop(key, None)  # a drawing started before (a cell run again): the new one counts
    if earlier:
        earlier[1].stop()  # its workers stopped: the cores go to the new one
    try:
        planned = session_charts(ev, lang)
        ev._drawings[key] = (planned, _start(ev, planned, lang, key[1]))
    except Exception:  # noqa: BLE001, S110 - only a head start: the export draws, and raises, itself
        pass


def _start(ev, planned: list, lang: str, formats: tuple) -> Started:
    """The drawing of ``planned`` and the one page, started (``workers.start``)."""
    return start([partial(_chart_files, c, ev, formats, lang) for c in planned]
                 + [partial(onepage_bytes, ev, lang)],
                 costs=[c.size[0] * c.size[1] for c in planned] + [A4[0] * A4[1] * 1.5])  # page: dense
