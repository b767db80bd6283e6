"""Hypothesis settings shared by the property tests (tests/read/test_*_properties.py,
tests/test_instrument_properties.py).

Runs derandomized (the same examples every run, no example database), no
shrinking. ``EVALTOOLS_PROPERTIES=full`` runs 10x as many examples and
shrinks failures to a minimal example (minutes).

Known bugs once found are pinned by ``*_regression_*`` tests that run only
their explicit ``@example``s (``regression``), so that they stay fixed.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, Phase, example, given, settings

FULL = os.environ.get("EVALTOOLS_PROPERTIES") == "full"


def budget(n: int, *, one_bug: bool = False):
    """Settings of one property: ``n`` examples, no deadline, derandomized
    (CI runs the same examples every time), no shrinking unless FULL (a
    failing CSV case can take minutes to shrink; known bugs are pinned below
    as explicit examples)."""
    phases = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target]
    if FULL:
        phases.append(Phase.shrink)
    return settings(max_examples=n * (10 if FULL else 1), deadline=None, derandomize=True,
                    database=None, phases=phases, print_blob=False,
                    # a test marked xfail(raises=known bug types) must fail with one bug, not a group
                    report_multiple_bugs=not one_bug,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example,
                                           HealthCheck.filter_too_much])


# only the explicit @example(...) of a regression test is run
REGRESSION = settings(phases=[Phase.explicit], deadline=None, database=None)


def regression(strategy, reason: str, *cases):
    """A test given ``strategy`` and, first, the explicit ``cases``: the examples
    of a fixed bug (``reason``: the bug as it was, and its fix), so that it stays fixed."""
    def deco(fn):
        test = given(case=strategy)(fn)
        for c in cases:
            test = example(case=c)(test)
        return REGRESSION(test)
    return deco


_counter = [0]


def fresh_dir(workdir: Path) -> Path:
    """A new empty folder under ``workdir`` for one example."""
    _counter[0] += 1
    d = workdir / f"case{_counter[0]}"
    d.mkdir()
    return d
