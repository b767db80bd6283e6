"""The Excel entry template: its shape, and a round trip through openpyxl."""

import shutil
import subprocess

import pytest
from openpyxl import load_workbook

import evaltools as et
from evaltools import EvalToolsError
from evaltools.forms import FormSpec, stable_xlsx
from evaltools.forms.template import write_entry_template
from evaltools.read.opd import load_opd_registry

from conftest import ROOT

NIP = "198609262015051001"


@pytest.fixture(scope="module")
def opds():
    return tuple(load_opd_registry(ROOT / "data" / "opd.csv")["singkatan"])


@pytest.fixture()
def template(inst, opds, tmp_path):
    return write_entry_template(FormSpec(inst, "post", "loa-janan-2024-11-22", opds),
                                tmp_path / "post-entri.xlsx")


def test_template_shape(template, inst):
    wb = load_workbook(template)
    assert wb.sheetnames == ["Jawaban", "Petunjuk", "Daftar OPD"]
    ws = wb["Jawaban"]
    header = [c.value for c in ws[1]]
    assert header[:8] == inst.field_ids
    assert header[8:39] == inst.item_ids
    assert header[-1] == "saran" and "reaksi_5" in header
    assert ws.freeze_panes == "B3"
    assert ws["B3"].number_format == "@" and ws["B502"].number_format == "@"  # NIP as text
    assert ws.cell(2, header.index("q01") + 1).value.startswith("1. Undang-undang tentang ASN")
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    col = lambda cid: ws.cell(1, header.index(cid) + 1).column_letter  # noqa: E731
    assert rules[f"{col('q01')}3:{col('q01')}502"].formula1 == '"A,B,C,D"'
    assert rules[f"{col('q07')}3:{col('q07')}502"].formula1 == '"Benar,Salah"'
    assert rules[f"{col('opd')}3:{col('opd')}502"].formula1 == "'Daftar OPD'!$A$2:$A$51"  # 50 OPDs in data/opd.csv
    assert rules[f"{col('sikap_1')}3:{col('sikap_1')}502"].type == "whole"
    assert rules[f"{col('jenis_pegawai')}3:{col('jenis_pegawai')}502"].formula1 == \
        '"PNS,PPPK,Non-ASN,Kepala/Perangkat Desa"'
    # every answer column has a rule
    answer_cols = {col(c) for c in header if c not in ("nama", "nip", "kode_peserta", "jabatan", "saran")}
    covered = {k.split(":")[0].rstrip("0123456789") for k in rules}
    assert answer_cols <= covered
    info = {r[0]: r[1] for r in wb["Petunjuk"].iter_rows(values_only=True) if r[0]}
    assert (info["instrumen"], info["versi"], info["gelombang"], info["sesi"]) == (
        inst.id, inst.version, "post", "loa-janan-2024-11-22")


def test_round_trip_through_openpyxl(template, inst, tmp_path):
    wb = load_workbook(template)
    ws = wb["Jawaban"]
    header = [c.value for c in ws[1]]
    typed = {"nama": "Ani Lestari", "nip": NIP, "opd": "Kecamatan Loa Janan",
             "jenis_pegawai": "PNS", "jenis_kelamin": "Perempuan"}
    for item in inst.items:  # every key, typed as the dropdown offers it
        typed[item.id] = ("a C d" if item.type == "multi" else
                          item.options[item.key] if item.type == "truefalse" else item.key.upper())
    typed["q01"] = "A"       # wrong (key b)
    typed["q02"] = None      # blank
    typed.update(sikap_1=5, reaksi_1=4, saran="=HYPERLINK(\"x\")")
    for cid, v in typed.items():
        ws.cell(3, header.index(cid) + 1).value = v
    second = {"nama": "Budi Santoso", "kode_peserta": "bs0101", "opd": "Pemerintah Desa se-Kecamatan Loa Janan",
              "jenis_pegawai": "Kepala/Perangkat Desa", "q01": "B"}
    for cid, v in second.items():
        ws.cell(5, header.index(cid) + 1).value = v   # row 4 left empty on purpose
    filled = tmp_path / "terisi.xlsx"
    wb.save(filled)
    r = et.read_responses(filled, inst)
    assert r.n_input_rows == 3 and len(r.data) == 2
    assert r.ledger[["row", "reason", "action"]].values.tolist() == [[4, "empty_row", "excluded"]]
    a = r.data.iloc[0]
    assert (a["nip"], a["jenis_pegawai"], a["jenis_kelamin"], a["wave"], a["session"]) == (
        NIP, "pns", "p", "post", "loa-janan-2024-11-22")
    assert (a["q01"], a["q02"], a["q07"], a["q31"], a["sikap_1"]) == ("a", "", "benar", "a c d", 5)
    assert a["saran"] == '=HYPERLINK("x")'  # read as text, never evaluated
    assert r.data.iloc[1]["jenis_pegawai"] == "desa" and r.data.iloc[1]["pid"] == "kode:BS0101"
    s = et.score(r, inst).set_index("pid")
    assert s.loc[f"nip:{NIP}", "n_correct"] == 25        # 27 scored, q01 wrong, q02 blank
    assert s.loc[f"nip:{NIP}", "n_blank"] == 1
    assert s.loc["kode:BS0101", "n_correct"] == 1


def test_template_of_another_version_is_refused(template, inst, tmp_path):
    wb = load_workbook(template)
    wb["Petunjuk"]["B11"] = "2023.9"
    assert wb["Petunjuk"]["A11"].value == "versi"
    ws = wb["Jawaban"]
    ws["A3"], ws["C3"] = "Ani", "AL0101"
    path = tmp_path / "lama.xlsx"
    wb.save(path)
    with pytest.raises(EvalToolsError, match="instrument_version '2023.9'") as info:
        et.read_responses(path, inst)
    assert info.value.file == "lama.xlsx" and info.value.row == 3


def test_stable_bytes(inst, opds, tmp_path):
    spec = FormSpec(inst, "pre", None, opds)
    a = stable_xlsx(write_entry_template(spec, tmp_path / "a.xlsx")).read_bytes()
    b = stable_xlsx(write_entry_template(spec, tmp_path / "b.xlsx")).read_bytes()
    assert a == b


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) not installed: apt-get install libreoffice-calc-nogui")
def test_libreoffice_opens_the_template(template, tmp_path):
    res = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                          str(template)], capture_output=True, text=True, timeout=180,
                         env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert (tmp_path / "post-entri.pdf").exists(), res.stderr
