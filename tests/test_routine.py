"""The evaluator's routine end to end through the command line (issue 22), from
a working folder outside the repository: ``init`` a new session, write its
forms in ``sesi.yaml``, ``pull`` the pre-test from a Kobo-like server and the
post-test from an ODK Central-like one (through pyodk), ``validate``,
``report`` and ``recap``; then the outputs are opened and read."""

import shutil
import subprocess

import pytest
import yaml
from openpyxl import load_workbook
from pull_server import (CENTRAL_PASSWORD, CENTRAL_USER, FIXTURES, KOBO_TOKEN, FormServer,
                         kobo_records)

from evaltools.cli import main

SESSION = "loa-janan-2024-11-22"  # the id the fixtures' submissions carry
POST_FORM = "netralitas-asn-pilkada-2024-post"
NAME = "Sosialisasi Netralitas ASN Kecamatan Loa Janan"


@pytest.fixture
def server():
    s = FormServer()
    s.kobo["aKoboPre01"] = kobo_records()
    s.central[(3, POST_FORM)] = (FIXTURES / "central" / "groups-zip" / f"{POST_FORM}.csv.zip").read_bytes()
    yield s
    s.stop()


def _run(capsys, *args) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, out + err
    return out


def test_init_pull_validate_report_recap(tmp_path, server, capsys, monkeypatch):
    work = tmp_path / "kantor"  # the evaluator's folder, not the repository
    (work / "data").mkdir(parents=True)
    monkeypatch.chdir(work)
    (tmp_path / "pyodk.toml").write_text(f'[central]\nbase_url = "{server.url}"\nusername = '
                                         f'"{CENTRAL_USER}"\npassword = "{CENTRAL_PASSWORD}"\n')
    for key, value in {"KOBO_URL": server.url, "KOBO_TOKEN": KOBO_TOKEN,
                       "EVALTOOLS_KOBO_CONFIG": str(tmp_path / "kobo.toml"),
                       "PYODK_CONFIG_FILE": str(tmp_path / "pyodk.toml"),
                       "PYODK_CACHE_FILE": str(tmp_path / "pyodk_cache.toml")}.items():
        monkeypatch.setenv(key, value)

    out = _run(capsys, "init", SESSION, "--data", "data", "--nama", NAME, "--tempat",
               "Kantor Kecamatan Loa Janan", "--penyelenggara", "Pemkab Kutai Kartanegara")
    meta_path = work / "data" / SESSION / "sesi.yaml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    assert (meta["nama"], meta["tanggal"]) == (NAME, "2024-11-22")  # the date from the id
    assert f"evaltools pull {SESSION}" in out
    # the evaluator lists the session's forms, as docs/pull.md says
    meta["formulir"] = [{"kobo": "aKoboPre01", "gelombang": "pre"},
                        {"central": {"proyek": 3, "formulir": POST_FORM}, "gelombang": "post"}]
    meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")

    out = _run(capsys, "pull", SESSION, "--data", "data")
    assert "8 kiriman, pengambilan pertama" in out and "6 kiriman, pengambilan pertama" in out

    out = _run(capsys, "validate", f"data/{SESSION}")
    assert all(len(line) <= 100 for line in out.splitlines())
    files = [line.split() for line in out.splitlines() if line.lstrip().startswith(("[1]", "[2]"))]
    assert [f[:3] for f in files[:2]] == [["[1]", "pre", "Kobo"], ["[2]", "post", "ODK"]]
    assert f"diambil dari server: kobo aKoboPre01, 8 kiriman, {server.url}" in out
    assert "sesi.yaml tidak ada" not in out

    from evaltools.cli import report
    taken = []  # the kernel main started before anything else: the one the notebook ran in
    take = report.take_early
    monkeypatch.setattr(report, "take_early", lambda *a: taken.append(take(*a)) or taken[-1])
    out = _run(capsys, "report", "--session", SESSION, "--data", "data", "--out", "laporan")
    assert "1 dari 1 sesi selesai." in out
    assert len(taken) == 1 and taken[0] is not None and not taken[0].has_kernel  # taken, then stopped
    kirim = work / "laporan" / SESSION / "kirim"
    sheet = load_workbook(kirim / "ringkasan.xlsx")["Ringkasan"]
    assert NAME in [c for row in sheet.iter_rows(values_only=True) for c in row]  # from init
    if shutil.which("pdftotext"):  # poppler-utils: installed by .ci/run
        page = subprocess.run(["pdftotext", str(kirim / "ringkasan.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "Kantor Kecamatan Loa Janan" in page  # the venue given to init, on the one-pager

    out = _run(capsys, "recap", "--data", "data", "--out", "laporan")
    assert len(taken) == 2 and taken[1] is not None and taken[1] is not taken[0]  # its own, early too
    assert f"    {SESSION} (sesi, " in out and "rekap-data" in out
    assert (work / "laporan" / "rekap-data" / "kirim" / "rekap.xlsx").is_file()
