"""The forms ``evaltools pull`` fetches, as ``sesi.yaml`` lists them
(``formulir``): each wrong shape is refused naming the file, the key and
its line, with the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaltools.errors import EvalToolsError
from evaltools.pull import file_name, pull_session
from evaltools.read.sessions import check_session_meta, read_session_meta

HEAD = "nama: Sosialisasi\ntanggal: 2024-11-22\n"

BAD = {
    "not a list": ("formulir: aBcD1234efGH\n", 3,
                   "sesi.yaml: formulir harus daftar formulir di server, bukan 'aBcD1234efGH'"),
    "bad uid": ("formulir:\n  - kobo: aBcD1234efGH\n  - kobo: 'ab cd'\n", 5,
                "sesi.yaml: formulir[2].kobo harus uid aset KoboToolbox (huruf dan angka), bukan 'ab cd'"),
    "two servers": ("formulir:\n  - kobo: aBcD1234efGH\n    central: {proyek: 3, formulir: x}\n", 4,
                    "sesi.yaml: formulir[1] harus memuat tepat satu dari kobo: atau central:"),
    "unknown key": ("formulir:\n  - kobo: aBcD1234efGH\n    url: https://kf.kobotoolbox.org\n", 4,
                    "sesi.yaml: formulir[1] kunci tidak dikenal: url"),
    "wave": ("formulir:\n  - {kobo: aBcD1234efGH, gelombang: tengah}\n", 4,
             "sesi.yaml: formulir[1].gelombang harus salah satu dari pre, post, followup, bukan 'tengah'"),
    "project": ("formulir:\n  - central: {proyek: tiga, formulir: tes_post}\n", 4,
                "sesi.yaml: formulir[1].central harus {proyek: nomor, formulir: id formulir}, bukan "
                "{'formulir': 'tes_post', 'proyek': 'tiga'}"),
    "server": ("formulir:\n  - {kobo: aBcD1234efGH, server: kf.kobotoolbox.org}\n", 4,
               "sesi.yaml: formulir[1].server harus alamat http(s)://..., bukan 'kf.kobotoolbox.org'"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_forms_are_refused_with_file_key_and_line(case, tmp_path):
    text, line, problem = BAD[case]
    (tmp_path / "sesi.yaml").write_text(HEAD + text)
    with pytest.raises(EvalToolsError) as e:
        read_session_meta(tmp_path)
    assert (e.value.problem, e.value.line, e.value.file) == (problem, line, str(tmp_path / "sesi.yaml"))
    assert e.value.fix and e.value.message_en != str(e.value)


def test_a_typo_in_the_key_is_named():
    with pytest.raises(EvalToolsError, match="maksud Anda 'formulir'"):
        check_session_meta({"formulr": []}, Path("."))


def test_forms_are_read_in_one_shape(tmp_path):
    (tmp_path / "sesi.yaml").write_text(
        HEAD + "formulir:\n  - kobo: aBcD1234efGH\n    gelombang: pre\n    server: https://eu.kobotoolbox.org/\n"
               "  - central: {proyek: 3, formulir: netralitas_post}\n")
    forms = read_session_meta(tmp_path)["formulir"]
    assert forms == [
        {"jenis": "kobo", "formulir": "aBcD1234efGH", "proyek": None,
         "server": "https://eu.kobotoolbox.org", "gelombang": "pre"},
        {"jenis": "central", "formulir": "netralitas_post", "proyek": 3, "server": None, "gelombang": None}]
    assert [file_name(f) for f in forms] == ["kobo-aBcD1234efGH-pre.csv",
                                             "central-3-netralitas-post.csv.zip"]


def test_the_same_form_twice_is_refused_before_any_request(tmp_path):
    (tmp_path / "sesi.yaml").write_text(HEAD + "formulir:\n  - kobo: aBcD1234efGH\n  - kobo: aBcD1234efGH\n")
    with pytest.raises(EvalToolsError) as e:
        pull_session(tmp_path)
    assert e.value.problem == "sesi.yaml: formulir kobo-aBcD1234efGH.csv tertulis dua kali"
