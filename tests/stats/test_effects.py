"""Effect sizes of a paired change (``stats.effects``): d_z and g_z, d_av,
Hake's gain and Marx & Cummings' c, Cohen's and Hake's words.

Against R 4.2.2 / effectsize 0.8.3, the R call beside each value. The d_z
interval has its own file, test_dz_interval.py.
"""

import math

import pytest

from evaltools import stats

TOL = 1e-9
# R: pre <- sleep$extra[1:10]; post <- sleep$extra[11:20]
SLEEP_PRE = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_POST = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_cohen_dz_and_hedges_gz_sleep():
    r = stats.cohen_dz(SLEEP_PRE, SLEEP_POST)
    assert r["n"] == 10
    # effectsize::cohens_d(post, pre, paired = TRUE)$Cohens_d
    assert r["d_z"] == pytest.approx(1.2845575626, abs=TOL)
    # effectsize::hedges_g(post, pre, paired = TRUE)$Hedges_g
    assert r["g_z"] == pytest.approx(1.1739249035, abs=TOL)


def test_hedges_j_is_exact_not_the_approximation():
    # R: exp(lgamma(9 / 2) - log(sqrt(9 / 2)) - lgamma(8 / 2)) = 0.91387483...
    j = stats.hedges_j(9)
    assert j == pytest.approx(1.1739249035 / 1.2845575626, abs=TOL)
    assert abs(j - (1 - 3 / (4 * 9 - 1))) > 4e-4   # the textbook approximation is off here
    assert stats.hedges_j(1e6) == pytest.approx(1, abs=1e-6)   # no overflow at large df
    assert math.isnan(stats.hedges_j(1)) and math.isnan(stats.hedges_j(0))
    # two pairs: d_z exists (df = 1) but g_z needs df > 1
    r = stats.cohen_dz([50, 60], [55, 70])
    assert r["d_z"] == pytest.approx(7.5 / math.sqrt(12.5), abs=TOL) and math.isnan(r["g_z"])


def test_cohen_dav_sleep():
    r = stats.cohen_dav(SLEEP_PRE, SLEEP_POST)
    # mean(post - pre) / sqrt((sd(pre)^2 + sd(post)^2) / 2)
    assert r["d_av"] == pytest.approx(0.83218108134953972, abs=TOL)
    assert r["label"] == "besar"
    assert stats.cohen_dav([50], [60])["d_av"] != stats.cohen_dav([50], [60])["d_av"]  # NaN, n = 1


def test_normalized_gain():
    pre = [40, 60, 100, 80]
    post = [70, 80, 100, 60]
    r = stats.normalized_gain(pre, post)
    # <g> = (77.5 - 70) / (100 - 70)
    assert r["g_class"] == pytest.approx(0.25, abs=TOL)
    # g_i over pre < 100: 30/60, 20/40, -20/20
    assert r["g_mean"] == pytest.approx((0.5 + 0.5 - 1.0) / 3, abs=TOL)
    assert r["n_excluded"] == 1
    # c: 0.5, 0.5, dropped (100 both), (60-80)/80 = -0.25
    assert r["c_mean"] == pytest.approx((0.5 + 0.5 - 0.25) / 3, abs=TOL)
    assert r["c_n_excluded"] == 1


def test_labels():
    assert [stats.cohen_label(d) for d in (0.1, -0.3, 0.6, 1.28)] == [
        "sangat kecil", "kecil", "sedang", "besar"]
    assert [stats.hake_label(g) for g in (0.1, 0.3, 0.7)] == ["rendah", "sedang", "tinggi"]
    assert stats.cohen_label(math.nan) == "" and stats.hake_label(0.2, "en") == "low"
