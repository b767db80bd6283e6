"""Attitude and reaction scales on the Loa Janan sample.

Reference values: Rscript tests/r/attitude_loa_janan.R on
tests/r/attitude_loa_janan.csv (the matched, reverse-coded answers).
"""

import numpy as np
import pytest

TOL = 1e-9
# wilcox.test(post, pre, paired = TRUE) per item: V, p (ties: normal, corrected)
R_ITEMS = [(338, 0.13369531100025547), (433, 0.00013851086672263661),
           (254.5, 0.2078673937597379), (354.5, 0.029525976790996136),
           (406.5, 0.0044314325694077899), (504.5, 0.0010871412059734558)]


def test_attitude_items_and_scale_against_r(ev_loa):
    a = ev_loa.attitudes().set_index("item")
    for k, (v, p) in enumerate(R_ITEMS, start=1):
        assert a.loc[f"sikap_{k}", "V"] == v
        assert a.loc[f"sikap_{k}", "p"] == pytest.approx(p, abs=TOL)
    s = a.loc["skala_sikap_netralitas"]
    # wilcox.test(rowSums(post), rowSums(pre), paired = TRUE)
    assert (s["V"], s["n"]) == (962, 52)
    assert s["p"] == pytest.approx(4.6987663868795355e-07, rel=1e-9)
    assert s["alpha_pre"] == pytest.approx(0.77692486624796453, abs=TOL)    # psych::alpha(pre)
    assert s["alpha_post"] == pytest.approx(0.76717264860263856, abs=TOL)   # psych::alpha(post)
    # Holm across the six items: p.adjust(p, "holm")
    p = np.array([p for _, p in R_ITEMS])
    order = np.argsort(p)
    holm = np.empty(6)
    holm[order] = np.minimum(1, np.maximum.accumulate((6 - np.arange(6)) * p[order]))
    np.testing.assert_allclose(a["p_holm"].iloc[:6], holm, atol=TOL)


def test_reverse_coded_item_is_flipped(ev_loa):
    a = ev_loa.attitudes().set_index("item")
    assert a.loc["sikap_6", "reverse"] and not a.loc["sikap_5", "reverse"]
    raw_pre, raw_post = ev_loa.pairs.aligned(ev_loa.responses.data[["sikap_5", "sikap_6"]])
    # the answers as given: sikap_6 ("wajar menunjukkan dukungan ...") enters as 6 - x
    assert a.loc["sikap_6", "mean_pre"] == pytest.approx(6 - raw_pre["sikap_6"].astype(float).mean())
    assert a.loc["sikap_6", "mean_post"] == pytest.approx(6 - raw_post["sikap_6"].astype(float).mean())
    assert a.loc["sikap_5", "mean_pre"] == pytest.approx(raw_pre["sikap_5"].astype(float).mean())


def test_reaction_counts(ev_loa):
    r = ev_loa.reaction().set_index("item")
    post = ev_loa.responses.data[ev_loa.responses.data["wave"] == "post"]
    for item in r.index:
        v = post[item].dropna().astype(int)
        assert r.loc[item, "n"] == len(v)
        assert [r.loc[item, f"n_{k}"] for k in range(1, 6)] == [int((v == k).sum()) for k in range(1, 6)]
        assert r.loc[item, "pct_agree"] == pytest.approx(100 * (v >= 4).mean())
        assert r.loc[item, "mean"] == pytest.approx(v.mean())
    assert r.loc["reaksi_1", "n"] == 53
