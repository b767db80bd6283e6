"""``sesi.yaml`` is checked as the instrument is (issue 21, point 6): a date
that does not exist, no date, a date after today, an unknown key and a value
of the wrong type each give one EvalToolsError naming the file, the key and
its line, with the fix; so the one-pager never prints a raw invalid date."""

import datetime as dt
import os
import signal

import pytest
from conftest import LOA_JANAN, SAMPLE

import evaltools as et
from evaltools.errors import EvalToolsError
from evaltools.read import find_sessions, read_session_meta


def _refused(folder, text: str) -> EvalToolsError:
    (folder / "sesi.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(EvalToolsError) as e:
        read_session_meta(folder)
    assert e.value.file == str(folder / "sesi.yaml")
    return e.value


def test_the_sample_sessions_pass():
    for sid in find_sessions(SAMPLE):
        meta = read_session_meta(SAMPLE / sid)
        assert meta["tanggal"] == sid[-10:] and meta["sintetis"] is True


def test_a_date_that_does_not_exist(tmp_path):
    e = _refused(tmp_path, "nama: Sesi uji\ntanggal: '2031-02-30'\n")
    assert (e.problem, e.line) == ("sesi.yaml: tanggal '2031-02-30' tanggal yang tidak ada", 2)
    assert e.fix == "tulis tanggal sesi sebagai '2024-11-22' (tahun-bulan-hari)"
    assert e.problem_en == "sesi.yaml: tanggal '2031-02-30' a date that does not exist"
    # unquoted, YAML itself cannot build it: the line is named too
    e = _refused(tmp_path, "nama: Sesi uji\n\ntanggal: 2031-02-30\n")
    assert e.line == 3 and e.problem.startswith("sesi.yaml tidak sah (cannot read '2031-02-30' as")


def test_no_date(tmp_path):
    e = _refused(tmp_path, "tanggal: kemarin sore\n")
    assert (e.problem, e.line) == ("sesi.yaml: tanggal 'kemarin sore' bukan tanggal (tulis "
                                  "tahun-bulan-hari)", 1)
    assert e.problem_en == "sesi.yaml: tanggal 'kemarin sore' is no date (write year-month-day)"
    e = _refused(tmp_path, "nama: x\ntanggal: 2024-11-22 08:30:00\n")
    assert e.problem.startswith("sesi.yaml: tanggal harus tanggal saja, bukan") and e.line == 2


def test_a_date_in_the_future_but_not_today(tmp_path):
    later = dt.date.today() + dt.timedelta(days=30)
    e = _refused(tmp_path, f"nama: x\ntempat: y\ntanggal: '{later.isoformat()}'\n")
    assert (e.problem, e.line) == (f"sesi.yaml: tanggal {later.isoformat()} belum tiba (setelah hari "
                                  "ini)", 3)
    (tmp_path / "sesi.yaml").write_text(f"tanggal: {dt.date.today().isoformat()}\n", encoding="utf-8")
    assert read_session_meta(tmp_path) == {"tanggal": dt.date.today().isoformat()}


def test_an_unknown_key_names_the_one_meant(tmp_path):
    e = _refused(tmp_path, "nama: Sesi uji\ntangal: '2024-11-22'\n")
    assert (e.problem, e.line) == ("sesi.yaml: kunci 'tangal' tidak dikenal", 2)
    assert e.fix.startswith("maksud Anda 'tanggal'? kunci yang dikenal: id, nama, tempat,")
    assert e.fix_en.startswith("did you mean 'tanggal'? known keys: id, nama,")


@pytest.mark.parametrize("text, problem, line", [
    ("nama: 2024\n", "sesi.yaml: nama harus teks, bukan 2024", 1),
    ("nama: x\nsintetis: mungkin\n", "sesi.yaml: sintetis harus true atau false, bukan 'mungkin'", 2),
    ("tindak_lanjut_dari: {a: 1}\n", "sesi.yaml: tindak_lanjut_dari harus id sesi atau daftar id "
                                     "sesi, bukan {'a': 1}", 1),
    ("nama: x\ntempat: [a, b]\n", "sesi.yaml: tempat harus teks, bukan ['a', 'b']", 2),
    ("target_lulus: 80\n", "sesi.yaml: target_lulus harus angka di antara 0 dan 1 (mis. 0.8)", 1),
    ("nama: x\nnama: y\n", "sesi.yaml tidak sah (duplicate key 'nama' (first at line 1))", 2)])
def test_wrong_types_name_the_key_and_line(tmp_path, text, problem, line):
    e = _refused(tmp_path, text)
    assert (e.problem, e.line) == (problem, line)


@pytest.mark.skipif(os.name == "nt", reason="POSIX only: os.mkfifo")
def test_a_named_pipe_as_sesi_yaml_is_refused_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "sesi.yaml")

    def hung(*_):
        raise TimeoutError("read_session_meta opened the named pipe")
    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        with pytest.raises(EvalToolsError) as e:
            read_session_meta(tmp_path)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert e.value.problem == "sesi.yaml: pipa bernama (FIFO), bukan berkas"


def test_evaluate_checks_a_meta_given_and_the_page_prints_the_date(inst):
    with pytest.raises(EvalToolsError) as e:
        et.evaluate(LOA_JANAN, inst, meta={"nama": "x", "tanggal": "kemarin sore"})
    assert e.value.problem.startswith("sesi.yaml: tanggal 'kemarin sore' bukan tanggal")
    ev = et.evaluate(LOA_JANAN, inst, meta={"nama": "x", "tanggal": dt.date(2024, 11, 22)})
    assert ev.meta["tanggal"] == "2024-11-22"
    from evaltools.export.onepage import onepage_figure
    from matplotlib.text import Text
    texts = [t.get_text() for t in onepage_figure(ev).findobj(Text)]
    assert "22 November 2024" in texts


def test_the_english_message_says_line_for_a_line_of_sesi_yaml(tmp_path):
    (tmp_path / "sesi.yaml").write_text("nama: Sesi uji\ntanggal: kemarin sore\n", encoding="utf-8")
    with pytest.raises(EvalToolsError) as exc:
        read_session_meta(tmp_path)
    assert f"{tmp_path / 'sesi.yaml'}, baris 2: sesi.yaml: tanggal 'kemarin sore'" in str(exc.value)
    assert exc.value.message_en.startswith(f"{tmp_path / 'sesi.yaml'}, line 2: sesi.yaml: tanggal")
