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
    # low_post: mean post under the KKM of 70, never for a suppressed group (UPT Puskesmas,
    # 67.8, is hidden in the Loa Janan report so that Kelurahan's n = 4 cannot be derived)
    assert set(by.index[by["low_post"]]) == {"Pemerintah Desa se-Kecamatan Loa Janan",
                                             "Satpol PP Prov. Kaltim"}
    assert bool(by.loc["UPT Puskesmas Loa Janan", "suppressed"])
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
    assert w["label"].value_counts().to_dict() == {"Pelaporan & pengawasan": 28, "Sanksi": 4}
    assert set(w.index) == set(rc.by_opd().query("~suppressed")["opd"])


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
    wb = load_workbook(tmp_path / "kirim" / "rekap.xlsx")
    assert wb.sheetnames == ["Sesi", "Rekomendasi", "Per OPD", "Topik terlemah", "Retensi", "Format sesi"]
    rows = {r[0]: r[1:] for r in wb["Per OPD"].iter_rows(min_row=2, values_only=True)}
    assert rows["Kelurahan Loa Janan Ilir"][0] == "n < 5" and set(rows["Kelurahan Loa Janan Ilir"][1:]) == {None}
    assert rows["BKPSDM Kota Balikpapan"][:2] == (2, 19)
    ret = list(wb["Retensi"].iter_rows(min_row=2, values_only=True))
    assert ret[0][:3] == (LJ, FU, 40) and ret[0][10] == pytest.approx(57.2289156626506)


def test_recap_charts_are_laid_out_once_and_drawn_once_per_vector_format(rc, tmp_path, monkeypatch):
    """Each recap chart is laid out with its PNG and its SVG and PDF drawn where the PNG put
    everything, once each (they were saved in two calls: the SVG and PDF laid out again, and
    drawn twice each); the same data gives the same files."""
    from matplotlib.figure import Figure
    draws, real = [], Figure.draw

    def counted(fig, renderer):
        draws.append(type(getattr(renderer, "_renderer", renderer)).__name__)
        return real(fig, renderer)
    monkeypatch.setattr(Figure, "draw", counted)
    paths = rc.export(tmp_path / "a")
    assert [p.relative_to(tmp_path / "a").as_posix() for p in paths] == [
        "kirim/tren_sesi.png", "tren_sesi.svg", "tren_sesi.pdf",
        "kirim/rekap_opd.png", "rekap_opd.svg", "rekap_opd.pdf", "kirim/rekap.xlsx"]
    assert (draws.count("RendererSVG"), draws.count("RendererPdf")) == (2, 2)  # two charts
    again = rc.export(tmp_path / "b")
    for p, q in zip(paths, again):
        if p.suffix in (".png", ".svg", ".pdf"):
            assert p.read_bytes() == q.read_bytes(), p.name


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
        "excluded": 9, "repaired": 9, "flagged": 7}  # issue 20: + same_submission, review_*, date_order_assumed


def _copy(tmp_path, *sids):
    import shutil
    for sid in sids:
        shutil.copytree(SAMPLE / sid, tmp_path / sid)
    return tmp_path


def test_a_code_shared_across_opds_is_not_a_followup_match(tmp_path, inst, ev_loa):
    data = _copy(tmp_path, LJ, FU)
    csv = next((data / FU).glob("*.csv"))
    df = pd.read_csv(csv, dtype=str, keep_default_na=False)
    # an attendee known by code only who skipped the follow-up; a colleague at Diskominfo
    # who never attended has the same code (initials and birthday)
    m = ev_loa.pairs.matched
    codes = m.loc[(m["nip"].fillna("") == "") & (m["kode_peserta"] != ""), "kode_peserta"]
    code = codes[~codes.isin(df["Kode peserta"])].iloc[0]
    other = df.index[df["OPD / Unit kerja"].str.startswith("Diskominfo")][0]
    df.loc[other, "Kode peserta"] = code
    df.loc[other, "NIP / NI PPPK"] = ""
    df.to_csv(csv, index=False)
    rc = et.recap(data, inst)
    t = rc.triples(FU, LJ)
    assert len(t) == 40  # as before: the colleague is not taken for the attendee
    assert rc.retention().iloc[0]["n"] == 40


def test_followup_naming_one_session_as_text_or_a_missing_one(tmp_path, inst):
    import yaml
    data = _copy(tmp_path, LJ, FU)
    meta_path = data / FU / "sesi.yaml"
    meta = yaml.safe_load(meta_path.read_text())
    meta["tindak_lanjut_dari"] = LJ  # one id, not a list
    meta_path.write_text(yaml.safe_dump(meta))
    rc = et.recap(data, inst)
    assert rc.problems == {} and rc.retention().iloc[0]["n"] == 40
    meta["tindak_lanjut_dari"] = ["tidak-ada-2024-01-01"]
    meta_path.write_text(yaml.safe_dump(meta))
    rc = et.recap(data, inst)
    assert "tidak-ada-2024-01-01" in rc.problems[FU]
    assert rc.retention().empty


def test_recap_survives_empty_and_broken_folders(tmp_path, inst):
    data = _copy(tmp_path, FU)
    (data / "baru-2025-01-10").mkdir()
    (data / "baru-2025-01-10" / "sesi.yaml").write_text("nama: sesi baru\n")  # no answers yet
    (data / "rusak-2025-01-11").mkdir()
    (data / "rusak-2025-01-11" / "sesi.yaml").write_text("nama: [tidak ditutup\n")
    rc = et.recap(data, inst)
    assert set(rc.problems) >= {"baru-2025-01-10", "rusak-2025-01-11"}
    assert rc.sessions.empty and rc.by_opd().empty and rc.weakest_topics().empty
    paths = rc.export(tmp_path / "out", formats=("png",))
    assert sorted(p.name for p in paths) == ["rekap.xlsx", "rekap_opd.png", "tren_sesi.png"]


def test_an_opd_hidden_in_a_session_stays_hidden_in_the_recap(rc):
    by = rc.by_opd().set_index("opd")
    for sid, ev in rc.sessions_only.items():
        for opd in ev.by("opd").query("suppressed")["opd"]:
            assert bool(by.loc[opd, "suppressed"]), (sid, opd)
    hidden = by[by["suppressed"]]
    assert hidden["n"].sum() >= 5  # and together they cannot be derived from the totals


def test_recap_exports_hold_no_personal_value(rc, tmp_path):
    import zipfile
    people = set()
    for ev in rc.evaluations.values():
        d = ev.responses.data
        people |= {v for c in ("nama", "nip", "kode_peserta") for v in d[c].dropna() if len(str(v)) > 3}
    assert len(people) > 800
    paths = rc.export(tmp_path, formats=("svg",))
    texts = [p.read_text(encoding="utf-8") for p in paths if p.suffix == ".svg"]
    with zipfile.ZipFile(tmp_path / "kirim" / "rekap.xlsx") as z:
        texts += [z.read(n).decode() for n in z.namelist() if n.endswith(".xml")]
    blob = "\n".join(texts)
    leaked = [v for v in people if v in blob]
    assert leaked == []


def test_the_recap_hides_no_more_than_it_must(rc):
    by = rc.by_opd().set_index("opd")
    carried = {o for ev in rc.sessions_only.values() for o in ev.by("opd").query("suppressed")["opd"]}
    must = carried | set(by.index[by["n"] < 5])
    assert set(by.index[by["suppressed"]]) == must
    # a larger group hidden only because a session hid it says so
    assert bool(by.loc["UPT Puskesmas Loa Janan", "suppressed_secondary"])
