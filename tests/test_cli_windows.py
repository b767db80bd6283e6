"""What the evaluator's routine needs from the machine: no shell and no make
(everything through Python and pathlib), and the parts that differ on Windows."""

import ast
import os
import subprocess
import sys

import pytest
from conftest import ROOT

from evaltools.disk import alive

SHELL_CALLS = {"system", "popen", "spawnl", "spawnlp", "spawnv", "spawnvp", "execl", "execlp", "execv",
               "execvp", "startfile"}


def _shell_uses(tree: ast.AST) -> list:
    """Where a module imports subprocess, calls os.system and its kin, or passes shell=True."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "subprocess" for a in node.names):
            found.append((node.lineno, "import subprocess"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "subprocess":
            found.append((node.lineno, "from subprocess"))
        elif isinstance(node, ast.Attribute) and node.attr in SHELL_CALLS and \
                isinstance(node.value, ast.Name) and node.value.id == "os":
            found.append((node.lineno, f"os.{node.attr}"))
        elif isinstance(node, ast.keyword) and node.arg == "shell":
            found.append((node.lineno, "shell="))
    return found


def test_evaltools_calls_no_shell_and_no_other_program():
    # the checker sees what it should
    assert _shell_uses(ast.parse("import subprocess\nos.system('make demo')\nf(shell=True)")) == [
        (1, "import subprocess"), (2, "os.system"), (3, "shell=")]
    found = [f"{p.relative_to(ROOT)}:{line} {what}" for p in sorted((ROOT / "evaltools").rglob("*.py"))
             for line, what in _shell_uses(ast.parse(p.read_text(encoding="utf-8")))]
    assert found == []


@pytest.mark.skipif(os.name != "nt", reason="Windows: a process is checked through kernel32")
def test_a_stopped_process_is_not_running_on_windows():
    assert alive(os.getpid())
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    assert not alive(int(done.stdout))
    assert alive(os.getpid())  # and checking did not interrupt this process
