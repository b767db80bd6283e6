"""The bundled sample data: reproducible from its seed, synthetic, shaped like the sessions."""

import pandas as pd
import yaml

from evaltools.simulate import SESSIONS, SYNTHETIC_NOTE, write_sample

from conftest import ROOT, SAMPLE


def test_sample_files_regenerate_byte_for_byte(inst, tmp_path):
    write_sample(tmp_path, inst)
    for sid in SESSIONS:
        for name in ("pre.csv", "post.csv", "sesi.yaml"):
            assert (tmp_path / sid / name).read_bytes() == (SAMPLE / sid / name).read_bytes(), \
                f"{sid}/{name} differs: run `make sample` and commit"


def test_sample_says_it_is_synthetic_and_fits_the_sessions(ev_loa, ev_kaltim):
    for ev in (ev_loa, ev_kaltim):
        meta = yaml.safe_load((SAMPLE / ev.meta["id"] / "sesi.yaml").read_text())
        assert meta["sintetis"] is True and "SINTETIS" in meta["catatan"]
    raw = pd.read_csv(SAMPLE / "loa-janan-2024-11-22" / "pre.csv", dtype=str, keep_default_na=False)
    assert set(raw["keterangan"]) - {""} == {SYNTHETIC_NOTE}
    # about 50 at Loa Janan (sessions.md), a few hundred at the provincial session
    assert 45 <= ev_loa.pairs.matched.shape[0] + len(ev_loa.pairs.unmatched) <= 60
    assert 250 <= len(ev_kaltim.pairs.matched) <= 400
    # realistic imperfections exist in both
    for ev in (ev_loa, ev_kaltim):
        reasons = set(ev.responses.ledger["reason"])
        assert {"duplicate_submission", "nip_cleaned"} <= reasons
        assert {"no_post", "no_pre"} <= set(ev.pairs.unmatched["reason"])
        assert ev.scores["n_blank"].sum() > 0
    # Loa Janan: village heads (no NIP, matched by code) and the units of the article
    assert (ev_loa.pairs.matched["jenis_pegawai"] == "desa").sum() >= 8
    assert set(ev_loa.pairs.matched["opd"]) >= {"Kecamatan Loa Janan", "UPT Puskesmas Loa Janan",
                                                "UPT Dinas Pendidikan Kecamatan Loa Janan"}


def test_sample_opds_are_in_the_registry():
    reg = pd.read_csv(ROOT / "data" / "opd.csv", dtype=str, keep_default_na=False)
    assert reg["kode"].is_unique and reg["kode"].str.fullmatch(r"\d{4}-\d{3}").all()
    assert reg["kode"].iloc[0] == "6400-001"  # a code, never a number
    known = set(reg["singkatan"])
    for sid in SESSIONS:
        for wave in ("pre", "post"):
            opds = set(pd.read_csv(SAMPLE / sid / f"{wave}.csv", dtype=str, keep_default_na=False)["opd"])
            assert opds - {""} <= known


def test_gain_differs_by_opd_and_topic(ev_kaltim):
    by = ev_kaltim.by("opd")
    shown = by[~by["suppressed"]]
    assert shown["mean_gain"].max() - shown["mean_gain"].min() > 10
    t = ev_kaltim.topics().set_index("topic")
    assert t["mean_gain"].idxmin() == "pelaporan"
