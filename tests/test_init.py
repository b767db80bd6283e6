"""``evaltools init``: a session folder and a ``sesi.yaml`` the readers accept,
the date from the id, the id refused unless it is a plain folder name, an
existing ``sesi.yaml`` kept unless init wrote it unchanged (or ``--timpa``),
questions only in a terminal (a real pseudo-terminal here), and the
warnings of ``validate``/``report`` about a missing or incomplete one."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest
from conftest import ROOT

from evaltools.cli import main
from evaltools.read import read_session_meta
from evaltools.read.sessions import meta_warnings


def _init(capsys, *args) -> tuple:
    """(exit code, stdout, stderr) of ``evaltools init *args`` (pytest's stdin is no terminal)."""
    code = main(["init", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_init_writes_a_sesi_yaml_the_readers_accept_with_the_date_from_the_id(tmp_path, capsys):
    code, out, _ = _init(capsys, "samarinda-2024-11-28", "--data", tmp_path, "--nama",
                         "Sosialisasi Netralitas ASN", "--tempat", "Aula Kesbangpol Samarinda")
    assert code == 0
    folder = tmp_path / "samarinda-2024-11-28"
    assert read_session_meta(folder) == {"id": "samarinda-2024-11-28", "nama": "Sosialisasi Netralitas ASN",
                                         "tanggal": "2024-11-28", "tempat": "Aula Kesbangpol Samarinda",
                                         "penyelenggara": ""}
    # not a terminal: nothing asked, the key left empty named, the next steps given
    said = " ".join(out.split())
    assert "Belum diisi: penyelenggara." in said
    assert f"evaltools validate {tmp_path}/samarinda-2024-11-28" in said
    assert f"evaltools report --session samarinda-2024-11-28 --data {tmp_path}" in said
    assert f"evaltools pull samarinda-2024-11-28 --data {tmp_path}" in said
    assert all(len(line) <= 100 for line in out.splitlines())
    assert meta_warnings(folder, "en") == [
        f"sesi.yaml has no penyelenggara: the report will go without; fill them in {folder / 'sesi.yaml'}"]
    assert meta_warnings(tmp_path / "nothing-here")[0].startswith("sesi.yaml tidak ada di ")


@pytest.mark.parametrize("bad", ["../samarinda", "samarinda 2024", ".tersembunyi", "_arsip", "con",
                                 "a/b", "sesi."])
def test_a_session_id_that_is_no_plain_folder_name_is_refused(bad, tmp_path, capsys):
    code, _, err = _init(capsys, bad, "--data", tmp_path)
    assert code == 2
    assert err.startswith(f"evaltools: id sesi {bad!r} bukan nama folder biasa. Perbaikan: pakai huruf")
    assert list(tmp_path.iterdir()) == []


def test_an_impossible_date_in_the_id_is_refused_before_anything_is_written(tmp_path, capsys):
    code, _, err = _init(capsys, "samarinda-2024-02-30", "--data", tmp_path)
    assert code == 2 and "tanggal '2024-02-30' tanggal yang tidak ada" in err
    assert list(tmp_path.iterdir()) == []


def test_an_existing_sesi_yaml_is_kept_unless_init_wrote_it(tmp_path, capsys):
    folder = tmp_path / "balikpapan-2024-10-20"
    assert _init(capsys, folder.name, "--data", tmp_path, "--nama", "Sosialisasi")[0] == 0
    # ours and unchanged: replaced, the facts given before kept
    assert _init(capsys, folder.name, "--data", tmp_path, "--tempat", "Hotel Gran Senyiur")[0] == 0
    meta = read_session_meta(folder)
    assert (meta["nama"], meta["tempat"]) == ("Sosialisasi", "Hotel Gran Senyiur")
    # changed by a person: refused, the file left as it is
    text = (folder / "sesi.yaml").read_text(encoding="utf-8") + "catatan: ditulis tangan\n"
    (folder / "sesi.yaml").write_text(text, encoding="utf-8")
    code, _, err = _init(capsys, folder.name, "--data", tmp_path, "--penyelenggara", "Kesbangpol")
    assert code == 2
    assert "sesi.yaml sudah ada dan ditulis atau diubah orang, bukan oleh init" in err
    assert (folder / "sesi.yaml").read_text(encoding="utf-8") == text
    # --timpa: replaced
    assert _init(capsys, folder.name, "--data", tmp_path, "--penyelenggara", "Kesbangpol",
                 "--timpa")[0] == 0
    assert read_session_meta(folder)["penyelenggara"] == "Kesbangpol"
    assert "catatan" not in read_session_meta(folder)


def test_in_a_terminal_init_asks_for_what_is_missing(tmp_path):
    """The CLI in a subprocess whose stdin is a pseudo-terminal: it asks for the
    name, the date (asked again after an impossible one), the venue and the
    organiser (Enter: later)."""
    main_fd, term = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    answers = "Sosialisasi Netralitas ASN\n2024-13-01\n2024-11-28\nAula Kecamatan Sungai Kunjang\n\n"
    os.write(main_fd, answers.encode())
    done = subprocess.run([sys.executable, "-m", "evaltools.cli", "init", "sungai-kunjang", "--data",
                           str(tmp_path), "--lang", "en"], stdin=term, capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120)
    os.close(term)
    os.close(main_fd)
    assert done.returncode == 0, done.stderr
    assert read_session_meta(tmp_path / "sungai-kunjang") == {
        "id": "sungai-kunjang", "nama": "Sosialisasi Netralitas ASN", "tanggal": "2024-11-28",
        "tempat": "Aula Kecamatan Sungai Kunjang", "penyelenggara": ""}
    out = done.stdout
    assert out.startswith("The session's facts (Enter = fill in later in sesi.yaml):\n"
                          "  Event name (e.g. Sosialisasi Netralitas ASN Pilkada 2024): "
                          "  Session date (year-month-day) (e.g. 2024-11-22): "
                          "    tanggal '2024-13-01' a date that does not exist\n"
                          "  Session date (year-month-day) (e.g. 2024-11-22): "
                          "  Venue (e.g. Aula Kantor Camat Loa Janan): "
                          "  Organiser (e.g. Badan Kesbangpol Kabupaten Kutai Kartanegara): "
                          "Session folder created: sungai-kunjang\n")
    assert "Not filled in yet: penyelenggara." in out
