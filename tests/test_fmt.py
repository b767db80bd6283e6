"""One value prints one way: the numbers people read, written by evaltools.fmt
wherever they appear (charts, findings, the one-page tiles, the workbook)."""

import re
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
    assert [t.get_text() for t in bars.texts] == ["13%", f"25%  (n = {int(s['n'])})"]

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
    assert fmt.p(0.0304, "en") == "p = 0.030" and fmt.p(0.0049) == "p = 0,005"
    assert fmt.ci(12.4873, 18.9942) == "IK 95% 12,5 s.d. 19,0"
    assert fmt.ci(12.4873, 18.9942, 0, "en") == "95% CI 12 to 19"
    assert fmt.ci(-12, -4, 0) == "IK 95% -12 s.d. -4"
    # the Indonesian workbook writes its small p with the decimal comma; Excel's condition
    # and the digits it shows itself stay in the format's own (invariant) syntax
    assert fmt.p_number_format() == '[$-421][<0.001]"< 0,001";0.000'
    assert fmt.p_number_format("en") == '[<0.001]"< 0.001";0.000'


def test_dates():
    assert fmt.date("2024-11-22") == "22 November 2024"
    assert fmt.date("2024-08-17", "en") == "17 August 2024" and fmt.date("2024-08-17") == "17 Agustus 2024"
    assert fmt.date("akhir Nov") == "akhir Nov"


def test_the_workbook_uses_the_comma_for_small_p(ev_loa, tmp_path):
    from openpyxl import load_workbook

    from evaltools.export import write_workbook
    ws = load_workbook(write_workbook(ev_loa, tmp_path / "r.xlsx"))["Ringkasan"]
    formats = {c.number_format for c in ws["B"] if "[<0.001]" in c.number_format}
    # [$-421]: the Indonesian locale, so Excel and LibreOffice print 0,018 and not 0.018
    assert formats == {'[$-421][<0.001]"< 0,001";0.000'}


def test_half_up_everywhere():
    # 4 of 32 passing: 12.5% prints 13%, never Python's half-to-even 12
    assert fmt.pct(100 * 4 / 32) == "13%" and f"{100 * 4 / 32:.0f}" == "12"
    assert fmt.num(0.125, 2) == "0,13" and fmt.num(2.5, 0) == "3" and fmt.num(-2.5, 0) == "-3"
    assert fmt.round_half_up(0.7996, 2) == 0.8 and fmt.round_half_up(12.5) == 13.0
    assert fmt.points(0.05) == "+0,1" and fmt.count(32000) == "32.000"


def test_p_near_005_never_reads_as_the_other_side():
    assert fmt.p(0.0504) == "p = 0,0504" and fmt.p(0.0496) == "p = 0,0496"
    assert fmt.p(0.04996) == "p = 0,04996"  # four decimals would print 0,0500
    assert fmt.p(0.050004) == "p = 0,0500"  # not below 0.05, and 0,0500 is not either
    assert fmt.p(0.0179) == "p = 0,018" and fmt.p(0.27) == "p = 0,270" and fmt.p(0.001) == "p = 0,001"
    for x in (0.0449, 0.0495, 0.04999, 0.0500001, 0.0549, 0.0551):
        printed = float(fmt.p_value(x, "en"))
        assert (printed < 0.05) == (x < 0.05), x


def test_labels_follow_the_printed_value():
    from evaltools.stats import cohen_label, hake_label
    assert fmt.num(0.7996, 2) == "0,80" and cohen_label(0.7996) == "besar"
    assert cohen_label(0.7949) == "sedang" and cohen_label(-0.195) == "kecil"
    assert fmt.num(0.2996, 2) == "0,30" and hake_label(0.2996) == "sedang"
    assert hake_label(0.6949) == "sedang" and hake_label(0.695) == "tinggi"


def test_excel_formats_in_the_indonesian_locale():
    assert fmt.excel_format("0.0") == "[$-421]0.0" and fmt.excel_format("0.0", "en") == "0.0"
    assert fmt.pct_number_format() == '[$-421]0"%"'
    assert fmt.p_number_format("en") == '[<0.001]"< 0.001";0.000'


def test_show_in_full_shows_every_row_up_to_1000_then_the_first_and_last_500():
    """A 120,000-row ledger shown in full made a 58 MB report notebook: a
    table up to 1,000 rows is whole, a longer one its first and last 500 rows
    and its size, in the notebook's HTML view as in its text."""
    with pd.option_context("display.max_rows", 60, "display.min_rows", 10, "display.max_colwidth", 50,
                           "display.max_columns", 20):
        fmt.show_in_full()
        whole = pd.DataFrame({"row": range(1_000), "reason": "x" * 80})._repr_html_()
        long = pd.DataFrame({"row": range(120_000), "reason": "opd_unknown"})._repr_html_()
    def labels(html):
        return [int(v) for v in re.findall(r"<th>(\d+)</th>", html)]
    assert labels(whole) == list(range(1_000)) and "x" * 80 in whole  # every row, the text whole
    assert labels(long) == [*range(500), *range(119_500, 120_000)]
    assert "<p>120000 rows × 2 columns</p>" in long and "<td>...</td>" in long
