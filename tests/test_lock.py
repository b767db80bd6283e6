"""The lock of an output folder (issue 21): one writer at a time, a stopped
writer's lock taken over, and when several runs find the same stale lock at
once, exactly one of them gets it (the operating system's file lock decides,
not a check of the recorded pid followed by a delete)."""

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

from evaltools.disk import INHERITED, LOCK, folder_lock

# takes the folder's lock; with a second argument, holds it until that file exists (the test
# lets go once every run has spoken: a run that starts late must still find the lock held)
TAKE = """
import sys, time
from pathlib import Path
from evaltools.disk import folder_lock
from evaltools.errors import EvalToolsError
try:
    with folder_lock(sys.argv[1]):
        print("got it", flush=True)
        for _ in range(6000 if len(sys.argv) > 2 else 0):  # at most 60 s: a lost test ends
            if Path(sys.argv[2]).exists():
                break
            time.sleep(0.01)
except EvalToolsError as exc:
    print(str(exc).splitlines()[0], flush=True)
"""


def _start(out, env=None, hold=None):
    return subprocess.Popen([sys.executable, "-c", TAKE, str(out), *([str(hold)] if hold else [])],
                            cwd=ROOT, text=True, stdout=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def test_of_four_runs_meeting_one_stale_lock_exactly_one_takes_it(tmp_path):
    (tmp_path / LOCK).write_text(json.dumps({"pid": 2 ** 22 + 1, "started": "2024-11-22 10:00:00"}))
    release = tmp_path.parent / f"{tmp_path.name}-release"
    runs = [_start(tmp_path, hold=release) for _ in range(4)]
    first = [p.stdout.readline().strip() for p in runs]  # every run has taken the lock or been refused
    release.touch()
    said = sorted(line + p.communicate(timeout=60)[0].strip() for line, p in zip(first, runs))
    assert said[-1] == "got it" and said.count("got it") == 1, said
    for line in said[:-1]:  # the others name the one that took it over, not the dead one
        assert f"{tmp_path}: laporan lain sedang ditulis di folder ini sejak " in line, line
        assert "pid 4194305" not in line
    assert not (tmp_path / LOCK).exists()  # the winner let go and removed it


def test_a_child_started_under_the_lock_works_under_it(tmp_path):
    with folder_lock(tmp_path):
        assert os.environ[INHERITED] == str((tmp_path / LOCK).resolve())
        child = _start(tmp_path)  # the notebook's kernel, started by evaltools report
        assert child.communicate(timeout=60)[0].strip() == "got it"
        stranger = _start(tmp_path, env={INHERITED: ""})  # another run: refused
        out = stranger.communicate(timeout=60)[0].strip()
        assert out.startswith(f"{tmp_path}: laporan lain sedang ditulis di folder ini sejak ")
        assert out.endswith(f", pid {os.getpid()}. Perbaikan: tunggu sampai selesai atau pilih "
                            "folder hasil lain (--out); kunci proses yang sudah berhenti diambil "
                            "alih sendiri")
    assert INHERITED not in os.environ or os.environ[INHERITED] == ""


@pytest.mark.skipif(os.name == "nt", reason="flock: POSIX (Windows locks its lock file with msvcrt)")
def test_a_run_refused_in_the_moment_the_lock_changes_hands_names_the_new_holder(tmp_path):
    """The run that has just taken a stopped run's lock writes its own record
    right after; a run refused in between (under load: make test's) read the
    stopped run's pid and named it. It now waits for the record of the live
    holder. Here this process holds the lock and writes its record 0.3 s late."""
    import fcntl
    import threading

    path = tmp_path / LOCK
    path.write_text(json.dumps({"pid": 2 ** 22 + 1, "started": "2024-11-22 10:00:00"}))
    fd = os.open(path, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held (as _take holds it), its record not yet written
    me = json.dumps({"pid": os.getpid(), "started": "2024-11-22 11:00:00"})
    late = threading.Timer(0.3, lambda: path.write_text(me))
    late.start()
    try:
        said = _start(tmp_path).communicate(timeout=60)[0].strip()
    finally:
        late.join()
        os.close(fd)
    assert said.endswith(f"sejak 2024-11-22 11:00:00, pid {os.getpid()}. Perbaikan: tunggu sampai "
                         "selesai atau pilih folder hasil lain (--out); kunci proses yang sudah "
                         "berhenti diambil alih sendiri"), said
