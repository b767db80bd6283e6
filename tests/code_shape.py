"""The shape of the code in ``evaltools/``, read from its syntax trees.

Used by tests/test_code_shape.py; run it alone for the figures:

    python tests/code_shape.py

- function length: lines of code of each function, without its docstring,
  blank lines and comment-only lines;
- the import graph between evaltools modules, counting imports inside
  functions (an import cycle hidden in a function is still a cycle);
- private names (``_x``) that one module takes from another, by import
  (``from .files import _x``) or by attribute (``stats._x``).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "evaltools"


@dataclass
class Module:
    name: str                  # evaltools.read.files
    path: Path
    lines: int
    tree: ast.Module
    imports: set = field(default_factory=set)   # evaltools modules it imports
    private: list = field(default_factory=list)  # (line, "module._name")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _resolve(mod: Module, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` names."""
    if not node.level:
        return node.module or ""
    base = mod.name.split(".")
    if mod.path.name != "__init__.py":
        base = base[:-1]  # a module's package
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def modules() -> dict[str, Module]:
    """Every module of the package, with the evaltools modules it imports and
    the private names it takes from other modules."""
    mods = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        m = Module(_module_name(path), path, len(text.splitlines()), ast.parse(text))
        mods[m.name] = m
    for m in mods.values():
        bound = {}  # local name -> evaltools module it is bound to
        for node in ast.walk(m.tree):
            if isinstance(node, ast.ImportFrom):
                target = _resolve(m, node)
                if not target.startswith("evaltools"):
                    continue
                for a in node.names:
                    sub = f"{target}.{a.name}"
                    if sub in mods:  # "from . import stats": the module itself
                        m.imports.add(sub)
                        bound[a.asname or a.name] = sub
                    else:
                        m.imports.add(target)
                        if _is_private(a.name) and target != m.name:
                            m.private.append((node.lineno, f"{target}.{a.name}"))
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith("evaltools") and a.name in mods:
                        m.imports.add(a.name)
                        bound[a.asname or a.name] = a.name
        for node in ast.walk(m.tree):  # stats._TIE_DECIMALS: a private name reached through a module
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in bound and _is_private(node.attr)):
                m.private.append((node.lineno, f"{bound[node.value.id]}.{node.attr}"))
        m.imports.discard(m.name)
    return mods


def code_lines(node, source: list[str]) -> int:
    """Lines of code of a function: no docstring, blank or comment-only line."""
    skip = set()
    body = node.body
    if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)):
        skip = set(range(body[0].lineno, body[0].end_lineno + 1))
    start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    return sum(1 for ln in range(start, node.end_lineno + 1)
               if ln not in skip and source[ln - 1].strip()
               and not source[ln - 1].strip().startswith("#"))


def functions(mods: dict[str, Module]) -> list[tuple[int, str]]:
    """(lines of code, "path:line name") of every function, longest first."""
    out = []
    for m in mods.values():
        source = m.path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(m.tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                where = f"{m.path.relative_to(ROOT)}:{node.lineno} {node.name}"
                out.append((code_lines(node, source), where))
    return sorted(out, reverse=True)


def cycles(mods: dict[str, Module]) -> list[list[str]]:
    """Groups of modules that import each other, directly or around a loop
    (strongly connected components of the import graph, Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(mods[v].imports & set(mods)):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for v in sorted(mods):
            if v not in index:
                visit(v)
    finally:  # the raised limit would let later tests' deep input through (bad input Y09)
        sys.setrecursionlimit(limit)
    return found


def report() -> str:
    mods = modules()
    funcs = functions(mods)
    big = sorted(((m.lines, name) for name, m in mods.items() if m.lines > 400), reverse=True)
    private = [(m.path.relative_to(ROOT), line, what) for m in mods.values()
               for line, what in m.private]
    lines = ["longest functions (lines of code):", *(f"  {n:4d} {w}" for n, w in funcs[:10]),
             f"functions over 60 lines: {sum(1 for n, _ in funcs if n > 60)}",
             f"modules over 400 lines: {len(big)}", *(f"  {n:4d} {name}" for n, name in big),
             f"import cycles: {len(cycles(mods))}", *(f"  {' <-> '.join(c)}" for c in cycles(mods)),
             f"private names taken from other modules: {len(private)}",
             *(f"  {p}:{line} {what}" for p, line, what in private)]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
