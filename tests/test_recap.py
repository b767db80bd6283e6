"""Across sessions: the session table, OPDs over sessions, weakest topics and
retention at the follow-up survey, checked against R and against the
per-session results they are built from."""

import pandas as pd
import pytest

import evaltools as et
from conftest import SAMPLE
from evaltools.findings import retention_sentence
from evaltools.read import find_sessions
from evaltools.read.reasons import REASONS

FU, LJ = "kukar-tindak-lanjut-2024-12-20", "loa-janan-2024-11-22"


@pytest.fixture(scope="module")
def rc(inst):
    return et.recap(SAMPLE, inst)


def test_sessions_in_date_order_with_their_own_summaries(rc, ev_loa):
    assert find_sessions(SAMPLE, kind="session") == [
        "kesbangpol-balikpapan-2023-10-20", "kesbangpol-kaltim-2024-10-17", LJ]
    assert list(rc.evaluations) == ["kesbangpol-balikpapan-2023-10-20",
                                    "kesbangpol-kaltim-2024-10-17", LJ, FU]
    s = rc.sessions.set_index("session")
    assert list(s["date"]) == ["2023-10-20", "2024-10-17", "2024-11-22"]
    assert list(s["n"]) == [31, 263, 52]
    # the same numbers as the session on its own (R: t.test(post, pre, paired = TRUE))
    assert s.loc[LJ, "mean_gain"] == pytest.approx(15.740740740740741, abs=1e-9)
    assert s.loc[LJ, "ci_low"] == pytest.approx(ev_loa.summary["ci_low"].iloc[0], abs=1e-12)


def test_opd_over_sessions_pools_its_participants(rc):
    by = rc.by_opd().set_index("opd")
    b = by.loc["BKPSDM Kota Balikpapan"]
    assert b["n_sessions"] == 2 and b["n"] == 19
    assert b["sessions"] == "kesbangpol-balikpapan-2023-10-20, kesbangpol-kaltim-2024-10-17"
    # all 19 together, whichever session they came from
    m = rc.matched[rc.matched["opd"] == "BKPSDM Kota Balikpapan"]
    assert len(m) == 19 and b["mean_gain"] == pytest.approx(m["gain"].mean(), abs=1e-12)
    assert b["mean_post"] == pytest.approx(m["pct_post"].mean(), abs=1e-12)
    # low_post: mean post under the KKM of 70, never for a suppressed group
    assert set(by.index[by["low_post"]]) == {"Pemerintah Desa se-Kecamatan Loa Janan",
                                             "Satpol PP Prov. Kaltim", "UPT Puskesmas Loa Janan"}
    assert not by.loc[by["suppressed"], "low_post"].any()
    assert by["n"].sum() == len(rc.matched) == 31 + 263 + 52


def test_weakest_topic_per_opd(rc):
    w = rc.weakest_topics().set_index("opd")
    assert (w["n"] >= 5).all() and "Kelurahan Loa Janan Ilir" not in w.index  # n = 4
    r = w.loc["Pemerintah Desa se-Kecamatan Loa Janan"]
    assert r["topic"] == "sanksi" and r["label"] == "Sanksi"
    m = rc.matched[rc.matched["opd"] == "Pemerintah Desa se-Kecamatan Loa Janan"]
    posts = {t.id: m[f"pct_{t.id}_post"].mean() for t in rc.instrument.topics}
    assert r["mean_post"] == pytest.approx(min(posts.values())) == pytest.approx(posts["sanksi"])
    assert w["label"].value_counts().to_dict() == {"Pelaporan & pengawasan": 29, "Sanksi": 4}


def test_retention_at_the_followup_matches_r(rc):
    t = rc.triples(FU, LJ)
    assert t["match_by"].value_counts().to_dict() == {"nip": 26, "kode_peserta": 10, "nama_opd": 4}
    assert (t.loc[t["match_by"] == "nama_opd", "score"] >= 90).all()
    r = rc.retention().set_index("session").loc[LJ]
    # Rscript tests/r/retention_loa_janan.R: t.test(followup, post, paired = TRUE) on the 40
    assert r["n"] == 40
    assert r["mean_pre"] == pytest.approx(54.814814814814817, abs=1e-9)
    assert r["mean_post"] == pytest.approx(70.18518518518519, abs=1e-9)
    assert r["mean_followup"] == pytest.approx(63.611111111111114, abs=1e-9)
    assert r["change"] == pytest.approx(-6.5740740740740735, abs=1e-9)
    assert (r["ci_low"], r["ci_high"]) == (pytest.approx(-10.197630430349502, abs=1e-9),
                                           pytest.approx(-2.9505177177986455, abs=1e-9))
    assert r["p_t"] == pytest.approx(0.00072489301573882214, rel=1e-7)
    assert r["kept_pct"] == pytest.approx(57.2289156626506, abs=1e-9)
    # the other respondents: 25 colleagues who never attended and 4 attendees without both tests
    assert r["n_others"] == 69 - 40
    fu = rc.evaluations[FU].scores
    assert fu["opd"].isin(["Diskominfo Kab. Kutai Kartanegara", "DLH Kab. Kutai Kartanegara"]).sum() == 25
    assert retention_sentence(r.to_dict() | {"session": LJ}) == (
        "Pada survei tindak lanjut 28 hari setelah sesi loa-janan-2024-11-22, 40 peserta yang "
        "mengisi ketiga tes masih menyimpan 57% dari kenaikannya (skor 55 → 70 → 64; turun dari "
        "post-test, p < 0,001).")


def test_recap_workbook_blanks_small_groups(rc, tmp_path):
    from openpyxl import load_workbook
    paths = rc.export(tmp_path, formats=("png",))
    assert sorted(p.name for p in paths) == ["rekap.xlsx", "rekap_opd.png", "tren_sesi.png"]
    wb = load_workbook(tmp_path / "rekap.xlsx")
    assert wb.sheetnames == ["Sesi", "Per OPD", "Topik terlemah", "Retensi"]
    rows = {r[0]: r[1:] for r in wb["Per OPD"].iter_rows(min_row=2, values_only=True)}
    assert rows["Kelurahan Loa Janan Ilir"][0] == "n < 5" and set(rows["Kelurahan Loa Janan Ilir"][1:]) == {None}
    assert rows["BKPSDM Kota Balikpapan"][:2] == (2, 19)
    ret = list(wb["Retensi"].iter_rows(min_row=2, values_only=True))
    assert ret[0][:3] == (LJ, FU, 40) and ret[0][10] == pytest.approx(57.2289156626506)


def test_every_reason_the_reader_writes_is_explained(inst):
    from pathlib import Path
    seen = set()
    folders = [SAMPLE / s for s in find_sessions(SAMPLE)]
    folders += [p for p in (Path(__file__).parent / "fixtures" / "read").iterdir() if p.is_dir()]
    for folder in folders:
        try:
            r = et.read_responses(folder, inst, session="uji-2024-01-01" if "fixtures" in str(folder)
                                  else None)
        except et.EvalToolsError:
            continue
        seen |= set(r.ledger["reason"])
    assert len(seen) >= 8 and seen <= set(REASONS), seen - set(REASONS)
    assert {a for a, *_ in REASONS.values()} == {"excluded", "repaired", "flagged"}
    assert pd.Series([a for a, *_ in REASONS.values()]).value_counts().to_dict() == {
        "excluded": 7, "repaired": 8, "flagged": 4}
