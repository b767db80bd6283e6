"""The session notebook runs with papermill on a second parameter set
(nbval checks the committed outputs for the default one)."""

import json
import tempfile
from pathlib import Path

import papermill as pm
import pytest

from conftest import ROOT


@pytest.mark.parametrize("session, lang", [("kesbangpol-kaltim-2024-10-17", "en")])
def test_session_notebook_runs_on_other_parameters(tmp_path, session, lang):
    nb = ROOT / "notebooks" / "01_laporan_sesi.ipynb"
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(nb), str(out), cwd=str(nb.parent), progress_bar=False,
                        kernel_name="python3",
                        parameters={"session": session, "out_dir": str(tmp_path / "reports"),
                                    "lang": lang})
    cells = json.loads(out.read_text())["cells"]
    text = "".join("".join(o.get("text", "")) for c in cells if c["cell_type"] == "code"
                   for o in c.get("outputs", []))
    assert "Sosialisasi Netralitas Pegawai ASN dan Non-ASN" in text
    assert not any(o.get("name") == "stderr" for c in cells if c["cell_type"] == "code"
                   for o in c.get("outputs", []))
    written = sorted(p.name for p in (tmp_path / "reports" / session).iterdir())
    charts = ["lulus_kkm", "pengecoh", "per_butir", "per_opd", "per_topik", "peta_butir", "reaksi",
              "sikap", "skor_pre_post"]
    assert written == sorted([f"{c}.{f}" for c in charts for f in ("pdf", "png", "svg")]
                             + ["ringkasan.xlsx", "ringkasan.pdf"])


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
