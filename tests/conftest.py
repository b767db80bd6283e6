"""Shared fixtures: the shipped instrument and the bundled sample sessions."""

from pathlib import Path

import pytest

import evaltools as et

ROOT = Path(__file__).resolve().parents[1]
INSTRUMENT = ROOT / "survey" / "netralitas-asn-pilkada-2024.yaml"
SAMPLE = ROOT / "data" / "sample"
LOA_JANAN = SAMPLE / "loa-janan-2024-11-22"
KALTIM = SAMPLE / "kesbangpol-kaltim-2024-10-17"


@pytest.fixture(scope="session")
def inst():
    return et.load_instrument(INSTRUMENT)


@pytest.fixture(scope="session")
def ev_loa(inst):
    return et.evaluate([LOA_JANAN / "pre.csv", LOA_JANAN / "post.csv"], inst)


@pytest.fixture(scope="session")
def ev_kaltim(inst):
    return et.evaluate(KALTIM, inst)
