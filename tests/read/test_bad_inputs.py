"""Every case of tests/bad_inputs/cases.csv: a broken or hostile input file
and what a correct evaltools does with it (see tests/bad_inputs/README.md).

For an expected error: one EvalToolsError (never another exception type)
naming the file, the row and column where the table gives them, with the fix
in Indonesian and an English "(en)" line that is English. For everything
else: every input row kept or excluded with a reason
(``n_input_rows == len(data) + n_excluded``), the ledger counts exactly as
listed, and the spot checks of kept values.

Cases the toolkit currently gets wrong keep their correct expectation and are
marked xfail(strict=True) with the reason from the table's ``xfail`` column.
Any escaping exception is turned into an AssertionError, so an xfail mark
never hides an error in this test itself.
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pandas as pd
import pytest

import evaltools as et
from evaltools.errors import EvalToolsError
from evaltools.read.reasons import REASONS

CORPUS = Path(__file__).parents[1] / "bad_inputs"
FILES = CORPUS / "files"
with open(CORPUS / "cases.csv", encoding="utf-8", newline="") as _f:
    CASES = list(csv.DictReader(_f))


def _param(c):
    marks = [pytest.mark.xfail(strict=True, raises=AssertionError, reason=c["xfail"])] if c["xfail"] else []
    return pytest.param(c, id=c["id"], marks=marks)


_GEN = {}


def _generated(name: str, folder: Path) -> list[Path]:
    """Files built at test time (big or not files at all) by make_corpus.GENERATED."""
    if "mod" not in _GEN:
        spec = importlib.util.spec_from_file_location("_make_corpus", CORPUS / "make_corpus.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        _GEN["mod"] = mod
    return _GEN["mod"].GENERATED[name](folder)


def _paths(case, tmp_path) -> list[Path]:
    out = []
    for f in case["files"].split(";"):
        out += _generated(f[1:], tmp_path) if f.startswith("@") else [FILES / f]
    return out


def _args(text: str) -> dict:
    return dict(kv.split("=", 1) for kv in text.split(";") if kv)


def _list(text: str) -> list[str]:
    return [t.strip() for t in text.split(" | ") if t.strip()]


def _text(v) -> str:
    """A kept value as the table writes it: empty for missing, whole numbers
    without '.0', times as 'YYYY-MM-DD HH:MM:SS'."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _run(call):
    try:
        return call(), None
    except EvalToolsError as err:
        return None, err
    except Exception as exc:  # noqa: BLE001 - any other type is the bug being tested for
        raise AssertionError(f"{type(exc).__name__} escaped instead of an EvalToolsError: {exc}") from exc


# --------------------------------------------------------------------------

def _check_error(err: EvalToolsError, case, file_named: str):
    text = str(err)
    assert "Traceback" not in text
    assert err.file == file_named, f"the error names {err.file!r}, not the file {file_named!r}"
    assert "\n(en) " in text, f"no English line: {text}"
    ind, en = text.split("\n(en) ", 1)
    assert en == err.message_en
    assert "Perbaikan: " in ind and "Fix: " in en, f"no fix: {text}"
    assert err.problem_en != err.problem, f"the (en) line is not English: {en}"
    for want in _list(case["error_id"]):
        assert want in ind, f"{want!r} not in {ind!r}"
    for want in _list(case["error_en"]):
        assert want in en, f"{want!r} not in {en!r}"
    if case["err_row"]:
        # a row of a table, or a line of a YAML file (instrument, sesi.yaml)
        at = err.row if err.row is not None else err.line
        assert at == int(case["err_row"]), f"row/line {at}, expected {case['err_row']}: {text}"
    if case["err_column"]:
        assert err.column == case["err_column"], f"column {err.column!r}, expected {case['err_column']!r}"
    if case["err_location"]:
        assert err.location == case["err_location"], f"location {err.location!r}"


def _ledger(spec: str) -> dict:
    want = {}
    for item in spec.split():
        key, n = item.rsplit("=", 1)
        action, reason = key.split(":")
        want[action, reason] = int(n)
    return want


def _check_read(r, case):
    # nothing silently lost: every input row is kept or excluded with a reason
    assert r.n_input_rows == len(r.data) + r.n_excluded
    assert (r.sources["rows"] == r.sources["kept"] + r.sources["excluded"]).all()
    assert r.n_input_rows == int(case["input_rows"]), f"{r.n_input_rows} input rows"
    assert len(r.data) == int(case["kept"]), f"{len(r.data)} kept"
    led = r.ledger
    got = {(a, x): int(n) for (a, x), n in led.groupby(["action", "reason"]).size().items()}
    assert got == _ledger(case["ledger"]), f"ledger {got}"
    for action, reason in got:
        assert reason in REASONS and REASONS[reason][0] == action, (action, reason)
    assert (led["source"] != "").all() and (led["row"] >= 2).all()
    excluded = (led["action"] == "excluded").any()
    repaired = (led["action"] == "repaired").any()
    kind = "excluded" if excluded else "repaired" if repaired else "read"
    assert kind == case["outcome"], f"outcome {kind}"
    names = list(r.sources["source"])
    for check in _list(case["checks"]):
        _check_value(r, check, names)


def _check_value(r, check: str, names: list):
    if check.startswith("rows="):
        want = [int(x) for x in check[5:].split(",")]
        assert sorted(r.data["row"].tolist()) == want, f"kept rows {sorted(r.data['row'].tolist())}"
    elif check.startswith("format="):
        assert set(r.sources["format"]) == {check[7:]}, f"format {set(r.sources['format'])}"
    elif check.startswith("ignored~"):
        ignored = [c for s in r.sources["ignored_columns"] for c in s.split(", ")]
        assert check[8:] in ignored, f"ignored columns {ignored}"
    elif check.startswith("ledger:"):
        parts = check.split(":")[1:]
        row, reason = int(parts[0]), parts[-1]
        hit = (r.ledger["row"] == row) & (r.ledger["reason"] == reason)
        if len(parts) == 3:
            hit &= r.ledger["column"] == parts[1]
        assert hit.any(), f"no ledger line {check}:\n{r.ledger[['row', 'column', 'reason']]}"
    else:
        where, want = check.split("=", 1)
        file, _, where = where.rpartition("#") if "#" in where.split(":")[0] else ("", "", where)
        row, col = where.split(":", 1)
        col, _, measure = col.partition("#")
        sel = r.data["row"] == int(row)
        if file:
            assert file in names, file
            sel &= r.data["source"] == file
        hit = r.data[sel]
        assert len(hit) == 1, f"{check}: {len(hit)} kept rows match"
        value = hit.iloc[0][col]
        if measure == "len":
            assert len(str(value)) == int(want), f"{check}: length {len(str(value))}"
        else:
            assert _text(value) == want, f"{check}: got {_text(value)!r}"


def _check_instrument(inst, case):
    for check in _list(case["checks"]):
        where, want = check.split("=", 1)
        attr, _, measure = where[len("inst."):].partition("#")
        value = getattr(inst, attr)
        got = str(len(value)) if measure == "len" else str(value)
        assert got == want, f"{check}: got {got!r}"


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_bad_input(case, inst, tmp_path):
    paths = _paths(case, tmp_path)
    if case["group"].startswith("Y"):
        result, err = _run(lambda: et.load_instrument(paths[0]))
        file_named = str(paths[0])
    else:
        source = paths[0] if len(paths) == 1 else paths
        result, err = _run(lambda: et.read_responses(source, inst, **_args(case["args"])))
        file_named = paths[0].name
    if case["outcome"] == "error":
        assert err is not None, "expected an EvalToolsError, the input was accepted"
        _check_error(err, case, file_named)
        return
    assert err is None, f"unexpected EvalToolsError: {err}"
    if case["group"].startswith("Y"):
        _check_instrument(result, case)
    else:
        _check_read(result, case)


def test_the_table():
    """The corpus is what the issue asks for: 50+ cases, each with a known outcome and its files."""
    assert len(CASES) >= 55
    assert len({c["id"] for c in CASES}) == len(CASES)
    for c in CASES:
        assert c["outcome"] in ("read", "repaired", "excluded", "error"), c["id"]
        if c["outcome"] == "error":
            assert c["error_id"] and c["error_en"], c["id"]
        else:
            assert c["input_rows"] != "" or c["group"].startswith("Y"), c["id"]
        for f in c["files"].split(";"):
            assert f.startswith("@") or (FILES / f).exists() or c["id"] == "Y25", (c["id"], f)
        for _, reason in _ledger(c["ledger"]):
            assert reason in REASONS, (c["id"], reason)
    stored = [p for p in FILES.rglob("*") if p.is_file()]
    assert all(p.stat().st_size < 50_000 for p in stored)
    # the README's summary and group counts are those of the table
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    kinds = [sum(c["outcome"] == k for c in CASES) for k in ("read", "repaired", "excluded", "error")]
    xfails = sum(bool(c["xfail"]) for c in CASES)
    assert (f"{len(CASES)} cases: {kinds[0]} read, {kinds[1]} repaired, {kinds[2]} excluded, "
            f"{kinds[3]} error; {xfails} marked xfail") in readme
    for group in {c["group"] for c in CASES}:
        n = sum(c["group"] == group for c in CASES)
        assert f"**{group}** ({n})" in readme, group
