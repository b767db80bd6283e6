"""The large-file path equals the row-by-row reader.

A CSV of 16 MB or more is read by ``read.columnar`` (Arrow, in blocks, the
columns that repeat a few values held as codes); smaller files, and anything
unusual, by the row-by-row reader, which names every bad cell. Here every
CSV of the bad-input corpus and of the sample sessions is read both ways
(the large-file path forced with ``COLUMNAR_FROM_BYTES = 0``): the same
kept rows, the same ledger, the same accounting per file, or the same
refusal (message, file, row, column).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_bad_inputs import CASES, _args, _paths

import evaltools as et
from evaltools.errors import EvalToolsError
from evaltools.read import columnar, files
from evaltools.read.table import decoded

SAMPLE = Path(__file__).parents[2] / "data" / "sample"


def _read(source, inst, kwargs):
    try:
        return et.read_responses(source, inst, **kwargs)
    except EvalToolsError as err:
        return (err.problem, err.file, err.row, err.column)


def _both(source, inst, kwargs, monkeypatch):
    """(row by row, large-file path, how many files the large-file path took)."""
    rows = _read(source, inst, kwargs)
    taken = []
    with monkeypatch.context() as m:
        m.setattr(files, "COLUMNAR_FROM_BYTES", 0)
        m.setattr(files, "read_csv_columnar", lambda *a, **k: taken.append(
            columnar.read_csv_columnar(*a, **k)) or taken[-1])
        # (every file now counts as large: a bar is drawn; not switched off with TQDM_DISABLE,
        # which tqdm reads once, when first imported, for the whole process)
        fast = _read(source, inst, kwargs)
    return rows, fast, sum(t is not None for t in taken)


def _same(rows, fast, taken=None):
    if isinstance(rows, tuple) or isinstance(fast, tuple):
        assert fast == rows
        return
    # answers are codes on both paths; a coded field of the large file is text once parsed
    pd.testing.assert_frame_equal(decoded(fast.data), decoded(rows.data))
    pd.testing.assert_frame_equal(fast.ledger, rows.ledger)
    pd.testing.assert_frame_equal(fast.sources, rows.sources)


_CSV_CASES = [c for c in CASES if not c["group"].startswith("Y") and c["files"]
              and all(f.lower().endswith(".csv") for f in c["files"].split(";"))]


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in _CSV_CASES])
def test_every_csv_of_the_bad_input_corpus(case, inst, tmp_path, monkeypatch):
    paths = _paths(case, tmp_path)
    source = paths[0] if len(paths) == 1 else paths
    _same(*_both(source, inst, _args(case["args"]), monkeypatch))



@pytest.mark.parametrize("folder", sorted(p.name for p in SAMPLE.iterdir() if any(p.glob("*.csv"))))
def test_every_sample_session(folder, inst, monkeypatch):
    csvs = sorted((SAMPLE / folder).glob("*.csv"))
    rows, fast, taken = _both(csvs, inst, {"session": folder}, monkeypatch)
    assert taken == len(csvs)  # well-formed exports: every one read the large-file way
    _same(rows, fast)


def test_the_corpus_has_csv_cases():
    """The comparison above covers the corpus' CSV cases, not an empty list."""
    assert len(_CSV_CASES) >= 40
