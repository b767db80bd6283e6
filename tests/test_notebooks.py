"""The notebooks run with papermill on other parameter sets (nbval checks the
committed outputs for the default one; tests/test_notebooks_new_session.py
runs each on a new session with only ``session`` set)."""

import json
import tempfile
from pathlib import Path

import papermill as pm
import pytest

from conftest import ROOT


def _run(name, tmp_path, **parameters):
    """Execute a notebook with papermill; return its printed text (stdout and
    plain-text results) after checking nothing went to stderr."""
    nb = ROOT / "notebooks" / name
    out = tmp_path / name
    pm.execute_notebook(str(nb), str(out), cwd=str(nb.parent), progress_bar=False,
                        kernel_name="python3", parameters=parameters)
    cells = [c for c in json.loads(out.read_text())["cells"] if c["cell_type"] == "code"]
    outputs = [o for c in cells for o in c.get("outputs", [])]
    assert not any(o.get("name") == "stderr" for o in outputs)
    return "".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                   for o in outputs)


def test_start_notebook_on_another_session(tmp_path):
    text = _run("00_mulai.ipynb", tmp_path, session="kesbangpol-kaltim-2024-10-17", lang="en")
    assert "nama: Sosialisasi Netralitas Pegawai ASN dan Non-ASN" in text
    assert "baris dibaca 624 = dipakai 591 + dikeluarkan 33" in text
    assert "the same person submitted twice" in text  # the reasons explained in English


def test_recap_notebook_on_another_data_folder(tmp_path):
    import shutil
    data = tmp_path / "data"
    for sid in ("loa-janan-2024-11-22", "kukar-tindak-lanjut-2024-12-20"):
        shutil.copytree(ROOT / "data" / "sample" / sid, data / sid)
    text = _run("02_rekap_opd.ipynb", tmp_path, data_dir=str(data), out_dir=str(tmp_path / "rekap"),
                lang="en")
    assert "2024-12-20  tindak lanjut  kukar-tindak-lanjut-2024-12-20" in text
    assert ("At the follow-up survey 28 days after session loa-janan-2024-11-22, the 40 participants "
            "who took all three tests kept 57% of their gain") in text
    assert ("No comparison by session: fewer than two groups with at least 5 matched participants."
            in text)  # one session: the format comparison says why it is not there
    assert sorted(p.name for p in (tmp_path / "rekap").iterdir()) == sorted(
        [f"{c}.{f}" for c in ("rekap_opd", "tren_sesi") for f in ("pdf", "svg")]
        + ["kirim", ".evaltools.json"])
    assert sorted(p.name for p in (tmp_path / "rekap" / "kirim").iterdir()) == [
        "rekap.xlsx", "rekap_opd.png", "tren_sesi.png"]


def test_item_notebook_on_the_post_test_of_another_session(tmp_path, ev_kaltim):
    text = _run("03_analisis_butir.ipynb", tmp_path, session="kesbangpol-kaltim-2024-10-17",
                wave="post", lang="en")
    assert "Sosialisasi Netralitas Pegawai ASN dan Non-ASN" in text
    # the items the notebook lists for review are the post-test's flagged ones, flags in English
    a = ev_kaltim.item_analysis("post", lang="en")
    flagged = a[a["flags"] != ""]
    assert len(flagged) >= 3
    for item, flags in zip(flagged["item"], flagged["flags"]):
        assert item in text and flags.split(";")[0].strip()[:12] in text, (item, flags)
    # DIF (section 6): the sentence, in English (tests/stats/test_dif.py)
    assert ("13 groups compared with the others on 27 items: class C (large DIF): "
            "no. 10 (Kab. Mahakam Ulu), no. 1 (Kab. Paser)") in text


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")))
def test_committed_notebook_is_clean(name):
    nb = json.loads((ROOT / "notebooks" / name).read_text())
    # no execution timestamps (make notebooks strips what nbconvert writes)
    assert not any("execution" in c["metadata"] for c in nb["cells"])
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code[0]["metadata"]["tags"] == ["parameters"]
    assert all(c["execution_count"] is not None for c in code)
    for c in code:
        for o in c.get("outputs", []):
            assert o["output_type"] != "error"
            assert o.get("name") != "stderr"
            text = json.dumps(o)
            for place in (str(ROOT.parent), str(Path.home()), tempfile.gettempdir()):
                assert place + "/" not in text, f"a machine path in stored output: {place}"
