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
from ..compare import visible_only
from ..overwrite import claim
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
# every session chart but "pengecoh", which needs a hardest item
CHARTS = ("skor_pre_post", "per_topik", "per_opd", "per_butir", "peta_butir", "sikap", "reaksi",
          "lulus_kkm")

# titles of the charts where they are replaced by an "n < 5" placeholder
TITLES = {
    "id": {"skor_pre_post": "Skor peserta sebelum dan sesudah sosialisasi",
           "per_topik": "Persentase jawaban benar per topik",
           "per_opd": "Kenaikan skor rata-rata per OPD (IK 95%)",
           "per_butir": "Persentase benar per butir, sebelum → sesudah",
           "peta_butir": "Kesukaran dan daya beda butir", "sikap": "Sikap netralitas",
           "reaksi": "Penilaian peserta atas penyelenggaraan",
           "lulus_kkm": "Peserta lulus KKM, sebelum dan sesudah",
           "pengecoh": "Jawaban yang dipilih untuk butir tersulit"},
    "en": {"skor_pre_post": "Participants' scores before and after the session",
           "per_topik": "Percent correct per topic",
           "per_opd": "Mean score gain per work unit (95% CI)",
           "per_butir": "Percent correct per item, before → after",
           "peta_butir": "Item difficulty and discrimination", "sikap": "Neutrality attitude",
           "reaksi": "Participants' rating of the session",
           "lulus_kkm": "Participants reaching the pass mark, before and after",
           "pengecoh": "Answers chosen for the hardest item"},
}


def export_session(ev, out_dir, *, lang: str = "id", formats=FORMATS,
                   include_participants: bool = False, salt: str | None = None,
                   overwrite: bool = False) -> list:
    """Write the session's charts (each in ``formats``; PNG at 200 dpi),
    ``ringkasan.xlsx`` and the one-page ``ringkasan.pdf``. Returns the
    written paths. ``include_participants``/``salt``: see ``write_workbook``.
    A file already in ``out_dir`` that evaltools did not write, or that was
    changed since, is refused before anything is written unless
    ``overwrite=True`` (see ``evaltools.overwrite``).

    Example:
        >>> paths = export_session(ev, "reports/loa-janan-2024-11-22", formats=("png",))  # doctest: +SKIP
    """
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        from ..errors import EvalToolsError
        raise EvalToolsError(f"format grafik {bad[0]!r} tidak dikenal", fix="pakai png, svg atau pdf",
                             problem_en=f"unknown chart format {bad[0]!r}", fix_en="use png, svg or pdf")
    out = Path(out_dir)
    worst = ev.hardest_item()  # the pengecoh chart exists only where there is one
    charted = [*CHARTS, "pengecoh"] if worst is not None else CHARTS
    names = [f"{c}.{f}" for c in charted for f in formats] + ["ringkasan.xlsx", "ringkasan.pdf"]
    from matplotlib.figure import Figure  # no pyplot: nothing global, nothing shown
    with claim(out, names, overwrite=overwrite):  # checked before anything is written
        syn = ev.synthetic
        written = []

        def chart(name, draw, size, n):
            """One chart, or where fewer than min_n people are behind it (``n``), a
            placeholder; ``n=None``: the chart suppresses row by row itself."""
            fig = Figure(figsize=size, layout="constrained")
            if n is not None and n < ev.min_n:
                charts.placeholder(fig.subplots(), TITLES[lang][name], min_n=ev.min_n, lang=lang,
                                   synthetic=syn)
            else:
                draw(fig.subplots())
            written.extend(_save(fig, out / name, formats))

        m = ev.pairs.matched
        s = ev.summary.iloc[0]
        n = 0 if bool(s["suppressed"]) else int(s["n"])
        kkm = ev.instrument.passing_score
        chart("skor_pre_post", lambda ax: charts.score_slopes(
            m, kkm=kkm, ax=ax, lang=lang, synthetic=syn), (6.4, 4.8), n)
        chart("per_topik", lambda ax: charts.topic_dumbbell(ev.topics(lang), ax=ax, lang=lang,
                                                            synthetic=syn), (6.4, 4.2), n)
        by = visible_only(ev.by("opd"))
        overall = None if bool(s["suppressed"]) else float(s["mean_gain"])
        chart("per_opd", lambda ax: charts.group_forest(by, overall=overall, ax=ax, lang=lang,
                                                        synthetic=syn),
              (7.5, 1.4 + 0.32 * max(len(by), 3)), None)  # each row hides itself
        items = ev.items()
        chart("per_butir", lambda ax: charts.item_change(items, ax=ax, lang=lang, synthetic=syn),
              (6.4, 1.6 + 0.2 * max(len(items), 5)), n)
        # items and answers of the matched participants: every number is about the same people
        chart("peta_butir", lambda ax: charts.item_map(
            ev.item_analysis("pre", lang=lang, matched_only=True), wave="pre", ax=ax, lang=lang,
            synthetic=syn), (6.4, 4.8), n)
        att = ev.attitudes()
        chart("sikap", lambda ax: charts.attitude_dumbbell(att, ax=ax, lang=lang, synthetic=syn),
              (7.5, 1.6 + 0.42 * max(len(att), 3)), int(att["n"].max()) if len(att) else 0)
        rea = ev.reaction()
        chart("reaksi", lambda ax: charts.reaction_bars(rea, ax=ax, lang=lang, synthetic=syn),
              (7.5, 1.9 + 0.42 * max(len(rea), 3)), int(rea["n"].max()) if len(rea) else 0)
        chart("lulus_kkm", lambda ax: charts.pass_rates(
            by, overall=s, kkm=kkm, ax=ax, lang=lang, synthetic=syn),
            (7.5, 1.6 + 0.42 * (len(by) + 1)), n)
        if worst is not None:  # the item most still get wrong: which wrong answer do they believe?
            it = ev.instrument.item(worst)
            options = it.options_en if lang == "en" and it.options_en else it.options
            pre = ev.distractors("pre", matched_only=True)
            post = ev.distractors("post", matched_only=True)
            both = min(int(pre["n"].max()) if len(pre) else 0,
                       int(post["n"].max()) if len(post) else 0)
            chart("pengecoh", lambda ax: charts.distractor_bars(
                pre, post, item=worst, options=dict(options), ax=ax, lang=lang, synthetic=syn),
                (6.8, 3.8), both)
        written.append(write_workbook(ev, out / "ringkasan.xlsx", salt=salt, overwrite=overwrite,
                                      include_participants=include_participants))
        written.append(write_onepage(ev, out / "ringkasan.pdf", lang=lang, overwrite=overwrite))
    return written
