"""Findings: the sentences managers read, with numbers checked elsewhere
against R (tests/test_compare.py: mean gain 15.7407 [12.4873, 18.9942],
d_z 1.346942 on the Loa Janan sample)."""

from evaltools.findings import _gain, session_findings
from evaltools.fmt import num, p as p_text


def test_loa_janan_findings_in_indonesian(ev_loa):
    assert ev_loa.findings() == [
        "Rata-rata pemahaman peserta naik dari 55% menjadi 71% (+15,7 poin; IK 95% 12,5 s.d. "
        "19,0; efek besar, d_z = 1,35).",
        "52 dari 56 peserta mengikuti kedua tes.",   # + 3 pre-only + 1 post-only
        "Peserta yang mencapai KKM 70: 17% sebelum, 56% sesudah.",  # 9/52, 29/52
        "Topik 'Sanksi' terendah sesudah sosialisasi (47% benar, naik nyata dari 37%; p = 0,020).",
        "3 dari 55 peserta pre-test tidak mengikuti post-test; terlalu sedikit untuk "
        "dibandingkan skornya.",
        "Sikap netralitas (skala 1–5): 3,69 sebelum, 4,04 sesudah (p < 0,001).",
        "77% penilaian peserta atas penyelenggaraan: setuju atau sangat setuju.",
    ]


def test_findings_in_english(ev_loa):
    en = session_findings(ev_loa, "en")
    assert en[0] == ("Average understanding rose from 55% to 71% (+15.7 points; 95% CI 12.5 to "
                     "19.0; large effect, d_z = 1.35).")
    assert en[3] == ("Topic 'Sanctions' is the weakest after the session (47% correct, clearly up "
                     "from 37%; p = 0.020).")


def test_pass_rates_and_weakest_topic_are_the_data(ev_loa):
    m = ev_loa.pairs.matched
    assert (int(m["passed_pre"].sum()), int(m["passed_post"].sum())) == (9, 29)
    t = ev_loa.topics().set_index("topic")["mean_post"]
    assert t.idxmin() == "sanksi" and round(t.min()) == 47


def test_no_clear_change_and_a_fall_are_said_so():
    s = {"mean_pre": 60.0, "mean_post": 62.5, "mean_gain": 2.5, "ci_low": -1.2, "ci_high": 6.2,
         "p_t": 0.18, "d_z": 0.21}
    assert _gain(s, "id") == ("Rata-rata pemahaman peserta tidak berubah nyata: 60% sebelum, "
                              "63% sesudah (+2,5 poin; IK 95% -1,2 s.d. 6,2; p = 0,180).")
    s.update(mean_post=52.0, mean_gain=-8.0, ci_low=-12.0, ci_high=-4.0, p_t=0.001, d_z=-0.9)
    assert _gain(s, "en") == ("Average understanding fell from 60% to 52% (-8.0 points; "
                              "95% CI -12.0 to -4.0; large effect, d_z = -0.90).")


def test_kaltim_weakest_topic_fell(ev_kaltim):
    t = ev_kaltim.topics().set_index("topic").loc["pelaporan"]
    assert round(t["mean_pre"]) == 50 and round(t["mean_post"]) == 47
    # the fall is not significant (paired t on the topic score, p = 0.272), and the sentence says so
    assert ("Topik 'Pelaporan & pengawasan' terendah sesudah sosialisasi (47% benar, turun dari "
            "50% tetapi tidak nyata; p = 0,272).") in ev_kaltim.findings()


def test_no_test_small_gain_and_unclear_unpaired_difference():
    from evaltools.findings import _unpaired
    same = {"mean_pre": 60.0, "mean_post": 70.0, "mean_gain": 10.0, "ci_low": 10.0, "ci_high": 10.0,
            "p_t": float("nan"), "d_z": float("nan")}
    # no test, no d_z, and the sentence says why (issue 21)
    assert _gain(same, "id") == ("Rata-rata pemahaman peserta: 60% sebelum, 70% sesudah (+10,0 poin); "
                                 "uji statistik dan d_z tidak dapat dihitung: semua peserta berubah "
                                 "sama besar.")
    assert _gain(same, "en") == ("Average understanding: 60% before, 70% after (+10.0 points); the "
                                 "test and d_z cannot be computed: every participant changed by the "
                                 "same amount.")
    small = {"mean_pre": 60.0, "mean_post": 60.4, "mean_gain": 0.4, "ci_low": 0.1, "ci_high": 0.7,
             "p_t": 0.01, "d_z": 0.3}
    assert "(+0,4 poin;" in _gain(small, "id")
    u = {"mean_pre": 60.0, "mean_post": 62.0, "diff": 2.0, "ci_low": -6.0, "ci_high": 10.0,
         "p_welch": 0.6, "n_pre": 30, "n_post": 28}
    assert _unpaired(u, "id").startswith("Skor rata-rata tidak berbeda nyata: 60% (30 peserta "
                                         "pre-test) dan 62% (28 peserta post-test); +2,0 poin")


def test_indonesian_numbers():
    assert (num(1.346942, 2), num(1.346942, 2, "en")) == ("1,35", "1.35")
    assert p_text(0.0004) == "p < 0,001" and p_text(0.0304, "en") == "p = 0.030"
    assert p_text(0.0049) == "p = 0,005"


def test_retention_sentence_edges():
    from evaltools.findings import retention_sentence
    base = {"n": 12, "suppressed": False, "mean_pre": 50.0, "mean_post": 70.0, "session": "s",
            "date_session": "2024-11-22", "date_followup": "2024-12-20"}
    rose = retention_sentence({**base, "mean_followup": 80.0, "kept_pct": 150.0, "p_t": 0.01})
    assert "masih menyimpan seluruh kenaikannya" in rose and "naik dari post-test, p = 0,010" in rose
    flat = retention_sentence({**base, "mean_followup": 69.0, "kept_pct": 95.0, "p_t": 0.4}, "en")
    assert "kept 95% of their gain" in flat and "no clear change from the post-test, p = 0.40" in flat
    none = retention_sentence({**base, "mean_post": 48.0, "mean_followup": 49.0,
                               "kept_pct": float("nan"), "p_t": 0.5})
    assert none.endswith("tidak menunjukkan kenaikan pada sesi itu (skor 50 → 48 → 49).")
    small = retention_sentence({**base, "n": 3, "suppressed": True, "mean_followup": 1.0,
                                "kept_pct": 1.0, "p_t": 0.5})
    assert small == "Peserta yang mengisi ketiga tes terlalu sedikit (n = 3) untuk menilai retensi."
