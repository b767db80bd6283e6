"""Shared fixtures: the shipped instrument and the bundled sample sessions."""

import re
import time
from pathlib import Path

import pytest

import evaltools as et

ROOT = Path(__file__).resolve().parents[1]
INSTRUMENT = ROOT / "survey" / "netralitas-asn-pilkada-2024.yaml"
SAMPLE = ROOT / "data" / "sample"
# the fixture generators are scripts, some for a venv of their own (formpack): not test modules
collect_ignore_glob = ["fixtures/*/make_*.py"]
LOA_JANAN = SAMPLE / "loa-janan-2024-11-22"
KALTIM = SAMPLE / "kesbangpol-kaltim-2024-10-17"


def wait_until(done, what: str, limit: float = 60, pause: float = 0.01) -> None:
    """Wait until ``done()``. The limit only stops a hung run from hanging the
    suite (it is far above any run's time); no test measures a time."""
    deadline = time.monotonic() + limit
    while not done():
        if time.monotonic() > deadline:
            pytest.fail(f"hung: {what} did not happen within {limit} s")
        time.sleep(pause)


def gone(pid: int) -> bool:
    """No such process, or one that has exited and waits to be reaped (Linux: /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def sample_file(folder, wave):
    """The one file of ``wave`` in a sample folder (each tool names its own)."""
    hits = [p for p in sorted(folder.iterdir())
            if p.suffix in (".csv", ".xlsx") and re.search(rf"\b{wave}\b", p.name.lower())]
    assert len(hits) == 1, hits
    return hits[0]


@pytest.fixture(scope="session")
def inst():
    return et.load_instrument(INSTRUMENT)


@pytest.fixture(scope="session")
def ev_loa(inst):
    return et.evaluate(LOA_JANAN, inst)


@pytest.fixture(scope="session")
def ev_kaltim(inst):
    return et.evaluate(KALTIM, inst)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder for the files of one module's property tests."""
    return tmp_path_factory.mktemp("properties")
