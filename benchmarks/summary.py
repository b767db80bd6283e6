"""The one table ``make bench`` ends with: every figure issue 23 asks for,
measured against its peer in the same run, its target beside it, and whether
it holds; with the date and the machine, for the README to quote
(benchmarks/results/summary.md and summary.json).

A figure whose measurement did not run (a size left out of SIZES, a failed
report) says so instead of holding or failing.
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMPARE_AT = 100_000      # participants (500 OPDs) of the compare target
CSV_AT = (1_000_000, 4_300_000)
REPORT_S, IMPORT_S, PEAK_GB = 5.0, 0.5, 8.0
TOL = 1e-9                # t and p, relative (t: absolute, |t| being at least about 1)
TOL_W = 1e-6              # W is a rank sum (half-integers): equal when this close


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb():
    try:
        kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal:"))
        return round(kb / 1024 ** 2, 1)
    except (OSError, StopIteration):
        return None


def _commit() -> str:
    def git(*a):
        return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    try:
        head = git("rev-parse", "--short", "HEAD")
        # the run writes its results before the summary: those are not a change to the code
        changed = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!benchmarks/results")
        return head + ("-dirty" if changed else "") or "?"
    except OSError:
        return "?"


def machine(load_at_start=None) -> dict:
    """Where and when the figures were measured (``load_at_start``: the
    1-minute load average as the run began; other jobs make seconds noisy)."""
    def version(pkg):
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return None
    return {"date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "cpu": _cpu(), "cores": os.cpu_count(), "ram_gb": _ram_gb(),
            "python": platform.python_version(),
            **{pkg: version(pkg) for pkg in ("pandas", "pyarrow", "numpy", "scipy", "pingouin")},
            "commit": _commit(), "load_at_start": load_at_start}


def _row(figure, measured, target, holds):
    return {"figure": figure, "measured": measured, "target": target, "holds": holds}


def _shown(value: float, digits: int, test) -> str:
    """``value`` with ``digits`` decimals, or more where rounding would carry
    it across its target: ``test`` (the target as a function) must say the
    same of the printed number as of the value. 99.76 beside "at least 100"
    is "99.8", never "100" beside "no"; 4.96 s beside "under 5 s" is "4.96".

    Example:
        >>> at_least_100 = lambda q: q >= 100
        >>> _shown(150.4, 0, at_least_100), _shown(99.76, 0, at_least_100), _shown(4.96, 1, lambda s: s < 5)
        ('150', '99.8', '4.96')
    """
    for more in range(8):
        text = f"{value:.{digits + more}f}"
        if test(float(text)) == test(value):
            return text
    return repr(value)


def _at(results: list, n: int):
    return next((r for r in results if r["participants"] == n), None)


def compare_rows(results: list) -> list:
    """compare(by="opd") against the pingouin loop at 100,000 / 500, and
    their agreement (R's Wilcoxon rule when the run measured it)."""
    r = _at(results, COMPARE_AT)
    name = f'`compare(pairs, by="opd")` vs pingouin loop, {COMPARE_AT:,} / '
    if r is None or "agreement" not in r:
        return [_row(name + "500 OPDs", f"not run ({COMPARE_AT} with peers not in SIZES)", "≥ 100×", None)]
    q, a = r["ratios"]["pingouin loop / compare(by=opd)"], r["agreement"]
    rows = [_row(name + f"{r['groups']} OPDs",
                 f"{_shown(q, 0, lambda v: v >= 100)}× "
                 f"({r['compare_s']:.3f} s vs {r['pingouin_compare_s']:.2f} s)", "≥ 100×", q >= 100)]
    for key, what, tol in (("max_abs_diff_t", "t, largest absolute difference", TOL),
                           ("max_rel_diff_p_t", "t-test p, largest relative difference", TOL),
                           ("max_abs_diff_W", "W, largest absolute difference", TOL_W),
                           ("max_rel_diff_p_w", "Wilcoxon p, largest relative difference", TOL),
                           ("max_rel_diff_p_w_R", "Wilcoxon p vs R's rule, largest relative difference",
                            TOL)):
        value = a.get(key)
        target = "equal (< 1e-6)" if key == "max_abs_diff_W" else f"≤ {tol:g}"
        rows.append(_row(f"… agreement ({a['groups']} groups): {what}",
                         "n/a (not measured)" if value is None else f"{value:.1e}", target,
                         None if value is None else value <= tol))
    return rows


def csv_rows(results: list) -> list:
    """CSV -> per-OPD table against pyarrow reading the same two files, time
    and peak memory, each in a fresh process, at 1 and 4.3 million."""
    rows = []
    for n in CSV_AT:
        r = _at(results, n)
        name = f"CSV → per-OPD table vs `pyarrow.csv.read_csv`, {n:,}"
        if r is None:
            rows += [_row(name, f"not run ({n} not in SIZES)", "≤ 3×", None),
                     _row(f"… peak memory, {n:,}", "not run", f"< {PEAK_GB:g} GB and ≤ 3× pyarrow's", None)]
            continue
        q = r["ratios"]["CSV to per-group table / pyarrow read"]
        m = r["ratios"]["peak / pyarrow peak"]
        rounds = r.get("rounds") or []  # each of ours against the peer's run before it (since 2026-12-08)
        spread = f"; round by round {min(rounds):.2f}-{max(rounds):.2f}×" if len(rounds) > 1 else ""
        rows += [_row(name + f" ({r['groups']:,} OPDs)",
                      f"{_shown(q, 2, lambda v: v <= 3)}× "
                      f"({r['evaluate_s']:.2f} s vs {r['pyarrow_fresh_s']:.2f} s{spread})",
                      "≤ 3×", q <= 3)]
        if "floor_s" in r:  # runs from before benchmarks/floor.py have no floor
            least = r["ratios"]["floor / pyarrow read"]
            rows.append(_row(f"… the floor: the least work on that way, done as fast as we know (`benchmarks/floor.py`), {n:,}",
                             f"{_shown(least, 2, lambda v: v <= 3)}× ({r['floor_s']:.2f} s); "
                             f"evaltools {r['evaluate_s'] / r['floor_s']:.1f}× the floor",
                             "none: the floor under the ratio above", None))
        rows.append(_row(f"… peak memory, {n:,}",
                         f"{_shown(r['peak_rss_gb'], 2, lambda v: v < PEAK_GB)} GB = "
                         f"{_shown(m, 2, lambda v: v <= 3)}× pyarrow's {r['pyarrow_peak_rss_gb']:.2f} GB",
                         f"< {PEAK_GB:g} GB and ≤ 3× pyarrow's", r["peak_rss_gb"] < PEAK_GB and m <= 3))
    return rows


def report_rows(reports) -> list:
    """The session report on each sample session, and --jobs 2 vs --jobs 1."""
    if not reports:
        return [_row("`evaltools report --session` (each sample session)", "not run", f"< {REPORT_S:g} s",
                     None)]
    rows, peer = [], reports["peer_s"]
    for s, t in reports["sessions"].items():
        name = f"`report --session {s}`"
        if "error" in t:
            rows.append(_row(name, f"failed: {t['error']}", f"< {REPORT_S:g} s", False))
            continue
        seconds = _shown(t["seconds"], 1, lambda v: v < REPORT_S)
        # the report's CPU over the cores: no overlap of its work could take less wall time
        cpu = f"; CPU {t['cpu_s']:.1f} s, at best {t['cpu_s'] / t['cores']:.2f} s on {t['cores']} cores" \
            if "cpu_s" in t else ""
        rows.append(_row(name, f"{seconds} s ({t['seconds'] / peer:.1f}× `{reports['peer']}`, "
                               f"{peer:.2f} s{cpu})", f"< {REPORT_S:g} s", t["seconds"] < REPORT_S))
    j, name = reports.get("jobs") or {}, "`report --all --jobs 2` / `--jobs 1`"
    if not j.get("jobs"):
        rows.append(_row(name, "n/a (no --jobs)", "< 1×, same files", None))
    elif "error" in j:
        rows.append(_row(name, f"failed: {j['error']}", "< 1×, same files", False))
    else:
        same = "same files" if j["same_files"] else "DIFFERENT files"
        ratio = _shown(j["ratio"], 2, lambda v: v < 1)
        rows.append(_row(name, f"{ratio}× ({j['jobs2_s']:.1f} s vs {j['jobs1_s']:.1f} s; {same})",
                         "< 1×, same files", j["ratio"] < 1 and j["same_files"]))
    return rows


def import_rows(imports) -> list:
    if not imports:
        return [_row("`import evaltools` (fresh interpreter)", "not run", f"< {IMPORT_S:g} s", None)]
    ev, pdn = imports["import_evaltools_s"], imports["import_pandas_s"]
    used = imports.get("first_use_s", ev)  # runs before evaltools loaded its modules at first use
    shown = f"{_shown(ev, 3, lambda v: v < IMPORT_S)} s"
    if "first_use_s" in imports:
        shown += f"; every name loaded {_shown(used, 3, lambda v: v < IMPORT_S)} s"
    return [_row("`import evaltools` (fresh interpreter)",
                 f"{shown} ({imports['ratio']:.1f}× `import pandas`, {pdn:.3f} s)", f"< {IMPORT_S:g} s",
                 max(ev, used) < IMPORT_S)]


def rows(results: list, reports=None, imports=None) -> list:
    """Every row of the summary, in the issue's order."""
    return compare_rows(results) + csv_rows(results) + report_rows(reports) + import_rows(imports)


def markdown(table: list, where: dict, notes: list = ()) -> str:
    """The summary as Markdown: the machine line, the table, then ``notes``."""
    mark = {True: "yes", False: "**no**", None: "–"}
    lines = [f"Measured {where['date']} on {where['cpu']}, {where['cores']} cores, {where['ram_gb']} GB RAM; "
             f"Python {where['python']}, pandas {where['pandas']}, pyarrow {where['pyarrow']}, "
             f"pingouin {where['pingouin']}; evaltools at {where['commit']}"
             + (f"; load average {where['load_at_start']:.1f} as the run began."
                if where.get("load_at_start") is not None else "."), "",
             "| figure | measured | target | holds |", "| --- | --- | --- | --- |"]
    lines += [f"| {r['figure']} | {r['measured']} | {r['target']} | {mark[r['holds']]} |" for r in table]
    return "\n".join(lines + ([""] if notes else []) + [f"- {n}" for n in notes])


def notes(reports, results: list = ()) -> list:
    """What the table leaves unsaid: how often CSV → table and its peer ran,
    the report's peer, the sessions left out."""
    runs = next(((r["e2e_runs"], r["pyarrow_runs"]) for r in results if "e2e_runs" in r), None)
    best = f": the best of {runs[0]} runs against the peer's best of {runs[1]}" if runs else ""
    out = ["Ratios are against peers measured in the same run; CSV → table and its peer "
           "(pyarrow reading the same two files, nothing else) each ran in fresh processes, "
           "taking turns (the peer first)"
           f"{best}, whose own peak resident size (VmHWM, `benchmarks/memory.py`; the highest "
           "of the runs) is the peak memory."]
    if reports:
        jobs = (reports.get("jobs") or {}).get("jobs_runs")
        out.append(f"Report times: the best of {reports.get('repeat', 1)} runs, each a fresh `evaltools report` "
                   f"process into an empty folder; the peer is a fresh `python -c \"{reports['peer']}\"`"
                   + (f"; `report --all` with `--jobs 1` and `--jobs 2` in turn: the best of {jobs} runs each."
                      if jobs else "."))
        kernel = os.path.abspath(reports["kernel_python"])  # a venv's python is a symlink: not resolved
        if os.path.dirname(kernel) != os.path.dirname(os.path.abspath(sys.executable)):
            out.append(f"**The report's kernel runs {kernel}, not the benchmark's Python.**")
        if reports["skipped_followups"]:
            out.append("Left out of the report times (follow-up surveys, which `report --all` also leaves "
                       "out): " + ", ".join(reports["skipped_followups"]) + ".")
    return out
