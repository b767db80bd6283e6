"""``evaltools report``: one session or all of them through the real notebook
(papermill), exports for managers beside an internal folder for the evaluator,
and a broken session that names itself without stopping the others."""

import shutil

from conftest import INSTRUMENT, LOA_JANAN, ROOT, SAMPLE

from evaltools import cli
from evaltools.overwrite import MANIFEST, read_manifest
from evaltools.read import find_sessions

FOLLOWUP = SAMPLE / "kukar-tindak-lanjut-2024-12-20"


def test_report_all_runs_every_session_and_survives_a_broken_one(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(LOA_JANAN, data / LOA_JANAN.name)
    broken = data / "rusak-2024-12-01"
    broken.mkdir()
    (broken / "pre-test.csv").write_text("Timestamp,Catatan\n2024-12-01 08:00,halo\n", encoding="utf-8")
    (data / "_arsip").mkdir()  # skipped: starts with "_"
    shutil.copytree(FOLLOWUP, data / FOLLOWUP.name)  # a follow-up survey: for the recap only
    assert find_sessions(data) == [FOLLOWUP.name, LOA_JANAN.name, "rusak-2024-12-01"]
    out = tmp_path / "reports"
    code = cli.main(["report", "--all", "--data", str(data), "--out", str(out),
                     "--instrument", str(INSTRUMENT),
                     "--notebook", str(ROOT / "notebooks" / "01_laporan_sesi.ipynb")])
    text = capsys.readouterr().out
    assert code == 1
    assert "[1/2] loa-janan-2024-11-22 ..." in text and "[2/2] rusak-2024-12-01 ..." in text
    assert "GAGAL (failed): rusak-2024-12-01: EvalToolsError" in text
    assert text.rstrip().endswith("1 dari 2 sesi selesai; gagal: rusak-2024-12-01")
    done = out / LOA_JANAN.name
    assert f"kirim ke pimpinan: {done / 'kirim'}/" in text
    top = sorted(p.name for p in done.iterdir() if p.is_file() and p.name != MANIFEST)
    assert len(top) == 18  # 9 charts in svg and pdf, for the evaluator
    send = sorted(p.name for p in (done / "kirim").iterdir())  # no manifest, nothing internal
    assert send == sorted([f"{p[:-4]}.png" for p in top if p.endswith(".svg")]
                          + ["ringkasan.pdf", "ringkasan.pptx", "ringkasan.xlsx"])
    # the manifest beside them lists what was written, the managers' files as kirim/...
    assert sorted(read_manifest(done)) == sorted(top + [f"kirim/{p}" for p in send])
    html = (done / "internal" / "01_laporan_sesi.html").read_text(encoding="utf-8")
    assert "Laporan sesi sosialisasi netralitas ASN" in html and "Kualitas data" in html
    assert "import evaltools as et" not in html  # code hidden
    assert "JANGAN dikirim" in (done / "internal" / "BACA-SAYA.txt").read_text(encoding="utf-8")


def test_report_needs_a_session_or_all(tmp_path, capsys):
    assert cli.main(["report", "--data", str(tmp_path)]) == 2
    assert "pilih satu: --session ID atau --all" in capsys.readouterr().err
    assert cli.main(["report", "--session", "tidak-ada", "--data", str(LOA_JANAN.parent)]) == 2
    err = capsys.readouterr().err
    assert "sesi 'tidak-ada' tidak ada" in err and "loa-janan-2024-11-22" in err


def test_recap_command_writes_the_recap_exports(tmp_path, capsys):
    data = tmp_path / "data"
    for src in (LOA_JANAN, FOLLOWUP):
        shutil.copytree(src, data / src.name)
    out = tmp_path / "reports"
    code = cli.main(["recap", "--data", str(data), "--out", str(out), "--instrument", str(INSTRUMENT),
                     "--notebook", str(ROOT / "notebooks" / "02_rekap_opd.ipynb")])
    text = capsys.readouterr().out
    assert code == 0, text
    assert "2 grafik, rekap.xlsx" in text and f"kirim ke pimpinan: {out / 'rekap' / 'kirim'}/" in text
    assert sorted(p.name for p in (out / "rekap").iterdir() if p.is_file()) == sorted(
        [f"{c}.{f}" for c in ("rekap_opd", "tren_sesi") for f in ("pdf", "svg")] + [MANIFEST])
    assert sorted(p.name for p in (out / "rekap" / "kirim").iterdir()) == [
        "rekap.xlsx", "rekap_opd.png", "tren_sesi.png"]
    html = (out / "rekap" / "internal" / "02_rekap_opd.html").read_text(encoding="utf-8")
    assert "Rekap lintas sesi per OPD" in html and "menyimpan 57% dari kenaikannya" in html


def test_help_lists_every_command(capsys):
    import pytest
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    text = capsys.readouterr().out
    for command in ("report", "recap", "forms", "validate", "simulate"):
        assert command in text
    assert "laporan sesi / report sessions" in text


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
