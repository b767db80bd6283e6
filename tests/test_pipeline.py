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


def test_scores_one_row_per_participant_and_wave(ev_loa, inst):
    s = ev_loa.scores
    assert len(s) == len(ev_loa.responses.data)
    assert not s.duplicated(["session", "wave", "pid"]).any()
    assert (s["n_items"] == 27).all()
    np.testing.assert_allclose(s["pct"], 100 * s["n_correct"] / 27)
    assert (s["passed"] == (s["pct"] >= 70)).all()
    topic_cols = [f"pct_{t}" for t in inst.topic_ids]
    # topic percents weight back to the total: sum over topics of pct_t * items_t = 100 * n_correct
    items_per_topic = np.array([sum(i.topic == t for i in inst.scored_items) for t in inst.topic_ids])
    np.testing.assert_allclose(s[topic_cols].to_numpy() @ items_per_topic, 100 * s["n_correct"])


def test_score_of_a_known_answer_sheet(inst):
    import pandas as pd
    row = {"session": "s", "wave": "pre", "pid": "kode:X", **{f: "" for f in inst.field_ids}}
    for item in inst.items:
        row[item.id] = " ".join(sorted(item.key)) if item.type == "multi" else item.key
    for li in inst.likert_items:
        row[li.id] = pd.NA
    row["q01"] = "a"            # wrong
    row["q31"] = "a c"          # multi: a subset of the key is wrong
    row["q02"] = ""             # blank: wrong and counted as blank
    row["q04"] = "salah"        # unscored item: does not count
    row["sikap_1"], row["sikap_2"], row["sikap_6"] = 5, 4, 1   # sikap_6 reverse-coded: 6 - 1 = 5
    data = pd.DataFrame([row])
    s = et.score(data, inst).iloc[0]
    assert (s["n_correct"], s["n_blank"]) == (24, 1)
    assert s["pct"] == pytest.approx(100 * 24 / 27)
    assert s["pct_dasar_hukum"] == pytest.approx(100 * 2 / 3)   # q01 wrong of q01, q06, q28
    assert s["pct_larangan"] == pytest.approx(100 * 6 / 7)      # q31 wrong
    # mean of the 3 answered items (half of 6 is the minimum): (5 + 4 + 5) / 3
    assert s["skala_sikap_netralitas"] == pytest.approx(14 / 3)
    assert np.isnan(s["skala_reaksi"])  # no reaction item answered


def test_pairing_accounts_for_everyone(ev_loa):
    p = ev_loa.pairs
    s = ev_loa.scores
    n_pre_post = int(s["wave"].isin(["pre", "post"]).sum())
    assert 2 * len(p.matched) + len(p.unmatched) == n_pre_post
    assert len(p.matched) == 52
    assert p.unmatched["reason"].value_counts().to_dict() == {"no_post": 3, "no_pre": 1}
    assert set(p.audit["status"]) == {"matched", "no_post", "no_pre"}
    assert len(p.audit) == len(p.matched) + len(p.unmatched)
    by = p.matched["match_by"].value_counts().to_dict()
    # village heads by code; the typist's post-test lost 6 NIPs to Excel, and
    # those people are found again by name within their OPD
    assert by == {"nip": 33, "kode_peserta": 13, "nama_opd": 6}
    named = p.audit[p.audit["match_by"] == "nama_opd"]
    assert (named["score"] >= 90).all() and named["row_post"].str.startswith("post-entri").all()
    np.testing.assert_allclose(p.matched["gain"], p.matched["pct_post"] - p.matched["pct_pre"])


def test_pair_matches_nip_then_code(inst):
    import pandas as pd
    base = {f: "" for f in inst.field_ids}
    rows = [
        {**base, "session": "s", "wave": "pre", "pid": "nip:1", "nip": "198609262015051001", "kode_peserta": "AB0101", "pct": 40.0},
        {**base, "session": "s", "wave": "post", "pid": "kode:AB0101", "nip": "", "kode_peserta": "AB0101", "pct": 80.0},
        {**base, "session": "s", "wave": "pre", "pid": "nip:2", "nip": "199001012019032002", "kode_peserta": "", "pct": 50.0},
        {**base, "session": "s", "wave": "post", "pid": "nip:2", "nip": "199001012019032002", "kode_peserta": "", "pct": 60.0},
        {**base, "session": "s", "wave": "post", "pid": "kode:ZZ", "nip": "", "kode_peserta": "ZZ", "pct": 90.0},
    ]
    scores = pd.DataFrame(rows).assign(n_correct=0, passed=False)
    p = et.pair(scores)
    got = p.matched.set_index("pid")[["match_by", "pct_pre", "pct_post"]].to_dict("index")
    assert got == {"nip:2": {"match_by": "nip", "pct_pre": 50.0, "pct_post": 60.0},
                   "nip:1": {"match_by": "kode_peserta", "pct_pre": 40.0, "pct_post": 80.0}}
    assert p.unmatched[["pid", "reason"]].values.tolist() == [["kode:ZZ", "no_pre"]]


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


def test_evaluate_takes_a_path_to_the_instrument():
    from conftest import INSTRUMENT, LOA_JANAN
    ev = et.evaluate(LOA_JANAN, str(INSTRUMENT))
    assert ev.synthetic and ev.meta["tanggal"] == "2024-11-22"
    assert len(ev.pairs.matched) == 52


def _people(inst, rows):
    import pandas as pd
    base = {f: "" for f in inst.field_ids}
    out = []
    for wave, nama, nip, opd, pct in rows:
        out.append({**base, "session": "s", "wave": wave, "pid": f"{wave}:{nama}", "nama": nama,
                    "nip": nip, "opd": opd, "pct": pct})
    return pd.DataFrame(out).assign(n_correct=0, passed=False)


def test_pair_by_name_within_opd_and_never_on_ambiguity(inst):
    kec, desa = "Kecamatan Loa Janan", "Pemerintah Desa se-Kecamatan Loa Janan"
    scores = _people(inst, [
        ("pre", "Hj. Siti Rahmawati, S.Pd.", "198609262015052001", kec, 40.0),
        ("post", "siti rahmawati", "", kec, 70.0),                   # NIP left empty: by name
        ("pre", "Muhammad Rizki", "", desa, 30.0),
        ("pre", "Muhammad Rizky", "", desa, 35.0),
        ("post", "M. Rizki", "", desa, 60.0),                        # two fit: nobody matched
        ("pre", "Ahmad Yani", "198001012005011001", kec, 50.0),
        ("post", "Ahmad Yani", "197505052000031002", kec, 55.0),     # NIPs differ: two people
        ("pre", "Rudi Hakim", "", kec, 45.0),
        ("post", "Rudi Hakim", "", desa, 65.0),                      # other OPD: not the same
    ])
    p = et.pair(scores)
    assert p.matched[["pid", "match_by"]].values.tolist() == [
        ["pre:Hj. Siti Rahmawati, S.Pd.", "nama_opd"]]
    a = p.audit.set_index("pid_pre")
    assert a.loc["pre:Hj. Siti Rahmawati, S.Pd.", "score"] == 100.0
    for who in ("pre:Muhammad Rizki", "pre:Muhammad Rizky"):
        assert a.loc[who, "status"] == "ambiguous"
        assert a.loc[who, "detail"] == "lebih dari satu calon: Muhammad Rizki (100); Muhammad Rizky (93)"
    post = p.audit[p.audit["pid_post"] == "post:M. Rizki"].iloc[0]
    assert post["status"] == "ambiguous"
    assert post["detail"] == "lebih dari satu calon: Muhammad Rizki (100); Muhammad Rizky (93)"
    assert p.unmatched["reason"].value_counts().to_dict() == {"ambiguous": 3, "no_post": 2,
                                                               "no_pre": 2}
