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
