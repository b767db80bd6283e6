"""What the charts draw is the data they are given: bar lengths, points and
labels are read back from the matplotlib artists, and legends are checked
not to sit on the axis labels."""

import pandas as pd
import pytest
from matplotlib.figure import Figure

from evaltools import charts


def _ax(size=(7, 4)):
    return Figure(figsize=size, layout="constrained").subplots()


def _bars(ax):
    """Horizontal bars as (y centre, width), top to bottom by y."""
    return sorted(((round(p.get_y() + p.get_height() / 2, 6), p.get_width())
                   for p in ax.patches), key=lambda t: -t[0])


def test_pass_rates_draw_the_session_and_each_opd(ev_loa):
    by, s = ev_loa.by("opd"), ev_loa.summary.iloc[0]
    ax = charts.pass_rates(by, overall=s, kkm=70, ax=_ax(), synthetic=True)
    shown = by[~by["suppressed"]]
    widths = [w for _, w in _bars(ax)]
    # session first, then the OPDs in table order: pre (hatched) above post, per row
    expected = [s["pass_pre"], s["pass_post"]]
    for _, r in shown.iterrows():
        expected += [r["pass_pre"], r["pass_post"]]
    assert widths == pytest.approx(expected)
    assert s["pass_pre"] == pytest.approx(100 * 9 / 52) and s["pass_post"] == pytest.approx(100 * 29 / 52)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "seluruh sesi" and ax.get_yticklabels()[-1].get_fontweight() == "bold"
    texts = [t.get_text() for t in ax.texts]
    assert "n < 5 (disembunyikan)" in texts and "56%  (n = 52)" in texts
    assert ax.get_title(loc="left") == "Peserta lulus KKM 70, sebelum dan sesudah"


def test_distractor_bars_show_each_option_before_and_after(ev_loa, inst):
    pre, post = ev_loa.distractors("pre"), ev_loa.distractors("post")
    ax = charts.distractor_bars(pre, post, item="q08", options=dict(inst.item("q08").options),
                                ax=_ax(), lang="en")
    a = pre[pre["item"] == "q08"].set_index("option")
    b = post[post["item"] == "q08"].set_index("option")
    widths = [w for _, w in _bars(ax)]
    expected = []
    for opt in a.index:  # options top to bottom, pre above post
        expected += [100 * a.loc[opt, "share_all"], 100 * b.loc[opt, "share_all"]]
    assert widths == pytest.approx(expected)
    assert int(a["n"].iloc[0]) == 55 and int(b["n"].iloc[0]) == 53
    assert ax.get_xlabel() == "% of participants choosing (pre n = 55, post n = 53)"
    key = [t for t in ax.get_yticklabels() if "✓ key" in t.get_text()]
    assert len(key) == 1 and key[0].get_text().startswith("b. ")
    assert inst.item("q08").key == "b"


def test_trend_orders_sessions_by_date_and_marks_small_ones():
    t = pd.DataFrame({"session": ["b", "a", "c"], "label": ["Sesi B", "Sesi A", "Sesi C"],
                      "date": ["2024-11-22", "2024-10-17", "2024-12-02"], "n": [52, 263, 3],
                      "mean_pre": [54.9, 67.6, float("nan")], "mean_post": [70.7, 81.7, float("nan")],
                      "suppressed": [False, False, True]})
    ax = charts.trend(t, kkm=70, ax=_ax())
    pts = [tuple(c.get_offsets()[0]) for c in ax.collections]
    # on a time axis: x is the date (matplotlib's day number; 2024-10-17 is 20013)
    assert pts == [(20013, 67.6), (20013, 81.7), (20049, 54.9), (20049, 70.7)]
    # sessions numbered in date order, named in full in the key, dates as fmt.date writes them;
    # a small session's n is not shown
    assert ax.texts[-1].get_text().splitlines() == [
        "1  Sesi A (17 Oktober 2024, n = 263)", "2  Sesi B (22 November 2024, n = 52)",
        "3  Sesi C (2 Desember 2024, n < 5)"]
    assert [x.get_text() for x in ax.texts if x.get_text().startswith("n < 5")] == [
        "n < 5 (disembunyikan)"]
    assert {"81,7", "54,9"} <= {x.get_text() for x in ax.texts}  # decimal comma


def test_score_slopes_put_the_means_under_the_axis(ev_loa):
    ax = charts.score_slopes(ev_loa.pairs.matched, kkm=70, ax=_ax())
    ticks = [x.get_text() for x in ax.get_xticklabels()]
    assert ticks == ["Pre-test\nrata-rata 54,9\n(n = 52)", "Post-test\nrata-rata 70,7\n(n = 52)"]


@pytest.mark.parametrize("rows", [3, 10, 35])
def test_legend_sits_below_the_axis_label(rows):
    by = pd.DataFrame({"opd": [f"OPD {i:02d}" for i in range(rows)], "n": 10,
                       "mean_gain": [float(i) for i in range(rows)],
                       "ci_low": [i - 3.0 for i in range(rows)], "ci_high": [i + 3.0 for i in range(rows)],
                       "gain_pooled": [i + 0.5 for i in range(rows)], "suppressed": False})
    fig = Figure(figsize=(7.5, 1.4 + 0.32 * rows), layout="constrained")
    ax = charts.group_forest(by, ax=fig.subplots())
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    r = canvas.get_renderer()
    legend, label = ax.get_legend().get_window_extent(r), ax.xaxis.label.get_window_extent(r)
    assert legend.y1 <= label.y0  # under the label, not on it
    assert legend.y0 >= 0  # and still on the figure


def _png(fig) -> bytes:
    import io
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def test_score_slopes_draw_one_collection_with_the_pixels_of_a_line_each(ev_loa):
    """The participants' lines are one LineCollection: a Line2D each took 60 s
    for 60,000 participants. On the Loa Janan sample it draws the very pixels
    one line per participant drew."""
    import numpy as np
    m = ev_loa.pairs.matched
    fig = Figure(figsize=(6.4, 4.8))
    ax = charts.score_slopes(m, kkm=70, ax=fig.subplots())
    assert len(ax.collections) == 3 and len(ax.collections[0].get_segments()) == len(m) == 52
    assert not any(c.get_rasterized() for c in ax.collections)  # vectors in SVG and PDF at 52
    one_each = Figure(figsize=(6.4, 4.8))  # the same chart, its lines drawn as before: a Line2D each
    ax2 = charts.score_slopes(m, kkm=70, ax=one_each.subplots())
    ax2.collections[0].remove()
    jit = np.random.default_rng(0).uniform(-0.06, 0.06, size=(2, len(m)))
    for i, (a, b) in enumerate(zip(m["pct_pre"], m["pct_post"])):
        ax2.plot([jit[0, i], 1 + jit[1, i]], [a, b], color="#BBBBBB", lw=0.7, alpha=0.7, zorder=1)
    assert _png(fig) == _png(one_each)


def _per_row(ax, lines, dots):
    """Take the row charts' shared artists out of ``ax`` and draw them as
    before 2026-12-08: a line and a scatter for each row. ``lines``: (start,
    end, y, style) per row; ``dots``: (x, y, style) per marker."""
    rest = [ln for ln in ax.lines if len(ln.get_xdata()) <= 2]  # reference lines, drawn after the rows
    for artist in [*ax.collections, *ax.lines]:
        artist.remove()
    for a, b, y, style in lines:
        ax.plot([a, b], [y, y], **style)
    for x, y, style in dots:
        ax.scatter(x, y, **style)
    for line in rest:
        ax.add_line(line)


def test_row_charts_draw_one_artist_per_kind_with_the_pixels_of_one_per_row(ev_kaltim):
    """The per-OPD chart of Kaltim's 32 OPDs (27 shown) is one line (the intervals,
    split by NaN) and two collections (raw and pooled gains), not 81 artists: each
    costs a pass in every drawing. The markers sit at each OPD's own values and
    the chart has the very pixels the artists per row drew; so has the per-item
    chart, whose markers of two colours are a collection per colour (a
    collection of many colours is not drawn as markers, not snapped to the
    pixel grid: other pixels)."""
    import numpy as np
    from matplotlib.colors import to_hex
    by = ev_kaltim.by("opd")
    fig = Figure(figsize=(7.5, 11))
    ax = charts.group_forest(by, overall=4.0, ax=fig.subplots())
    # the chart's order: the hidden OPDs (n < 5) at the bottom, then by gain
    df = by.assign(_o=by["mean_gain"].where(~by["suppressed"], -np.inf)) \
        .sort_values(["_o", "opd"], kind="stable").reset_index(drop=True)
    shown = df[~df["suppressed"]]
    assert len(df) == 32 and len(shown) == 27
    assert len(ax.collections) == 2 and len(ax.lines) == 3  # intervals, zero, the session's gain
    assert ax.collections[0].get_offsets().tolist() == [[r.mean_gain, i] for i, r in shown.iterrows()]
    assert ax.collections[1].get_offsets().tolist() == [[r.gain_pooled, i] for i, r in shown.iterrows()]
    ends = ax.lines[0].get_xydata().reshape(-1, 3, 2)
    assert np.isnan(ends[:, 2]).all() and ends[:, :2, 1].tolist() == [[i, i] for i in shown.index]
    assert ends[:, :2, 0].tolist() == shown[["ci_low", "ci_high"]].to_numpy().tolist()
    before = Figure(figsize=(7.5, 11))
    ax2 = charts.group_forest(by, overall=4.0, ax=before.subplots())
    raw = {"marker": "s", "s": 30, "color": charts.POST, "zorder": 3}
    pooled = {"marker": "D", "s": 26, "facecolors": "white", "edgecolors": "#222222", "lw": 1.1, "zorder": 4}
    _per_row(ax2, [(r.ci_low, r.ci_high, i, {"color": charts.POST, "lw": 1.6}) for i, r in shown.iterrows()],
             [d for i, r in shown.iterrows() for d in ((r.mean_gain, i, raw), (r.gain_pooled, i, pooled))])
    assert _png(fig) == _png(before)

    items = ev_kaltim.items()
    fig = Figure(figsize=(8.8, 7))
    ax = charts.item_change(items, ax=fig.subplots())
    df = items.sort_values(["pct_post", "item"]).reset_index(drop=True)
    sig = df["p_bh"] < 0.05
    assert 0 < sig.sum() < len(df) == 27  # both colours drawn
    assert len(ax.collections) == 3 and [to_hex(c.get_facecolor()[0]) for c in ax.collections[1:]] == \
        ["#ffffff", charts.POST.lower()]
    assert ax.collections[2].get_offsets().tolist() == [[x, i] for i, x in enumerate(df["pct_post"]) if sig[i]]
    before = Figure(figsize=(8.8, 7))
    ax2 = charts.item_change(items, ax=before.subplots())
    _per_row(ax2, [(r.pct_pre, r.pct_post, i, {"color": "#BBBBBB", "lw": 2, "zorder": 1})
                   for i, r in df.iterrows()],
             [d for i, r in df.iterrows() for d in (
                 (r.pct_pre, i, {"s": 28, "facecolors": "white", "edgecolors": charts.PRE, "lw": 1.3, "zorder": 2}),
                 (r.pct_post, i, {"s": 30, "marker": "s", "zorder": 3, "lw": 1.3, "edgecolors": charts.POST,
                                  "facecolors": charts.POST if sig[i] else "white"}))])
    assert _png(fig) == _png(before)


def test_row_segments_of_many_rows_are_snapped_as_a_line_each_is():
    """matplotlib snaps a path of horizontal segments to the pixel grid by itself only up
    to 1,024 points: without ``snap=True`` the intervals of 342 OPDs or more (three points
    a row) came out blurred, other pixels than a line per OPD drew (found in review)."""
    import numpy as np
    rng = np.random.default_rng(7)
    start = rng.uniform(-5, 5, 400)
    end = start + rng.uniform(1, 9, 400)
    one, each = Figure(figsize=(4, 40)), Figure(figsize=(4, 40))
    ax = one.subplots()
    from evaltools.charts.style import row_segments
    row_segments(ax, start, end, np.arange(400), color="#0072B2", lw=1.6)
    ax2 = each.subplots()
    for i, (a, b) in enumerate(zip(start, end)):
        ax2.plot([a, b], [i, i], color="#0072B2", lw=1.6)
    for a in (ax, ax2):
        a.set_xlim(-6, 15)
        a.set_ylim(-1, 400)

    def png(fig):
        import io
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=30)
        return buf.getvalue()
    assert png(one) == png(each)


def test_score_slopes_of_thousands_are_an_image_inside_svg_and_pdf():
    """Past 3,000 participants the lines and dots are rasterized in SVG and
    PDF (60,000 gave a 25 MB SVG and a 2.4 MB PDF); the text stays vector."""
    import io
    import matplotlib
    import numpy as np
    rng = np.random.default_rng(1)
    pre = rng.integers(0, 28, 5_000) * 100 / 27
    m = pd.DataFrame({"pct_pre": pre, "pct_post": np.clip(pre + rng.normal(15, 10, 5_000), 0, 100)})
    m["passed_pre"], m["passed_post"] = m["pct_pre"] >= 70, m["pct_post"] >= 70
    fig = Figure(figsize=(6.4, 4.8))
    ax = charts.score_slopes(m, kkm=70, ax=fig.subplots())
    assert all(c.get_rasterized() for c in ax.collections)
    svg = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # text as text, as the export writes it
        fig.savefig(svg, format="svg", dpi=200)
    text = svg.getvalue().decode()
    assert text.count("<image") >= 1 and len(svg.getvalue()) < 400_000
    assert f"rata-rata {m['pct_pre'].mean():.1f}".replace(".", ",") in text  # the labels stay text


def _weakest_in(fig, ax):
    """The drawn "terlemah" of a topic chart: its data position, its window
    box, the axes box and every marker in pixels."""
    from matplotlib.text import Text
    fig.draw_without_rendering()
    label = next(t for t in ax.findobj(Text) if t.get_text() == "terlemah")
    dots = [xy for c in ax.collections for xy in c.get_offset_transform().transform(c.get_offsets())]
    return label.get_position(), label.get_window_extent(), ax.bbox, dots


def _weakest_box(topics, size):
    fig = Figure(figsize=size, layout="constrained")
    return _weakest_in(fig, charts.topic_dumbbell(topics, ax=fig.subplots()))


def _on_no_marker(box, dots) -> bool:
    return not [d for d in dots if box.x0 - 4 < d[0] < box.x1 + 4 and box.y0 - 4 < d[1] < box.y1 + 4]


def _topics(pre, post):
    return pd.DataFrame({"label": list("ABCDEFG")[:len(pre)], "n_items": 3, "n": 500,
                         "mean_pre": [float(v) for v in pre], "mean_post": [float(v) for v in post]})


@pytest.mark.parametrize("size", [(2.9, 2.4), (6.4, 4.2)])
def test_weakest_topic_label_sits_on_its_row_clear_of_every_marker(size):
    """Above the weakest row, "terlemah" lay on the next topic's pre-test dot
    on the one page (a session of 10,514 pairs: weakest 47 -> 51, next 59 -> 75).
    It now sits on its own row beside its markers, inside the axes, on no marker."""
    topics = _topics([47, 59, 67, 75, 74, 82, 74], [51, 75, 83, 84, 89, 90, 90])
    (x, y), box, frame, dots = _weakest_box(topics, size)
    assert (x, y) == (51.0, 0) and frame.x0 <= box.x0 and box.x1 <= frame.x1 and _on_no_marker(box, dots)


def test_weakest_topic_label_on_the_one_page_covers_no_marker(ev_loa):
    from evaltools.export.onepage import onepage_figure
    fig = onepage_figure(ev_loa)
    from matplotlib.axes import Axes
    ax = next(a for a in fig.findobj(Axes) if a.get_title(loc="left").startswith("Persentase jawaban"))
    (x, y), box, frame, dots = _weakest_in(fig, ax)
    assert y == 0 and frame.x0 <= box.x0 and box.x1 <= frame.x1 and _on_no_marker(box, dots)


def test_weakest_topic_label_goes_left_then_above_when_the_right_is_taken():
    # markers far right: the label goes left of them, still on its row
    (x, y), box, frame, dots = _weakest_box(_topics([60, 70, 80], [88, 95, 96]), (2.9, 2.4))
    assert (x, y) == (60.0, 0) and frame.x0 <= box.x0 and _on_no_marker(box, dots)
    # markers at both ends (5 -> 96): no room beside them; above the row, as before
    (x, y), *_ = _weakest_box(_topics([5, 97, 98], [96, 98, 99]), (2.9, 2.4))
    assert (x, y) == (96.0, 0.3)
