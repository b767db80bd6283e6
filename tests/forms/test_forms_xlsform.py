"""XLSForm for KoboToolbox / ODK Collect, and the simulated Kobo CSV export."""

import csv
import shutil
from dataclasses import replace

import pytest
from conftest import INSTRUMENT, ROOT
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from evaltools.forms import FormSpec
from evaltools.forms.xlsform import (
    CHOICE_COLS, NIP_CONSTRAINT, SURVEY_COLS, kobo_export_csv, write_xlsform, xlsform_rows)
from evaltools.instrument import load_instrument
from evaltools.read.opd import load_opd_registry

ID, EN = "label::Indonesian (id)", "label::English (en)"


@pytest.fixture(scope="module")
def specs():
    inst = load_instrument(INSTRUMENT)
    reg = load_opd_registry(ROOT / "data/opd.csv")
    opds, codes = tuple(reg["singkatan"]), tuple(reg["kode"])
    return {w: FormSpec(inst, w, None, opds, codes) for w in ("pre", "post")}


@pytest.fixture(scope="module")
def forms(specs, tmp_path_factory):
    out = tmp_path_factory.mktemp("forms")
    return {w: write_xlsform(s, out / f"{s.basename}-kobo.xlsx") for w, s in specs.items()}


def _row(rows, name):
    return next(r for r in rows["survey"] if r.get("name") == name
                and not r["type"].endswith("_group"))


def _choices(rows, list_name):
    return [c["name"] for c in rows["choices"] if c["list_name"] == list_name]


def _group(rows, group):
    """Survey rows inside ``begin_group group``."""
    out, inside = [], False
    for r in rows["survey"]:
        if r["type"] in ("begin_group", "end_group") and r["name"] == group:
            inside = r["type"] == "begin_group"
        elif inside:
            out.append(r)
    return out


def test_settings(specs):
    for wave, spec in specs.items():
        (s,) = xlsform_rows(spec)["settings"]
        assert s["form_id"] == f"netralitas-asn-pilkada-2024-{wave}"
        assert s["version"] == spec.instrument.version == "2024.1"
        assert s["default_language"] == "Indonesian (id)"
        assert s["form_title"].startswith(spec.instrument.title)
        assert ("Pre-test" if wave == "pre" else "Post-test") in s["form_title"]


def test_participant_rows(specs):
    rows = xlsform_rows(specs["pre"])
    nip = _row(rows, "nip")
    assert nip["type"] == "text" and nip["constraint"] == NIP_CONSTRAINT
    assert nip["constraint"] == "regex(., '^[0-9]{18}$')"
    assert not nip["required"]
    assert "18" in nip["constraint_message::Indonesian (id)"]
    assert "18" in nip["constraint_message::English (en)"]
    assert nip["hint::Indonesian (id)"].startswith("18 digit")
    assert _row(rows, "nama")["required"] == "yes"
    assert _row(rows, "kode_peserta")["required"] == "${nip} = ''"
    assert _row(rows, "opd")["type"] == "select_one opd"
    opd = _choices(rows, "opd")
    # named by registry code (6400-001), so a registry edit never renames old answers
    assert opd[:2] == ["opd_6400_001", "opd_6400_002"] and opd[-1] == "lainnya"
    assert len(opd) == len(specs["pre"].opds) + 1
    first = next(c for c in rows["choices"] if c["name"] == "opd_6400_001")
    assert first[ID] == first[EN] == specs["pre"].opds[0]
    assert _row(rows, "opd_lainnya")["relevant"] == "${opd} = 'lainnya'"
    assert _row(rows, "jenis_pegawai")["type"] == "select_one jenis_pegawai"
    assert _choices(rows, "jenis_pegawai") == ["pns", "pppk", "non_asn", "desa"]
    assert [r["name"] for r in _group(rows, "peserta")] == [
        "nama", "nip", "kode_peserta", "opd", "opd_lainnya", "jenis_pegawai", "jabatan",
        "jenis_kelamin", "kabupaten_kota"]


def test_knowledge_items(specs):
    inst = specs["pre"].instrument
    rows = xlsform_rows(specs["pre"])
    q31 = _row(rows, "q31")
    assert q31["type"] == "select_multiple q31"
    assert _choices(rows, "q31") == ["a", "b", "c", "d", "e"]
    assert q31[ID].startswith("31. Pilih SEMUA") and q31[EN].startswith("31. Select ALL")
    selects = [r for r in _group(rows, "pengetahuan") if r["type"].startswith("select_")]
    assert len(selects) == len(inst.items) == 31
    assert [r["name"] for r in selects] == inst.item_ids
    assert _row(rows, "q04")["type"] == "select_one q04"  # unscored items are still asked
    assert not any(r.get("required") for r in selects)


def test_waves_differ(specs):
    pre, post = (xlsform_rows(specs[w]) for w in ("pre", "post"))
    names = {w: {r["name"] for r in rows["survey"]} for w, rows in (("pre", pre), ("post", post))}
    reaksi = {f"reaksi_{n}" for n in range(1, 6)}
    assert reaksi | {"saran", "reaksi"} <= names["post"]
    assert not (reaksi | {"saran", "reaksi"}) & names["pre"]
    for rows in (pre, post):
        assert [r["name"] for r in _group(rows, "sikap")] == [f"sikap_{n}" for n in range(1, 7)]
        assert _choices(rows, "likert5") == ["1", "2", "3", "4", "5"]
    assert {r["type"] for r in _group(post, "reaksi")} == {"select_one likert5"}
    assert _row(post, "saran")["type"] == "text"


def test_calculate_rows(specs):
    for wave, spec in specs.items():
        calc = [r for r in xlsform_rows(spec)["survey"] if r["type"] == "calculate"]
        assert {r["name"]: r["calculation"] for r in calc} == {
            "instrument": "'netralitas-asn-pilkada-2024'", "instrument_version": "'2024.1'",
            "wave": f"'{wave}'"}
        assert xlsform_rows(spec)["survey"][:3] == calc  # first, outside any group
    with_session = replace(specs["pre"], session="loa-janan-2024-11-22")
    assert _row(xlsform_rows(with_session), "session")["calculation"] == "'loa-janan-2024-11-22'"


def test_no_answer_key(specs):
    rows = xlsform_rows(specs["post"])
    assert all(set(r) <= set(SURVEY_COLS) for r in rows["survey"])
    assert all(set(r) <= set(CHOICE_COLS) for r in rows["choices"])


def test_xlsx_sheets(forms, specs):
    wb = load_workbook(forms["post"])
    assert wb.sheetnames == ["survey", "choices", "settings"]
    header = [c.value for c in wb["survey"][1]]
    assert header == list(SURVEY_COLS)
    assert wb["settings"]["B2"].value == specs["post"].basename


def test_label_that_looks_like_a_formula_stays_text(specs, tmp_path):
    spec = replace(specs["pre"], opds=("=HYPERLINK(1)",) + specs["pre"].opds[1:])
    path = write_xlsform(spec, tmp_path / "f.xlsx")
    cell = load_workbook(path)["choices"]["C2"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"


def test_pyxform_converts(forms, specs):
    for wave, path in forms.items():
        result = convert(xlsform=str(path), validate=False)
        assert f'id="{specs[wave].basename}"' in result.xform
        assert 'version="2024.1"' in result.xform
        assert "regex(., '^[0-9]{18}$')" in result.xform
        assert result.warnings == []


@pytest.mark.skipif(shutil.which("java") is None,
                    reason="ODK Validate needs Java 8+ and `java` is not on PATH")
def test_odk_validate(forms):
    # convert(validate=True) raises ODKValidateError on an invalid form; the
    # xls2xform CLI only logs that error and still exits 0, so it is not used.
    for path in forms.values():
        warnings = []
        convert(xlsform=str(path), validate=True, warnings=warnings)
        assert warnings == []  # a validator timeout would show up here, not raise


PEOPLE = [
    {"nama": "Siti Rahmawati", "nip": "198609262015052001", "opd": "BKD Prov. Kaltim",
     "jenis_pegawai": "pns", "q01": "b", "q31": "d a c", "sikap_1": 4, "reaksi_1": 5,
     "saran": 'Waktu kurang; "diskusi" lebih lama', "submitted_at": "2024-11-22T10:01:00"},
    {"nama": "Andi Saputra", "kode_peserta": "AS2208", "opd": "Kantor Desa Loa Janan Ilir",
     "jenis_pegawai": "desa", "q01": "a"},
    {"nama": "Rina", "nip": "199001012019032003", "opd": "Kesbangpol Prov. Kaltim",
     "jenis_pegawai": "pppk", "q31": ""},
]


def test_kobo_export_csv(specs, tmp_path):
    path = kobo_export_csv(specs["post"], PEOPLE, tmp_path / "kobo.csv")
    raw = path.read_bytes().decode("utf-8")
    lines = raw.split("\r\n")
    assert lines[-1] == "" and len(lines) == 5 and "\n" not in raw.replace("\r\n", "")
    head = lines[0]
    assert head.startswith('"instrument";"instrument_version";"wave";"peserta/nama";'
                           '"peserta/nip";"peserta/kode_peserta";"peserta/opd";'
                           '"peserta/opd_lainnya";"peserta/jenis_pegawai";')
    assert ('"pengetahuan/q30";"pengetahuan/q31";"pengetahuan/q31/a";"pengetahuan/q31/b";'
            '"pengetahuan/q31/c";"pengetahuan/q31/d";"pengetahuan/q31/e";"sikap/sikap_1";') in head
    assert head.endswith('"reaksi/reaksi_5";"saran";"_id";"_uuid";"_submission_time";'
                         '"_validation_status";"_notes";"_status";"_submitted_by";"_tags";"_index"')
    assert lines[1].startswith('"netralitas-asn-pilkada-2024";"2024.1";"post";"Siti Rahmawati";'
                               '"198609262015052001";"";"opd_6400_003";"";"pns";')
    assert '"Waktu kurang; ""diskusi"" lebih lama";"1000";' in lines[1]
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline=""), delimiter=";"))
    assert [r["pengetahuan/q31"] for r in rows] == ["a c d", "", ""]
    assert [r["pengetahuan/q31/b"] for r in rows] == ["0", "", ""]
    assert [r["pengetahuan/q31/d"] for r in rows] == ["1", "", ""]
    assert rows[1]["peserta/opd"] == "lainnya"
    assert rows[1]["peserta/opd_lainnya"] == "Kantor Desa Loa Janan Ilir"
    assert rows[2]["peserta/opd"] == "opd_6400_001"
    assert [r["sikap/sikap_1"] for r in rows] == ["4", "", ""]
    assert [r["_id"] for r in rows] == ["1000", "1001", "1002"]
    assert [r["_index"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["_submission_time"] == "2024-11-22T10:01:00"
    assert rows[1]["_submission_time"].startswith("2024-11-22T")
    again = kobo_export_csv(specs["post"], PEOPLE, tmp_path / "again.csv")
    assert again.read_bytes() == path.read_bytes()  # deterministic, _uuid included
    pre = kobo_export_csv(specs["pre"], PEOPLE, tmp_path / "pre.csv").read_text(encoding="utf-8")
    assert '"reaksi/' not in pre and '"saran"' not in pre and '"wave"' in pre
