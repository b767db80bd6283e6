"""``evaltools report`` and ``recap``: one session or all of them through the
real notebook (papermill), run from a folder outside the repository, exports
for managers beside an internal folder for the evaluator, a broken session
that names itself without stopping the others; the recap's list of what it
used and skipped, its folder per data folder; ``--lang en`` and the help."""

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import INSTRUMENT, LOA_JANAN, ROOT, SAMPLE

from evaltools import cli
from evaltools.overwrite import MANIFEST, read_manifest
from evaltools.read import find_sessions

FOLLOWUP = SAMPLE / "kukar-tindak-lanjut-2024-12-20"


def _evaltools(*args, cwd):
    """``python -m evaltools.cli ...`` in ``cwd``, with this checkout's evaltools and
    no EVALTOOLS_ROOT: the defaults must be found from the package itself."""
    env = {k: v for k, v in os.environ.items() if k != "EVALTOOLS_ROOT"}
    return subprocess.run([sys.executable, "-m", "evaltools.cli", *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", env={**env, "PYTHONPATH": str(ROOT)})


def _report_all(folder: Path, *jobs):
    """``report --all --lang en`` run from ``folder`` (outside the repository, as from
    Documents on a laptop) with relative --data and --out and the default instrument
    and notebook, over the sample loa-janan, a broken session and a follow-up survey."""
    data = folder / "data"
    shutil.copytree(LOA_JANAN, data / LOA_JANAN.name)
    broken = data / "rusak-2024-12-01"
    broken.mkdir()
    (broken / "pre-test.csv").write_text("Timestamp,Catatan\n2024-12-01 08:00,halo\n", encoding="utf-8")
    (data / "_arsip").mkdir()  # skipped: starts with "_"
    shutil.copytree(FOLLOWUP, data / FOLLOWUP.name)  # a follow-up survey: for the recap only
    assert find_sessions(data) == [FOLLOWUP.name, LOA_JANAN.name, "rusak-2024-12-01"]
    return _evaltools("report", "--all", "--data", "data", "--out", "reports", "--lang", "en", *jobs,
                      cwd=folder)


@pytest.fixture(scope="module")
def one_at_a_time(tmp_path_factory):
    """(the folder, the run) of :func:`_report_all` with the default ``--jobs 1``."""
    folder = tmp_path_factory.mktemp("one-at-a-time")
    return folder, _report_all(folder)


def test_report_all_from_outside_the_repository_in_english(one_at_a_time):
    """Every session runs, a broken one is named with its English cause."""
    tmp_path, run = one_at_a_time
    text = run.stdout
    assert run.returncode == 1, run.stderr
    assert "[1/2] loa-janan-2024-11-22 ..." in text and "[2/2] rusak-2024-12-01 ..." in text
    failed = next(t for t in text.splitlines() if "FAILED" in t)
    assert failed.startswith("  FAILED: rusak-2024-12-01: EvalToolsError: pre-test.csv, row 1, column q01: "
                             "item column(s) q01, q02"), failed
    assert "GAGAL" not in text and "baris" not in text and "selesai" not in text  # English only
    assert text.rstrip().endswith("1 of 2 sessions done; failed: rusak-2024-12-01")
    done = Path("reports") / LOA_JANAN.name  # as given: relative to the working folder
    lines = text.splitlines()
    finished = lines[lines.index("[1/2] loa-janan-2024-11-22 ...") + 1]
    assert finished.startswith("  done in ") and finished.endswith(
        f" s: 9 charts, ringkasan.xlsx, ringkasan.pdf, ringkasan.pptx -> {done}/ (full report: "
        f"{done / 'internal'}/)"), finished
    assert lines[lines.index(finished) + 1] == f"  send to managers: {done / 'kirim'}/"
    done = tmp_path / done
    top = sorted(p.name for p in done.iterdir() if p.is_file() and p.name != MANIFEST)
    assert len(top) == 18  # 9 charts in svg and pdf, for the evaluator (OPD charts: the registry found)
    send = sorted(p.name for p in (done / "kirim").iterdir())  # no manifest, nothing internal
    assert send == sorted([f"{p[:-4]}.png" for p in top if p.endswith(".svg")]
                          + ["ringkasan.pdf", "ringkasan.pptx", "ringkasan.xlsx"])
    # the manifest beside them lists what was written, the managers' files as kirim/...
    assert sorted(read_manifest(done)) == sorted(top + [f"kirim/{p}" for p in send])
    html = (done / "internal" / "01_laporan_sesi.html").read_text(encoding="utf-8")
    assert "import evaltools as et" not in html  # code hidden
    assert "JANGAN dikirim" in (done / "internal" / "BACA-SAYA.txt").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "reports"]  # nothing elsewhere


def _same_content(a: Path, b: Path, name: str) -> None:
    """Files of two report runs hold the same content: the same bytes, except where a
    file records when or where it was made: a manifest (the sha256 of such files, and
    the runs' times), a workbook's docProps/core.xml (its times), a notebook's
    metadata and cell ids (times, random ids) and its HTML (those ids)."""
    if name.endswith(MANIFEST):
        assert sorted(json.loads(a.read_text())) == sorted(json.loads(b.read_text())), name
    elif a.suffix in (".xlsx", ".pptx"):
        za, zb = zipfile.ZipFile(a), zipfile.ZipFile(b)
        assert za.namelist() == zb.namelist(), name
        assert [m for m in za.namelist() if za.read(m) != zb.read(m)] in ([], ["docProps/core.xml"]), name
    elif a.suffix in (".ipynb", ".html"):  # the runs' folders differ: taken out
        texts = [p.read_text(encoding="utf-8").replace(str(p.parents[3]), "") for p in (a, b)]
        if a.suffix == ".ipynb":
            texts = [[(c["source"], c.get("outputs")) for c in json.loads(t)["cells"]] for t in texts]
        else:
            texts = [re.sub(r"cell-id=[0-9a-f-]+", "", t) for t in texts]
        assert texts[0] == texts[1], name
    else:
        assert a.read_bytes() == b.read_bytes(), name


def test_report_all_in_two_processes_writes_what_one_at_a_time_writes(one_at_a_time, tmp_path):
    """--jobs 2: the same lines, in session order, and the same files with the same content."""
    first, one = one_at_a_time
    two = _report_all(tmp_path, "--jobs", "2")
    assert two.returncode == one.returncode == 1, two.stderr
    took = re.compile(r"done in [0-9.]+ s")
    assert took.sub("", two.stdout) == took.sub("", one.stdout)
    files = [sorted(str(p.relative_to(f)) for p in (f / "reports").rglob("*") if p.is_file())
             for f in (first, tmp_path)]
    assert files[0] == files[1] and len(files[0]) == 35  # 2 manifests, 3 internal, 12 in kirim, 18 charts
    for name in files[0]:
        _same_content(first / name, tmp_path / name, name)


def test_validate_from_outside_the_repository_finds_the_instrument(tmp_path):
    run = _evaltools("validate", str(LOA_JANAN), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "114" in run.stdout and "108" in run.stdout  # rows read, rows used
    assert "post-entri-kertas-sintetis.xlsx" in run.stdout
    assert list(tmp_path.iterdir()) == []


def test_lang_en_prints_errors_in_english_only(tmp_path, capsys):
    assert cli.main(["report", "--all", "--data", str(tmp_path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err == (f"evaltools: {tmp_path}: no session folder. Fix: make one: <data>/<session-id>/ with "
                   "the response files (evaltools init), or the samples: --data "
                   f"{ROOT / 'data' / 'sample'}\n")
    assert cli.main(["forms", str(tmp_path / "tidak-ada.yaml"), "--lang", "en"]) == 2
    assert capsys.readouterr().err == (f"evaltools: {tmp_path / 'tidak-ada.yaml'}: instrument file not "
                                       "found. Fix: check the file name and folder\n")
    assert cli.main(["report", "--all", "--data", str(tmp_path)]) == 2  # Indonesian, then English
    assert capsys.readouterr().err.splitlines() == [
        f"evaltools: {tmp_path}: tidak ada folder sesi. Perbaikan: buat satu: <data>/<id-sesi>/ berisi "
        f"berkas jawaban (evaltools init), atau sesi contoh: --data {ROOT / 'data' / 'sample'}",
        f"(en) {tmp_path}: no session folder. Fix: make one: <data>/<session-id>/ with the response "
        f"files (evaltools init), or the samples: --data {ROOT / 'data' / 'sample'}"]


def test_report_needs_a_session_or_all(tmp_path, capsys):
    assert cli.main(["report", "--data", str(tmp_path)]) == 2
    assert "pilih satu: --session ID atau --all" in capsys.readouterr().err
    assert cli.main(["report", "--session", "tidak-ada", "--data", str(LOA_JANAN.parent)]) == 2
    err = capsys.readouterr().err
    assert "sesi 'tidak-ada' tidak ada" in err and "loa-janan-2024-11-22" in err


def test_recap_says_what_it_used_and_writes_a_folder_of_its_own(tmp_path, capsys):
    data = tmp_path / "data"
    for src in (LOA_JANAN, FOLLOWUP):
        shutil.copytree(src, data / src.name)
    out = tmp_path / "reports"
    (out / "rekap-sample" / "kirim").mkdir(parents=True)  # the samples' recap: never touched
    (out / "rekap-sample" / "kirim" / "rekap.xlsx").write_bytes(b"PK rekap contoh")
    code = cli.main(["recap", "--data", str(data), "--out", str(out), "--instrument", str(INSTRUMENT),
                     "--notebook", str(ROOT / "notebooks" / "02_rekap_opd.ipynb")])
    text = capsys.readouterr().out
    assert code == 0, text
    folder = out / "rekap-data"
    lines = text.splitlines()
    assert lines[:4] == [
        f"Rekap sesi di {data} -> {folder}/ ...",
        "  dipakai: 2 folder",
        "    loa-janan-2024-11-22 (sesi, 52 berpasangan)",
        "    kukar-tindak-lanjut-2024-12-20 (tindak lanjut, 69 responden)"]
    assert lines[4].startswith("  selesai dalam ") and lines[4].endswith(
        f" s: 2 grafik, rekap.xlsx -> {folder}/ (laporan lengkap: {folder / 'internal'}/)")
    assert lines[5:] == [f"  kirim ke pimpinan: {folder / 'kirim'}/"]
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == sorted(
        [f"{c}.{f}" for c in ("rekap_opd", "tren_sesi") for f in ("pdf", "svg")] + [MANIFEST])
    assert sorted(p.name for p in (folder / "kirim").iterdir()) == [
        "rekap.xlsx", "rekap_opd.png", "tren_sesi.png"]
    html = (folder / "internal" / "02_rekap_opd.html").read_text(encoding="utf-8")
    assert "Rekap lintas sesi per OPD" in html and "menyimpan 57% dari kenaikannya" in html
    assert (out / "rekap-sample" / "kirim" / "rekap.xlsx").read_bytes() == b"PK rekap contoh"
    assert sorted(p.name for p in out.iterdir()) == ["rekap-data", "rekap-sample"]


def test_recap_says_what_it_skips_and_why_and_stops_when_no_session_is_left(tmp_path, capsys):
    data = tmp_path / "arsip"
    shutil.copytree(FOLLOWUP, data / FOLLOWUP.name)  # its session is not there
    pre_only = data / "pre-saja-2025-01-02"  # a session whose post-test is not in yet
    pre_only.mkdir()
    pre = next(LOA_JANAN.glob("*pre*.csv"))
    shutil.copy(pre, pre_only / pre.name)
    broken = data / "rusak-2025-01-03"
    broken.mkdir()
    (broken / "pre.csv").write_text("Timestamp,Catatan\n2025-01-03 08:00,halo\n", encoding="utf-8")
    out = tmp_path / "reports"
    assert cli.main(["recap", "--data", str(data), "--out", str(out)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"Rekap sesi di {data} -> {out / 'rekap-arsip'}/ ...",
        "  dipakai: 0 folder",
        "  dilewati, tidak dihitung: 3 folder",
        "    pre-saja-2025-01-02: tidak ada post-test",
        "    kukar-tindak-lanjut-2024-12-20: tindak lanjut dari loa-janan-2024-11-22, yang tidak ada di "
        "folder ini",
        "    rusak-2025-01-03: pre.csv, baris 1, kolom q01: kolom butir q01, q02, q03, q05, q06, q07, q08, "
        "q09, q10, q11, q12, q13, q14, q15, q16, q17, q18, q19, q20, q21, q22, q26, q27, q28, q29, q30, "
        "q31 tidak ada. Perbaikan: tambahkan kolom q01 (id butir dari instrumen "
        "netralitas-asn-pilkada-2024) atau petakan judul kolomnya dengan columns={'Judul kolom': 'q01'}",
        f"  GAGAL (failed): rekap: EvalToolsError: {data}: tidak ada sesi yang dapat direkap. Perbaikan: "
        f"lihat alasan di atas; sesi contoh: --data {ROOT / 'data' / 'sample'}",
        f"  (en) {data}: no session that can be recapped. Fix: see the reasons above; the samples: --data "
        f"{ROOT / 'data' / 'sample'}"]
    assert not (out / "rekap-arsip" / "internal").exists()  # the notebook never ran
    shutil.rmtree(broken)
    shutil.rmtree(pre_only)
    assert cli.main(["recap", "--data", str(data), "--out", str(out), "--lang", "en"]) == 1
    assert capsys.readouterr().out.splitlines()[1:4] == [
        "  used: 0 folders",
        "  skipped, not counted: 1 folder",
        "    kukar-tindak-lanjut-2024-12-20: a follow-up of loa-janan-2024-11-22, which is not in this folder"]


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    text = capsys.readouterr().out
    for command in ("report", "recap", "forms", "validate", "simulate"):
        assert command in text
    assert "laporan sesi / report sessions" in text


def _options(command):
    sub = next(a for a in cli.parser()._actions if a.dest == "command")
    return sub.choices[command]


# validate's options are described by its redesign (the session helper's branch): add it here then
@pytest.mark.parametrize("command", ["report", "recap", "forms", "simulate"])
def test_every_option_has_help_and_says_its_default(command, capsys):
    parser = _options(command)
    for action in parser._actions:
        if action.dest == "help":
            continue
        assert action.help and "/" in action.help, (command, action.dest)  # Indonesian / English
    with pytest.raises(SystemExit):
        cli.main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--lang {id,en}" in text and "(bawaan / default: id)" in text
    if command in ("report", "recap"):
        assert f"(sesi Anda; contoh: --data data/sample) / folder of session folders (your sessions; the " \
               f"samples: --data data/sample) (bawaan / default: {ROOT / 'data'})" in text
        assert f"(bawaan / default: {ROOT / 'reports'})" in text
    assert f"(bawaan / default: {INSTRUMENT})" in text


def test_report_refuses_paths_outside_the_data_and_output_folders(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(LOA_JANAN, data / LOA_JANAN.name)
    assert cli.main(["report", "--session", "../data/" + LOA_JANAN.name, "--data", str(data),
                     "--out", str(tmp_path / "out")]) == 2
    assert "tidak ada di" in capsys.readouterr().err
    assert cli.main(["report", "--all", "--data", str(data), "--out", str(data / "laporan")]) == 2
    assert "folder hasil ada di dalam folder data" in capsys.readouterr().err
    assert sorted(p.name for p in data.iterdir()) == [LOA_JANAN.name]  # nothing written there


def test_a_broken_sesi_yaml_does_not_stop_the_other_sessions(tmp_path):
    data = tmp_path / "data"
    bad = data / "rusak-2025-01-11"
    bad.mkdir(parents=True)
    (bad / "sesi.yaml").write_text("nama: [tidak ditutup\n")
    shutil.copytree(FOLLOWUP, data / FOLLOWUP.name)
    # the broken one is listed as a session (its run will say what is wrong), the follow-up is not
    assert find_sessions(data, kind="session") == ["rusak-2025-01-11"]


def test_ctrl_c_is_one_line_in_the_users_language(monkeypatch, capsys):
    """Ctrl+C anywhere in a command: one line (and its English one), exit 130
    as a shell reports it; a real report stopped so: tests/test_interrupt.py."""
    from evaltools.cli import kernel, report

    def pressed(args):
        raise KeyboardInterrupt
    monkeypatch.setattr(kernel, "start_early", lambda argv: None)
    monkeypatch.setattr(report, "_report", pressed)
    assert cli.main(["report", "--session", "s1", "--lang", "en"]) == 130
    assert capsys.readouterr().err == ("\nevaltools: stopped (Ctrl+C); the files being written did not "
                                       "replace the old ones (the old files are whole). Fix: run the same "
                                       "command again\n")
    assert cli.main(["report", "--session", "s1"]) == 130
    assert capsys.readouterr().err.splitlines()[1:] == [
        "evaltools: dihentikan (Ctrl+C); berkas yang sedang ditulis tidak menggantikan yang lama "
        "(berkas lama tetap utuh). Perbaikan: jalankan lagi perintah yang sama",
        "(en) stopped (Ctrl+C); the files being written did not replace the old ones (the old files "
        "are whole). Fix: run the same command again"]
