"""Exports never replace a file the user did not ask to replace: a file
evaltools did not write, or changed since, is refused before anything is
written; evaltools' own unchanged files are replaced; ``overwrite=True``
(``--timpa``) replaces anything."""

import hashlib
import shutil

import pytest

from conftest import INSTRUMENT, LOA_JANAN, ROOT

from evaltools import EvalToolsError, cli
from evaltools.export import write_workbook
from evaltools.forms import write_forms
from evaltools.overwrite import MANIFEST, claim, read_manifest
from evaltools.simulate import write_sample

CHARTS = ["lulus_kkm", "pengecoh", "per_butir", "per_opd", "per_topik", "peta_butir", "reaksi",
          "sikap", "skor_pre_post"]


def _listing(folder):
    """Every file below ``folder`` with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _hashes(folder):
    """What the manifest must say: sha256 of every file but the manifest, the
    managers' files in kirim/ among them (kirim/ has no manifest of its own)."""
    files = [p for p in folder.iterdir() if p.is_file() and p.name != MANIFEST]
    files += sorted((folder / "kirim").iterdir()) if (folder / "kirim").is_dir() else []
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in files}


def test_a_users_file_is_refused_and_nothing_else_is_written(ev_loa, tmp_path):
    out = tmp_path / "laporan"
    (out / "kirim").mkdir(parents=True)
    (out / "kirim" / "ringkasan.xlsx").write_bytes(b"anggaran 2025, punya saya")
    (out / "catatan.txt").write_text("bukan nama yang ditulis evaltools")  # not in the way
    before = _listing(out)
    with pytest.raises(EvalToolsError) as err:
        ev_loa.export(out, formats=("png",))
    e = err.value
    assert e.file == str(out / "kirim" / "ringkasan.xlsx")
    assert str(e).splitlines()[0] == (
        f"{out / 'kirim' / 'ringkasan.xlsx'}: 1 berkas sudah ada dan tidak ditimpa (tidak ditulis oleh "
        "evaltools: kirim/ringkasan.xlsx). Perbaikan: pindahkan atau ganti nama berkas itu, pilih folder "
        "hasil lain (--out), atau timpa dengan --timpa (Python: overwrite=True)")
    assert e.message_en == (
        f"{out / 'kirim' / 'ringkasan.xlsx'}: 1 file already exists and was not overwritten (not "
        "written by evaltools: kirim/ringkasan.xlsx). Fix: move or rename the file(s), choose another output folder "
        "(--out), or overwrite with --timpa (Python: overwrite=True)")
    assert _listing(out) == before  # no chart, no manifest, the user's bytes as they were


def test_own_files_are_replaced_changed_ones_refused_and_overwrite_replaces_both(ev_loa, tmp_path):
    out = tmp_path / "laporan"
    paths = ev_loa.export(out, formats=("png",))
    expected = sorted([f"{c}.png" for c in CHARTS]
                      + ["ringkasan.xlsx", "ringkasan.pdf", "ringkasan.pptx"])
    assert sorted(p.name for p in paths) == expected
    assert sorted(p.name for p in (out / "kirim").iterdir()) == expected  # no manifest in kirim/
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "kirim"]
    assert read_manifest(out) == _hashes(out) and len(read_manifest(out)) == 12
    text = (out / MANIFEST).read_text(encoding="utf-8")
    assert text.startswith('{\n  "kirim/lulus_kkm.png": "') and text.endswith('"\n}\n')

    ev_loa.export(out, formats=("png",))  # ours and unchanged: replaced without a word
    assert read_manifest(out) == _hashes(out) and len(read_manifest(out)) == 12

    pdf = out / "kirim" / "ringkasan.pdf"
    original = pdf.read_bytes()
    pdf.write_bytes(original + b"\n")  # someone edited the summary
    (out / "per_opd.svg").write_text("<svg>gambar saya</svg>")  # and saved their own chart
    before = _listing(out)
    with pytest.raises(EvalToolsError) as err:  # the svg export would replace both
        ev_loa.export(out, formats=("png", "svg"))
    assert err.value.file == str(out / "per_opd.svg")  # charts come first
    assert ("2 berkas sudah ada dan tidak ditimpa (tidak ditulis oleh evaltools: per_opd.svg; "
            "diubah sejak ditulis evaltools: kirim/ringkasan.pdf)") in str(err.value)
    assert "(not written by evaltools: per_opd.svg; changed since evaltools wrote it: " \
           "kirim/ringkasan.pdf)" in err.value.message_en
    assert _listing(out) == before

    ev_loa.export(out, formats=("png", "svg"), overwrite=True)
    assert pdf.read_bytes() == original  # the same data give the same file
    assert (out / "per_opd.svg").read_text().startswith("<?xml")
    assert read_manifest(out) == _hashes(out) and len(read_manifest(out)) == 21  # 9 x 2 + 3


def test_one_file_writers_and_an_unreadable_manifest(ev_loa, tmp_path):
    path = tmp_path / "ringkasan.xlsx"
    write_workbook(ev_loa, path)
    ours = path.read_bytes()
    (tmp_path / MANIFEST).write_text("{rusak")  # unreadable: counts as empty
    with pytest.raises(EvalToolsError, match="tidak ditulis oleh evaltools: ringkasan.xlsx"):
        write_workbook(ev_loa, path)
    write_workbook(ev_loa, path, overwrite=True)
    assert read_manifest(tmp_path) == {"ringkasan.xlsx": hashlib.sha256(path.read_bytes()).hexdigest()}
    assert path.read_bytes()[:2] == ours[:2] == b"PK"


def test_the_message_lists_five_files_and_counts_the_rest(tmp_path):
    names = [f"grafik_{k}.png" for k in range(1, 8)]
    for name in names:
        (tmp_path / name).write_text("punya saya")
    with pytest.raises(EvalToolsError) as err:
        with claim(tmp_path, ["baru.png", *names]):
            (tmp_path / "baru.png").write_text("tidak boleh sampai di sini")
    assert err.value.problem == ("7 berkas sudah ada dan tidak ditimpa (tidak ditulis oleh evaltools: "
                                 "grafik_1.png, grafik_2.png, grafik_3.png, grafik_4.png, grafik_5.png"
                                 " dan 2 lainnya)")
    assert err.value.problem_en.endswith("grafik_5.png and 2 more)")
    assert not (tmp_path / "baru.png").exists() and not (tmp_path / MANIFEST).exists()


def test_a_run_that_fails_records_only_what_it_wrote(tmp_path):
    """An export that fails half-way with ``overwrite=True``: the file it
    wrote is recorded as evaltools' own (the next run may replace it), the
    user's file it never reached is not (the next run without --timpa still
    refuses it)."""
    (tmp_path / "b.png").write_text("punya saya")
    with pytest.raises(RuntimeError):
        with claim(tmp_path, ["a.png", "b.png"], overwrite=True):
            (tmp_path / "a.png").write_text("grafik")
            raise RuntimeError("gagal di tengah jalan")
    assert read_manifest(tmp_path) == {"a.png": hashlib.sha256(b"grafik").hexdigest()}
    with pytest.raises(EvalToolsError, match=r"tidak ditulis oleh evaltools: b\.png"):
        with claim(tmp_path, ["a.png", "b.png"]):
            pass


def test_write_forms_refuses_a_hand_edited_form(inst, tmp_path, capsys):
    out = tmp_path / "forms"
    write_forms(inst, out, registry=ROOT / "data" / "opd.csv")
    assert read_manifest(out) == _hashes(out) and len(read_manifest(out)) == 10
    gs = out / "netralitas-asn-pilkada-2024-pre-google-forms.gs"
    generated = gs.read_bytes()
    gs.write_bytes(generated.replace(b"buatFormulir", b"buatFormulirSaya"))
    before = _listing(out)
    args = ["forms", str(INSTRUMENT), "--out", str(out), "--registry", str(ROOT / "data" / "opd.csv")]
    assert cli.main(args) == 2  # bad input, as every refusal of `forms` and `simulate`
    err = capsys.readouterr().err
    assert err.startswith(f"evaltools: {gs}: 1 berkas sudah ada dan tidak ditimpa (diubah sejak "
                          f"ditulis evaltools: {gs.name}). Perbaikan: ")
    assert _listing(out) == before
    assert cli.main([*args, "--overwrite"]) == 0  # --timpa's English name
    assert gs.read_bytes() == generated and read_manifest(out) == _hashes(out)


def test_write_sample_does_not_delete_a_users_file(inst, tmp_path):
    folder = tmp_path / LOA_JANAN.name
    folder.mkdir()
    (folder / "daftar-hadir.xlsx").write_bytes(b"punya saya")  # an older export would be removed
    with pytest.raises(EvalToolsError, match=f"tidak ditulis oleh evaltools: {LOA_JANAN.name}/daftar-hadir"):
        write_sample(tmp_path, inst, sessions=[LOA_JANAN.name], followups=[])
    assert _listing(tmp_path) == {f"{LOA_JANAN.name}/daftar-hadir.xlsx": b"punya saya"}


def test_report_refuses_a_users_file_and_timpa_replaces_it(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(LOA_JANAN, data / LOA_JANAN.name)
    out = tmp_path / "reports"
    done = out / LOA_JANAN.name
    (done / "kirim").mkdir(parents=True)
    (done / "kirim" / "ringkasan.pdf").write_bytes(b"%PDF laporan yang saya tulis sendiri")
    args = ["report", "--session", LOA_JANAN.name, "--data", str(data), "--out", str(out),
            "--instrument", str(INSTRUMENT), "--notebook", str(ROOT / "notebooks" / "01_laporan_sesi.ipynb")]
    assert cli.main(args) == 1  # a session that fails, like any other failure of `report`
    text = capsys.readouterr().out
    line = next(t for t in text.splitlines() if "GAGAL" in t)
    assert line == (f"  GAGAL (failed): {LOA_JANAN.name}: EvalToolsError: "
                    f"{done / 'kirim' / 'ringkasan.pdf'}: 1 berkas sudah ada dan tidak ditimpa "
                    "(tidak ditulis oleh evaltools: kirim/ringkasan.pdf)"
                    ". Perbaikan: pindahkan atau ganti nama berkas itu, pilih folder hasil lain (--out), "
                    "atau timpa dengan --timpa (Python: overwrite=True)")
    assert not any(p.is_file() for p in done.iterdir())  # nothing else
    assert [p.name for p in (done / "kirim").iterdir()] == ["ringkasan.pdf"]
    assert cli.main([*args, "--timpa"]) == 0
    assert (done / "kirim" / "ringkasan.pdf").read_bytes().startswith(b"%PDF-1.4")
    assert read_manifest(done) == _hashes(done) and len(read_manifest(done)) == 30
    internal = done / "internal"
    assert sorted(read_manifest(internal)) == ["01_laporan_sesi.html", "01_laporan_sesi.ipynb",
                                               "BACA-SAYA.txt"]
