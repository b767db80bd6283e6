"""The names the examples in evaltools' docstrings use (``make test`` runs them
with ``pytest --doctest-modules evaltools``).

Every example may use, without importing or building them:

- ``et``, ``pd``, ``np``: evaltools, pandas, numpy;
- ``inst``: the shipped instrument (survey/netralitas-asn-pilkada-2024.yaml);
- ``folder``: the Loa Janan sample session, data/sample/loa-janan-2024-11-22;
- ``ev``: that session evaluated (``et.evaluate(folder, inst)``), and its
  stages ``responses``, ``scores`` and ``pairs``.

The session is evaluated once, on the first example that runs.
"""

from __future__ import annotations

import pytest

SAMPLE_SESSION = "data/sample/loa-janan-2024-11-22"
INSTRUMENT = "survey/netralitas-asn-pilkada-2024.yaml"


@pytest.fixture(scope="session")
def _sample_names():
    import numpy as np
    import pandas as pd

    import evaltools as et
    inst = et.load_instrument(INSTRUMENT)
    ev = et.evaluate(SAMPLE_SESSION, inst)
    return {"et": et, "pd": pd, "np": np, "inst": inst, "folder": SAMPLE_SESSION, "ev": ev,
            "responses": ev.responses, "scores": ev.scores, "pairs": ev.pairs}


@pytest.fixture(autouse=True)
def _doctest_names(request):
    """Fill the doctest namespace for docstring examples only (tests do not pay
    for the evaluation)."""
    if type(request.node).__name__ == "DoctestItem":
        request.getfixturevalue("doctest_namespace").update(request.getfixturevalue("_sample_names"))
