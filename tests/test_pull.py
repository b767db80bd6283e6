"""``evaltools pull`` against a local server that answers as KoboToolbox's
API v2 and ODK Central's API do (tests/pull_server.py): pagination, the file
the readers read, the provenance in the sources table, re-pulls under the
manifest rule, each failure's message, and no credential in any file
written or line printed. Central is reached through pyodk itself."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import pytest
import yaml

from evaltools.cli import main
from evaltools.errors import EvalToolsError
from evaltools.pull import pull_session
from evaltools.read import read_responses
from evaltools.read.pulled import PULL_RECORD

from pull_server import (CENTRAL_PASSWORD, CENTRAL_SESSION, CENTRAL_USER, FIXTURES, KOBO_CSV,
                         KOBO_TOKEN, FormServer, kobo_records)

SESSION = "loa-janan-2024-11-22"
UID = "aKoboPre01"
POST_FORM = "netralitas-asn-pilkada-2024-post"
CENTRAL_ZIP = FIXTURES / "central" / "groups-zip" / f"{POST_FORM}.csv.zip"
SECRETS = (KOBO_TOKEN, CENTRAL_PASSWORD, CENTRAL_SESSION)


@pytest.fixture(scope="module")
def server():
    s = FormServer()
    yield s
    s.stop()


@pytest.fixture
def data(tmp_path, server, monkeypatch):
    """A data folder holding the session, the credentials in the environment
    and in a pyodk config file outside it; the server's forms reset."""
    server.kobo.clear(), server.central.clear(), server.fail.clear(), server.delay.clear()
    server.seen.clear()
    server.next_host = ""
    server.kobo[UID] = kobo_records()
    server.central[(3, POST_FORM)] = CENTRAL_ZIP.read_bytes()
    home = tmp_path / "home"
    home.mkdir()
    (home / "pyodk.toml").write_text(f'[central]\nbase_url = "{server.url}"\nusername = '
                                     f'"{CENTRAL_USER}"\npassword = "{CENTRAL_PASSWORD}"\n')
    monkeypatch.setenv("KOBO_URL", server.url)
    monkeypatch.setenv("KOBO_TOKEN", KOBO_TOKEN)
    monkeypatch.setenv("EVALTOOLS_KOBO_CONFIG", str(home / "kobo.toml"))  # none: the env's
    monkeypatch.setenv("PYODK_CONFIG_FILE", str(home / "pyodk.toml"))
    monkeypatch.setenv("PYODK_CACHE_FILE", str(home / "pyodk_cache.toml"))
    folder = tmp_path / "data" / SESSION
    folder.mkdir(parents=True)
    _forms(folder, [{"kobo": UID, "gelombang": "pre"}])
    return tmp_path / "data"


def _forms(folder: Path, forms: list) -> None:
    (folder / "sesi.yaml").write_text(yaml.safe_dump({"nama": "Sosialisasi Loa Janan",
                                                      "tanggal": "2024-11-22", "formulir": forms}))


def _pull(data, capsys, *extra) -> tuple[int, str, str]:
    rc = main(["pull", SESSION, "--data", str(data), *extra])
    out, err = capsys.readouterr()
    return rc, out, err


def _no_secret_anywhere(data: Path, *texts: str) -> None:
    """No token, password or Central session token in any file of the data
    folder (hidden ones too) or in what was printed."""
    for path in [p for p in data.rglob("*") if p.is_file()]:
        body = path.read_bytes()
        assert not any(s.encode() in body for s in SECRETS), path
    for text in texts:
        assert not any(s in text for s in SECRETS)


def test_kobo_pull_follows_pages_and_writes_a_kobo_export(data, server, capsys, inst):
    rc, out, err = _pull(data, capsys, "--page-size", "3")
    assert rc == 0, err
    assert f"  kobo-{UID}-pre.csv: kobo {UID} ({server.url})\n    8 kiriman, pengambilan pertama\n" in out
    # three pages of 3, each asked with the token in the header only
    gets = [(p, a) for m, p, a in server.seen if m == "GET"]
    assert [p for p, _ in gets] == [f"/api/v2/assets/{UID}/data/?format=json&limit=3&start={s}"
                                    for s in (0, 3, 6)]
    assert {a for _, a in gets} == {f"Token {KOBO_TOKEN}"}
    folder = data / SESSION
    pulled = read_responses(folder, inst)
    direct = read_responses(KOBO_CSV, inst, session=SESSION)
    src = pulled.sources.iloc[0]
    assert (src["source"], src["format"], src["rows"], src["kept"], src["excluded"]) == \
        (f"kobo-{UID}-pre.csv", "kobo", 8, 6, 2)
    assert (src["server"], src["form"], src["submissions"]) == (server.url, f"kobo {UID}", "8")
    assert src["pulled_at"][:2] == "20" and src["pulled_at"].endswith("+00:00")
    assert pulled.data["wave"].unique().tolist() == ["pre"]
    # the same rows, answers and accounting as Kobo's own export of the form
    assert pulled.data.drop(columns="source").equals(direct.data.drop(columns="source"))
    assert pulled.ledger.drop(columns="source").equals(direct.ledger.drop(columns="source"))
    # a file that was not pulled has no provenance
    shutil.copy(KOBO_CSV, folder / "unduhan-tangan-pre.csv")
    both = read_responses(folder, inst)
    hand = both.sources[both.sources["source"] == "unduhan-tangan-pre.csv"].iloc[0]
    assert [hand[c] for c in ("server", "form", "pulled_at", "submissions")] == ["", "", "", ""]
    _no_secret_anywhere(data, out, err)
    # validate shows where each file came from
    assert main(["validate", str(folder), "--instrument", str(inst.path)]) == 0
    shown = capsys.readouterr().out
    at = src["pulled_at"][:16].replace("T", " ")
    assert f"diambil dari server: kobo {UID}, 8 kiriman, {server.url}, {at} UTC" in shown


def test_repull_says_what_is_new_and_replaces_only_its_own_file(data, server, capsys):
    folder = data / SESSION
    assert _pull(data, capsys)[0] == 0
    mine = folder / "catatan-saya.csv"
    mine.write_text("punya evaluator\n")
    record = json.loads((folder / PULL_RECORD).read_text())[f"kobo-{UID}-pre.csv"]
    assert (record["submissions"], record["gelombang"], record["form"]) == (8, "pre", f"kobo {UID}")
    extra = [dict(r, _id=r["_id"] + 100, _uuid=f"baru-{k}") for k, r in enumerate(server.kobo[UID][:2])]
    server.kobo[UID] = server.kobo[UID] + extra
    rc, out, err = _pull(data, capsys, "--lang", "en")
    assert rc == 0, err
    assert "    10 submissions, 2 new\n" in out and out.startswith(f"Session {SESSION}: 1 forms pulled")
    assert mine.read_text() == "punya evaluator\n"
    assert (folder / f"kobo-{UID}-pre.csv").read_text().count("\n") == 11  # header + 10
    assert json.loads((folder / PULL_RECORD).read_text())[f"kobo-{UID}-pre.csv"]["submissions"] == 10


def test_repull_refuses_a_pulled_file_a_person_changed(data, server, capsys):
    folder = data / SESSION
    assert _pull(data, capsys)[0] == 0
    target = folder / f"kobo-{UID}-pre.csv"
    target.write_text(target.read_text().replace("Andi Saputra", "Andi S."))
    server.seen.clear()
    rc, out, err = _pull(data, capsys)
    assert rc == 2 and out == "" and server.seen == []  # refused before asking the server
    assert f"{target}: 1 berkas sudah ada dan tidak ditimpa (diubah sejak ditulis evaltools: " \
           f"kobo-{UID}-pre.csv)" in err
    assert "Andi S." in target.read_text()
    assert _pull(data, capsys, "--timpa")[0] == 0
    assert "Andi S." not in target.read_text()


def test_central_pull_through_pyodk(data, server, capsys, inst):
    folder = data / SESSION
    _forms(folder, [{"central": {"proyek": 3, "formulir": POST_FORM}, "gelombang": "post"}])
    rc, out, err = _pull(data, capsys)
    assert rc == 0, err
    name = "central-3-netralitas-asn-pilkada-2024-post.csv.zip"
    assert f"  {name}: central 3/{POST_FORM} ({server.url})\n    6 kiriman, pengambilan pertama\n" in out
    assert [(m, p) for m, p, _ in server.seen] == [
        ("POST", "/v1/sessions"), ("GET", f"/v1/projects/3/forms/{POST_FORM}/submissions.csv.zip")]
    assert server.seen[1][2] == f"Bearer {CENTRAL_SESSION}"
    assert (folder / name).read_bytes() == CENTRAL_ZIP.read_bytes()  # Central's export as it came
    r = read_responses(folder, inst, review="flag")
    src = r.sources.iloc[0]
    assert (src["format"], src["rows"], src["server"], src["form"], src["submissions"]) == \
        ("central", 6, server.url, f"central 3/{POST_FORM}", "6")
    assert r.data["wave"].unique().tolist() == ["post"]
    # again: pyodk checks its cached session token, nothing is new
    rc, out, err = _pull(data, capsys)
    assert rc == 0 and "    6 kiriman, 0 baru\n" in out
    assert ("GET", "/v1/users/current") in [(m, p) for m, p, _ in server.seen]
    _no_secret_anywhere(data, out, err)


def test_kobo_and_central_forms_in_one_session(data, capsys, inst):
    folder = data / SESSION
    _forms(folder, [{"kobo": UID, "gelombang": "pre"},
                    {"central": {"proyek": 3, "formulir": POST_FORM}}])
    rc, out, err = _pull(data, capsys)
    assert rc == 0, err
    r = read_responses(folder, inst)
    assert sorted(zip(r.sources["format"], r.data.groupby("wave").size().index)) == \
        [("central", "post"), ("kobo", "pre")]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# each failure: what is set up, and the message it gives (Indonesian; the English line follows)
KOBO_FAILURES = {
    "token": (lambda s, mp: mp.setenv("KOBO_TOKEN", "token-salah"),
              "formulir kobo aKoboPre01: server menolak kredensial (HTTP 401). Perbaikan: periksa "
              "token/kata sandi di KOBO_URL/KOBO_TOKEN"),
    "forbidden": (lambda s, mp: s.fail.__setitem__("/api/v2/assets/", 403),
                  "formulir kobo aKoboPre01: server menolak kredensial (HTTP 403)"),
    "unknown": (lambda s, mp: s.kobo.clear(),
                "formulir kobo aKoboPre01: formulir tidak ditemukan di server (HTTP 404). Perbaikan: "
                "periksa uid/id formulir"),
    "server": (lambda s, mp: s.fail.__setitem__("/api/v2/assets/", 502),
               "formulir kobo aKoboPre01: server gagal menjawab (HTTP 502). Perbaikan: coba lagi"),
    "timeout": (lambda s, mp: s.delay.__setitem__("/api/v2/assets/", 1.5),
                "formulir kobo aKoboPre01: server tidak menjawab dalam 0.3 detik"),
    "refused": (lambda s, mp: mp.setenv("KOBO_URL", f"http://127.0.0.1:{_closed_port()}"),
                "formulir kobo aKoboPre01: server tidak dapat dihubungi (connection refused). "
                "Perbaikan: periksa sambungan internet dan alamat server di KOBO_URL/KOBO_TOKEN"),
    "dns": (lambda s, mp: mp.setenv("KOBO_URL", "http://server-tidak-ada.invalid"),
            "http://server-tidak-ada.invalid, formulir kobo aKoboPre01: server tidak dapat dihubungi "
            "(nama server tidak dikenal)"),
}


@pytest.mark.parametrize("case", list(KOBO_FAILURES))
def test_kobo_failure_message(case, data, server, capsys, monkeypatch):
    setup, message = KOBO_FAILURES[case]
    setup(server, monkeypatch)
    rc, out, err = _pull(data, capsys, "--timeout", "0.3")
    assert rc == 2 and out == ""
    assert message in err and "\n(en) " in err
    assert sorted(p.name for p in (data / SESSION).iterdir()) == ["sesi.yaml"]  # nothing written
    _no_secret_anywhere(data, out, err)


CENTRAL_FAILURES = {
    "password": (lambda s, mp, home: (home / "pyodk.toml").write_text(
        (home / "pyodk.toml").read_text().replace(CENTRAL_PASSWORD, "sandi-salah")),
        "server menolak kredensial (HTTP 401)"),
    "forbidden": (lambda s, mp, home: s.fail.__setitem__("/v1/projects/", 403),
                  "server menolak kredensial (HTTP 403)"),
    "unknown": (lambda s, mp, home: s.central.clear(),
                "formulir tidak ditemukan di server (HTTP 404)"),
    "server": (lambda s, mp, home: s.fail.__setitem__("/v1/projects/", 500),
               "server gagal menjawab (HTTP 500)"),
    "timeout": (lambda s, mp, home: s.delay.__setitem__("/v1/projects/", 1.5),
                "server tidak menjawab dalam 0.3 detik"),
    "refused": (lambda s, mp, home: (home / "pyodk.toml").write_text(
        (home / "pyodk.toml").read_text().replace(s.url, f"http://127.0.0.1:{_closed_port()}")),
        "server tidak dapat dihubungi (connection refused)"),
    "no config": (lambda s, mp, home: (home / "pyodk.toml").unlink(),
                  "pyodk.toml: konfigurasi pyodk (ODK Central) tidak ada atau tidak lengkap"),
}


@pytest.mark.parametrize("case", list(CENTRAL_FAILURES))
def test_central_failure_message(case, data, server, capsys, monkeypatch):
    setup, message = CENTRAL_FAILURES[case]
    _forms(data / SESSION, [{"central": {"proyek": 3, "formulir": POST_FORM}}])
    setup(server, monkeypatch, data.parent / "home")
    rc, out, err = _pull(data, capsys, "--timeout", "0.3")
    assert rc == 2 and out == ""
    assert message in err, err
    if case != "no config":
        assert f"formulir central 3/{POST_FORM}: {message}" in err
    assert sorted(p.name for p in (data / SESSION).iterdir()) == ["sesi.yaml"]
    _no_secret_anywhere(data, out, err)


def test_kobo_next_link_to_another_server_is_not_followed(data, server, capsys):
    server.next_host = "localhost"  # the same machine by another name: the token is not sent there
    rc, out, err = _pull(data, capsys, "--page-size", "3")
    assert rc == 2
    assert (f"formulir kobo {UID}: jawaban server tidak dapat dibaca (tautan next ke server lain: "
            f"http://localhost:{server.server_address[1]})") in err
    assert len(server.seen) == 1


def test_kobo_token_missing_says_where_to_put_it(data, capsys, monkeypatch):
    monkeypatch.delenv("KOBO_TOKEN")
    rc, out, err = _pull(data, capsys)
    assert rc == 2
    assert "kobo.toml: token API KoboToolbox tidak ada. Perbaikan: isi KOBO_TOKEN" in err
    assert "Account Settings > Security > API Key" in err


def test_kobo_token_from_the_users_file(data, server, capsys, monkeypatch):
    monkeypatch.delenv("KOBO_TOKEN")
    monkeypatch.delenv("KOBO_URL")
    config = data.parent / "home" / "kobo.toml"
    config.write_text(f'url = "{server.url}"\ntoken = "{KOBO_TOKEN}"\n')
    rc, out, err = _pull(data, capsys)
    assert rc == 0 and "    8 kiriman, pengambilan pertama\n" in out
    _no_secret_anywhere(data, out, err)


def test_session_without_forms_is_told_how_to_list_them(data, capsys):
    (data / SESSION / "sesi.yaml").write_text("nama: Sosialisasi\n")
    with pytest.raises(EvalToolsError) as e:
        pull_session(data / SESSION)
    assert e.value.problem == "sesi.yaml tidak memuat formulir di server (kunci formulir)"
    assert e.value.file == str(data / SESSION / "sesi.yaml")
