"""Reports survive interruption, a full disk and a second run (issue 21,
points 1, 2, 3 and 7): a real ``evaltools report`` process is killed with its
process group in the middle of the export; a report is written into a tiny
tmpfs; a second run meets the lock of the first.

After each interruption every file under the report folder opens, the
manifest matches the disk and a plain re-run succeeds with complete files.
"""

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys

import nbformat
import pytest
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation

from conftest import INSTRUMENT, LOA_JANAN, ROOT, gone, wait_until

from evaltools import EvalToolsError, cli
from evaltools.disk import LOCK, alive, fs_errors, is_temp
from evaltools.overwrite import MANIFEST, claim, read_manifest, read_runs, write_text

# process groups, SIGKILL and tmpfs mounts: POSIX only
pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX only: process groups and signals")

SESSION = LOA_JANAN.name
NOTEBOOK = ROOT / "notebooks" / "01_laporan_sesi.ipynb"
ARGS = ["report", "--session", SESSION, "--data", str(LOA_JANAN.parent), "--instrument",
        str(INSTRUMENT), "--notebook", str(NOTEBOOK)]


def _command(out):
    """``evaltools report`` of the sample session into ``out``, with this checkout's evaltools."""
    return [sys.executable, "-c", "import sys; from evaltools.cli import main; sys.exit(main())",
            *ARGS, "--out", str(out)]


def _start(out):
    """``evaltools report`` in a process group of its own (as a terminal runs it)."""
    return subprocess.Popen(_command(out), cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def _kill_when(proc, ready, limit=240, stop=True):
    """SIGKILL the whole process group as soon as ``ready()`` (``stop=False``:
    only wait for it)."""
    def reached():
        assert proc.poll() is None, proc.stdout.read()  # the run must not end before the point
        return ready()
    wait_until(reached, "the point to kill the report at", limit, 0.01)
    if not stop:
        return
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()


def _wait_for_runs_to_stop(folder, limit=15):
    """The kernel polls its parent once a second: wait until no run entry is alive."""
    wait_until(lambda: not any(alive(pid, e.get("host")) for home in (folder, folder / "internal")
                               for pid, e in read_runs(home).items()),
               "the killed run's processes to end", limit, 0.1)


def _temps(folder, pattern):
    return [p for p in folder.glob(pattern) if is_temp(p.name)] if folder.is_dir() else []


def _opens(path):
    """Open ``path`` as a person's program would; return what proves it whole."""
    kind = path.suffix
    if kind == ".xlsx":
        return load_workbook(path).sheetnames[0]
    if kind == ".pdf":
        run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
        assert run.returncode == 0 and run.stderr == "", (path, run.stderr)
        return run.stdout[:20]
    if kind == ".png":
        with Image.open(path) as im:
            im.load()
            return im.size
    if kind == ".pptx":
        return len(Presentation(str(path)).slides)
    if kind == ".svg":
        assert path.read_text(encoding="utf-8").rstrip().endswith("</svg>"), path
        return "svg"
    if kind == ".html":
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), path
        return "html"
    if kind == ".ipynb":
        return len(nbformat.read(path, as_version=4).cells)
    if kind == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    return path.read_text(encoding="utf-8")[:10]


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_report_folder(folder, *, finished):
    """Every file opens; the manifests match the disk (a file renamed into
    place by a killed run may be in its run's ``pending`` until the next run
    settles it); hidden files are only manifests, the lock and temporary
    files, and none at all once a run has finished."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not is_temp(path.name) and path.name != LOCK:
            _opens(path)
    for home, below in ((folder, ("", "kirim/")), (folder / "internal", ("",))):
        if not home.is_dir():
            continue
        recorded = read_manifest(home)
        pending = {k: v for e in read_runs(home).values() for k, v in e.get("pending", {}).items()}
        on_disk = {prefix + p.name for prefix in below for p in (home / prefix).glob("*")
                   if p.is_file() and not p.name.startswith(".")}
        assert set(recorded) <= on_disk, set(recorded) - on_disk
        for name in on_disk:
            assert _sha(home / name) in (recorded.get(name), pending.get(name)), name
        hidden = sorted(p.name for prefix in below for p in (home / prefix).glob(".*"))
        if finished:
            assert hidden == ([MANIFEST] if recorded else []) and not read_runs(home), hidden
        else:
            assert all(n in (MANIFEST, LOCK) or is_temp(n) for n in hidden), hidden


def test_a_report_killed_during_the_export_leaves_whole_files_and_reruns(tmp_path):
    out = tmp_path / "reports"
    folder, kirim = out / SESSION, out / SESSION / "kirim"
    points = {  # where the process group is killed: in the middle of a write each time
        "a chart being written": lambda: _temps(kirim, ".*.png"),
        "the one-page PDF being written": lambda: _temps(kirim, ".ringkasan*.pdf"),
    }
    for k, (where, ready) in enumerate(points.items()):
        proc = _start(out)
        if k == 0:  # a second run while the first is writing: the lock refuses it
            _kill_when(proc, lambda: (folder / LOCK).exists(), stop=False)
            second = subprocess.run(_command(out), cwd=ROOT, capture_output=True, text=True,
                                    env=dict(os.environ, PYTHONPATH=str(ROOT)))
            assert second.returncode == 1 and (f"{folder}: laporan lain sedang ditulis di folder ini "
                                               f"sejak ") in second.stdout, second.stdout
            assert f", pid {proc.pid}. Perbaikan: tunggu" in second.stdout
        _kill_when(proc, ready)
        assert (folder / LOCK).exists()  # left by the killed run: stale, the next run takes it over
        _wait_for_runs_to_stop(folder)
        if k == 0:  # killed among the charts of the first run: nothing under a final name yet
            assert [p.name for p in kirim.iterdir() if not p.name.startswith(".")] == []
        assert _temps(kirim, ".*") or _temps(folder / "internal", ".*"), where  # killed mid-write
        _check_report_folder(folder, finished=False)
    run = subprocess.run(_command(out), cwd=ROOT, capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 dari 1 sesi selesai." in run.stdout
    _check_report_folder(folder, finished=True)
    assert len(read_manifest(folder)) == 30 and sorted(read_manifest(folder / "internal")) == [
        "01_laporan_sesi.html", "01_laporan_sesi.ipynb", "BACA-SAYA.txt"]
    assert not (folder / LOCK).exists()
    # killed when the export has handed its files over and the notebook is being turned into
    # HTML: the previous report stays whole and as it was, kirim/ and internal/ alike
    before = {p: _sha(p) for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST}
    records = {home: read_manifest(home) for home in (folder, folder / "internal")}
    proc = _start(out)
    _kill_when(proc, lambda: _temps(folder, ".handoff.*"))
    _wait_for_runs_to_stop(folder)
    assert _temps(kirim, ".*")  # the new charts, never renamed into place
    _check_report_folder(folder, finished=False)
    assert {p: _sha(p) for p in before} == before  # the run in progress is only in the manifests
    assert {home: read_manifest(home) for home in records} == records
    assert sorted(p for p in folder.rglob("*") if p.is_file() and not is_temp(p.name)
                  and p.name not in (MANIFEST, LOCK)) == sorted(before)


def _mount(where, size):
    where.mkdir(parents=True, exist_ok=True)
    run = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                         capture_output=True, text=True)
    return run.returncode == 0


def test_a_full_disk_names_the_folder_keeps_the_manifest_and_a_rerun_succeeds(tmp_path, capsys):
    disk = tmp_path / "usb"
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not _mount(disk, "1200k"):
        pytest.skip("mounting a tmpfs is not allowed here (needs root: mount -t tmpfs)")
    try:
        out = disk / "reports"
        assert cli.main([*ARGS, "--out", str(out)]) == 1
        text = capsys.readouterr().out
        line = next(t for t in text.splitlines() if "GAGAL" in t)
        folder = out / SESSION
        assert line.startswith(f"  GAGAL (failed): {SESSION}: EvalToolsError: {folder}"), line
        assert "ruang disk penuh, berkas tidak dapat ditulis. Perbaikan: kosongkan ruang" in line
        assert f"(en) {folder}" in text and "no space left on the disk" in text
        for home in (folder, folder / "internal"):
            if (home / MANIFEST).exists():
                json.loads((home / MANIFEST).read_text(encoding="utf-8"))  # whole, never 0 bytes
        _check_report_folder(folder, finished=True)
        assert not list(folder.rglob(".*evaltools-tmp-*"))  # the failed run took its own away
        subprocess.run(["mount", "-o", "remount,size=8m", str(disk)], check=True)  # space freed
        assert cli.main([*ARGS, "--out", str(out)]) == 0
        _check_report_folder(folder, finished=True)
        assert len(read_manifest(folder)) == 30
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def _record_runs(monkeypatch) -> list:
    """Every notebook run or kernel start ``report`` begins, recorded instead
    of done; and the kernel ``cli.main`` starts before any check
    (``kernel.start_early``), recorded as it starts and stops: a refusal
    "before computing" must leave only that kernel, stopped."""
    from evaltools.cli import kernel, report
    began: list = []
    monkeypatch.setattr(report, "_run_notebook", lambda *a, **k: began.append("notebook") or [])
    monkeypatch.setattr(report, "start_kernel", lambda *a, **k: began.append("kernel"))
    start, stop = kernel.start_kernel, kernel.stop_kernel
    monkeypatch.setattr(kernel, "start_kernel", lambda *a, **k: began.append("early kernel") or start(*a, **k))
    monkeypatch.setattr(kernel, "stop_kernel", lambda km: began.append("stopped") or stop(km))
    return began


def test_a_previous_report_too_big_for_the_free_space_is_refused_before_computing(tmp_path, capsys,
                                                                                 monkeypatch):
    """With a previous report, its size estimates the need: a disk with less
    free is refused at once, nothing computed, nothing written."""
    disk = tmp_path / "usb"
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not _mount(disk, "64k"):
        pytest.skip("mounting a tmpfs is not allowed here (needs root: mount -t tmpfs)")
    try:
        folder = disk / "reports" / SESSION
        (folder / "kirim").mkdir(parents=True)
        (folder / "kirim" / "ringkasan.pdf").write_bytes(b"%PDF-1.4 " + b"0" * 40_000)
        (folder / MANIFEST).write_text(json.dumps({"kirim/ringkasan.pdf": _sha(
            folder / "kirim" / "ringkasan.pdf")}))
        began = _record_runs(monkeypatch)
        assert cli.main([*ARGS, "--out", str(disk / "reports")]) == 1
        line = next(t for t in capsys.readouterr().out.splitlines() if "GAGAL" in t)
        assert line.startswith(f"  GAGAL (failed): {SESSION}: EvalToolsError: {folder}: ruang disk "
                               "tidak cukup: perlu sekitar 0,0 MB, tersisa 0,0 MB"), line
        assert began == ["early kernel", "stopped"] and sorted(p.name for p in folder.rglob("*")) == [
            MANIFEST, "kirim", "ringkasan.pdf"]
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def test_an_edited_workbook_is_refused_before_anything_is_computed_or_written(tmp_path, capsys,
                                                                             monkeypatch):
    out = tmp_path / "reports"
    folder = out / SESSION
    (folder / "internal").mkdir(parents=True)
    (folder / "internal" / "01_laporan_sesi.ipynb").write_text("{}")  # as a previous run left it
    (folder / "kirim").mkdir()
    (folder / "kirim" / "ringkasan.xlsx").write_bytes(b"PK diedit tangan")
    (folder / "internal" / MANIFEST).write_text(json.dumps({"01_laporan_sesi.ipynb": _sha(
        folder / "internal" / "01_laporan_sesi.ipynb")}))
    began = _record_runs(monkeypatch)
    assert cli.main([*ARGS, "--out", str(out)]) == 1
    line = next(t for t in capsys.readouterr().out.splitlines() if "GAGAL" in t)
    assert line == (f"  GAGAL (failed): {SESSION}: EvalToolsError: {folder / 'kirim' / 'ringkasan.xlsx'}"
                    ": 1 berkas sudah ada dan tidak ditimpa (tidak ditulis oleh evaltools: "
                    "kirim/ringkasan.xlsx). Perbaikan: pindahkan atau ganti nama berkas itu, pilih "
                    "folder hasil lain (--out), atau timpa dengan --timpa (Python: overwrite=True)")
    assert began == ["early kernel", "stopped"]  # refused before the notebook ran; its kernel stopped
    assert (folder / "internal" / "01_laporan_sesi.ipynb").read_text() == "{}"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == [
        "internal", "internal/.evaltools.json", "internal/01_laporan_sesi.ipynb", "kirim",
        "kirim/ringkasan.xlsx"]


def test_a_second_run_meets_the_lock_and_a_dead_runs_lock_is_taken_over(tmp_path, capsys):
    out = tmp_path / "reports"
    folder = out / SESSION
    folder.mkdir(parents=True)
    # another run holding the folder's lock (the operating system's lock, not only the file)
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from evaltools.disk import "
                               "folder_lock\nwith folder_lock(sys.argv[1]): time.sleep(60)", str(folder)],
                              cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        wait_until(lambda: (folder / LOCK).exists() and (folder / LOCK).read_text(), "the holder's lock",
                   60, 0.05)
        since = json.loads((folder / LOCK).read_text())["started"]
        assert cli.main([*ARGS, "--out", str(out)]) == 1
        text = capsys.readouterr().out.splitlines()
        line = next(t for t in text if "GAGAL" in t)
        assert line == (f"  GAGAL (failed): {SESSION}: EvalToolsError: {folder}: laporan lain sedang "
                        f"ditulis di folder ini sejak {since}, pid {holder.pid}. "
                        "Perbaikan: tunggu sampai selesai atau pilih folder hasil lain (--out); kunci "
                        "proses yang sudah berhenti diambil alih sendiri")
        assert text[text.index(line) + 1] == (
            f"  (en) {folder}: another report is being written in this folder since {since}, "
            f"pid {holder.pid}. Fix: wait until it has finished or choose another output "
            "folder (--out); the lock of a process that has stopped is taken over by itself")
        assert sorted(p.name for p in folder.iterdir()) == [LOCK]  # nothing written
    finally:
        holder.kill()  # killed: its lock file stays behind, its system lock goes with it
        holder.wait()
    assert (folder / LOCK).exists()
    # the holder is dead now: its lock is stale, the next run takes it over (and refuses, here,
    # a file that is not ours: a quick way to see it got past the lock)
    (folder / "kirim").mkdir()
    (folder / "kirim" / "ringkasan.pptx").write_bytes(b"PK punya saya")
    assert cli.main([*ARGS, "--out", str(out)]) == 1
    assert "tidak ditulis oleh evaltools: kirim/ringkasan.pptx" in capsys.readouterr().out
    assert sorted(p.name for p in folder.iterdir()) == ["kirim"]  # the stale lock is gone too


def test_a_staged_set_that_fails_half_way_leaves_the_old_set_whole(tmp_path):
    """``claim(..., staged=True)`` (the exports and the report notebook): the
    new files wait under temporary names; a failure removes them and the old
    files stay as they were, still recorded."""
    out = tmp_path / "laporan"
    with claim(out, ["a.png", "kirim/b.pdf"], staged=True):
        write_text(out / "a.png", "lama a")
        write_text(out / "kirim" / "b.pdf", "lama b")
    before = read_manifest(out)
    with pytest.raises(EvalToolsError, match="ruang disk penuh"):
        with claim(out, ["a.png", "kirim/b.pdf"], staged=True):
            write_text(out / "a.png", "baru a")
            assert (out / "a.png").read_text() == "lama a"
            with fs_errors(out / "kirim" / "b.pdf"):
                raise OSError(errno.ENOSPC, "No space left on device")
    assert (out / "a.png").read_text() == "lama a" and (out / "kirim" / "b.pdf").read_text() == "lama b"
    assert read_manifest(out) == before == {"a.png": _sha(out / "a.png"),
                                            "kirim/b.pdf": _sha(out / "kirim" / "b.pdf")}
    assert sorted(p.name for p in out.rglob("*")) == [MANIFEST, "a.png", "b.pdf", "kirim"]


def _descendants(pid: int) -> dict:
    """Every living process below ``pid``: {pid: command line}."""
    children: dict = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()
                cmd = open(f"/proc/{entry}/cmdline").read().replace("\0", " ")
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append((int(entry), cmd))
    found, todo = {}, [pid]
    while todo:
        for child, cmd in children.get(todo.pop(), []):
            found[child] = cmd
            todo.append(child)
    return found


def _all_at_once(out) -> list:
    """``evaltools report --all --jobs 2`` of the three samples into ``out``."""
    return [sys.executable, "-c", "import sys; from evaltools.cli import main; sys.exit(main())",
            "report", "--all", "--jobs", "2", "--data", str(LOA_JANAN.parent), "--instrument",
            str(INSTRUMENT), "--notebook", str(NOTEBOOK), "--out", str(out)]


def _signal_when(command, ready, send, limit=120):
    """Run ``command`` in a process group of its own and ``send(proc)`` a
    signal once ``ready(pid)``; (exit code, stdout, stderr, the processes
    that were below it then). Whatever is left below it is killed after."""
    proc = subprocess.Popen(command, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        wait_until(lambda: proc.poll() is None and ready(proc.pid), "the point to signal at",
                   limit, 0.05)
        below = _descendants(proc.pid)
        send(proc)
        out, err = proc.communicate(timeout=limit)
        return proc.returncode, out, err, below
    finally:
        for pid in [proc.pid, *_descendants(proc.pid)]:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass


def _ctrl_c(proc) -> None:
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: to the whole process group


def test_sessions_run_in_parallel_stop_when_the_command_alone_is_killed(tmp_path):
    """``report --all --jobs 2`` killed alone (``kill -9`` of its process, not
    of its group): its session processes leave, their kernels follow them
    and those kernels' drawing workers follow theirs. Before, the session
    processes went on reporting the sessions left, then waited for ever."""
    code, _, _, below = _signal_when(_all_at_once(tmp_path / "reports"),
                                     lambda pid: len(_kernels(pid)) == 2,
                                     lambda proc: os.kill(proc.pid, signal.SIGKILL))
    assert code == -signal.SIGKILL
    assert len(below) >= 4  # two session processes, a kernel each (and their drawing workers)
    wait_until(lambda: all(gone(p) for p in below), "the processes of the killed command "
               "to leave", 30, 0.1)


def _kernels(pid: int) -> list:
    return [p for p, cmd in _descendants(pid).items() if "ipykernel" in cmd]


def test_ctrl_c_stops_a_report_with_one_line_and_nothing_left_behind(tmp_path):
    out = tmp_path / "reports"
    folder = out / SESSION
    code, stdout, stderr, below = _signal_when(_command(out), lambda pid: (folder / LOCK).exists()
                                               and len(_kernels(pid)) == 1, _ctrl_c)
    assert (code, stderr) == (130, f"\nevaltools: {cli.STOPPED[0]}\n")  # no traceback
    assert stdout == f"[1/1] {SESSION} ...\n"
    wait_until(lambda: all(gone(p) for p in below), "its kernel to stop", 30, 0.1)
    # no temporary file, no lock (a manifest may keep the stopped run's record: the next run settles it)
    assert [p for p in folder.rglob("*") if p.name.startswith(".") and p.name != MANIFEST] == []


def test_ctrl_c_stops_sessions_in_parallel_and_those_queued_do_not_start(tmp_path):
    """``--jobs 2`` over the three samples: Ctrl+C while the first two run
    stops both (each cleaned up as one report is) and the third never starts;
    before, the third ran to its end and each process printed tracebacks."""
    out = tmp_path / "reports"
    code, stdout, stderr, below = _signal_when(_all_at_once(out), lambda pid: len(_kernels(pid)) == 2,
                                               _ctrl_c)
    assert (code, stdout, stderr) == (130, "", f"\nevaltools: {cli.STOPPED[0]}\n")
    wait_until(lambda: all(gone(p) for p in below), "the sessions' processes to stop", 30, 0.1)
    assert sorted(p.name for p in out.iterdir()) == ["kesbangpol-balikpapan-2023-10-20",
                                                     "kesbangpol-kaltim-2024-10-17"]  # not loa-janan
    assert [p for p in out.rglob("*") if p.name.startswith(".") and p.name != MANIFEST] == []
