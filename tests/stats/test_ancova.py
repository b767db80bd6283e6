"""One-way ANCOVA (``stats.ancova``) and ``compare_sessions`` against R
(tests/r/ancova_sample.R: R 4.2, car, emmeans; values printed with
sprintf("%.17g")), on the matched participants of the sample sessions
(tests/r/ancova_sample.csv, checked to be what evaltools reads from
data/sample) and on MASS::anorexia (tests/r/anorexia.csv, public data).

R: m <- lm(post ~ pre + group); a <- car::Anova(m, type = 2);
   e <- emmeans::emmeans(m, "group"); pairs(e, adjust = "holm");
   anova(m, lm(post ~ pre * group)); car::leveneTest(residuals(m) ~ group);
   shapiro.test(residuals(m)); t.test(gain[g == 1], gain[g == 2]) or
   oneway.test(gain ~ group).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evaltools as et
from evaltools.sessions_compare import compare_sessions, session_scores
from evaltools.stats.ancova import ancova, shapiro_wilk, welch_anova

TOL = 1e-9
R_DIR = Path(__file__).parents[1] / "r"
SAMPLE = pd.read_csv(R_DIR / "ancova_sample.csv")
ANOREXIA = pd.read_csv(R_DIR / "anorexia.csv")


def close(got, want):
    assert np.asarray(got, dtype=float) == pytest.approx(np.asarray(want, dtype=float), rel=TOL)


@pytest.fixture(scope="module")
def rc():
    return et.recap("data/sample", "survey/netralitas-asn-pilkada-2024.yaml")


def test_csv_is_what_evaltools_reads(rc):
    """tests/r/ancova_sample.csv holds the participants compare_sessions uses."""
    by_session, _ = session_scores(rc, "session")
    by_format, missing = session_scores(rc, "format")
    assert missing == ()
    assert by_session["group"].tolist() == SAMPLE["session"].tolist()
    assert by_format["group"].tolist() == SAMPLE["format"].tolist()
    np.testing.assert_allclose(by_format[["pct_pre", "pct_post"]], SAMPLE[["pct_pre", "pct_post"]],
                               rtol=1e-15)


def test_sample_by_format(rc):
    c = compare_sessions(rc, by="format")
    t = c.table
    close(t["sum_sq"], [28111.097942568063, 863.71933209329291, 32089.869283610406])  # a$`Sum Sq`
    assert t["df"].tolist() == [1, 1, 343]  # a$Df
    close(t["f"][:2], [300.47198101942593, 9.2320641224708648])  # a$`F value`
    close(t["p"][:2], [8.6700594207350877e-49, 0.0025606196138578778])  # a$`Pr(>F)`
    close(t["eta2_partial"][:2], [0.46695425734528589, 0.026210175230557322])  # SS / (SS + SSres)
    m = c.means
    assert m["group"].tolist() == ["hibrida", "luring"] and m["n"].tolist() == [263, 83]
    close(m["adj_mean"], [80.293569279273015, 76.454870391736819])  # summary(e)$emmean
    close(m["se"], [0.60186641081368064, 1.0920630823914976])  # summary(e)$SE
    close(m["ci_low"], [79.109755658959955, 74.306886839326324])  # summary(e)$lower.CL
    close(m["ci_high"], [81.477382899586075, 78.602853944147313])  # summary(e)$upper.CL
    p = c.pairs
    assert p["contrast"].tolist() == ["hibrida - luring"]
    close(p["estimate"], [3.838698887536196])  # summary(pairs(e, adjust = "holm"))$estimate
    close(p["se"], [1.2633818711256497])  # $SE
    close(p["t"], [3.0384311942959785])  # $t.ratio
    close(p["p_holm"], [0.0025606196138578492])  # $p.value
    ch = c.checks.set_index("check")
    close(ch.loc["slopes", ["statistic", "p"]], [4.9361232541731983, 0.0269550260957124])  # anova(m, m_int)
    close(ch.loc["levene", ["statistic", "p"]], [3.9265474817291652, 0.048325165159471009])  # leveneTest
    close(ch.loc["normality", ["statistic", "p"]], [0.97719483777907845, 2.7239139312558649e-05])  # shapiro.test
    assert not ch["passed"].any()
    g = c.gain.iloc[0]
    assert g.test == "welch_t"
    # t.test(gain[format == "hibrida"], gain[format == "luring"]): t, df, p, conf.int
    close([g.statistic, g.df2, g.p, g.ci_low, g.ci_high],
          [-0.25579913166409812, 136.39622704323202, 0.79849130988834816, -3.2974420906113386,
           2.5420758856139054])
    s = c.sentences()
    assert s[0] == ("Setelah disesuaikan dengan skor pre-test, rata-rata post-test sesi hibrida 80,3, "
                    "3,8 poin lebih tinggi daripada sesi luring (76,5; p = 0,003; eta kuadrat parsial "
                    "0,03): nyata menurut ANCOVA, tetapi syaratnya tidak terpenuhi (lihat di bawah).")
    assert s[1].startswith("Hubungan pre-test dengan post-test berbeda antar-format (kemiringan "
                           "berbeda, p = 0,027)")
    assert s[-1].endswith("(IK 95% -3,3 s.d. 2,5; p = 0,798); kenaikannya tidak berbeda nyata.")


def test_sample_by_session(rc):
    c = compare_sessions(rc, by="session")
    close(c.table["f"][:2], [296.88600775295691, 4.6188916886365217])  # a$`F value`
    close(c.table["p"][:2], [2.4583892468862206e-48, 0.010487070749558356])  # a$`Pr(>F)`
    close(c.means["adj_mean"], [76.212880098851173, 80.292027592830763, 76.606931211232293])  # emmean
    close(c.means["se"], [1.7431728438437748, 0.60277972873554164, 1.3869277618226006])  # SE
    close(c.pairs["estimate"], [-4.079147493979594, -0.39405111238112517, 3.685096381598469])
    close(c.pairs["p"], [0.028064318499464058, 0.85861795203833569, 0.01659376826327506])  # adjust = "none"
    close(c.pairs["p_holm"], [0.056128636998928116, 0.85861795203833569, 0.049781304789825176])
    close(c.checks["statistic"], [8.2491010977465784, 5.6045510750035294, 0.97700873534472488])
    close(c.checks["p"], [0.00031744420693538517, 0.0040262441140395148, 2.5094842156330902e-05])
    g = c.gain.iloc[0]  # oneway.test(gain ~ session): F, df1, df2, p
    assert g.test == "welch_anova" and g.df1 == 2
    close([g.statistic, g.df2, g.p], [0.8008702603429213, 63.281015227837926, 0.45343539562063351])


def test_anorexia():
    r = ancova(ANOREXIA["Prewt"], ANOREXIA["Postwt"], ANOREXIA["Treat"])
    close(r["table"]["sum_sq"], [353.79490855596805, 766.27281275567657, 3311.2626199196134])
    close(r["table"]["eta2_partial"][:2], [0.096531884099271714, 0.18792548229382802])
    close(r["means"]["adj_mean"], [85.574328314309383, 81.47726278623648, 90.137390967228171])
    close(r["means"]["ci_low"], [82.986984992484054, 78.732724102136245, 86.74983410650492])
    assert r["pairs"]["contrast"].tolist() == ["CBT - Cont", "CBT - FT", "Cont - FT"]
    close(r["pairs"]["t"], [2.163761037670882, -2.1389330224493439, -3.9487178278946979])
    close(r["pairs"]["p_holm"], [0.067998629440525704, 0.067998629440525704, 0.0005670713941027404])
    close(r["checks"]["p"], [0.0066655907348127522, 0.80178337125325516, 0.5986084043520904])
    assert r["checks"]["passed"].tolist() == [False, True, True]
    close(r["gain"][["statistic", "df2", "p"]].iloc[0],  # oneway.test(gain ~ Treat)
          [5.3554417126880374, 41.13588311889206, 0.0085684914117163113])


def test_small_groups_left_out_and_named(rc):
    """A format held by one small session is left out (named, no numbers)."""
    evs = dict(rc.sessions_only)
    c = compare_sessions(evs, by="format", min_n=84)
    assert c.excluded == ("luring",) and c.why == "groups"
    assert c.sentences("en") == [
        "No comparison by format: fewer than two groups with at least 84 matched participants.",
        "Left out (fewer than 84 matched participants): in-person."]


def test_welch_anova_two_groups_is_welch_t_squared():
    x, y = [1.0, 2.0, 4.0, 7.0, 3.0], [5.0, 9.0, 6.0, 12.0, 8.0, 10.0]
    w = welch_anova([x, y])
    t = et.stats.welch_ttest(x, y)
    close([w["f"], w["df2"], w["p"]], [t["t"] ** 2, t["df"], t["p"]])


@pytest.mark.parametrize("x, w, p", [  # shapiro.test(x)$statistic, $p.value
    ([1, 2, 4], 0.96428571428571419, 0.6368868450289632),  # n = 3: exact p
    ([1, 2, 4, 8, 9], 0.90096326933472759, 0.41523242986550268),  # n <= 5: one special coefficient
    ([2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8], 0.9401366782604087, 0.63995137517966239),  # n <= 11
    ([2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 6.1, 3.9, 4.0, 2.2, 3.1], 0.93707688332062256,
     0.4611573273174735)])
def test_shapiro_wilk_small(x, w, p):
    r = shapiro_wilk(x)
    close([r["w"], r["p"]], [w, p])


def test_recap_workbook_sheet(rc, tmp_path):
    from openpyxl import load_workbook

    from evaltools.export.recap import write_recap_workbook
    ws = load_workbook(write_recap_workbook(rc, tmp_path / "rekap.xlsx"))["Format sesi"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    assert rows[0][:2] == ("Format", "n") and rows[1][0] == "hibrida" and rows[1][1] == 263
    assert rows[1][5] == pytest.approx(80.293569279273015, rel=TOL)  # emmean, hibrida
    assert rows[5][:3] == ("hibrida - luring", pytest.approx(3.838698887536196, rel=TOL),
                           pytest.approx(0.0025606196138578492, rel=TOL))
    assert [r[2] for r in rows[8:11]] == ["tidak terpenuhi"] * 3
    assert rows[-1][0].startswith("Metode: Membandingkan format sesi")


def test_sesi_yaml_format_is_checked(tmp_path):
    from evaltools.read import read_session_meta
    (tmp_path / "sesi.yaml").write_text("nama: Sesi uji\nformat: tatap muka\n", encoding="utf-8")
    with pytest.raises(et.EvalToolsError) as e:
        read_session_meta(tmp_path)
    assert e.value.problem == ("sesi.yaml: format harus salah satu dari luring, daring, hibrida, "
                               "bukan 'tatap muka'")
    assert e.value.line == 2
    (tmp_path / "sesi.yaml").write_text("format: hibrida\n", encoding="utf-8")
    assert read_session_meta(tmp_path) == {"format": "hibrida"}


def test_degenerate_groups():
    """One pre-test score in a group: no model, and why; equal gains in a group: no Welch."""
    r = ancova([50] * 6 + [40, 60, 50, 70, 55, 65], [60, 70, 65, 80, 75, 72] + [50, 80, 60, 90, 70, 75],
               list("aaaaaabbbbbb"))
    assert r["why"] == "df" and r["table"].empty
    w = welch_anova([[1.0, 2.0, 3.0], [4.0, 4.0, 4.0], [1.0, 5.0, 9.0]])
    assert np.isnan(w["f"]) and np.isnan(w["p"])
