"""The forms committed in survey/forms are exactly what the instrument gives today."""

from evaltools import cli
from evaltools.forms import write_forms
from evaltools.overwrite import MANIFEST

from conftest import INSTRUMENT, ROOT

COMMITTED = ROOT / "survey" / "forms"


def test_committed_forms_are_current(inst, tmp_path):
    paths = write_forms(inst, tmp_path, registry=ROOT / "data" / "opd.csv")
    names = sorted(p.name for p in paths)
    # the manifest too: `make forms` on a fresh clone replaces the forms it knows
    assert sorted(names + [MANIFEST]) == sorted(p.name for p in COMMITTED.iterdir() if p.is_file())
    for p in [*paths, tmp_path / MANIFEST]:
        assert p.read_bytes() == (COMMITTED / p.name).read_bytes(), \
            f"survey/forms/{p.name} is stale: run `make forms` and commit"
    # 5 files per wave: XLSForm, entry template, PDF, HTML, Apps Script
    assert len(names) == 10


def test_forms_command(tmp_path, capsys):
    code = cli.main(["forms", str(INSTRUMENT), "--out", str(tmp_path / "f"),
                     "--session", "loa-janan-2024-11-22",
                     "--registry", str(ROOT / "data" / "opd.csv")])
    assert code == 0
    out = capsys.readouterr().out
    assert out.startswith("10 formulir ditulis ke")
    gs = (tmp_path / "f" / "netralitas-asn-pilkada-2024-post-google-forms.gs").read_text()
    assert "[netralitas-asn-pilkada-2024 v2024.1 post loa-janan-2024-11-22]" in gs
