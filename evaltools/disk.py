"""The file system under the writers: temporary names, syncing, file-system
errors, the lock of an output folder and its free space.

A file is written under a temporary name in its own folder
(``.<name>.evaltools-tmp-<pid><suffix>``: :func:`temp_path`) and renamed into
place (``overwrite.atomic_path``, which also keeps the manifest); the
temporary files of a process that is no longer running are removed by the
next run (:func:`clear_leftovers`). A lock per output folder
(:func:`folder_lock`) keeps two runs apart. File-system errors (no space,
read-only, no permission) become one ``EvalToolsError`` naming the folder or
file and what to do (:func:`fs_error`).

Example:
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> with folder_lock(out):
    ...     (out / LOCK).exists()
    True
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import socket
import time
from contextlib import contextmanager
from pathlib import Path

from . import fmt
from .errors import EvalToolsError

LOCK = ".evaltools.lock"
TMP = ".evaltools-tmp-"  # in every temporary name: ".<stem>.evaltools-tmp-<pid><suffix>"
_TEMP = re.compile(r"^\..*" + re.escape(TMP) + r"(\d+)(\.[^.]*)?$")


def _process_start(pid) -> float | None:
    """When process ``pid`` started (seconds since the epoch; Linux /proc), or None."""
    try:
        fields = Path(f"/proc/{int(pid)}/stat").read_text().rsplit(")", 1)[1].split()
        boot = next(float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                    if line.startswith("btime "))
        return boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def alive(pid, host=None, since=None) -> bool:
    """Whether process ``pid`` is running (on ``host``; a process of another
    host cannot be checked and counts as running). With ``since`` (seconds
    since the epoch, when the run began) a process that started later is
    another one that was given the same pid: not running.

    Example:
        >>> alive(os.getpid()), alive(2 ** 22 + 1), alive(os.getpid(), since=0)
        (True, False, False)
    """
    if host not in (None, socket.gethostname()):
        return True
    start = _process_start(pid) if isinstance(since, (int, float)) else None
    if start is not None and start > since + 2:
        return False
    if os.name == "nt":  # there os.kill(pid, 0) sends Ctrl+C (signal 0 is CTRL_C_EVENT)
        return _running_on_windows(pid)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return isinstance(pid, int) or str(pid).isdigit()
    return True


def _running_on_windows(pid) -> bool:
    """Whether process ``pid`` runs, on Windows: it can be opened and has no exit code yet."""
    import ctypes  # Windows only: kernel32
    from ctypes import wintypes
    if not str(pid).isdigit() or not 0 < int(pid) < 2 ** 32:
        return str(pid).isdigit()
    kernel = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel.OpenProcess.restype = wintypes.HANDLE
    kernel.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    kernel.CloseHandle.argtypes = (wintypes.HANDLE,)
    handle = kernel.OpenProcess(0x1000, False, int(pid))  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: running, as another user
    try:
        code = wintypes.DWORD()
        got = kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        return bool(got) and code.value == 259  # STILL_ACTIVE: no exit code yet
    finally:
        kernel.CloseHandle(handle)


def temp_path(path) -> Path:
    """The temporary name ``path`` is written under before it is renamed into
    place: hidden, in the same folder, with this process's id and the same
    suffix (writers that pick the format by suffix still do).

    Example:
        >>> temp_path("kirim/ringkasan.pdf").name == f".ringkasan{TMP}{os.getpid()}.pdf"
        True
        >>> is_temp(temp_path("kirim/ringkasan.pdf").name), is_temp("ringkasan.pdf")
        (True, False)
    """
    path = Path(path)
    return path.with_name(f".{path.stem}{TMP}{os.getpid()}{path.suffix}")


def is_temp(name) -> bool:
    """Whether ``name`` is one of evaltools' temporary names (see :func:`temp_path`).

    Example:
        >>> is_temp(".per_opd.evaltools-tmp-12.png"), is_temp("per_opd.png")
        (True, False)
    """
    return _TEMP.match(Path(name).name) is not None


def clear_leftovers(folder) -> list:
    """Remove the temporary files a process that is no longer running left in
    ``folder`` (a run that was killed); return their paths. A running
    process's temporary files stay.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp())
        >>> _ = (out / f".ringkasan{TMP}{2 ** 22 + 1}.pdf").write_bytes(b"%PDF-1.4 terpotong")
        >>> _ = temp_path(out / "ringkasan.xlsx").write_bytes(b"PK")  # ours: running
        >>> [p.name for p in clear_leftovers(out)], len(list(out.iterdir()))
        (['.ringkasan.evaltools-tmp-4194305.pdf'], 1)
    """
    folder, gone = Path(folder), []
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return gone
    for p in entries:
        m = _TEMP.match(p.name)
        if m and not alive(int(m.group(1))):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
            gone.append(p)
    return gone


_FS = {  # errno -> (problem, fix, problem_en, fix_en); the folder or file is named before them
    errno.ENOSPC: ("ruang disk penuh, berkas tidak dapat ditulis",
                   "kosongkan ruang di disk itu atau pilih folder hasil lain (--out), lalu jalankan "
                   "lagi; berkas lama tetap utuh",
                   "no space left on the disk, the file cannot be written",
                   "free space on that disk or choose another output folder (--out), then run again; "
                   "the old files stay as they were"),
    errno.EROFS: ("folder hanya-baca (read-only), berkas tidak dapat ditulis",
                  "pilih folder hasil yang dapat ditulis (--out)",
                  "the folder is read-only, the file cannot be written",
                  "choose an output folder you can write to (--out)"),
    errno.EACCES: ("tidak ada izin menulis di sini",
                   "periksa izin folder/berkas itu (tutup berkasnya bila terbuka di Excel atau "
                   "PowerPoint) atau pilih folder hasil lain (--out)",
                   "no permission to write here",
                   "check the permissions of that folder/file (close it if Excel or PowerPoint has "
                   "it open) or choose another output folder (--out)")}
_FS[errno.EDQUOT] = _FS[errno.ENOSPC]
_FS[errno.EPERM] = _FS[errno.EACCES]


def fs_error(exc: OSError, path) -> Exception:
    """The ``EvalToolsError`` for a file-system error while writing ``path``:
    no space (the folder is named), read-only, no permission; any other
    error is returned as it is.

    Example:
        >>> print(fs_error(OSError(errno.ENOSPC, "No space left on device"), "/mnt/usb/x/a.pdf"))
        ... # doctest: +ELLIPSIS
        /mnt/usb/x: ruang disk penuh, berkas tidak dapat ditulis. Perbaikan: kosongkan ruang ...
        (en) /mnt/usb/x: no space left on the disk, the file cannot be written. Fix: free space ...
    """
    code = _errno(exc)
    if isinstance(exc, EvalToolsError) or code not in _FS:
        return exc
    problem, fix, problem_en, fix_en = _FS[code]
    path = Path(os.path.abspath(path))
    where = path.parent if code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS) else path
    err = EvalToolsError(problem, file=where, fix=fix, problem_en=problem_en, fix_en=fix_en)
    err.__cause__ = exc
    return err


def _errno(exc):
    """The errno of ``exc`` or of the error it was raised from (a library that
    wraps an OSError, e.g. an image encoder, keeps it as the cause or context)."""
    seen = 0
    while exc is not None and seen < 5:
        code = getattr(exc, "errno", None)
        if code is None and isinstance(exc, OSError) and exc.args and isinstance(exc.args[0], int):
            code = exc.args[0]
        if code in _FS:
            return code
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


@contextmanager
def fs_errors(path):
    """Turn a file-system error in the block into :func:`fs_error` for ``path``.

    Example:
        >>> with fs_errors("/x/y.pdf"):
        ...     raise OSError(errno.EROFS, "Read-only file system")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        evaltools.errors.EvalToolsError: /x: folder hanya-baca (read-only), ...
        (en) /x: the folder is read-only, the file cannot be written. Fix: ...
    """
    try:
        yield
    except (OSError, RuntimeError, ValueError) as exc:  # a writer may wrap the OSError
        err = fs_error(exc, path)
        if err is exc:
            raise
        raise err from exc


def sync(path: Path, folder: bool = False) -> None:
    """fsync a file, or a folder (its new names); a file system without it is left as it is."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        if not folder:
            raise
        return
    try:
        os.fsync(fd)
    except OSError:
        if not folder:
            raise
    finally:
        os.close(fd)


def busy(folder, pid, started) -> EvalToolsError:
    """Another run is writing in ``folder``."""
    return EvalToolsError(
        f"laporan lain sedang ditulis di folder ini sejak {started}, pid {pid}", file=folder,
        fix="tunggu sampai selesai atau pilih folder hasil lain (--out); kunci proses yang sudah "
            "berhenti diambil alih sendiri",
        problem_en=f"another report is being written in this folder since {started}, pid {pid}",
        fix_en="wait until it has finished or choose another output folder (--out); the lock of a "
               "process that has stopped is taken over by itself")


_HELD: set = set()  # the lock files this process holds
# The lock files the parent process holds (``evaltools report`` for the notebook's kernel): a
# child writing into the same folder works under its parent's lock.
INHERITED = "EVALTOOLS_LOCKS"


def _holder(path: Path):
    """(pid, host, started, since) of the lock file ``path``; None: unreadable or gone."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return str(data["pid"]), data.get("host"), str(data.get("started", "?")), data.get("since")
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _lock(fd: int) -> bool | None:
    """Lock the open file ``fd`` for this process without waiting: True when
    locked, False when another process holds it, None where the file system
    cannot lock. The operating system lets go of it when the process ends,
    however it ends, so a dead process's lock is never in the way."""
    try:
        if os.name == "nt":
            import msvcrt
            os.lseek(fd, 1 << 20, os.SEEK_SET)  # a byte past the text, which stays readable
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK, errno.EDEADLK):
            return False
        return None


@contextmanager
def folder_lock(folder):
    """Hold the lock of the output folder ``folder`` while the block runs:
    ``.evaltools.lock``, locked by the operating system (``flock``; on
    Windows ``msvcrt.locking``) and holding pid, host and start time for the
    message. Another running process's lock refuses with one clear line; the
    lock file of a process that has stopped is taken over (the system let go
    of its lock when it stopped). A child process started under the lock
    (the report notebook's kernel) works under it (``$EVALTOOLS_LOCKS``).

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp())
        >>> fd = os.open(out / LOCK, os.O_CREAT | os.O_RDWR)  # another writer's lock
        >>> _ = os.write(fd, json.dumps({"pid": 1, "started": "2024-11-22 10:00:00"}).encode())
        >>> _lock(fd)
        True
        >>> with folder_lock(out):  # doctest: +ELLIPSIS
        ...     pass
        Traceback (most recent call last):
        evaltools.errors.EvalToolsError: ...: laporan lain sedang ditulis di folder ini sejak 2024-11-22 10:00:00, pid 1. ...
        (en) ...: another report is being written in this folder since 2024-11-22 10:00:00, pid 1. ...
        >>> os.close(fd)  # that writer stopped: its lock file is taken over
        >>> with folder_lock(out):
        ...     json.loads((out / LOCK).read_text())["pid"] == os.getpid()
        True
        >>> (out / LOCK).exists()
        False
    """
    path = Path(folder) / LOCK
    key = str(path.resolve())
    if key in _HELD or key in os.environ.get(INHERITED, "").split(os.pathsep):
        yield Path(folder)  # held by this process or by the one that started it
        return
    fd = None
    try:  # the lock taken inside: Ctrl+C right after it was taken still lets it go
        with fs_errors(path):
            Path(folder).mkdir(parents=True, exist_ok=True)
            fd = _take(path)
        _HELD.add(key)
        os.environ[INHERITED] = os.pathsep.join(sorted(_HELD))
        yield Path(folder)
    finally:
        if fd is not None:
            _let_go(path, key, fd)


def _let_go(path: Path, key: str, fd: int) -> None:
    """Remove the lock file ``path`` this process holds (``fd``) and let it go."""
    _HELD.discard(key)
    os.environ[INHERITED] = os.pathsep.join(sorted(_HELD))
    _remove(path, fd)


def _remove(path: Path, fd: int) -> None:
    """Remove the lock file ``path`` and close its descriptor ``fd`` (its lock goes with it)."""
    if os.name == "nt":  # Windows cannot remove a file still open
        os.close(fd)
        path.unlink(missing_ok=True)
    else:
        path.unlink(missing_ok=True)  # before letting go: nobody can lock a name that is gone
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


def _take(path: Path) -> int:
    """Open and lock the lock file ``path``, write who holds it, return its
    descriptor; raise the error of its live holder."""
    me = {"pid": os.getpid(), "host": socket.gethostname(),
          "started": time.strftime("%Y-%m-%d %H:%M:%S"), "since": round(time.time(), 3)}
    for _ in range(5):
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        locked = _lock(fd)
        held = _holder(path)
        if locked is None and held and alive(*held[:2], held[3]):
            locked = False  # no system lock here: the recorded process decides
        if locked is False:
            held = _recorded(path, held)
            os.close(fd)
            raise busy(path.parent, *(held[0], held[2]) if held else ("?", "?"))
        if not _same_file(fd, path):  # its holder removed it as we opened it: open the new one
            os.close(fd)
            continue
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, json.dumps(me).encode("utf-8"))
            os.fsync(fd)
        except BaseException:  # Ctrl+C or a full disk while writing who holds it: not left behind
            _remove(path, fd)
            raise
        return fd
    raise busy(path.parent, "?", "?")


def _recorded(path: Path, held, wait: float = 1.0):
    """The holder of the lock file ``path`` that a live process holds, once
    its record names a live process: a run that has just taken over a dead
    run's lock writes its own record right after, and until then the file
    still names the dead one (``held``, as read)."""
    deadline = time.monotonic() + wait
    while (held is None or not alive(*held[:2], held[3])) and time.monotonic() < deadline:
        time.sleep(0.01)
        held = _holder(path)
    return held


def check_space(folder, need: int) -> None:
    """Refuse before anything is computed when the disk of ``folder`` has
    less than ``need`` bytes free (``shutil.disk_usage``).

    Example:
        >>> check_space(".", 1)
        >>> check_space(".", 2 ** 62)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        evaltools.errors.EvalToolsError: .: ruang disk tidak cukup: perlu sekitar ... MB, tersisa ... MB. ...
        (en) .: not enough disk space: about ... MB needed, ... MB free. ...
    """
    probe = Path(folder)
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    if free >= need:
        return
    mb, mb_en = ([fmt.num(v / 1e6, 1, lang) for v in (need, free)] for lang in ("id", "en"))
    raise EvalToolsError(
        f"ruang disk tidak cukup: perlu sekitar {mb[0]} MB, tersisa {mb[1]} MB", file=folder,
        fix="kosongkan ruang di disk itu atau pilih folder hasil lain (--out); laporan lama "
            "tidak diubah",
        problem_en=f"not enough disk space: about {mb_en[0]} MB needed, {mb_en[1]} MB free",
        fix_en="free space on that disk or choose another output folder (--out); the previous "
               "report was not changed")

