"""read -> score -> pair -> compare on the Loa Janan sample, checked against R.

R reference values were computed on the matched table this pipeline builds:
    m <- read.csv("matched.csv")  # ev.pairs.matched[["opd", "n_correct_pre", "n_correct_post", "pct_pre", "pct_post"]]
    pre <- m$n_correct_pre / 27 * 100; post <- m$n_correct_post / 27 * 100
The R calls are beside each value.
"""

import numpy as np
import pytest

import evaltools as et

TOL = 1e-9


def test_session_comparison_matches_r(ev_loa):
    s = ev_loa.summary.iloc[0]
    assert s["n"] == 52 and s["df"] == 51
    # t.test(post, pre, paired = TRUE)
    assert s["t"] == pytest.approx(9.712940400620, abs=TOL)
    assert s["p_t"] == pytest.approx(3.44880936116768e-13, abs=TOL)
    assert s["ci_low"] == pytest.approx(12.487260914813, abs=TOL)
    assert s["ci_high"] == pytest.approx(18.994220566669, abs=TOL)
    assert s["mean_gain"] == pytest.approx(15.740740740740735, abs=TOL)
    # wilcox.test(m$n_correct_post, m$n_correct_pre, paired = TRUE): ties -> normal
    assert s["V"] == 1235.5
    assert s["p_w"] == pytest.approx(7.45959370533526e-09, abs=TOL)
    # effectsize::cohens_d(post, pre, paired = TRUE); hedges_g(...)
    assert s["d_z"] == pytest.approx(1.346942486537, abs=TOL)
    assert s["g_z"] == pytest.approx(1.327020519883, abs=TOL)
    # effectsize::cohens_d(post, pre, paired = TRUE)$CI_low / $CI_high, sprintf("%.17g")
    assert s["d_z_ci_low"] == pytest.approx(0.96676214067533972, abs=TOL)
    assert s["d_z_ci_high"] == pytest.approx(1.7200036437771355, abs=TOL)
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
