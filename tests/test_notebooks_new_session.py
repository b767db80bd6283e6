"""Every notebook runs on a new, real (not sample) session with only
``session`` set, as a person would change it: the data, instrument and report
folders are found from the project folder, wherever the notebook runs.

The project is a temporary copy: ``survey/``, ``data/opd.csv`` and one
session in ``data/`` (a sample session renamed, its ``sesi.yaml`` saying
``sintetis: false``), with the notebooks in ``notebooks/``; no path is given
to any notebook."""

import json
import shutil

import papermill as pm
import pytest
import yaml

from conftest import ROOT

SESSION = "kesbangpol-samarinda-2025-03-12"
SAMPLE = ROOT / "data" / "sample" / "kesbangpol-balikpapan-2023-10-20"
# long names that agree in their first 50 characters, as Google Forms names them
NAMES = {"pre-entri-kertas-sintetis.xlsx": "Tes Pemahaman Netralitas ASN - Pilkada Serentak 2024 - "
                                           "pre-test (entri kertas).xlsx",
         "post-entri-kertas-sintetis.xlsx": "Tes Pemahaman Netralitas ASN - Pilkada Serentak 2024 - "
                                            "post-test (entri kertas).xlsx"}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project folder with one real session and no sample sessions."""
    top = tmp_path_factory.mktemp("proyek")
    shutil.copytree(ROOT / "survey", top / "survey")
    shutil.copytree(ROOT / "notebooks", top / "notebooks")
    folder = top / "data" / SESSION
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "data" / "opd.csv", top / "data" / "opd.csv")
    for old, new in NAMES.items():
        shutil.copy(SAMPLE / old, folder / new)
    meta = {"id": SESSION, "nama": "Sosialisasi Netralitas ASN Kota Samarinda",
            "tanggal": "2025-03-12", "tempat": "Aula Kesbangpol Kota Samarinda",
            "penyelenggara": "Kesbangpol Kota Samarinda", "sintetis": False}
    (folder / "sesi.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False))
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("EVALTOOLS_ROOT", raising=False)  # found from the notebook's folder
        yield top


def _run(project, name, **parameters):
    """Run ``notebooks/<name>`` of the project in its own folder; return what
    it shows (stdout, plain-text and HTML results), after checking that
    nothing went to stderr."""
    out = project / "run" / name
    out.parent.mkdir(exist_ok=True)
    nb = project / "notebooks" / name
    pm.execute_notebook(str(nb), str(out), cwd=str(nb.parent), progress_bar=False,
                        kernel_name="python3", parameters=parameters)
    outputs = [o for c in json.loads(out.read_text())["cells"] if c["cell_type"] == "code"
               for o in c.get("outputs", [])]
    assert not any(o.get("name") == "stderr" for o in outputs)
    return "".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                   + "".join(o.get("data", {}).get("text/html", "")) for o in outputs)


def test_start_notebook(project):
    text = _run(project, "00_mulai.ipynb", session=SESSION)
    assert f"sesi          data/{SESSION}\n" in text
    assert f"# data/{SESSION}/sesi.yaml\nid: {SESSION}\n" in text
    # each file's name in full (not cut at 45 or 50 characters), with the wave read from it,
    # the pre-test first
    row = "<td>{}</td>\n      <td>template</td>\n      <td>{}</td>"
    pre = text.index(row.format(NAMES["pre-entri-kertas-sintetis.xlsx"], "pre"))
    assert pre < text.index(row.format(NAMES["post-entri-kertas-sintetis.xlsx"], "post"))
    assert "baris dibaca 68 = dipakai 65 + dikeluarkan 3" in text


def test_session_notebook(project):
    text = _run(project, "01_laporan_sesi.ipynb", session=SESSION)
    assert "Sosialisasi Netralitas ASN Kota Samarinda\n12 Maret 2025, Aula Kesbangpol" in text
    assert "sintetis" not in text.lower()
    # the exports in the project's reports/, named relative to the project
    assert f"reports/{SESSION}/kirim/ringkasan.pdf\n" in text
    written = project / "reports" / SESSION
    charts = ["lulus_kkm", "pengecoh", "per_butir", "per_opd", "per_topik", "peta_butir", "reaksi",
              "sikap", "skor_pre_post"]
    assert sorted(p.name for p in written.iterdir()) == sorted(
        [f"{c}.{f}" for c in charts for f in ("pdf", "svg")] + ["kirim", ".evaltools.json"])
    assert sorted(p.name for p in (written / "kirim").iterdir()) == sorted(
        [f"{c}.png" for c in charts] + ["ringkasan.xlsx", "ringkasan.pdf", "ringkasan.pptx"])


def test_recap_notebook_with_nothing_set(project):
    text = _run(project, "02_rekap_opd.ipynb")
    assert f"Sesi di data/:\n2025-03-12  sesi           {SESSION}\n" in text
    # where evaltools recap writes the recap of data/: reports/rekap-data/
    assert "reports/rekap-data/kirim/rekap.xlsx\n" in text
    assert (project / "reports" / "rekap-data" / "kirim" / "rekap.xlsx").is_file()


def test_item_notebook(project):
    text = _run(project, "03_analisis_butir.ipynb", session=SESSION)
    assert f"Data: data/{SESSION}, jawaban peserta sesi ini\n" in text
    assert "sintetis" not in text.lower()
    # topic names from the instrument, not their ids
    assert "Nilai dasar & kode etik" in text and "nilai_dasar" not in text


def test_unknown_session_lists_the_sessions_there_are(project, monkeypatch):
    from evaltools import EvalToolsError
    from evaltools.project import session_folder
    monkeypatch.setenv("EVALTOOLS_ROOT", str(project))
    assert session_folder(SESSION) == project / "data" / SESSION
    with pytest.raises(EvalToolsError) as err:
        session_folder("samarinda-2025-03-21")  # a typo: the notebooks stop with this message
    assert str(err.value).startswith(
        "data: sesi 'samarinda-2025-03-21' tidak ada di data/ dan data/sample/. Perbaikan: pakai "
        f"salah satu sesi yang ada (data/: {SESSION}; data/sample/: -) atau buat foldernya")
