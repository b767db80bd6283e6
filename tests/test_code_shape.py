"""The code stays easy to change: short functions, no import cycles, no private
names shared between modules, the flow's direction kept (tests/code_shape.py
reads the syntax trees; ruff checks complexity in ``make test``)."""

import subprocess
import sys

import pytest

from code_shape import ROOT, cycles, functions, modules

MAX_LINES = 60  # lines of code of a function, without its docstring

# The flow: a stage imports only earlier stages (and the shared leaf modules).
STAGES = ["instrument", "read", "score", "pair", "compare", "charts", "export"]


@pytest.fixture(scope="module")
def mods():
    return modules()


def test_the_checker_sees_what_it_should(tmp_path, mods):
    # the graph is built from real imports: read imports instrument, and nothing imports cli
    # but ``python -m evaltools`` (evaltools/__main__.py, the command itself)
    assert "evaltools.instrument" in mods["evaltools.read"].imports | {
        i for name, m in mods.items() if name.startswith("evaltools.read") for i in m.imports}
    assert not any("evaltools.cli" in m.imports for name, m in mods.items()
                   if not name.startswith("evaltools.cli") and name != "evaltools.__main__")
    # a function's length leaves out its docstring, blank and comment lines
    import ast
    src = 'def f():\n    """Doc.\n\n    More.\n    """\n    # why\n    a = 1\n\n    return a\n'
    node = ast.parse(src).body[0]
    from code_shape import code_lines
    assert code_lines(node, src.splitlines()) == 3  # def, a = 1, return


def test_no_function_is_longer_than_60_lines(mods):
    long = [(n, where) for n, where in functions(mods) if n > MAX_LINES]
    assert long == [], "split these along their steps: " + "; ".join(f"{w} ({n})" for n, w in long)


def test_no_import_cycle_between_evaltools_modules(mods):
    assert cycles(mods) == []


def test_a_cycle_is_found_where_there_is_one(mods):
    # the checker itself: a made-up edge back from instrument to read closes a loop
    mods["evaltools.instrument"].imports.add("evaltools.read")
    try:
        found = cycles(mods)
    finally:
        mods["evaltools.instrument"].imports.discard("evaltools.read")
    assert any({"evaltools.instrument", "evaltools.read"} <= set(c) for c in found)


def test_no_private_name_is_taken_from_another_module(mods):
    taken = [f"{m.path.relative_to(ROOT)}:{line} {what}" for m in mods.values()
             for line, what in m.private]
    assert taken == []


def _stage(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_no_stage_imports_a_later_one(mods):
    later = []
    for name, m in mods.items():
        own = _stage(name)
        for target in m.imports:
            other = _stage(target)
            if own and other and STAGES.index(other) > STAGES.index(own):
                later.append(f"{name} -> {target}")
    assert later == []


def test_import_evaltools_loads_no_heavy_module():
    # these load on first use only (pyarrow is not among them: pandas 3 imports it itself);
    # the package's own names load at their first use, and they load none of these either
    code = ("import sys, evaltools; plain = 'pandas' in sys.modules; from evaltools import *; "
            "heavy = ('scipy', 'matplotlib', 'openpyxl', 'papermill', "
            "'nbconvert', 'reportlab', 'pyxform', 'jsonschema', 'rapidfuzz'); "
            "print(plain, 'pandas' in sys.modules, sorted(m for m in heavy if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    assert out.stdout.strip() == "False True []"


def test_the_lazy_package_offers_what_the_eager_one_did():
    """``evaltools`` loads its modules at first use; its names are what they
    were when it imported them all: the functions ``score``, ``pair``,
    ``evaluate`` ... even after their modules are imported, and the modules
    (``et.fmt``) after a plain ``import evaltools``."""
    code = ("import evaltools as et, evaltools.score, evaltools.evaluate; import evaltools.pair as p; "
            "from evaltools import compare; print(et.score.__name__, et.evaluate.__name__, p.__name__, "
            "compare.__module__, et.fmt.__name__, et.read.__name__, hasattr(et, 'nope'), "
            "[n for n in dir(et) if n.startswith('_') and n != '__version__'], "
            "all(callable(getattr(et, n)) for n in et.__all__ if n != '__version__'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    assert out.stdout.split() == ["score", "evaluate", "pair", "evaltools.compare", "evaltools.fmt",
                                  "evaltools.read", "False", "[]", "True"]


def test_the_command_line_starts_without_the_network_client():
    """requests (0.06 s) loads only when Central is pulled: ``evaltools report``
    starts its kernel that much sooner."""
    code = ("import sys, evaltools.cli; from evaltools import pull; before = 'requests' in sys.modules; "
            "pull.central.submission_ids; print(before, 'requests' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    assert out.stdout.split() == ["False", "True"]
