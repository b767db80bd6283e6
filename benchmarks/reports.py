"""The session report's wall time, as an evaluator starts it: ``evaltools
report --session <id> --data data/sample --out <tmp>`` in a process of its own,
for each sample session; and ``report --all --jobs 2`` beside ``--jobs 1``.

The target (< 5 s) is in seconds; the peer printed beside it, measured in the
same run, is the floor any Python report pays: a fresh interpreter that only
imports pandas and matplotlib's pyplot. Follow-up surveys are left out, as
``report --all`` leaves them out (they belong in the recap).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
PEER = "import pandas, matplotlib.pyplot"


def evaltools_command() -> list:
    """The ``evaltools`` command beside this interpreter (the bench venv's), as a user runs it."""
    exe = Path(sys.executable).with_name("evaltools")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "evaltools.cli"]


def _children_cpu() -> float:
    """CPU seconds (user and system) of this process's ended children and theirs."""
    import resource  # (Unix: where the benchmarks run)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _wall(cmd: list) -> tuple[float, subprocess.CompletedProcess, float]:
    """(wall seconds, the finished process, its CPU seconds): the CPU of the
    command, its kernel and the export's drawing workers, as far as each was
    waited for (a process never waited for is left out: the figure errs low)."""
    cpu, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - start, done, _children_cpu() - cpu


def _best(cmd_for, repeat: int) -> dict:
    """The best of ``repeat`` runs of ``cmd_for(out)``, each into a fresh
    output folder; on a failure the end of what it printed, and no time."""
    times, cpus = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            seconds, done, cpu = _wall(cmd_for(Path(tmp) / "out"))
        if done.returncode:
            tail = (done.stderr.strip() or done.stdout.strip()).splitlines()[-3:]
            return {"error": f"exit {done.returncode}: " + " | ".join(tail)}
        times.append(seconds)
        cpus.append(cpu)
    # the least CPU of the runs: with every core busy, no run could take less wall time
    # than that over the cores (those this process, and so the report it starts, may use)
    from evaltools.export.workers import cores
    return {"seconds": min(times), "cpu_s": min(cpus), "cores": cores()}


def kernel_python() -> str:
    """The interpreter of the "python3" kernel papermill starts for the report:
    the bench venv's own (``ipykernel install --sys-prefix``), or the figures
    would time another installation."""
    from jupyter_client.kernelspec import KernelSpecManager
    exe = KernelSpecManager().get_kernel_spec("python3").argv[0]
    # jupyter_client starts "python" (or python3, python3.11) as the interpreter that asks
    names = {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info[:2])}
    return sys.executable if exe in names else exe


def session_times(data: Path = SAMPLE, repeat: int = 2) -> dict:
    """``report --session`` on every session of ``data`` (follow-ups left
    out), best of ``repeat``, and the peer's best of three."""
    from evaltools.read import find_sessions
    sessions = find_sessions(data, kind="session")
    cmd = evaltools_command()
    out = {"kernel_python": kernel_python(), "peer": PEER, "peer_s": _best(lambda _: [sys.executable, "-c", PEER], 3)["seconds"], "repeat": repeat,
           "skipped_followups": find_sessions(data, kind="followup"), "sessions": {}}
    for s in sessions:
        out["sessions"][s] = _best(lambda o, s=s: cmd + ["report", "--session", s, "--data", str(data),
                                                         "--out", str(o)], repeat)
    return out


def _files(folder: Path) -> list:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def jobs_times(data: Path = SAMPLE, repeat: int = 2) -> dict:
    """``report --all`` with ``--jobs 1`` and ``--jobs 2``, ``repeat`` (at
    least 1) times each in the order 1 2 2 1 1 2 ... (neither always first),
    the best of each kept (one run of each moves the ratio by several
    percent, and it sits near its target), and whether every run wrote the
    same files; ``{"jobs": None}`` when ``report`` has no ``--jobs``."""
    cmd = evaltools_command() + ["report", "--all", "--data", str(data)]
    _, helped, _ = _wall(evaltools_command() + ["report", "--help"])
    if "--jobs" not in helped.stdout:
        return {"jobs": None}
    repeat = max(1, repeat)
    res, listed = {"jobs": True, "jobs_runs": repeat}, []
    for k in range(repeat):
        for n in ((1, 2), (2, 1))[k % 2]:
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / f"jobs{n}"
                seconds, done, _ = _wall(cmd + ["--out", str(out), "--jobs", str(n)])
                if done.returncode:
                    tail = (done.stderr.strip() or done.stdout.strip()).splitlines()[-3:]
                    return {"jobs": True, "error": f"--jobs {n}: exit {done.returncode}: " + " | ".join(tail)}
                res[f"jobs{n}_s"] = min(seconds, res.get(f"jobs{n}_s", seconds))
                listed.append(_files(out))
    res["same_files"] = all(files == listed[0] for files in listed)
    res["ratio"] = res["jobs2_s"] / res["jobs1_s"]
    return res
