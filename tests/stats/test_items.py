"""Item analysis and reliability against psych::alpha and statistics.md.

The 12 x 5 matrix and its values are those of docs/statistics.md
(psych::alpha). The Loa Janan values come from tests/r/items_loa_janan.R on
tests/r/loa_janan_pre_marks.csv.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaltools.items import cronbach_alpha, distractors, item_stats, upper_lower
from evaltools.score import mark

TOL = 1e-9
ROWS = "11101 10100 11111 00100 11011 01000 11110 10000 11101 00000 11111 10110".split()
X12 = np.array([[int(c) for c in r] for r in ROWS])
MARKS = Path(__file__).parents[1] / "r" / "loa_janan_pre_marks.csv"


def test_alpha_and_feldt_ci_of_statistics_md():
    r = cronbach_alpha(X12)
    assert r["alpha"] == pytest.approx(0.7425742574, abs=1e-10)     # psych::alpha(X)$total$raw_alpha
    assert r["ci_low"] == pytest.approx(0.4075284865, abs=1e-10)    # $feldt$lower.ci
    assert r["ci_high"] == pytest.approx(0.9154795959, abs=1e-10)   # $feldt$upper.ci


def test_item_stats_of_statistics_md():
    s = item_stats(X12)
    # psych::alpha(X)$item.stats$r.drop
    np.testing.assert_allclose(s["r_drop"], [0.5918640302, 0.5275705243, 0.3223291856,
                                             0.4790683600, 0.6294788297], atol=1e-10)
    # psych::alpha(X)$alpha.drop$raw_alpha
    np.testing.assert_allclose(s["alpha_if_deleted"], [0.6690909091, 0.6891385768, 0.7619047619,
                                                       0.7078787879, 0.6480743692], atol=1e-10)
    # by hand: column means
    np.testing.assert_allclose(s["difficulty"], [9 / 12, 7 / 12, 8 / 12, 5 / 12, 5 / 12])
    # by hand: totals 4 2 5 1 4 1 4 1 4 0 5 3; 27% of 12 -> 3 per group;
    # upper = rows 3, 11, 1 (5, 5, 4: the first 4 by order), lower = rows 10, 4, 6 (0, 1, 1)
    up, lo = upper_lower(X12.sum(axis=1))
    assert up.nonzero()[0].tolist() == [0, 2, 10] and lo.nonzero()[0].tolist() == [3, 5, 9]
    np.testing.assert_allclose(s["discrimination"], [1 - 0, 2 / 3 - 0, 1 - 1 / 3, 2 / 3 - 0, 1 - 0])
    assert (s["flags"] == "").all()


def test_loa_janan_pre_test_against_psych():
    X = pd.read_csv(MARKS)
    r = cronbach_alpha(X)
    # Rscript tests/r/items_loa_janan.R: psych::alpha(X)$total$raw_alpha and $feldt
    assert r["alpha"] == pytest.approx(0.60701473759884972, abs=TOL)
    assert r["ci_low"] == pytest.approx(0.44074880280275364, abs=TOL)
    assert r["ci_high"] == pytest.approx(0.74251341152639649, abs=TOL)
    s = item_stats(X)
    assert s["item"].tolist() == list(X.columns)
    # $item.stats$r.drop, first five and the three negative ones (q20, q23 -> ids below)
    np.testing.assert_allclose(s["r_drop"].iloc[:5], [0.041393450408536252, 0.27793809777811862,
                                                      0.14796497678362036, 0.14879353041259916,
                                                      0.17406997065703542], atol=TOL)
    neg = s[s["r_drop"] < 0]
    np.testing.assert_allclose(neg["r_drop"], [-0.040233125107172474, -0.028328246268311211,
                                               -0.041549635330701155], atol=TOL)
    assert all("periksa kunci" in f for f in neg["flags"])
    # $alpha.drop$raw_alpha, first and last
    assert s["alpha_if_deleted"].iloc[0] == pytest.approx(0.61330901761290024, abs=TOL)
    assert s["alpha_if_deleted"].iloc[-1] == pytest.approx(0.57832432432432423, abs=TOL)


def test_flags_name_easy_hard_and_weak_items():
    X = np.array([[1, 0, 1, 1]] * 1 + [[1, 0, 0, 0]] * 9 + [[1, 1, 1, 0]] * 1 + [[0, 0, 1, 1]] * 9)
    s = item_stats(X, lang="en").set_index("item")
    assert s.loc["item2", "difficulty"] == pytest.approx(0.05)
    assert "too hard" in s.loc["item2", "flags"]
    assert item_stats([[1, 1], [1, 0], [1, 1], [1, 0], [1, 1]]).loc[0, "flags"] == \
        "terlalu mudah; perlu direvisi"  # everyone right: p = 1, D = 0, r_drop undefined


def test_a_correlation_of_exactly_zero_is_zero_and_does_not_flag_the_key():
    X = [[1, 0, 0, 0], [0, 1, 0, 0], [1, 0, 1, 0], [0, 0, 0, 1], [1, 1, 1, 1], [1, 1, 0, 0]]
    s = item_stats(X)
    # item 4 = 0 0 0 1 1 0 against the others' total 1 1 2 0 3 2: sum(x r) - n mean(x) mean(r)
    # = 3 - 6 (1/3)(3/2) = 0 exactly; np.corrcoef gave -1.0e-17, and with it "periksa kunci"
    assert s["r_drop"].iloc[3] == 0.0
    assert s["flags"].iloc[3] == "perlu direvisi"
    # the others as np.corrcoef(x, rest)[0, 1] (item 2 = 0 1 0 0 1 1 against 1 0 2 1 3 1: 0 too)
    np.testing.assert_allclose(s["r_drop"].iloc[:3], [0.13130643285972257, 0.0, 0.46291004988627565],
                               atol=1e-15)


def test_a_correlation_of_exactly_one_fifth_is_not_flagged_for_revision():
    X = [[1, 1, 1, 1, 1], [1, 1, 0, 1, 0], [0, 1, 1, 1, 1], [0, 1, 1, 0, 1], [0, 0, 1, 1, 1],
         [0, 1, 0, 0, 1], [0, 0, 0, 1, 1], [0, 0, 0, 0, 1]]
    s = item_stats(X)
    # items 2 and 4 against the others' totals: r^2 = (n sum(xy) - sum(x) sum(y))^2 / (...) = 1/25
    # exactly (fractions.Fraction), so r = 0.2, not under WEAK = 0.20; corrcoef gave 0.19999999999999998
    assert s["r_drop"].iloc[1] == s["r_drop"].iloc[3] == 0.2
    assert s["flags"].tolist() == ["", "", "", "", "perlu direvisi; periksa kunci"]
    # item 5: r^2 = 2/21 with a negative covariance (-8): r = -sqrt(2/21)
    assert s["r_drop"].iloc[4] == pytest.approx(-(2 / 21) ** 0.5, rel=1e-15)


def test_scores_that_are_not_marks_keep_each_items_own_variance():
    # one item on a scale a million times the others': alpha without it from the others'
    # own variances, not the sum less its variance (which cancelled to 1e-4 here)
    rng = np.random.default_rng(2)
    X = (rng.random((50, 4)) < .5).astype(float)
    X[:, 0] = rng.integers(0, 10**6 + 1, 50)
    # exact, by fractions.Fraction over the rows (the review's check): -0.09965034965034965
    assert item_stats(X)["alpha_if_deleted"].iloc[0] == pytest.approx(-0.09965034965034965, rel=1e-13)


def test_distractors_share_and_key(ev_loa, inst):
    pre = ev_loa.responses.data[ev_loa.responses.data["wave"] == "pre"]
    d = distractors(pre, ev_loa.marks[ev_loa.responses.data["wave"] == "pre"], inst)
    q02 = d[d["item"] == "q02"].set_index("option")
    # shares of each option sum to 1 (blank included) and equal the raw counts
    assert q02["share_all"].sum() == pytest.approx(1.0)
    assert inst.items[1].id == "q02"
    for opt in inst.items[1].options:
        assert q02.loc[opt, "share_all"] == pytest.approx((pre["q02"] == opt).mean())
    assert q02["is_key"].sum() == 1 and q02.index[q02["is_key"]][0] == inst.items[1].key
    # the key's share in the upper group is its difficulty there
    m = mark(pre.reset_index(drop=True), inst)
    up, _ = upper_lower(m.sum(axis=1).to_numpy())
    assert q02.loc[inst.items[1].key, "share_upper"] == pytest.approx(m["q02"][up].mean())
    assert "q31" not in set(d["item"])  # multi-select: no single option


# Rscript tests/r/items_mcnemar_loa_janan.R: McNemar p per item, then p.adjust(p, "BH")
R_B = [6, 8, 6, 9, 2, 3, 11, 3, 10, 9, 3, 1, 7, 4, 1, 8, 3, 5, 7, 3, 9, 13, 5, 3, 12, 3, 3]
R_C = [22, 7, 11, 12, 12, 9, 9, 17, 14, 15, 11, 22, 14, 14, 13, 15, 16, 19, 12, 6, 9, 14, 13, 20,
       12, 17, 23]
R_P = [0.0045863920802534878, 1, 0.33230590820312517, 0.66362380981445335, 0.012939453125000003,
       0.14599609375000008, 0.82380294799804732, 0.0025768280029296901, 0.54125618934631325,
       0.30745625495910672, 0.057373046875000042, 5.7220458984375e-06, 0.18924713134765619,
       0.030883789062499993, 0.0018310546875000002, 0.21003961563110371, 0.0044250488281250026,
       0.0066107511520385725, 0.35928344726562517, 0.50781250000000022, 1, 1, 0.096252441406250014,
       0.00048828124999999962, 1, 0.0025768280029296901, 0.00019438312233538676]
R_BH = [0.015479073270855521, 1, 0.49845886230468772, 0.8144474029541019, 0.034936523437500012,
        0.28156389508928586, 0.96707302591075128, 0.011595726013183606, 0.69590081487383137,
        0.48831287552328712, 0.12908935546875008, 0.0001544952392578125, 0.34064483642578114,
        0.075805664062499986, 0.011595726013183606, 0.35444185137748752, 0.015479073270855521,
        0.019832253456115716, 0.51056068821957257, 0.68554687500000033, 1, 1, 0.19990891676682696,
        0.0043945312499999965, 1, 0.011595726013183606, 0.0026241721515277211]


def test_per_item_change_loa_janan(ev_loa, inst):
    it = ev_loa.items()
    assert it["item"].tolist() == [i.id for i in inst.scored_items]
    assert (it["n"] == 52).all()
    ids = [i.id for i in inst.scored_items]
    pre, post = ev_loa.pairs.aligned(ev_loa.marks[ids])
    # recount b and c from the marks: the numbers handed to R
    assert ((pre == 1) & (post == 0)).sum().tolist() == it["b"].tolist() == R_B
    assert ((pre == 0) & (post == 1)).sum().tolist() == it["c"].tolist() == R_C
    np.testing.assert_allclose(it["p"], R_P, rtol=1e-12, atol=0)
    np.testing.assert_allclose(it["p_bh"], R_BH, rtol=1e-12, atol=0)
    assert (it["method"] == "exact").sum() == 24   # b + c < 25 for all but q01, q26, q31
    # percent correct pre equals the matched participants' marks
    np.testing.assert_allclose(it["pct_pre"], 100 * pre.mean().to_numpy())
    # consistency: c - b = n * (post - pre percent) / 100
    np.testing.assert_allclose(it["c"] - it["b"], 52 * it["change"] / 100)


def test_session_reliability_uses_everyone_in_the_wave(ev_loa):
    rel = ev_loa.reliability().set_index("wave")
    assert rel.loc["pre", "n"] == 55 and rel.loc["pre", "k"] == 27
    # the same 55 x 27 marks as tests/r/loa_janan_pre_marks.csv: psych::alpha raw_alpha
    assert rel.loc["pre", "alpha"] == pytest.approx(0.60701473759884972, abs=TOL)
    assert rel.loc["post", "n"] == 53


def test_item_map_labels_the_items_to_revise(ev_loa):
    from matplotlib.figure import Figure

    from evaltools import charts
    table = ev_loa.item_analysis("pre")
    ax = charts.item_map(table, wave="pre", ax=Figure().subplots(), synthetic=True)
    weak = table[(table["discrimination"] < 0.2) | (table["r_drop"] < 0.2)]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [f"baik ({len(table) - len(weak)})", f"perlu direvisi ({len(weak)})"]
    labels = {t.get_text() for t in ax.texts}
    # every weak item is named (items at the same point share one label)
    assert {i for lab in labels for i in lab.split(", ")} >= set(weak["item"])
    assert ax.get_title(loc="left") == "Kesukaran dan daya beda butir (Pre-test, n = 55)"


def test_an_item_without_variance_is_left_out_as_psych_does():
    X = [[1, 1, 1, 0], [1, 0, 0, 0], [1, 1, 0, 1], [1, 1, 1, 1], [1, 0, 0, 0], [1, 1, 1, 1]]
    r = cronbach_alpha(X)
    # psych::alpha(X): "Item = 1 had no variance and was deleted"
    assert (r["k"], r["k_dropped"]) == (3, 1)
    assert r["alpha"] == pytest.approx(0.8035714285714286, abs=TOL)      # $total$raw_alpha
    assert r["ci_low"] == pytest.approx(0.16791174374866147, abs=TOL)    # $feldt$lower.ci
    assert r["ci_high"] == pytest.approx(0.97032421944053926, abs=TOL)   # $feldt$upper.ci
    s = item_stats(X)
    assert np.isnan(s["alpha_if_deleted"].iloc[0]) and np.isnan(s["r_drop"].iloc[0])
    # $alpha.drop$raw_alpha and $item.stats$r.drop for the three items kept
    np.testing.assert_allclose(s["alpha_if_deleted"].iloc[1:], [0.5, 0.82758620689655182,
                                                               0.82758620689655182], atol=TOL)
    np.testing.assert_allclose(s["r_drop"].iloc[1:], [0.86602540378443871, 0.55708601453115558,
                                                     0.55708601453115558], atol=TOL)
    assert s["flags"].iloc[0] == "terlalu mudah; perlu direvisi"
