"""Every chart the session and recap exports draw, on the sample sessions
and on stress data, has no text overlapping other text, leaving the figure,
sitting on an axis line or struck through by its own dashed line
(tests/chart_overlap.py); and the checker itself finds each kind."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from chart_cases import (LONG, sample_cases, stress_cases, stress_scales,  # noqa: E402
                         stress_sessions)
from chart_overlap import problems  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from evaltools import charts  # noqa: E402


def _all_problems(cases) -> list:
    found, names = [], []
    for name, fig in cases:
        names.append(name)
        found += [f"{name}: {p}" for p in problems(fig)]
    return found, names


@pytest.mark.parametrize("lang", ["id", "en"])
def test_sample_charts_have_no_colliding_text(lang):
    found, names = _all_problems(sample_cases(lang))
    # 3 sessions x 9 charts (the follow-up survey has no session charts) + 2 recap charts
    assert len(names) == 29
    assert found == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_stress_charts_have_no_colliding_text(lang):
    found, names = _all_problems(stress_cases(lang))
    assert [n.rsplit("-", 1)[0] for n in names] == [
        "crowded-peta_butir", "stress30-per_opd", "stress30-lulus_kkm", "allsmall-per_opd",
        "allsmall-lulus_kkm", "long-sikap", "long-reaksi", "sessions1-tren_sesi",
        "sessions1-rekap_opd", "sessions12-tren_sesi", "sessions12-rekap_opd"]
    assert found == []


def _fig():
    fig = Figure(figsize=(7.5, 3), layout="constrained")
    return fig, fig.subplots()


def test_checker_finds_each_kind_of_problem():
    fig, ax = _fig()
    ax.text(0.5, 0.5, "satu")
    ax.text(0.5, 0.5, "dua")
    fig.text(0.8, 0.2, "keluar dari gambar sama sekali")
    ax.axvline(0.2, ls="--")
    ax.text(0.2, 0.8, "seluruh sesi +21,8", ha="center")
    ax.text(0.3, 0.0, "di atas sumbu", va="center")
    assert problems(fig) == [
        "outside the figure: 'keluar dari gambar sama sekali'",
        "overlap: 'satu' / 'dua'",
        "text on the bottom axis line: 'di atas sumbu'",
        "line through text: 'seluruh sesi +21,8'"]


def test_checker_passes_a_clean_chart():
    fig, ax = _fig()
    ax.plot([0, 1], [0, 1])
    ax.set_title("Judul", loc="left")
    assert problems(fig) == []


def test_overall_line_does_not_strike_its_label():
    fig, ax = _fig()
    import pandas as pd
    groups = pd.DataFrame({"opd": ["A", "B"], "n": [10, 12], "mean_gain": [5.0, 30.0],
                           "ci_low": [0.0, 20.0], "ci_high": [10.0, 40.0], "suppressed": False})
    charts.group_forest(groups, overall=21.8, ax=ax)
    note = [t for t in ax.texts if t.get_text() == "seluruh sesi +21,8"][0]
    assert note.get_ha() == "right" and note.xyann == (-3, 0)  # left of the line: 21,8 > middle
    assert problems(fig) == []


def test_trend_spaces_sessions_by_date_and_keys_their_full_names():
    s = stress_sessions(12)
    fig = Figure(figsize=(7.5, 4.4 + 0.17 * 12), layout="constrained")
    ax = charts.trend(s, kkm=70, ax=fig.subplots())
    import matplotlib.dates as mdates
    numbers = [t for t in ax.texts if t.get_text() in {str(i) for i in range(1, 13)}]
    x = np.array([t.xy[0] for t in numbers])
    days = mdates.date2num(np.array(s["date"], dtype="datetime64[D]"))
    assert np.allclose(x, days)  # a real time axis: positions are the dates
    key = ax.texts[-1].get_text().splitlines()
    assert key[0] == ("1  Sosialisasi Netralitas ASN Kesbangpol Kabupaten Kutai Kartanegara "
                      "angkatan 1 (20 April 2023, n = 265)")
    assert key[2].endswith("(7 Juni 2023, n < 5)")
    assert ax.xaxis.get_major_formatter()(days[0], 0) == "Apr 2023"


def test_statements_are_wrapped_in_full_not_cut():
    att, rea = stress_scales()
    for draw, df in ((charts.attitude_dumbbell, att), (charts.reaction_bars, rea)):
        ax = draw(df, ax=Figure(figsize=(7.5, 6)).subplots())
        shown = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
        assert not any("…" in s for s in shown)
        assert any(s.startswith(f"8. {LONG[:60]}") for s in shown)
    assert charts.wrap(LONG, 40).splitlines()[0] == "Saya memahami bahwa ASN wajib menjaga"


def test_checker_finds_repeated_tick_labels():
    fig, ax = _fig()
    ax.set_xticks([0, 0.5, 1], ["Apr 2023", "Apr 2023", "Mei 2023"])
    assert problems(fig) == ["repeated tick label: 'Apr 2023'"]


def test_one_session_trend_names_each_month_once():
    fig = Figure(figsize=(7.5, 4.6), layout="constrained")
    ax = charts.trend(stress_sessions(1), kkm=70, ax=fig.subplots())
    fig.draw_without_rendering()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(ticks) == len(set(ticks)) >= 1
    assert problems(fig) == []
