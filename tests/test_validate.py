"""``evaltools validate`` for a person: the files in pre, post, follow-up order
with the wave detected for each, what needs attention first (a file re-saved
by Excel as one line with the advice), routine repairs counted, every line
behind them with ``--semua``, one language with ``--lang``, 100 columns."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from pathlib import Path

import pytest
from conftest import ROOT

from evaltools.cli import main

SAMPLE = ROOT / "data" / "sample"
# the waves of each sample session's files, in the order validate lists them
WAVES = {"kesbangpol-balikpapan-2023-10-20": ["pre", "post"],
         "kesbangpol-kaltim-2024-10-17": ["pre", "post"],
         "kukar-tindak-lanjut-2024-12-20": ["followup"],
         "loa-janan-2024-11-22": ["pre", "post"]}
FILE_ROW = re.compile(r"^  (\[\d+\])  (\S+) ")  # a row of the files table: number, wave


_SEEN: dict = {}  # each run once: the tests read the same screens


def _validate(*args) -> str:
    """What ``evaltools validate *args`` prints."""
    key = tuple(map(str, args))
    if key not in _SEEN:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            assert main(["validate", *key]) == 0
        _SEEN[key] = out.getvalue()
    return _SEEN[key]


def test_the_sample_sessions_are_all_there():
    assert sorted(p.name for p in SAMPLE.iterdir() if p.is_dir()) == sorted(WAVES)


@pytest.mark.parametrize("session", sorted(WAVES))
def test_every_sample_shows_the_wave_of_each_file_within_100_columns(session):
    out = _validate(SAMPLE / session)
    long = [line for line in out.splitlines() if len(line) > 100]
    assert long == []
    rows = [FILE_ROW.match(line).groups() for line in out.split("\n\n")[1].splitlines()[2:]]
    assert rows == [(f"[{k}]", w) for k, w in enumerate(WAVES[session], start=1)]
    # each full name once, under its number; the names say the wave too ("... Post-test ..."
    # sorts before "... Pre-test ...", yet the pre-test is [1])
    names = [p.name for p in (SAMPLE / session).iterdir() if p.name[0] != "." and p.name != "sesi.yaml"]
    said = " ".join(out.split())
    for name in names:
        assert said.count(name) == 1, name
        no = said[said.index(name) - 4:said.index(name) - 1]
        assert re.search(rf"\b{WAVES[session][int(no[1]) - 1]}\b", name, re.IGNORECASE), (no, name)


def _messy(folder: Path, n: int = 35) -> Path:
    """A 35-person session from the Kesbangpol Kaltim sample's Google Forms
    files: 6 pre-test rows with an OPD no registry knows, 2 pre-test rows
    sent twice, and a post-test (with its own 2 duplicates) whose every NIP Excel turned
    into 1.98E+17."""
    src = SAMPLE / "kesbangpol-kaltim-2024-10-17"
    folder.mkdir(parents=True)
    for f in sorted(src.glob("*.csv"), key=lambda f: "Pre-test" not in f.name):  # pre first
        head, *rows = list(csv.reader(io.StringIO(f.read_text(encoding="utf-8"))))
        nip = head.index("NIP / NI PPPK")
        if "Pre-test" in f.name:
            seen = {}
            for r in rows:
                if r[nip] and len(seen) < n:
                    seen.setdefault(r[nip], r)
            rows = list(seen.values())
            for r in rows[:6]:
                r[head.index("OPD / Unit kerja")] = "Badan Pendapatn Daerah Kaltimm"
            rows += [list(rows[3]), list(rows[7])]
            keep = set(seen)
        else:
            rows = [r for r in rows if r[nip] in keep][:n]
            for r in rows:
                r[nip] = f"{float(r[nip]):.5E}"  # what Excel shows and saves: 1.98009E+17
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([head, *rows])
        (folder / f.name.replace(src.name, folder.name)).write_text(buf.getvalue(), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    return _messy(tmp_path_factory.mktemp("data") / "samarinda-2024-10-17")


def test_a_file_saved_by_excel_is_one_line_with_the_advice(messy):
    out = _validate(messy)
    assert [len(line) > 100 for line in out.splitlines()].count(True) == 0
    attention = out[out.index("Perlu perhatian:\n"):out.index("\nPencocokan pre-post")]
    said = " ".join(attention.split())
    # one line for the file, not 35: the count, the first rows, the advice
    # (the post-test's rows 2 and 11 are sent again later: left out before their NIP is read)
    assert "- NIP rusak oleh Excel (33):" in attention
    assert ("[2] 33 NIP (baris 3, 4, 5, 6, 7, 8, 9, 10, 12, 13 dan 23 lainnya): berkas ini pernah "
            "dibuka dan disimpan di Excel: unduh ulang dari Google Forms dan pakai unduhan itu "
            "langsung, tanpa membuka dan menyimpannya di Excel.") in said
    assert attention.count("[2] 33 NIP") == 1 and "baris 36" not in attention and ", 36" not in attention
    # attention comes first: duplicates, damaged NIPs, OPDs with candidates and the fix, unpaired
    order = ["- Kiriman ganda (4):", "- NIP rusak oleh Excel", "- OPD yang tidak ada di daftar OPD "
             "(1 nama, 6 baris)", "- Peserta tanpa pasangan"]
    assert [attention.index(h) for h in order] == sorted(attention.index(h) for h in order)
    assert "'Badan Pendapatn Daerah Kaltimm' (6 baris); calon: Bapenda Prov. Kaltim" in said
    assert f"{messy / 'koreksi.csv'}" in attention and "\n      tertulis,opd\n" in attention
    # the sesi.yaml warning before everything, with the command that makes it
    head = " ".join(out[:out.index("\n\n")].split())
    assert head == (f"Berkas: 2; baris dibaca 72, dipakai 68, dikeluarkan 4 ! sesi.yaml tidak ada di "
                    f"{messy}: laporan akan tanpa nama, tanggal, tempat dan penyelenggara sesi. "
                    f"Buat dengan: evaltools init samarinda-2024-10-17 --data {messy.parent}")


def test_semua_shows_every_line(messy):
    short = _validate(messy)
    every = _validate(messy, "--semua")
    assert "dan 23 lainnya" in short and "lainnya" not in every
    said = " ".join(every.split())
    rows = ", ".join(str(k) for k in range(3, 37) if k != 11)
    assert "- nip_mangled_by_excel (33): NIP sudah dirusak Excel" in said
    assert f"[2] baris {rows}" in said
    assert said.count("peserta sama mengisi lagi; dipakai baris") == 4
    assert said.count(": 'Badan Pendapatn Daerah Kaltimm' tidak ada di daftar OPD") == 6
    assert max(len(line) for line in every.splitlines()) <= 100


def test_lang_en_has_no_indonesian_headings(messy):
    out = _validate(messy, "--lang", "en", "--all")
    for word in ("Berkas", "Perlu perhatian", "baris", "dipakai", "dikeluarkan", "gelombang",
                 "Kiriman", "Pencocokan", "Dibetulkan", "calon", "tanpa", "Bila sudah", "tidak ada"):
        assert word not in out, word
    assert "Needs attention:" in out and "[2] 33 NIP (rows 3, 4, 5" in out
    assert "download it again from Google Forms" in " ".join(out.split())
