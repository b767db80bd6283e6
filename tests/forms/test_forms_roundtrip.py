"""Round trips: answers put into what each collection tool exports come back
out of read_responses exactly, with the same scores."""

import pytest

import evaltools as et
from evaltools.forms import FormSpec
from evaltools.read.opd import load_opd_registry

from conftest import ROOT

NIP_A, NIP_B = "198609262015051001", "199203152020122003"


@pytest.fixture(scope="module")
def reg():
    return load_opd_registry(ROOT / "data" / "opd.csv")


def _spec(inst, reg, wave, session=None):
    return FormSpec(inst, wave, session, tuple(reg["singkatan"]), tuple(reg["kode"]))


def _answers(inst, wave):
    """Three participants with known answers: all keys, some wrong, some blank."""
    keyed = {i.id: " ".join(sorted(i.key)) if i.type == "multi" else i.key for i in inst.items}
    a = {"nama": "Siti Rahmawati", "nip": NIP_A, "opd": "Kecamatan Loa Janan",
         "jenis_pegawai": "pns", "jenis_kelamin": "p", "kabupaten_kota": "kutai_kartanegara",
         **keyed, "q01": "a", "q31": "a c", "submitted_at": "2024-11-22 10:01:00"}
    b = {"nama": "Budi Santoso", "kode_peserta": "BS0101", "opd": "Pemerintah Desa se-Kecamatan Loa Janan",
         "jenis_pegawai": "desa", **{k: "" for k in keyed}, "q02": "d", "q07": "benar",
         "submitted_at": "2024-11-22 10:03:00"}
    c = {"nama": "Rudi Hakim", "nip": NIP_B, "opd": "UPT Puskesmas Loa Janan", "jenis_pegawai": "pppk",
         **keyed, "q12": "benar", "submitted_at": "2024-11-22 10:05:00"}
    for row, vals in ((a, (5, 4)), (b, (3, 3)), (c, (4, 2))):
        row["sikap_1"], row["sikap_6"] = vals
        if wave == "post":
            row["reaksi_1"] = vals[0]
    if wave == "post":
        a["saran"] = "Waktu diskusi ditambah; contoh kasus diperbanyak"
    return [a, b, c]


def _expected_scores():
    # a: 27 scored - q01 wrong - q31 wrong = 25; b: q02 (key d) + q07 (key benar) = 2;
    # c: 27 - q12 wrong (key salah) = 26
    return {f"nip:{NIP_A}": 25, "kode:BS0101": 2, f"nip:{NIP_B}": 26}


def _check(r, inst, answers, wave):
    assert r.n_input_rows == 3 and len(r.data) == 3 and r.n_excluded == 0
    assert r.ledger.empty, r.ledger
    got = r.data.set_index("nama")
    for row in answers:
        g = got.loc[row["nama"]]
        assert g["wave"] == wave
        for item in inst.items:
            assert g[item.id] == row.get(item.id, ""), (row["nama"], item.id)
        for f in ("nip", "kode_peserta", "opd", "jenis_pegawai"):
            assert g[f] == row.get(f, ""), (row["nama"], f)
        assert g["sikap_1"] == row["sikap_1"] and g["sikap_6"] == row["sikap_6"]
        if wave == "post":
            assert g["reaksi_1"] == row["reaksi_1"]
    s = et.score(r, inst).set_index("pid")["n_correct"].to_dict()
    assert s == _expected_scores()


@pytest.mark.parametrize("wave", ["pre", "post"])
def test_kobo_csv_round_trip(inst, reg, tmp_path, wave):
    from evaltools.forms.xlsform import kobo_export_csv
    answers = _answers(inst, wave)
    folder = tmp_path / "loa-janan-2024-11-22"
    folder.mkdir()
    # Kobo's own export file name: {title} - all versions - xml - {timestamp}.csv
    path = folder / "Tes Pemahaman Netralitas ASN - all versions - xml - 2024-11-22-11-00-00.csv"
    kobo_export_csv(_spec(inst, reg, wave), answers, path)
    r = et.read_responses(path, inst, registry=reg)
    _check(r, inst, answers, wave)
    assert set(r.data["session"]) == {"loa-janan-2024-11-22"}  # from the folder
    assert r.data.set_index("nama").loc["Siti Rahmawati", "submitted_at"].hour == 10


def test_kobo_export_of_another_instrument_version_is_refused(inst, reg, tmp_path):
    from evaltools.forms.xlsform import kobo_export_csv
    path = tmp_path / "post.csv"
    kobo_export_csv(_spec(inst, reg, "post"), _answers(inst, "post"), path)
    path.write_text(path.read_text(encoding="utf-8").replace('"2024.1"', '"2023.2"'), encoding="utf-8")
    with pytest.raises(et.EvalToolsError, match="instrument_version '2023.2'") as info:
        et.read_responses(path, inst, registry=reg)
    assert (info.value.row, info.value.column) == (2, "instrument_version")


@pytest.mark.parametrize("wave", ["pre", "post"])
def test_google_csv_round_trip(inst, reg, tmp_path, wave):
    from evaltools.forms.gforms import google_export_csv, model_from_script, quiz_model, write_apps_script
    spec = _spec(inst, reg, wave, session="loa-janan-2024-11-22")
    gs = write_apps_script(spec, tmp_path / "form.gs")
    model = model_from_script(gs)
    assert model == quiz_model(spec)  # the CSV headers below are the script's own titles
    answers = _answers(inst, wave)
    # Google names the download after the form title: "<title> (Responses).csv"
    path = tmp_path / f"{model['title']} (Responses).csv"
    google_export_csv(spec, answers, path)
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("Timestamp,Score,Nama lengkap,NIP / NI PPPK")
    r = et.read_responses(path, inst, registry=reg)
    _check(r, inst, answers, wave)
    assert set(r.data["session"]) == {"loa-janan-2024-11-22"}  # from the title's stamp
