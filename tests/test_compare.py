"""compare: the session row, the per-group rows, the topics, attrition and
the unpaired comparison.

The session row and the per-group rows come from one path
(``groupstats.paired_by_group``, held to the scalar ``stats`` functions in
tests/stats/test_groupstats.py); here they must agree with each other for the
same group. Reference values: the R call beside each value, or the R script
named (tests/r/).
"""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evaltools as et
from evaltools import stats
from evaltools.compare import (COLUMNS, attrition, compare, compare_topics, secondary_suppression,
                               visible_only)
from evaltools.errors import EvalToolsError
from evaltools.findings import attrition_sentence
from evaltools.pair import Pairs

TOL = 1e-9
MATCHING = Path(__file__).parent / "fixtures" / "read" / "matching"


def _alone(m: pd.DataFrame) -> Pairs:
    return Pairs(m.reset_index(drop=True), pd.DataFrame(), pd.DataFrame())


# --- Loa Janan against R ----------------------------------------------------
# R reference values were computed on the matched table of the sample session:
#     m <- read.csv("matched.csv")  # ev.pairs.matched[["opd", "n_correct_pre", "n_correct_post", "pct_pre", "pct_post"]]
#     pre <- m$n_correct_pre / 27 * 100; post <- m$n_correct_post / 27 * 100
# The R calls are beside each value.


def test_session_comparison_matches_r(ev_loa):
    s = ev_loa.summary.iloc[0]
    assert s["n"] == 52 and s["df"] == 51
    # t.test(post, pre, paired = TRUE)
    assert s["t"] == pytest.approx(9.712940400620, abs=TOL)
    assert s["p_t"] == pytest.approx(3.44880936116768e-13, rel=1e-9)
    assert s["ci_low"] == pytest.approx(12.487260914813, abs=TOL)
    assert s["ci_high"] == pytest.approx(18.994220566669, abs=TOL)
    assert s["mean_gain"] == pytest.approx(15.740740740740735, abs=TOL)
    # wilcox.test(m$n_correct_post, m$n_correct_pre, paired = TRUE): ties -> normal
    assert s["V"] == 1235.5
    assert s["p_w"] == pytest.approx(7.45959370533526e-09, rel=1e-9)
    # effectsize::cohens_d(post, pre, paired = TRUE); hedges_g(...)
    assert s["d_z"] == pytest.approx(1.346942486537, abs=TOL)
    assert s["g_z"] == pytest.approx(1.327020519883, abs=TOL)
    # the exact noncentral-t limits: Rscript tests/r/dz_interval.R, part 4 (uniroot on pt)
    assert s["d_z_ci_low"] == pytest.approx(0.96676970298700049, abs=TOL)
    assert s["d_z_ci_high"] == pytest.approx(1.7200035393942636, abs=TOL)
    # (mean(post) - mean(pre)) / (100 - mean(pre))
    assert s["g_hake"] == pytest.approx((s["mean_post"] - s["mean_pre"]) / (100 - s["mean_pre"]), abs=TOL)
    assert not s["suppressed"]


def test_per_opd_matches_r_with_holm(ev_loa):
    by = ev_loa.by("opd").set_index("opd")
    # sapply(split(m, m$opd), function(g) t.test(g$pct_post, g$pct_pre, paired = TRUE)$p.value)
    p_t = {"Kecamatan Loa Janan": 5.86134025028281e-04, "Kelurahan Loa Janan Ilir": 3.12886363707673e-02,
           "Pemerintah Desa se-Kecamatan Loa Janan": 1.78615503405403e-02,
           "UPT Dinas Pendidikan Kecamatan Loa Janan": 2.16711493818717e-05,
           "UPT Puskesmas Loa Janan": 1.87067387078063e-03}
    # p.adjust(<those>, "holm")
    holm = {"Kecamatan Loa Janan": 0.002344536100113124, "Kelurahan Loa Janan Ilir": 0.035723100681080547,
            "Pemerintah Desa se-Kecamatan Loa Janan": 0.035723100681080547,
            "UPT Dinas Pendidikan Kecamatan Loa Janan": 0.000108355746909358,
            "UPT Puskesmas Loa Janan": 0.005612021612341893}
    # sapply(..., function(g) wilcox.test(g$n_correct_post, g$n_correct_pre, paired = TRUE)$p.value)
    p_w = {"Kecamatan Loa Janan": 0.00286374556612070, "Kelurahan Loa Janan Ilir": 0.125,
           "Pemerintah Desa se-Kecamatan Loa Janan": 0.04599779001138631,
           "UPT Dinas Pendidikan Kecamatan Loa Janan": 0.00106620772722813,
           "UPT Puskesmas Loa Janan": 0.00884877365399461}
    for opd in p_t:
        assert by.loc[opd, "p_t"] == pytest.approx(p_t[opd], abs=TOL)
        assert by.loc[opd, "p_t_holm"] == pytest.approx(holm[opd], abs=TOL)
        assert by.loc[opd, "p_w"] == pytest.approx(p_w[opd], abs=TOL)
    assert by.loc["Kelurahan Loa Janan Ilir", "wilcoxon_method"] == "exact"
    assert by["n"].to_dict() == {"Kecamatan Loa Janan": 13, "Kelurahan Loa Janan Ilir": 4,
                                 "Pemerintah Desa se-Kecamatan Loa Janan": 11,
                                 "UPT Dinas Pendidikan Kecamatan Loa Janan": 14,
                                 "UPT Puskesmas Loa Janan": 10}
    # Kelurahan (n = 4) is hidden, and so is the smallest other OPD (UPT Puskesmas, n = 10):
    # with only Kelurahan hidden, the session total minus the others would give it back
    assert by.loc[by["suppressed"]].index.tolist() == ["Kelurahan Loa Janan Ilir",
                                                       "UPT Puskesmas Loa Janan"]
    assert by["suppressed_secondary"].to_dict() == {
        "Kecamatan Loa Janan": False, "Kelurahan Loa Janan Ilir": False,
        "Pemerintah Desa se-Kecamatan Loa Janan": False,
        "UPT Dinas Pendidikan Kecamatan Loa Janan": False, "UPT Puskesmas Loa Janan": True}


def test_compare_by_several_columns(ev_kaltim):
    two = ev_kaltim.by(["kabupaten_kota", "jenis_pegawai"])
    assert list(two.columns[:2]) == ["kabupaten_kota", "jenis_pegawai"]
    assert two["n"].sum() == len(ev_kaltim.pairs.matched)


def test_topics(ev_loa, inst):
    t = ev_loa.topics()
    assert t["topic"].tolist() == inst.topic_ids
    assert t["n_items"].sum() == 27
    assert (t["n"] == 52).all()
    # the simulator teaches reporting rules least: its gain is the smallest but one
    assert t.set_index("topic")["mean_post"].idxmin() in {"sanksi", "pelaporan"}


# --- the session row and the group rows: one path --------------------------


def test_session_d_z_interval_is_the_exact_root(ev_loa):
    s = compare(ev_loa.pairs).iloc[0]
    # Rscript tests/r/dz_interval.R, part 4: d_z and uniroot(pt(t, 51, nc) - 0.975 / 0.025) / sqrt(52)
    assert s["d_z"] == pytest.approx(1.3469424865369732, abs=TOL)
    assert s["d_z_ci_low"] == pytest.approx(0.96676970298700049, abs=TOL)
    assert s["d_z_ci_high"] == pytest.approx(1.7200035393942636, abs=TOL)
    # effectsize::cohens_d(post, pre, paired = TRUE) stopped 7.6e-6 short: 0.96676214067533972
    assert s["d_z_ci_low"] - 0.96676214067533972 == pytest.approx(7.56e-6, abs=1e-8)
    # the scalar reference on the same pairs
    m = ev_loa.pairs.matched
    d = stats.cohen_dz(m["pct_pre"], m["pct_post"])
    assert (s["d_z_ci_low"], s["d_z_ci_high"]) == pytest.approx((d["ci_low"], d["ci_high"]), abs=1e-12)


@pytest.mark.parametrize("session", ["ev_loa", "ev_kaltim"])
def test_the_session_row_is_the_row_of_a_group_holding_everyone(session, request):
    pairs = request.getfixturevalue(session).pairs
    everyone = _alone(pairs.matched.assign(semua="semua"))
    whole, group = compare(pairs), compare(everyone, by="semua")
    assert group["semua"].tolist() == ["semua"]
    pd.testing.assert_frame_equal(whole, group[COLUMNS])


def test_each_opd_row_is_compare_on_that_opd_alone(ev_kaltim):
    m = ev_kaltim.pairs.matched
    by = compare(ev_kaltim.pairs, by="opd", secondary=False)
    assert len(by) == 32
    for _, row in by.iterrows():
        alone = compare(_alone(m[m["opd"] == row["opd"]])).iloc[0]
        for col in COLUMNS:
            if col in ("wilcoxon_method", "suppressed", "n", "df"):
                assert row[col] == alone[col], (row["opd"], col)
            elif col == "min_detectable_gain":  # an OPD's n, with the session's SD of gains
                sd = float(np.std(m["pct_post"] - m["pct_pre"], ddof=1))
                assert row[col] == pytest.approx(alone[col] / alone["sd_gain"] * sd, rel=1e-12), \
                    row["opd"]
            else:
                assert row[col] == pytest.approx(alone[col], rel=1e-12, abs=1e-12, nan_ok=True), \
                    (row["opd"], col)


def test_no_matched_participant_gives_an_empty_row_and_no_groups(ev_loa):
    empty = _alone(ev_loa.pairs.matched.iloc[:0])
    s = compare(empty)
    assert len(s) == 1 and s.loc[0, "n"] == 0 and s.loc[0, "df"] == 0
    assert s.loc[0, "wilcoxon_method"] == "none" and bool(s.loc[0, "suppressed"])
    assert s.drop(columns=["n", "df", "wilcoxon_method", "suppressed"]).isna().all(axis=None)
    by = compare(empty, by="opd")
    assert by.empty and list(by.columns[:2]) == ["opd", "n"] and by["n"].dtype == np.int64


def test_compare_by_group_keeps_the_keys(ev_loa):
    by = ev_loa.by("opd")
    assert by["opd"].tolist() == sorted(by["opd"])
    m = ev_loa.pairs.matched
    one = m[m["opd"] == "Kecamatan Loa Janan"]
    r = by.set_index("opd").loc["Kecamatan Loa Janan"]
    # R: t.test(post, pre, paired = TRUE) on that OPD's 13 participants
    t = stats.paired_ttest(one["pct_pre"], one["pct_post"])
    assert r["n"] == 13 and r["t"] == pytest.approx(t["t"], abs=1e-12)
    two = compare(ev_loa.pairs, by=["opd", "jenis_pegawai"])
    assert list(two.columns[:2]) == ["opd", "jenis_pegawai"]
    assert two["n"].sum() == 52 and len(two) == m.groupby(["opd", "jenis_pegawai"]).ngroups


def test_one_key_is_numbered_as_groupby_numbers_it(ev_loa):
    # one key by pd.factorize: the same numbers and keys as groupby(sort=True, dropna=False),
    # a missing key its own group, last; a categorical key goes through groupby
    from evaltools.compare import _group_codes
    m = ev_loa.pairs.matched.copy()
    m.loc[m.index[:3], "opd"] = np.nan
    m["kind"] = pd.Categorical(m["jenis_pegawai"], categories=sorted(m["jenis_pegawai"].unique())[::-1])
    for key in ("opd", "kind"):
        codes, names = _group_codes(m, [key])
        grouped = m.groupby([key], sort=True, dropna=False)
        assert codes.tolist() == grouped.ngroup().tolist()
        assert names[key].tolist() == grouped.size().index.to_frame(index=False)[key].tolist()
    by = compare(_alone(m), by="opd")
    assert by["opd"].isna().tolist() == [False] * 5 + [True] and by["n"].tolist()[-1] == 3


def test_by_any_participant_column(ev_kaltim):
    by = ev_kaltim.by("jenis_pegawai")
    m = ev_kaltim.pairs.matched
    assert by["jenis_pegawai"].tolist() == sorted(m["jenis_pegawai"].unique())
    assert by["n"].tolist() == [int((m["jenis_pegawai"] == g).sum()) for g in by["jenis_pegawai"]]
    # Holm across the groups: p.adjust(p, "holm")
    np.testing.assert_allclose(by["p_t_holm"], stats.adjust_p(by["p_t"], "holm"))
    assert by["p_t_holm"].ge(by["p_t"]).all()
    assert {"gain_pooled", "tau2", "I2"} <= set(by.columns)



def test_a_key_named_as_a_statistic_is_refused_not_overwritten(ev_kaltim):
    m = ev_kaltim.pairs.matched
    with pytest.raises(ValueError, match="'I2' is also the name of a column of the comparison"):
        compare(replace(ev_kaltim.pairs, matched=m.assign(I2=m["jenis_pegawai"])), by="I2")
    with pytest.raises(ValueError, match="'n' is also"):
        compare(replace(ev_kaltim.pairs, matched=m.assign(n=1)), by=["opd", "n"])

def test_kaltim_per_opd_pooling(ev_kaltim):
    """Rscript tests/r/pooling_kaltim.R (metafor::rma(..., method = "DL"), blup)."""
    by = ev_kaltim.by("opd").set_index("opd")
    assert len(by) == 32
    assert by["tau2"].iloc[0] == pytest.approx(17.428335825461872, abs=TOL)   # r$tau2
    assert by["I2"].iloc[0] == pytest.approx(66.098244581920525, abs=TOL)     # r$I2
    for opd, blup in (("BKD Prov. Kaltim", 10.895815053787654),
                      ("DPMPD Prov. Kaltim", 19.241114721586168),       # 6 people, +25.9 raw
                      ("Kesbangpol Kota Bontang", 6.8151050744274055)):  # 3 people, -2.5 raw
        assert by.loc[opd, "gain_pooled"] == pytest.approx(blup, abs=TOL)  # blup(r)$pred
    # shrinkage pulls every group toward the pooled mean, never past it
    mu = 13.450279963220073                                                # r$beta
    raw, pooled = by["mean_gain"], by["gain_pooled"]
    assert ((pooled - mu).abs() <= (raw - mu).abs() + 1e-12).all()
    assert (np.sign(pooled - mu) == np.sign(raw - mu)).all()


def test_pass_fail_mcnemar_in_the_session_summary(ev_loa, ev_kaltim):
    for ev, (b, c), p in ((ev_loa, (0, 20), 1.9073486328124989e-06),      # binom.test(20, 20)
                          (ev_kaltim, (3, 102), 1.134878812062679e-21)):  # mcnemar.test(matrix(c(0, 102, 3, 0), 2))
        m = ev.pairs.matched
        assert (int((m["passed_pre"] & ~m["passed_post"]).sum()),
                int((~m["passed_pre"] & m["passed_post"]).sum())) == (b, c)
        assert ev.summary["p_pass"].iloc[0] == pytest.approx(p, rel=1e-12)


def test_session_d_av(ev_loa):
    # Rscript tests/r/dav_loa_janan.R: mean(post - pre) / sqrt((sd(pre)^2 + sd(post)^2) / 2)
    s = ev_loa.summary.iloc[0]
    assert s["d_av"] == pytest.approx(0.98030837184893205, abs=TOL)
    assert s["d_av"] < s["d_z"]  # d_z divides by the SD of the gains, smaller here


# --- suppression ---------------------------------------------------------------


def test_secondary_suppression_hides_only_what_would_give_a_group_back():
    t = pd.DataFrame({"g": list("abcd"), "n": [3, 3, 10, 12], "suppressed": [True, True, False, False]})
    assert secondary_suppression(t)["suppressed"].tolist() == [True, True, False, False]  # 6 hidden
    t["n"] = [4, 30, 10, 10]
    t["suppressed"] = [True, False, False, False]
    out = secondary_suppression(t)
    assert out["suppressed"].tolist() == [True, False, True, False]   # the first of the two 10s
    assert out["suppressed_secondary"].tolist() == [False, False, True, False]
    t["suppressed"] = False
    assert not secondary_suppression(t)["suppressed"].any()


def test_visible_only_refits_holm_and_pooling_on_the_shown_groups(ev_loa):
    by = compare(ev_loa.pairs, by="opd")
    v = visible_only(by)
    shown = ~by["suppressed"]
    assert v.loc[~shown, ["p_t_holm", "p_w_holm", "gain_pooled"]].isna().all(axis=None)
    np.testing.assert_allclose(v.loc[shown, "p_t_holm"], stats.adjust_p(by.loc[shown, "p_t"], "holm"))
    pp = stats.partial_pooling(by.loc[shown, "mean_gain"], by.loc[shown, "sd_gain"] ** 2,
                               by.loc[shown, "n"])
    np.testing.assert_allclose(v.loc[shown, "gain_pooled"], pp["shrunken"])


# --- topics ----------------------------------------------------------------------


def test_each_topic_row_is_compare_on_that_topic(ev_kaltim, inst):
    t = compare_topics(ev_kaltim.pairs, inst)
    assert t["topic"].tolist() == inst.topic_ids
    assert t["n_items"].sum() == len(inst.scored_items)
    for _, row in t.iterrows():
        alone = compare(ev_kaltim.pairs, metric=f"pct_{row['topic']}").iloc[0]
        for col in COLUMNS:
            if col in ("pass_pre", "pass_post", "p_pass"):
                assert np.isnan(row[col])   # passing the KKM is a whole-test notion
            elif col in ("wilcoxon_method", "suppressed", "n", "df"):
                assert row[col] == alone[col], (row["topic"], col)
            else:
                assert row[col] == pytest.approx(alone[col], rel=1e-12, abs=1e-12, nan_ok=True)
    # Holm across the topics: p.adjust(p, "holm")
    np.testing.assert_allclose(t["p_t_holm"], stats.adjust_p(t["p_t"], "holm"))
    np.testing.assert_allclose(t["p_w_holm"], stats.adjust_p(t["p_w"], "holm"))
    en = compare_topics(ev_kaltim.pairs, inst, lang="en")
    assert en["label"].tolist() == [topic.label_en for topic in inst.topics]
    assert compare_topics(ev_kaltim.pairs, inst, min_n=300)["suppressed"].all()   # 263 matched


# --- attrition ---------------------------------------------------------------------
# Reference values: tests/r/attrition_kaltim.R (the two score vectors written out),
# run with R 4.2.2 / effectsize 0.8.3.


def test_kaltim_dropouts_scored_lower_than_completers(ev_kaltim):
    a = ev_kaltim.attrition().iloc[0]
    assert (a["n_pre"], a["n_completers"], a["n_dropouts"], a["n_unresolved"]) == (308, 263, 45, 0)
    assert a["attrition_pct"] == pytest.approx(100 * 45 / 308, abs=TOL)
    assert a["mean_pre_completers"] == pytest.approx(67.56795, abs=5e-6)   # mean(x*100/27)
    assert a["mean_pre_dropouts"] == pytest.approx(62.46914, abs=5e-6)     # mean(y*100/27)
    # t.test(y*100/27, x*100/27)   (Welch, R's default)
    assert a["t"] == pytest.approx(-2.2829985969131781, abs=TOL)
    assert a["df"] == pytest.approx(66.013297786192567, abs=TOL)
    assert a["p_welch"] == pytest.approx(0.025657718071441543, abs=TOL)
    assert a["ci_low"] == pytest.approx(-9.5578904922968153, abs=TOL)
    assert a["ci_high"] == pytest.approx(-0.63973425539130913, abs=TOL)
    assert a["diff"] == pytest.approx(-5.0988123738440621, abs=TOL)
    # wilcox.test(y, x): ties, so the normal approximation with continuity correction
    assert a["W"] == 4639.5
    assert a["p_mw"] == pytest.approx(0.020342518849011604, abs=TOL)
    assert a["mw_method"].startswith("normal")
    assert a["r_rb"] == pytest.approx(-0.21596958174904946, abs=TOL)  # effectsize::rank_biserial(y, x)
    assert not a["suppressed"]
    assert ev_kaltim.attrition_sentence() == attrition_sentence(a, 5)
    assert attrition_sentence(a, 5) == (
        "45 dari 308 peserta pre-test tidak mengikuti post-test; skor pre-test mereka lebih rendah "
        "daripada peserta yang lengkap (p < 0,05): kenaikan mungkin terlalu tinggi dibanding "
        "seluruh peserta.")
    assert attrition_sentence(a, 5, "en").endswith("lower than completers' (p < 0.05): "
                                                  "the gain may be overstated.")


def test_loa_janan_three_dropouts_are_counted_not_compared(ev_loa):
    a = ev_loa.attrition().iloc[0]
    assert (a["n_pre"], a["n_completers"], a["n_dropouts"]) == (55, 52, 3)
    assert a["suppressed"]  # 3 < 5: managers see the count only
    assert attrition_sentence(a, 5) == ("3 dari 55 peserta pre-test tidak mengikuti post-test; "
                                        "terlalu sedikit untuk dibandingkan skornya.")
    one = attrition(Pairs(pd.DataFrame({"pct_pre": [50.0, 60]}),
                          pd.DataFrame({"reason": ["no_post"], "pct": [40.0], "wave": ["pre"]}),
                          pd.DataFrame())).iloc[0]
    assert one["n_dropouts"] == 1 and np.isnan(one["p_welch"])   # tests need two dropouts


def test_workbook_shows_attrition_without_small_group_means(ev_loa, ev_kaltim, tmp_path):
    from openpyxl import load_workbook

    from evaltools.export import write_workbook
    for ev, shown in ((ev_kaltim, True), (ev_loa, False)):
        path = write_workbook(ev, tmp_path / f"{shown}.xlsx")
        cells = {r[0]: r[1] for r in load_workbook(path)["Ringkasan"].iter_rows(values_only=True)
                 if r and r[0]}
        assert cells["Tidak ikut post-test"] == (45 if shown else 3)
        assert ("Rata-rata pre-test: yang tidak ikut post-test (%)" in cells) is shown
        if shown:
            assert cells["p (uji t Welch)"] == pytest.approx(0.025657718071441543, abs=TOL)
        assert cells["Artinya"].startswith(f"{45 if shown else 3} dari")


# --- unpaired: an anonymous session ---------------------------------------------
# Nobody can be paired, so pre and post are compared as independent groups and
# labelled weaker evidence. Reference values: Rscript tests/r/unpaired_anonymous.R.


@pytest.fixture
def anonymous_folder(tmp_path):
    for src in sorted(MATCHING.glob("*.csv")):
        df = pd.read_csv(src, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        df.drop(columns=["nama", "nip", "kode_peserta"]).to_csv(tmp_path / src.name, index=False)
    return tmp_path


def test_anonymous_form_needs_the_option(anonymous_folder, inst):
    with pytest.raises(EvalToolsError, match="tidak ada kolom pengenal peserta"):
        et.read_responses(anonymous_folder, inst)


def test_anonymous_session_unpaired(anonymous_folder, inst):
    ev = et.evaluate(anonymous_folder, inst, anonymous=True, meta={})
    assert len(ev.responses.data) == 19 and ev.responses.n_excluded == 0
    assert len(ev.pairs.matched) == 0
    u = ev.unpaired().iloc[0]
    assert (u["n_pre"], u["n_post"]) == (10, 9)
    # t.test(post * 100 / 27, pre * 100 / 27)  (Welch)
    assert u["t"] == pytest.approx(4.7537843317872257, abs=TOL)
    assert u["df"] == pytest.approx(12.957953931437492, abs=TOL)
    assert u["p_welch"] == pytest.approx(0.00038019837642160422, abs=TOL)
    assert u["ci_low"] == pytest.approx(6.3293062325275722, abs=TOL)
    assert u["ci_high"] == pytest.approx(16.880570310682273, abs=TOL)
    # wilcox.test(post, pre): W = 88
    assert u["W"] == 88 and u["p_mw"] == pytest.approx(0.00040645635586120311, abs=TOL)
    # effectsize::hedges_g(post * 100 / 27, pre * 100 / 27)$Hedges_g
    assert u["g_s"] == pytest.approx(2.0122929880226548, abs=TOL)
    # the exact limits (Rscript tests/r/dz_interval.R, part 5); effectsize's $CI_low / $CI_high,
    # 0.90295943038714821 and 3.0848066223232742, lie within 1.1e-7 of them
    assert u["g_s_ci_low"] == pytest.approx(0.90295951689455678, abs=TOL)
    assert u["g_s_ci_high"] == pytest.approx(3.0848067288063228, abs=TOL)
    assert u["evidence"].startswith("lebih lemah")
    assert not u["suppressed"]
    f = ev.findings()
    assert f[0] == ("Skor rata-rata naik dari 82% (10 peserta pre-test) menjadi 94% "
                    "(9 peserta post-test); +11,6 poin, IK 95% 6,3 s.d. 16,9. Peserta tidak dapat "
                    "dipasangkan, jadi ini bukti yang lebih lemah daripada perbandingan berpasangan.")
