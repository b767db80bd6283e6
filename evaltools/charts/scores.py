"""Scores of a session: participants' pre/post scores, topics, groups."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import fmt
from .labels import LABELS, title
from .style import (ACCENT, KKM_COLOR, MUTED, POST, PRE, dodge, empty, ensure_axes, finish,
                    legend_below, pre_post_handles, row_segments, wrap)

# a group's name is wrapped (in full) beyond this many characters: the longest
# registry names stay on one line, a 60-character one takes two
NAME_WIDTH = 44
# above this many participants the slope chart's lines and dots are an image in SVG and PDF:
# from about 3,000 on both files are smaller that way (3,000: SVG 241 KB, not 1.2 MB; PDF 134 KB, not 146)
RASTER_FROM = 3_000


def _hidden_label(row, t) -> str:
    """"n < 5" for a small group; a larger one hidden to protect it says so instead."""
    return t["suppressed2"] if bool(row.get("suppressed_secondary", False)) else t["suppressed"]


def score_slopes(matched: pd.DataFrame, *, kkm: float = 70, ax=None, lang: str = "id",
                 synthetic: bool = False, seed: int = 0):
    """Each matched participant's pre and post score joined by a line, the
    means with their n, and the KKM line.

    Example:
        >>> from matplotlib.figure import Figure
        >>> ax = score_slopes(ev.pairs.matched, kkm=inst.passing_score, ax=Figure().subplots())
        >>> [t.get_text().splitlines()[1] for t in ax.get_xticklabels()], ax.texts[-1].get_text()
        (['rata-rata 54,9', 'rata-rata 70,7'], 'lulus KKM: 17% → 56%')
    """
    t = LABELS[lang]
    ax = ensure_axes(ax, (6.4, 4.8))
    pre = matched["pct_pre"].to_numpy(float)
    post = matched["pct_post"].to_numpy(float)
    n = len(pre)
    if n == 0:
        return empty(ax, title("skor_pre_post", lang), synthetic, lang)
    # a little horizontal jitter so equal scores don't hide each other
    jit = np.random.default_rng(seed).uniform(-0.06, 0.06, size=(2, n))
    from matplotlib.collections import LineCollection
    # one collection, not a line per participant (60,000 lines took 60 s); past RASTER_FROM
    # participants their lines and dots are drawn as an image inside the SVG and PDF (60,000
    # gave a 25 MB SVG), the text and axes staying vector
    many = n > RASTER_FROM
    segments = np.stack([np.column_stack([jit[0], pre]), np.column_stack([1 + jit[1], post])], axis=1)
    ax.add_collection(LineCollection(segments, colors="#BBBBBB", linewidths=0.7, alpha=0.7, zorder=1,
                                     capstyle="projecting", rasterized=many), autolim=False)
    ax.scatter(jit[0], pre, s=14, facecolors="white", edgecolors=PRE, zorder=2, rasterized=many)
    ax.scatter(1 + jit[1], post, s=14, marker="s", color=POST, zorder=2, rasterized=many)
    for x, v in ((0, pre), (1, post)):
        # the mean in near-black above the dots, so it reads in colour and in grayscale;
        # its value sits under the axis, where no dot can hide it
        ax.plot([x - 0.2, x + 0.2], [v.mean(), v.mean()], color="#222222", lw=3, zorder=4,
                solid_capstyle="butt")
    ax.axhline(kkm, color=KKM_COLOR, ls="--", lw=1.2, zorder=0)
    ax.text(-0.57, kkm + 0.8, t["kkm"].format(kkm=fmt.plain(kkm, lang)), color=KKM_COLOR,
            va="bottom", ha="left", fontsize=9)
    a, b = (fmt.pct(100 * matched[c].mean(), 0, lang) for c in ("passed_pre", "passed_post"))
    ax.text(0.5, 1.0, t["pass"].format(a=a, b=b), transform=ax.transAxes, ha="center", va="top",
            fontsize=9)
    ax.set_xticks([0, 1], [f"{t[w]}\n{t['mean']} {fmt.num(v.mean(), 1, lang)}\n"
                           f"(n = {fmt.count(n, lang)})" for w, v in (("pre", pre), ("post", post))])
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylim(-2, 112)  # a band above 100 for the pass-rate line, clear of the dots at 100
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel(t["score"])
    return finish(ax, title("skor_pre_post", lang), synthetic, lang)


def topic_dumbbell(topics: pd.DataFrame, *, ax=None, lang: str = "id", synthetic: bool = False):
    """Percent correct per topic, pre to post, the weakest post-test topic
    highlighted. ``topics`` is ``ev.topics()``.

    Example:
        >>> from matplotlib.figure import Figure
        >>> ax = topic_dumbbell(ev.topics(), ax=Figure().subplots())
        >>> ax.get_yticklabels()[0].get_text(), ax.texts[0].get_text()
        ('Sanksi (6 butir)', '37 → 47')
    """
    t = LABELS[lang]
    ax = ensure_axes(ax, (6.4, 4.2))
    df = topics.sort_values("mean_post").reset_index(drop=True)
    if not df["mean_post"].notna().any():
        return empty(ax, title("per_topik", lang), synthetic, lang)
    # one topic lowest after the session, or none to point at (a tie is no weakest topic)
    lowest = df["mean_post"] == df["mean_post"].min()
    weakest = df["mean_post"].idxmin() if len(df) > 1 and lowest.sum() == 1 else None
    y = np.arange(len(df))
    # one artist per kind for all topics (see style.row_segments)
    row_segments(ax, df["mean_pre"], df["mean_post"], y, color="#BBBBBB", lw=2.5, zorder=1)
    ax.scatter(df["mean_pre"], y, s=45, facecolors="white", edgecolors=PRE, lw=1.5, zorder=2)
    # a collection per colour: one of a single colour is drawn as markers (snapped to the
    # pixel grid, as a point's own scatter was), one of many colours is not
    weak = y == weakest
    for part, color in ((~weak, POST), (weak, ACCENT)):
        if part.any():
            ax.scatter(df["mean_post"][part], y[part], s=45, marker="s", color=color, zorder=2)
    for i, r in df.iterrows():
        ax.text(102, i, f"{fmt.num(r['mean_pre'], 0, lang)} → {fmt.num(r['mean_post'], 0, lang)}",
                va="center", fontsize=8)
    labels = [f"{r['label']} ({t['items'].format(n=fmt.count(r['n_items'], lang))})"
              for _, r in df.iterrows()]
    ax.set_yticks(y, labels)
    if weakest is not None:
        lab = ax.get_yticklabels()[weakest]
        lab.set_color(ACCENT)
        lab.set_fontweight("bold")
        markers = np.column_stack([np.r_[df["mean_pre"], df["mean_post"]], np.r_[y, y]]).astype(float)
        ax.add_artist(_weakest_label(t["weakest"], weakest, *df.loc[weakest, ["mean_pre", "mean_post"]],
                                     markers[~np.isnan(markers).any(axis=1)]))
    ax.set_xlim(0, 100)
    ax.set_xlabel(t["pct"] + (f" (n = {fmt.count(df['n'].iloc[0], lang)})" if len(df) else ""))
    legend_below(ax, pre_post_handles(lang))
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_axisbelow(True)
    return finish(ax, title("per_topik", lang), synthetic, lang)


def _weakest_label(text: str, row: int, pre: float, post: float, markers):
    """The weakest topic's "terlemah", placed when drawn, once the size of the
    axes on the page is known: on its own row right of its two markers (centred
    on the row, else resting on it where the bottom axis is close), else left of
    them, else above the row at the post-test marker; the first of these inside
    the axes, off its lines, that covers none of the ``markers`` (x, y in data).
    Always above the row, it sat on the next topic's dots on the one page,
    where the rows are close (a session of 10,514 pairs, 2026-12-07)."""
    from matplotlib.text import Text
    from matplotlib.transforms import Affine2D

    class Beside(Text):
        def draw(self, renderer):
            if self.get_visible() and self.axes is not None:
                self._place(renderer)
            super().draw(renderer)

        def _place(self, renderer):
            ax = self.axes
            pad, r = renderer.points_to_pixels(7.0), renderer.points_to_pixels(np.sqrt(45.0) / 2)
            dots = ax.transData.transform(markers) if len(markers) else np.empty((0, 2))
            lo, hi = (pre, post) if pre <= post else (post, pre)
            spots = [((hi, row), pad, "left", "center"), ((hi, row), pad, "left", "bottom"),
                     ((lo, row), -pad, "right", "center"), ((lo, row), -pad, "right", "bottom"),
                     ((post, row + 0.3), 0.0, "center", "bottom")]
            for (x, y), dx, ha, va in spots:
                self.set_position((x, y))
                self.set_horizontalalignment(ha)
                self.set_verticalalignment(va)
                self.set_transform(ax.transData + Affine2D().translate(dx, 0))
                box = self.get_window_extent(renderer)
                inside = ax.bbox.x0 < box.x0 and box.x1 < ax.bbox.x1 and ax.bbox.y0 + 1 < box.y0 \
                    and box.y1 < ax.bbox.y1 - 1
                covered = ((dots[:, 0] > box.x0 - r) & (dots[:, 0] < box.x1 + r)
                           & (dots[:, 1] > box.y0 - r) & (dots[:, 1] < box.y1 + r)).any()
                if inside and not covered:
                    return
            # nowhere clear (markers at both ends and a crowded row above): above it, as before

    return Beside(post, row + 0.3, text, color=ACCENT, fontsize=8, ha="center", va="bottom")


def _overall_line(ax, overall: float, top: int, span: tuple, label: str):
    """The dashed line of the whole session's gain and its label above the
    top row, written beside the line (to its right, or its left in the right
    half) so the line never strikes through it."""
    ax.axvline(overall, color=ACCENT, ls="--", lw=1)
    right = overall <= (span[0] + span[1]) / 2
    ax.annotate(label, (overall, top - 0.35), xytext=(3 if right else -3, 0),
                textcoords="offset points", color=ACCENT, fontsize=8,
                ha="left" if right else "right", va="bottom")


def group_forest(groups: pd.DataFrame, *, by: str = "opd", overall: float | None = None,
                 ax=None, lang: str = "id", synthetic: bool = False, why: str = "empty"):
    """Mean gain per group with its 95% CI, and the partially pooled gain
    (``gain_pooled``, an open diamond) beside it; groups flagged
    ``suppressed`` show "n < 5" instead of numbers. ``groups`` is ``ev.by("opd")``;
    when it has no row, ``why`` says why: "empty" (nobody took both tests) or
    "no_opd" (matched participants, none of them from an OPD in the registry).

    Example:
        >>> from matplotlib.figure import Figure
        >>> ax = group_forest(ev.by("opd"), overall=ev.summary["mean_gain"].iloc[0],
        ...                   ax=Figure().subplots())
        >>> [t.get_text() for t in ax.texts][-2:]
        ['+19,0  (n = 14)', 'seluruh sesi +15,7']
    """
    t = LABELS[lang]
    if groups.empty:
        return empty(ensure_axes(ax, (7.5, 2.0)), title("per_opd", lang), synthetic, lang, why)
    df = groups.copy()
    df["_order"] = df["mean_gain"].where(~df["suppressed"], -np.inf)
    df = df.sort_values(["_order", by], kind="stable").reset_index(drop=True)
    ax = ensure_axes(ax, (7.5, 0.9 + 0.32 * max(len(df), 3)))
    shown = df[~df["suppressed"]]
    hi = float(np.nanmax(shown["ci_high"])) if len(shown) else 10.0
    lo = float(np.nanmin(shown["ci_low"])) if len(shown) else -10.0
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    pad = 0.05 * (hi - lo or 1)
    pooled = "gain_pooled" in df.columns
    if overall is not None and np.isfinite(overall):
        lo, hi = min(lo, overall), max(hi, overall)  # the line stays inside the axes
    # the numbers column sits right of the axes (x in axes fraction), where no
    # interval or reference line can reach it; the layout makes room for it
    column = ax.get_yaxis_transform()
    # one artist per kind for all rows, not one per row: each artist costs its own pass in
    # every drawing (laid out, then drawn in PNG, SVG and PDF), and an OPD table can be long
    rows = np.flatnonzero(~df["suppressed"].to_numpy(dtype=bool))
    if len(rows):
        row_segments(ax, df["ci_low"].to_numpy(float)[rows], df["ci_high"].to_numpy(float)[rows], rows,
                     color=POST, lw=1.6)
        ax.scatter(df["mean_gain"].to_numpy(float)[rows], rows, marker="s", s=30, color=POST, zorder=3)
        if pooled:
            gp = df["gain_pooled"].to_numpy(float)[rows]
            has = np.isfinite(gp)
            if has.any():
                ax.scatter(gp[has], rows[has], marker="D", s=26, facecolors="white",
                           edgecolors="#222222", lw=1.1, zorder=4)
    for i, r in df.iterrows():
        if r["suppressed"]:
            ax.text(1.02, i, _hidden_label(r, t), transform=column, va="center", ha="left",
                    fontsize=8, color=MUTED, style="italic", clip_on=False)
            continue
        ax.text(1.02, i, f"{fmt.points(r['mean_gain'], 1, lang)}  (n = {fmt.count(r['n'], lang)})",
                transform=column, va="center", fontsize=8, clip_on=False)
    ax.axvline(0, color="#444444", lw=0.8)
    if overall is not None and np.isfinite(overall):
        _overall_line(ax, overall, len(df), (lo, hi), f"{t['overall']} {fmt.points(overall, 1, lang)}")
    ax.set_yticks(range(len(df)), [wrap(x, NAME_WIDTH) for x in df[by].astype(str)], fontsize=8)
    ax.set_ylim(-0.7, len(df) + 0.4)
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_xlabel(t["gain"])
    if pooled:
        from matplotlib.lines import Line2D
        handles = [Line2D([], [], color=POST, marker="s", lw=1.6, label=t["raw"]),
                   Line2D([], [], ls="", marker="D", mfc="white", mec="#222222", label=t["pooled"])]
        legend_below(ax, handles)
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_axisbelow(True)
    return finish(ax, title("per_opd", lang), synthetic, lang)


def pass_rates(groups: pd.DataFrame, *, by: str = "opd", overall: pd.Series | None = None,
               kkm: float = 70, ax=None, lang: str = "id", synthetic: bool = False):
    """Share of participants at or above the KKM before and after, for the
    whole session (``overall``, a row of ``ev.summary``, drawn first and bold)
    and per group (``ev.by("opd")``); suppressed groups say "n < 5".

    Example:
        >>> from matplotlib.figure import Figure
        >>> ax = pass_rates(ev.by("opd"), overall=ev.summary.iloc[0], kkm=70, ax=Figure().subplots())
        >>> ax.get_title(loc="left"), [t.get_text() for t in ax.texts][-2:]
        ('Peserta lulus KKM 70, sebelum dan sesudah', ['17%', '56%  (n = 52)'])
    """
    t = LABELS[lang]
    rows = []
    if overall is not None:
        rows.append({by: t["overall"], **overall.to_dict(), "_bold": True})
    for _, r in groups.iterrows():
        rows.append({**r.to_dict(), "_bold": False})
    df = pd.DataFrame(rows)
    ax = ensure_axes(ax, (7.5, 1.2 + 0.42 * max(len(df), 3)))
    head = title("lulus_kkm", lang, kkm=kkm)
    if df.empty or df["suppressed"].all():
        return empty(ax, head, synthetic, lang, "empty" if df.empty else "hidden")
    df = df.iloc[::-1].reset_index(drop=True)  # the session on top
    h = 0.36
    # the bars of all rows in one call per test (one pass per artist kind when drawn)
    rows = np.flatnonzero(~df["suppressed"].to_numpy(dtype=bool))
    if len(rows):
        ax.barh(rows + h / 2, df["pass_pre"].to_numpy(float)[rows], height=h, color="white",
                edgecolor=PRE, hatch="////", lw=1)
        ax.barh(rows - h / 2, df["pass_post"].to_numpy(float)[rows], height=h, color=POST)
    for i, r in df.iterrows():
        if r["suppressed"]:
            ax.text(2, i, _hidden_label(r, t), va="center", fontsize=8, color=MUTED, style="italic")
            continue
        ax.text(r["pass_pre"] + 1, i + h / 2, fmt.pct(r["pass_pre"], 0, lang), va="center", fontsize=7)
        ax.text(r["pass_post"] + 1, i - h / 2,
                f"{fmt.pct(r['pass_post'], 0, lang)}  (n = {fmt.count(r['n'], lang)})", va="center",
                fontsize=7)
    ax.set_yticks(range(len(df)), [wrap(x, NAME_WIDTH) for x in df[by].astype(str)], fontsize=8)
    ax.set_ylim(-0.7, len(df) - 0.3)  # a hidden row at the bottom stays off the x-axis
    for lab, bold in zip(ax.get_yticklabels(), df["_bold"]):
        if bold:
            lab.set_fontweight("bold")
    ax.set_xlim(0, 115)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.set_xlabel(t["passed"])
    from matplotlib.patches import Patch
    legend_below(ax, [Patch(facecolor="white", edgecolor=PRE, hatch="////", label=t["pre"]),
                       Patch(color=POST, label=t["post"])])
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_axisbelow(True)
    return finish(ax, head, synthetic, lang)


def _when(df) -> tuple:
    """Each session's place on the x-axis, in matplotlib's day numbers, and
    True; (a date not written as a date) its rank and False."""
    import matplotlib.dates as mdates
    when = pd.to_datetime(df["date"].astype(str), errors="coerce", format="ISO8601")
    if when.notna().all():
        return mdates.date2num(when.dt.to_pydatetime()), True
    return np.arange(len(df), dtype=float), False


def _date_axis(ax, x, dated: bool, lang: str) -> None:
    """A time axis (months written as fmt writes dates) padded so the first and
    last session are not on the frame; ranks when the dates are not dates."""
    if not dated:
        ax.set_xticks(x, [str(i + 1) for i in range(len(x))])
        ax.set_xlim(-0.6, len(x) - 0.4)
        return
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter
    pad = max((x.max() - x.min()) * 0.06, 20)
    ax.set_xlim(x.min() - pad, x.max() + pad)
    months = (x.max() - x.min() + 2 * pad) / 30.4
    # ticks on the first of a month, at most about six: a label names a month once
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=max(1, int(np.ceil(months / 6)))))

    def month(x, _pos):
        _day, name, year = fmt.date(mdates.num2date(x).date().isoformat(), lang).split()
        return f"{name[:3]} {year}"
    ax.xaxis.set_major_formatter(FuncFormatter(month))


def _session_key(df, labels, lang: str) -> str:
    """The key under the chart: each session's number, full name, date and n."""
    lines = []
    for i, (lab, d, n, hid) in enumerate(zip(labels, df["date"], df["n"], df["suppressed"])):
        size = "n < 5" if hid else f"n = {fmt.count(n, lang)}"
        lines.append(f"{i + 1}  {lab} ({fmt.date(d, lang)}, {size})")
    return "\n".join(lines)


def trend(sessions: pd.DataFrame, *, kkm: float | None = None, ax=None, lang: str = "id",
          synthetic: bool = False):
    """Mean pre and post score of each session on a time axis, joined by the
    gain; each session numbered, its full name, date and n in the key under
    the chart. ``sessions`` has one row per session with ``label`` (or
    ``session``), ``date``, ``n``, ``mean_pre``, ``mean_post`` and
    ``suppressed`` (a concatenation of ``ev.summary`` with the session facts).

    Example:
        >>> from matplotlib.figure import Figure
        >>> sessions = pd.DataFrame({"session": ["a"], "date": ["2024-11-22"], "n": [52],
        ...                          "mean_pre": [54.9], "mean_post": [70.7], "suppressed": [False]})
        >>> ax = trend(sessions, kkm=70, ax=Figure(layout="constrained").subplots())
        >>> ax.texts[-1].get_text()
        '1  a (22 November 2024, n = 52)'
    """
    t = LABELS[lang]
    ax = ensure_axes(ax, (7.5, 4.4 + 0.17 * len(sessions)))
    if sessions.empty:
        return empty(ax, title("tren_sesi", lang), synthetic, lang)
    df = sessions.sort_values(["date", "session"] if "session" in sessions else ["date"])
    df = df.reset_index(drop=True)
    if df["suppressed"].all():
        return empty(ax, title("tren_sesi", lang), synthetic, lang, "hidden")
    labels = df["label"] if "label" in df else df["session"]
    x, dated = _when(df)
    values, numbers, marks = [], [], []
    top = ax.get_xaxis_transform()
    for i, r in df.iterrows():
        numbers.append(ax.annotate(str(i + 1), (x[i], 1.0), xycoords=top, xytext=(0, -2),
                                   textcoords="offset points", fontsize=8, fontweight="bold"))
        if r["suppressed"]:
            ax.text(x[i], 50, t["suppressed"], ha="center", va="center", fontsize=8, rotation=90,
                    color=MUTED, style="italic")
            continue
        ax.annotate("", (x[i], r["mean_post"]), (x[i], r["mean_pre"]),
                    arrowprops={"arrowstyle": "-|>", "color": "#888888", "lw": 1.5})
        ax.scatter(x[i], r["mean_pre"], s=45, facecolors="white", edgecolors=PRE, lw=1.5, zorder=3)
        ax.scatter(x[i], r["mean_post"], s=45, marker="s", color=POST, zorder=3)
        marks.append((x[i], r["mean_pre"], x[i], r["mean_post"]))  # both markers and the arrow
        values.append(ax.annotate(fmt.num(r["mean_post"], 1, lang), (x[i], r["mean_post"]),
                                  xytext=(0, 6), textcoords="offset points", fontsize=8))
        values.append(ax.annotate(fmt.num(r["mean_pre"], 1, lang), (x[i], r["mean_pre"]),
                                  xytext=(0, -7), textcoords="offset points", fontsize=8,
                                  color=MUTED))
    shown = ~df["suppressed"]
    ax.plot(x[shown.to_numpy()], df.loc[shown, "mean_post"], color=POST, lw=1, ls=":", zorder=1)
    handles = pre_post_handles(lang)
    if kkm is not None:  # named in the legend: a label on the line would meet the sessions
        handles.append(ax.axhline(kkm, color=KKM_COLOR, ls="--", lw=1.1, zorder=0,
                                  label=t["kkm"].format(kkm=fmt.plain(kkm, lang))))
    _date_axis(ax, x, dated, lang)
    ax.set_ylim(0, 108)
    ax.set_ylabel(t["mean_score"])
    ax.legend(handles=handles, loc="lower right", frameon=False, fontsize=8)
    ax.grid(axis="y", color="#EEEEEE")
    ax.set_axisbelow(True)
    finish(ax, title("tren_sesi", lang), synthetic, lang)
    ax.annotate(_session_key(df, labels, lang), (0, 0), xycoords="axes fraction", xytext=(0, -30),
                textcoords="offset points", ha="left", va="top", fontsize=8)
    dodge(ax, numbers, [(0, -2), (0, -12), (0, -22)])
    # a value takes the first free place: over/under its marker, then further, then beside it
    dodge(ax, values, [(0, 6), (0, -7), (0, 16), (0, -17), (7, 6), (-7, 6), (7, -7), (-7, -7)],
          avoid=marks)
    return ax
