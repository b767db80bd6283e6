"""One value prints one way: the numbers people read, written by evaltools.fmt
wherever they appear (charts, findings, the one-page tiles, the workbook)."""

from types import SimpleNamespace

import pandas as pd
import pytest
from matplotlib.figure import Figure

from evaltools import charts, fmt
from evaltools.export.onepage import headline_numbers
from evaltools.findings import _passing


def _ax():
    return Figure(figsize=(7, 4), layout="constrained").subplots()


def test_a_pass_rate_of_4_in_32_reads_13_percent_everywhere(ev_loa):
    """12.5 % rounds half up to 13 % on the chart, in the findings and on the
    tile; Python's f"{12.5:.0f}" (half to even) printed 12 % on the chart."""
    assert f"{100 * 4 / 32:.0f}" == "12"  # the disagreement this guards against
    m = pd.DataFrame({"pct_pre": [50.0] * 32, "pct_post": [60.0] * 32,
                      "passed_pre": [True] * 4 + [False] * 28, "passed_post": [True] * 8 + [False] * 24})
    slopes = charts.score_slopes(m, kkm=70, ax=_ax())
    assert "lulus KKM: 13% → 25%" in [t.get_text() for t in slopes.texts]

    s = ev_loa.summary.iloc[0].copy()
    s["pass_pre"], s["pass_post"] = 100 * m["passed_pre"].mean(), 100 * m["passed_post"].mean()
    assert s["pass_pre"] == 12.5
    bars = charts.pass_rates(ev_loa.by("opd").iloc[:0], overall=s, kkm=70, ax=_ax())
    assert [t.get_text() for t in bars.texts] == ["13", f"25  (n = {int(s['n'])})"]

    tile = headline_numbers(s, 70)[2][0]
    assert tile == "13% → 25%"
    ev = SimpleNamespace(summary=pd.DataFrame([s]), instrument=ev_loa.instrument)
    assert _passing(ev, "id") == "Peserta yang mencapai KKM 70: 13% sebelum, 25% sesudah."
    assert _passing(ev, "en") == "Participants reaching the pass mark (70) went from 13% to 25%."


@pytest.mark.parametrize("x, digits, id_text, en_text", [
    (12.5, 0, "13", "13"), (62.5, 0, "63", "63"), (0.125, 2, "0,13", "0.13"),
    (2.675, 2, "2,68", "2.68"),    # the float is 2.67499999...: it reads, and rounds, as 2.675
    (-1.346942, 2, "-1,35", "-1.35"), (-0.04, 1, "0,0", "0.0"), (15.7407, 1, "15,7", "15.7"),
    (1234.5, 0, "1235", "1235")])
def test_numbers_round_half_up_with_the_decimal_comma(x, digits, id_text, en_text):
    assert fmt.num(x, digits) == id_text and fmt.num(x, digits, "en") == en_text


def test_missing_values_print_as_a_dash():
    for missing in (None, float("nan"), float("inf")):
        assert fmt.num(missing) == fmt.pct(missing) == fmt.points(missing) == "–"
    assert fmt.p(float("nan")) == "p = –"


def test_points_percents_counts_and_plain_numbers():
    assert [fmt.points(x, 1) for x in (15.7407, -8.0, 0.04, -0.04)] == ["+15,7", "-8,0", "0,0", "0,0"]
    assert fmt.pct(100 * 9 / 52) == "17%" and fmt.pct(54.87, 1, "en") == "54.9%"
    assert fmt.count(1234567) == "1.234.567" and fmt.count(1234567, "en") == "1,234,567"
    assert fmt.plain(70) == "70" and fmt.plain(62.5) == "62,5" and fmt.plain(0.05, "en") == "0.05"


def test_p_values_and_intervals():
    assert fmt.p(0.0004) == "p < 0,001" and fmt.p(0.0004, "en") == "p < 0.001"
    assert fmt.p(0.0304, "en") == "p = 0.03" and fmt.p(0.0049) == "p = 0,005"
    assert fmt.ci(12.4873, 18.9942) == "IK 95% 12,5 s.d. 19,0"
    assert fmt.ci(12.4873, 18.9942, 0, "en") == "95% CI 12 to 19"
    assert fmt.ci(-12, -4, 0) == "IK 95% -12 s.d. -4"
    # the Indonesian workbook writes its small p with the decimal comma; Excel's condition
    # and the digits it shows itself stay in the format's own (invariant) syntax
    assert fmt.p_number_format() == '[<0.001]"< 0,001";0.000'
    assert fmt.p_number_format("en") == '[<0.001]"< 0.001";0.000'


def test_dates():
    assert fmt.date("2024-11-22") == "22 November 2024"
    assert fmt.date("2024-08-17", "en") == "17 August 2024" and fmt.date("2024-08-17") == "17 Agustus 2024"
    assert fmt.date("akhir Nov") == "akhir Nov"


def test_the_workbook_uses_the_comma_for_small_p(ev_loa, tmp_path):
    from openpyxl import load_workbook

    from evaltools.export import write_workbook
    ws = load_workbook(write_workbook(ev_loa, tmp_path / "r.xlsx"))["Ringkasan"]
    formats = {c.number_format for c in ws["B"] if c.number_format.startswith("[<0.001]")}
    assert formats == {'[<0.001]"< 0,001";0.000'}
