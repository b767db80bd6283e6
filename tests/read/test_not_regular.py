"""Only regular files of a session folder are read (issue 21, point 4): a
folder named like a data file, a named pipe (FIFO), a socket, a broken or
looping symbolic link is listed in ``Responses.sources`` as skipped with its
reason and never opened (opening a FIFO waits forever). Commands run in a
subprocess with a timeout, so a regression fails instead of hanging."""

import os
import shutil
import socket
import subprocess
import sys

import pytest
from conftest import INSTRUMENT, LOA_JANAN, ROOT

from evaltools.errors import EvalToolsError
from evaltools.read import read_responses

# named pipes, sockets and symbolic links as a user cannot make them on Windows
pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX only: os.mkfifo, AF_UNIX sockets")

WHY = {"broken.csv": "tautan simbolik yang rusak: tujuannya tidak ada "
                     "(a broken symbolic link: its target does not exist)",
       "extra.csv": "folder, bukan berkas (a folder, not a file)",
       "loop.xlsx": "tautan simbolik yang berputar (a symbolic link loop)",
       "pipe.csv": "pipa bernama (FIFO), bukan berkas (a named pipe (FIFO), not a file)",
       "sock.csv": "soket, bukan berkas (a socket, not a file)"}


@pytest.fixture
def odd_folder(tmp_path):
    """The Loa Janan sample with five entries named like data files that are no files."""
    folder = tmp_path / "loa"
    shutil.copytree(LOA_JANAN, folder)
    (folder / "extra.csv").mkdir()
    (folder / "extra.csv" / "inside.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    os.mkfifo(folder / "pipe.csv")
    (folder / "broken.csv").symlink_to(folder / "not-there.csv")
    (folder / "loop.xlsx").symlink_to(folder / "loop.xlsx")
    sock = socket.socket(socket.AF_UNIX)
    here = os.getcwd()
    os.chdir(folder)  # a short relative name: a socket's path is limited to ~100 bytes
    try:
        sock.bind("sock.csv")
    finally:
        os.chdir(here)
    yield folder
    sock.close()


def _run(*args, timeout=120):
    """``evaltools`` as a user runs it, in its own process: a hang is a failure."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", "import sys; from evaltools.cli import main; "
                           "sys.exit(main())", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


def test_odd_entries_are_listed_as_skipped_and_rows_still_add_up(odd_folder, inst):
    r = read_responses(odd_folder, inst)
    rows = r.sources.set_index("source")
    assert rows.loc[list(WHY), "skipped"].to_dict() == WHY
    assert rows.loc[list(WHY), ["rows", "kept", "excluded"]].to_numpy().sum() == 0
    assert set(rows.loc[list(WHY), "format"]) == {""}
    read = rows[rows["skipped"] == ""]
    assert read["rows"].tolist() == [58, 56] and read["kept"].tolist() == [55, 53]
    assert r.n_input_rows == 114 == len(r.data) + r.n_excluded
    assert not r.ledger["source"].isin(list(WHY)).any()


def test_validate_lists_them_and_does_not_hang(odd_folder):
    done = _run("validate", str(odd_folder), "--instrument", str(INSTRUMENT))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Berkas: 7; baris dibaca 114, dipakai 108, dikeluarkan 6" in out
    said = " ".join(out.split())
    # the two files read come first (pre, post), the entries skipped after them, each named
    assert "[1] pre Kobo 58 55 3" in said and "[2] post templat entri 56 53 3" in said
    assert "pipe.csv dilewati, tidak dibuka: pipa bernama (FIFO), bukan berkas (a named pipe " \
           "(FIFO), not a file)" in said
    assert "extra.csv dilewati, tidak dibuka: folder, bukan berkas" in said
    assert "sock.csv dilewati, tidak dibuka: soket, bukan berkas" in said
    assert "Traceback" not in done.stderr


def test_a_folder_of_only_odd_entries_says_so(tmp_path, inst):
    (tmp_path / "extra.csv").mkdir()
    os.mkfifo(tmp_path / "pipe.csv")
    with pytest.raises(EvalToolsError) as e:
        read_responses(tmp_path, inst)
    assert e.value.problem == ("folder tidak berisi berkas .csv atau .xlsx; extra.csv: folder, bukan "
                               "berkas; pipe.csv: pipa bernama (FIFO), bukan berkas")


@pytest.mark.parametrize("name, problem", [
    ("pipe.csv", "pipa bernama (FIFO), bukan berkas: tidak dapat dibaca sebagai berkas jawaban"),
    ("extra.csv", "folder, bukan berkas: tidak dapat dibaca sebagai berkas jawaban"),
    ("broken.csv", "tautan simbolik yang rusak: tujuannya tidak ada: tidak dapat dibaca sebagai "
                   "berkas jawaban"),
    ("loop.xlsx", "tautan simbolik yang berputar: tidak dapat dibaca sebagai berkas jawaban")])
def test_an_odd_file_given_by_name_is_refused_naming_it(odd_folder, inst, name, problem):
    path = odd_folder / name
    with pytest.raises(EvalToolsError) as e:
        read_responses([path, next(odd_folder.glob("*.xlsx"))], inst)
    assert e.value.problem == problem and e.value.file == str(path)
    assert e.value.fix == (f"beri berkas ekspor .csv atau .xlsx itu sendiri; pindahkan atau hapus "
                           f"{name} bila bukan data")


def test_an_odd_file_given_to_validate_is_one_message_not_a_hang(odd_folder):
    done = _run("validate", str(odd_folder / "pipe.csv"), "--instrument", str(INSTRUMENT), timeout=60)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "pipe.csv: pipa bernama (FIFO), bukan berkas: tidak dapat dibaca sebagai berkas jawaban" \
        in done.stderr + done.stdout


def test_a_missing_file_is_still_not_found(tmp_path, inst):
    with pytest.raises(EvalToolsError) as e:
        read_responses(tmp_path / "nope.csv", inst)
    assert e.value.problem == "berkas tidak ditemukan"


def test_a_koreksi_csv_that_is_no_file_is_refused_not_ignored(tmp_path, inst):
    folder = tmp_path / "loa"
    shutil.copytree(LOA_JANAN, folder)
    os.mkfifo(folder / "koreksi.csv")  # opened, it would wait forever; ignored, the fixes vanish
    with pytest.raises(EvalToolsError) as exc:
        read_responses(folder, inst)
    assert str(exc.value).startswith(f"{folder / 'koreksi.csv'}: koreksi.csv: pipa bernama (FIFO), "
                                     "bukan berkas. Perbaikan: koreksi.csv harus berkas teks biasa")
    assert exc.value.message_en.endswith("koreksi.csv: a named pipe (FIFO), not a file. Fix: "
                                         "koreksi.csv must be a plain text file (tertulis,opd); "
                                         "delete it or put the file there")


def test_the_workbook_counts_the_skipped_entries(odd_folder, inst, tmp_path):
    import evaltools as et
    from openpyxl import load_workbook

    from evaltools.export import write_workbook
    ev = et.evaluate(odd_folder, inst)
    ws = load_workbook(write_workbook(ev, tmp_path / "r.xlsx"))["Kualitas Data"]
    counts = {r[0]: r[1] for r in ws.iter_rows(min_row=2, max_row=4, values_only=True)}
    assert counts == {"berkas dibaca": 2, "dilewati: bukan berkas biasa, tidak dibuka": 5,
                      "baris dibaca": 114}  # 58 pre-test and 56 post-test rows
