"""Minimum detectable gain and participants needed, against R's pwr
(tests/r/bayes_power.R). pwr.t.test solves with uniroot's default tolerance
(about 1e-4); the references are pwr's own power function solved with
tol = 1e-15 (d) and 1e-13 (n), printed beside pwr's default answer."""

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import evaltools as et
from evaltools import stats
from evaltools.recommend import opd_rows

# R: uniroot(function(d) pwr.t.test(n = n, d = d, type = "paired")$power - 0.8,
#            c(1e-7, 10), tol = 1e-15, extendInt = "upX")$root
R_D = {2: 11.549888435864, 5: 1.68199696595358, 6: 1.43454478204009, 10: 0.996001371455106,
       13: 0.846654847991561, 52: 0.396019131852982, 100000: 0.00885946458215485}
# R: pwr.t.test(n = n, power = 0.8, sig.level = 0.05, type = "paired")$d (default tolerance)
R_PWR_DEFAULT = {6: 1.43453787703007, 52: 0.396021880114576}


def test_min_detectable_d_matches_pwr():
    n = np.array(sorted(R_D))
    np.testing.assert_allclose(stats.min_detectable_d(n), [R_D[k] for k in n], rtol=1e-9)
    for k, d in R_PWR_DEFAULT.items():  # pwr's own answer: the same root, to its tolerance
        assert stats.min_detectable_d(k) == pytest.approx(d, rel=2e-5)
    # the lower tail counts, as in pwr: power at the root is 0.8 exactly
    assert stats.paired_power(R_D[6], 6) == pytest.approx(0.8, abs=1e-12)
    assert np.isnan(stats.min_detectable_d([1, 0])).all()


def test_min_detectable_d_equals_the_bracketing_search():
    # the probit secant (Cornish-Fisher start) against the bracketing search it replaced
    # (Chandrupatla to 1e-15), for n from 2 to 2 million and five powers: equal to 1e-9
    from evaltools.stats.power import min_detectable_d_bracketed
    n = np.unique(np.r_[np.arange(2, 60), np.geomspace(60, 2e6, 25).round()])
    for power in (0.8, 0.5, 0.9, 0.95, 0.2):
        np.testing.assert_allclose(stats.min_detectable_d(n, power),
                                   min_detectable_d_bracketed(n, power), rtol=1e-9)


def test_sample_size_matches_pwr():
    # R: uniroot(function(n) pwr.t.test(n = n, d = d, type = "paired")$power - 0.8,
    #            c(2 + 1e-10, 1e9), tol = 1e-13)$root; pwr.t.test(d = d, ...)$n beside it
    for d, n_exact, n_pwr in ((0.5, 33.3671289533194, 33.3671291390766),
                              (2 / 3, 19.6669489668716, 19.6669489656156),
                              (0.2, 198.150820954187, 198.150821655189)):
        r = stats.sample_size(d)
        assert r["n_exact"] == pytest.approx(n_exact, rel=1e-9)
        assert r["n"] == math.ceil(n_pwr)
    assert et.plan(gain=10, sd=15) == 20  # ceiling(pwr.t.test(d = 10/15, power = 0.8, type = "paired")$n)


def test_min_detectable_gain_in_tables(ev_loa):
    s = ev_loa.summary.iloc[0]
    sd = float(s["sd_gain"])
    assert s["min_detectable_gain"] == pytest.approx(R_D[52] * sd, rel=1e-9)
    by = ev_loa.by("opd").set_index("opd")
    # every OPD uses the session's SD of gains, not its own
    assert by.loc["Kecamatan Loa Janan", "min_detectable_gain"] == pytest.approx(R_D[13] * sd, rel=1e-9)
    assert by.loc["Kelurahan Loa Janan Ilir", "n"] == 4  # shown n < 5 is hidden by manager outputs


def test_no_sure_gain_says_what_could_have_shown():
    """An OPD of 6 whose gain is not sure: the reason also says the smallest
    gain its 6 participants could have shown (session SD of gains x d)."""
    pre = np.array([40.0] * 26)
    gain = np.r_[[10, 20, 15, 25, 12, 18, 14, 16, 22, 8], [14, 17, 19, 11, 15, 13, 16, 21, 9, 15],
                 [-5, 5, 0, 10, -10, 3]]
    m = pd.DataFrame({"opd": ["A"] * 10 + ["B"] * 10 + ["C"] * 6, "pct_pre": pre,
                      "pct_post": pre + gain, "passed_pre": False, "passed_post": pre + gain >= 70})
    pairs = et.Pairs(matched=m, unmatched=pd.DataFrame(), audit=pd.DataFrame())
    by = et.compare(pairs, by="opd")
    x = R_D[6] * float(np.std(gain, ddof=1))
    assert by.set_index("opd").loc["C", "min_detectable_gain"] == pytest.approx(x, rel=1e-9)
    reason = {r["target"]: r["reason"] for r in opd_rows(by, 0.8)}["C"]
    assert round(x, 1) == 11.7
    assert reason.endswith("dengan 6 peserta, hanya kenaikan di atas 11,7 poin yang dapat terlihat.")


def test_plan_cli(tmp_path):
    out = subprocess.run([sys.executable, "-m", "evaltools.cli", "plan", "--gain", "10", "--sd", "15",
                          "--lang", "en"], capture_output=True, text=True, check=True).stdout
    assert out.startswith("To detect a gain of 10.0 points (SD of gains 15.0 points) with 80% power")
    assert "needs 20 participants" in out
    bad = subprocess.run([sys.executable, "-m", "evaltools.cli", "plan", "--gain", "0", "--sd", "15"],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "--gain" in bad.stderr
