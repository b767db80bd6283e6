"""The bundled sample data: reproducible from its seed, synthetic, shaped like the sessions."""

import pandas as pd
import yaml

import evaltools as et

from evaltools.simulate import FOLLOWUPS, SESSIONS, write_sample

from conftest import ROOT, SAMPLE


def test_sample_files_regenerate_byte_for_byte(inst, tmp_path):
    written = write_sample(tmp_path, inst)
    # pre, post and sesi.yaml for each session; the follow-up wave and sesi.yaml for each survey
    assert len(written) == 3 * len(SESSIONS) + 2 * len(FOLLOWUPS) == 11
    for sid in [*SESSIONS, *FOLLOWUPS]:
        names = sorted(p.name for p in (tmp_path / sid).iterdir())
        # the manifest too: `make sample` on a fresh clone replaces the files it knows
        assert names == sorted(p.name for p in (SAMPLE / sid).iterdir()) and ".evaltools.json" in names
        for name in names:
            assert (tmp_path / sid / name).read_bytes() == (SAMPLE / sid / name).read_bytes(), \
                f"{sid}/{name} differs: run `make sample` and commit"


def test_sample_uses_three_collection_formats():
    names = sorted(p.name for sid in [*SESSIONS, *FOLLOWUPS] for p in (SAMPLE / sid).iterdir())
    assert any(n.endswith(".csv") and " - all versions - xml - " in n for n in names)  # KoboToolbox
    assert any(n.endswith("(Responses).csv") for n in names)                          # Google Forms
    assert any(n.endswith(".xlsx") and "entri" in n for n in names)                   # entry template
    assert all("SINTETIS" in n.upper() for n in names if n not in ("sesi.yaml", ".evaltools.json"))


def test_sample_says_it_is_synthetic_and_fits_the_sessions(ev_loa, ev_kaltim):
    for ev in (ev_loa, ev_kaltim):
        meta = yaml.safe_load((SAMPLE / ev.meta["id"] / "sesi.yaml").read_text())
        assert meta["sintetis"] is True and "SINTETIS" in meta["catatan"]
    # about 50 at Loa Janan (sessions.md), a few hundred at the provincial session
    assert 45 <= ev_loa.pairs.matched.shape[0] + len(ev_loa.pairs.unmatched) <= 60
    assert 250 <= len(ev_kaltim.pairs.matched) <= 400
    # realistic imperfections exist in both
    for ev in (ev_loa, ev_kaltim):
        reasons = set(ev.responses.ledger["reason"])
        assert "duplicate_submission" in reasons
        assert {"no_post", "no_pre"} <= set(ev.pairs.unmatched["reason"])
        assert ev.scores["n_blank"].sum() > 0
    # Loa Janan: village heads (no NIP, matched by code) and the units of the article
    assert (ev_loa.pairs.matched["jenis_pegawai"] == "desa").sum() >= 8
    assert set(ev_loa.pairs.matched["opd"]) >= {"Kecamatan Loa Janan", "UPT Puskesmas Loa Janan",
                                                "UPT Dinas Pendidikan Kecamatan Loa Janan"}


def test_sample_opds_are_in_the_registry(inst):
    reg = pd.read_csv(ROOT / "data" / "opd.csv", dtype=str, keep_default_na=False)
    assert reg["kode"].is_unique and reg["kode"].str.fullmatch(r"\d{4}-\d{3}").all()
    assert reg["kode"].iloc[0] == "6400-001"  # a code, never a number
    known = set(reg["singkatan"])
    for sid in SESSIONS:
        spec = SESSIONS[sid]
        assert {u.opd for u in spec.units} <= known
        r = et.read_responses(SAMPLE / sid, inst)
        assert "opd_unknown" not in set(r.ledger["reason"]) and set(r.data["opd"]) <= known


def test_gain_differs_by_opd_and_topic(ev_kaltim):
    by = ev_kaltim.by("opd")
    shown = by[~by["suppressed"]]
    assert shown["mean_gain"].max() - shown["mean_gain"].min() > 10
    t = ev_kaltim.topics().set_index("topic")
    assert t["mean_gain"].idxmin() == "pelaporan"
