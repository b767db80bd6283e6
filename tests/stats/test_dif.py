"""Mantel-Haenszel DIF against R's mantelhaen.test and the ETS rule.

The reference is tests/r/dif_sample.R, run on tests/r/dif_sample_post.csv (the
post-test marks of the matched participants of two sample sessions, which the
first test recounts from data/sample); its output is tests/r/dif_sample_r.csv.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaltools.dif import dif_by_item, dif_groups, dif_summary, dif_table, dif_worst
from evaltools.export.slides import revise_items
from evaltools.stats.dif import ets_class, mantel_haenszel

TOL = 1e-9
R_DIR = Path(__file__).parents[1] / "r"


@pytest.fixture(scope="module")
def both(ev_kaltim, ev_loa):
    return {ev_kaltim.pairs.matched["session"].iloc[0]: ev_kaltim,
            ev_loa.pairs.matched["session"].iloc[0]: ev_loa}


def test_r_input_is_the_sample_post_test(both):
    d = pd.read_csv(R_DIR / "dif_sample_post.csv", dtype={"session": str, "jenis_pegawai": str,
                                                          "kabupaten_kota": str})
    for session, ev in both.items():
        answers, marks = ev.wave_rows("post", matched_only=True)
        mine = d[d["session"] == session]
        assert mine["jenis_pegawai"].tolist() == answers["jenis_pegawai"].tolist()
        assert mine["kabupaten_kota"].tolist() == answers["kabupaten_kota"].tolist()
        np.testing.assert_array_equal(mine[list(marks.columns)].to_numpy(), marks.to_numpy())


def test_dif_equals_mantelhaen_test_on_the_sample(both):
    r = pd.read_csv(R_DIR / "dif_sample_r.csv", dtype={"session": str, "focal": str})
    mine = pd.concat([ev.dif().assign(session=s) for s, ev in both.items()], ignore_index=True)
    assert len(mine) == len(r) == 432  # 13 + 3 comparisons x 27 items
    m = r.merge(mine, on=["session", "by", "focal", "item"], suffixes=("_r", ""))
    assert len(m) == len(r)
    for col in ("chi2", "p", "p_bh", "alpha_mh", "delta", "delta_se"):
        want = m[f"{col}_r"].to_numpy(float)
        got = m[col].to_numpy(float)
        finite = np.isfinite(want)
        # R's estimate is Inf (and delta -Inf) where evaltools says "cannot be computed"
        assert (np.isfinite(got) == finite).all() or col == "alpha_mh", col
        np.testing.assert_allclose(got[finite], want[finite], rtol=TOL, err_msg=col)


def test_pinned_values_of_one_flagged_item(ev_kaltim):
    d = ev_kaltim.dif()
    r = d[(d["focal"] == "mahakam_ulu") & (d["item"] == "q10")].iloc[0]
    # x: the matched post-test of kesbangpol-kaltim; g: Mahakam Ulu vs the other regions;
    # m <- mantelhaen.test(table(g, factor(x$q10, levels = c(1, 0)), x$total - x$q10))
    assert r["chi2"] == pytest.approx(9.98662301394468, rel=TOL)          # m$statistic
    assert r["p"] == pytest.approx(0.001576815120941, rel=TOL)             # m$p.value
    assert r["alpha_mh"] == pytest.approx(8.81486678226495, rel=TOL)      # m$estimate
    assert r["delta"] == pytest.approx(-5.11463330232448, rel=TOL)        # -2.35 * log(m$estimate)
    assert r["delta_se"] == pytest.approx(1.66373945295868, rel=TOL)  # 2.35 * log(m$conf.int[2] / m$estimate) / qnorm(0.975)
    assert r["p_bh"] == pytest.approx(0.042574008265407, rel=TOL)     # p.adjust(p, "BH") over the 27 items
    assert r["n_focal"] == 13 and r["ets"] == "C" and r["harder_for"] == "focal"


@pytest.mark.parametrize("delta, se, p, want", [
    (-0.99, 0.1, 0.001, "A"),   # |delta| < 1
    (-2.5, 0.1, 0.06, "A"),     # not significant
    (1.2, 0.1, 0.001, "B"),     # 1 <= |delta| < 1.5
    (-1.5, 0.30, 0.001, "C"),   # (1.5 - 1) / 0.30 = 1.667 > 1.645
    (-1.5, 0.31, 0.001, "B"),   # (1.5 - 1) / 0.31 = 1.613: not significantly above 1
    (float("nan"), float("nan"), float("nan"), ""),
])
def test_ets_rule(delta, se, p, want):
    assert ets_class(delta, se, p) == want


def test_strata_without_variation_add_nothing():
    y, f, s = [1, 0, 1, 0, 1, 0, 1, 0], [0, 0, 1, 1, 0, 0, 1, 1], [1, 1, 1, 1, 2, 2, 2, 2]
    base = mantel_haenszel(y, f, s)
    # a stratum where everyone is right, and one of a single person, change nothing
    more = mantel_haenszel(y + [1, 1, 1, 0], f + [0, 1, 0, 1], s + [3, 3, 3, 4])
    assert (more["chi2"], more["alpha_mh"], more["strata"]) == (base["chi2"], base["alpha_mh"], 3)


def test_small_groups_are_left_out():
    assert dif_groups(["pns"] * 9 + ["pppk"] * 6 + ["desa"] * 5 + ["non_asn"] * 4, 5) == \
        ["desa", "pns", "pppk"]
    X = np.random.default_rng(1).integers(0, 2, (24, 3))
    t = dif_table(X, ["pns"] * 9 + ["pppk"] * 6 + ["desa"] * 5 + ["non_asn"] * 4)
    assert set(t["focal"]) == {"desa", "pns", "pppk"}
    assert (t["n_focal"] + t["n_reference"] == 20).all()  # the 4 non-ASN are nobody's reference


def planted(seed: int, n_ref: int = 250, n_focal: int = 150, k: int = 20, shift: float = 1.5):
    """Rasch answers of two groups of equal ability; item 0 is ``shift`` logits
    harder for the focal (smaller) group."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(0, 1, n_ref + n_focal)
    b = np.linspace(-1.5, 1.5, k)
    focal = np.arange(n_ref + n_focal) >= n_ref
    logit = theta[:, None] - b[None, :]
    logit[focal, 0] -= shift
    X = (rng.random(logit.shape) < 1 / (1 + np.exp(-logit))).astype(int)
    return X, np.where(focal, "pppk", "pns")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_dif_is_flagged_c(seed):
    X, group = planted(seed)
    t = dif_table(X, group, by="jenis_pegawai")
    assert t["focal"].unique().tolist() == ["pppk"]  # two groups: one comparison
    first = t.iloc[0]
    assert (first["ets"], first["harder_for"]) == ("C", "focal")
    assert first["delta"] < -1.5 and first["p_bh"] < 0.05
    assert (t["ets"].iloc[1:] != "C").all()
    assert dif_worst(t).iloc[0]["item"] == "item1"


def test_no_dif_is_mostly_a():
    X, group = planted(4, shift=0.0)
    t = dif_table(X, group)
    assert (t["ets"] == "A").sum() >= 18 and (t["ets"] != "C").all()


def test_a_c_item_gets_its_sentence_in_the_items_to_revise(ev_kaltim):
    sentence = ("Butir ini lebih sulit bagi Kab. Mahakam Ulu daripada peserta lain dengan skor "
                "setara pada soal lain (DIF kategori C, delta MH -5,11; p BH 0,043): periksa "
                "kata-kata dan konteks soal.")
    flagged = [flags for name, _, flags in revise_items(ev_kaltim) if name.startswith("10. ")]
    assert len(flagged) == 1 and flagged[0].endswith(sentence)
    english = [f for n, _, f in revise_items(ev_kaltim, "en") if n.startswith("10. ")][0]
    assert "This item is harder for Kab. Mahakam Ulu than for the others" in english


def test_per_item_columns_and_summary(ev_kaltim):
    d = ev_kaltim.dif()
    cols = dif_by_item(d, ["q10", "q03", "q99"], lambda i: f"Butir {i[1:].lstrip('0')}")
    assert cols["dif_ets"].tolist() == ["C", "A", "tidak diuji"]
    assert cols["dif_group"].tolist() == ["Kab. Mahakam Ulu (lebih sulit)", "tidak ada", "tidak ada"]
    assert cols["dif_note"].iloc[0].startswith("Butir 10 lebih sulit bagi Kab. Mahakam Ulu")
    number = ev_kaltim.instrument.item_number
    assert dif_summary(d, "id", lambda i: f"no. {number(i)}") == (
        "13 kelompok dibandingkan dengan peserta lain pada 27 butir: kategori C (DIF besar): "
        "no. 10 (Kab. Mahakam Ulu), no. 1 (Kab. Paser); kategori B: no. 28 (PNS), "
        "no. 13 (Kota Samarinda), no. 27 (Kota Samarinda).")
    assert dif_summary(d.iloc[:0], "en").startswith("Not tested")
