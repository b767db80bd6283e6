"""One value prints one way everywhere (issue 19): the pass rates and the
gain in the one-pager's tile, the findings sentence, the chart label and the
workbook cell as LibreOffice prints it (value and number format).

Loa Janan (tests/test_compare.py, R ``t.test(post, pre, paired = TRUE)``):
mean gain 15.7407; pass rates 9/52 = 17.31% and 29/52 = 55.77%.
The half case, 4 of 32 = 12.5%, must print "13%" everywhere (half up).
"""

import shutil
import subprocess

import pandas as pd
import pytest
from matplotlib.figure import Figure

from evaltools import charts
from evaltools.export import write_workbook
from evaltools.export.common import PCT_FORMAT, write_values
from evaltools.export.onepage import headline_numbers

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                   reason="LibreOffice and pdftotext print the workbook")


def _printed(xlsx, tmp_path) -> str:
    """The first sheet of ``xlsx`` as LibreOffice prints it (number formats applied)."""
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(xlsx)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / (xlsx.stem + ".pdf")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def _value_after(text: str, label: str) -> str:
    line = next(x for x in text.splitlines() if label in x)
    return line.split(label, 1)[1].split()[0]


@needs_soffice
def test_loa_janan_pass_rates_and_gain_print_the_same_everywhere(ev_loa, tmp_path):
    s = ev_loa.summary.iloc[0]
    tiles = headline_numbers(s, ev_loa.instrument.passing_score)
    gain_tile, pass_tile = tiles[0][0], tiles[2][0]
    assert (gain_tile, pass_tile) == ("+15,7", "17% → 56%")
    findings = ev_loa.findings()
    assert "(+15,7 poin;" in findings[0]
    assert "Peserta yang mencapai KKM 70: 17% sebelum, 56% sesudah." in findings
    # the score chart's label and the OPD chart's session line
    ax = charts.score_slopes(ev_loa.pairs.matched, kkm=70, ax=Figure().subplots())
    assert "lulus KKM: 17% → 56%" in [t.get_text() for t in ax.texts]
    ax = charts.group_forest(ev_loa.by("opd"), overall=float(s["mean_gain"]), ax=Figure().subplots())
    assert "seluruh sesi +15,7" in [t.get_text() for t in ax.texts]
    # the workbook: numbers stay numbers, printed through their formats
    printed = _printed(write_workbook(ev_loa, tmp_path / "ringkasan.xlsx"), tmp_path)
    assert _value_after(printed, "Kenaikan rata-rata (poin persen)") == "+15,7"
    assert _value_after(printed, "% lulus KKM 70: pre") == "17%"
    assert _value_after(printed, "% lulus KKM 70: post") == "56%"
    assert _value_after(printed, "p (uji t berpasangan)") == "<"  # "< 0,001", decimal comma
    assert "< 0,001" in printed and "< 0.001" not in printed


@needs_soffice
def test_four_of_32_is_13_percent_in_tile_chart_and_cell(tmp_path):
    # 4 of 32 pass before, 16 of 32 after: 12.5% -> 13% (Python's "{:.0f}" would print 12%)
    matched = pd.DataFrame({"pct_pre": [80.0] * 4 + [40.0] * 28, "pct_post": [80.0] * 16 + [60.0] * 16,
                            "passed_pre": [True] * 4 + [False] * 28,
                            "passed_post": [True] * 16 + [False] * 16})
    ax = charts.score_slopes(matched, kkm=70, ax=Figure().subplots())
    assert "lulus KKM: 13% → 50%" in [t.get_text() for t in ax.texts]
    s = pd.Series({"suppressed": False, "mean_gain": 12.5, "ci_low": 8.25, "ci_high": 16.75,
                   "mean_pre": 45.0, "mean_post": 70.0, "pass_pre": 12.5, "pass_post": 50.0,
                   "d_z": 0.7996})
    tiles = headline_numbers(s, 70)
    assert tiles[0][0] == "+12,5" and tiles[2][0] == "13% → 50%"
    assert tiles[3][0] == "d_z = 0,80" and "besar" in tiles[3][1]  # the label of the printed 0,80
    from openpyxl import Workbook
    wb = Workbook()
    write_values(wb.active, [("lulus pre", 12.5, PCT_FORMAT), ("lulus post", 50.0, PCT_FORMAT),
                             ("nilai p", 0.0179, '[$-421]0.000')])
    wb.save(tmp_path / "half.xlsx")
    printed = _printed(tmp_path / "half.xlsx", tmp_path)
    assert _value_after(printed, "lulus pre") == "13%"
    assert _value_after(printed, "lulus post") == "50%"
    assert _value_after(printed, "nilai p") == "0,018"


def test_a_p_value_cell_shows_the_digits_of_the_sentence():
    # 0.0483 is "p = 0,0483" in a sentence (four digits near 0.05): the cell says the same
    from openpyxl import Workbook

    from evaltools import fmt
    from evaltools.export.common import P_FORMAT, fit_print
    ws = Workbook().active
    for value in (0.0483, 0.27, 0.0004, 0.049996):
        ws.append([value])
        ws.cell(ws.max_row, 1).number_format = P_FORMAT
    fit_print(ws)
    assert [c.number_format.split(";")[-1] for c in ws["A"]] == ["0.0000", "0.000", "0.000", "0.000000"]
    assert fmt.p(0.0483) == "p = 0,0483" and fmt.p(0.049996) == "p = 0,049996"
