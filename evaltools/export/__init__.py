"""Files for managers: charts, ``ringkasan.xlsx`` and the one-page
``ringkasan.pdf``; aggregates only.

No names, NIPs or codes leave through here; groups under the minimum size
are blanked with "n < 5"; every text cell is guarded against formula
injection (OWASP: a leading = + - @ tab CR LF gets an apostrophe).

Example:
    >>> export_session(ev, "reports/loa-janan-2024-11-22")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from .. import charts
from .onepage import write_onepage
from .recap import export_recap, write_recap_workbook
from .workbook import pseudonym, safe_text, write_workbook

__all__ = ["FORMATS", "export_recap", "export_session", "pseudonym", "safe_text", "write_onepage",
           "write_recap_workbook", "write_workbook"]

DPI = 200


def _save(fig, stem: Path, formats) -> list:
    """One chart in each format: PNG at 200 dpi; SVG with real text (searchable,
    and checked for personal data) and fixed ids; PDF without a creation date."""
    import matplotlib
    out = []
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "evaltools"}):
        for fmt in formats:
            path = stem.with_suffix(f".{fmt}")
            meta = {"png": {"Software": None}, "svg": {"Date": None},
                    "pdf": {"CreationDate": None}}.get(fmt, {})
            fig.savefig(path, dpi=DPI, metadata=meta)
            out.append(path)
    return out


FORMATS = ("png", "svg", "pdf")


def export_session(ev, out_dir, *, lang: str = "id", formats=FORMATS,
                   include_participants: bool = False, salt: str | None = None) -> list:
    """Write the session's charts (each in ``formats``; PNG at 200 dpi),
    ``ringkasan.xlsx`` and the one-page ``ringkasan.pdf``. Returns the
    written paths. ``include_participants``/``salt``: see ``write_workbook``.

    Example:
        >>> paths = export_session(ev, "reports/loa-janan-2024-11-22", formats=("png",))  # doctest: +SKIP
    """
    from matplotlib.figure import Figure  # no pyplot: nothing global, nothing shown
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        from ..errors import EvalToolsError
        raise EvalToolsError(f"format grafik {bad[0]!r} tidak dikenal", fix="pakai png, svg atau pdf",
                             problem_en=f"unknown chart format {bad[0]!r}", fix_en="use png, svg or pdf")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    syn = ev.synthetic
    written = []

    def chart(name, draw, size):
        fig = Figure(figsize=size, layout="constrained")
        draw(fig.subplots())
        written.extend(_save(fig, out / name, formats))

    m = ev.pairs.matched
    chart("skor_pre_post", lambda ax: charts.score_slopes(
        m, kkm=ev.instrument.passing_score, ax=ax, lang=lang, synthetic=syn), (6.4, 4.8))
    chart("per_topik", lambda ax: charts.topic_dumbbell(ev.topics(), ax=ax, lang=lang,
                                                        synthetic=syn), (6.4, 4.2))
    by = ev.by("opd")
    chart("per_opd", lambda ax: charts.group_forest(
        by, overall=float(ev.summary["mean_gain"].iloc[0]), ax=ax, lang=lang, synthetic=syn),
        (7.5, 1.4 + 0.32 * max(len(by), 3)))
    items = ev.items()
    chart("per_butir", lambda ax: charts.item_change(items, ax=ax, lang=lang, synthetic=syn),
          (6.4, 1.6 + 0.2 * max(len(items), 5)))
    chart("peta_butir", lambda ax: charts.item_map(ev.item_analysis("pre", lang=lang), wave="pre",
                                                   ax=ax, lang=lang, synthetic=syn), (6.4, 4.8))
    att = ev.attitudes()
    chart("sikap", lambda ax: charts.attitude_dumbbell(att, ax=ax, lang=lang, synthetic=syn),
          (7.5, 1.6 + 0.42 * max(len(att), 3)))
    rea = ev.reaction()
    chart("reaksi", lambda ax: charts.reaction_bars(rea, ax=ax, lang=lang, synthetic=syn),
          (7.5, 1.9 + 0.42 * max(len(rea), 3)))
    s = ev.summary.iloc[0]
    chart("lulus_kkm", lambda ax: charts.pass_rates(
        by, overall=s, kkm=ev.instrument.passing_score, ax=ax, lang=lang, synthetic=syn),
        (7.5, 1.6 + 0.42 * (len(by) + 1)))
    worst = ev.hardest_item()
    if worst is not None:  # the item most still get wrong: which wrong answer do they believe?
        it = ev.instrument.item(worst)
        options = it.options_en if lang == "en" and it.options_en else it.options
        chart("pengecoh", lambda ax: charts.distractor_bars(
            ev.distractors("pre"), ev.distractors("post"), item=worst, options=dict(options),
            ax=ax, lang=lang, synthetic=syn), (6.8, 3.8))
    written.append(write_workbook(ev, out / "ringkasan.xlsx",
                                  include_participants=include_participants, salt=salt))
    written.append(write_onepage(ev, out / "ringkasan.pdf", lang=lang))
    return written
