"""Exports never replace a file the user did not ask to replace, and never
leave a partial file under a final name.

Every folder evaltools writes into keeps a manifest, ``.evaltools.json``: the
name of each file evaltools wrote there and the sha256 of the bytes it wrote
(hidden; readers skip dotfiles). A file that already exists may be replaced
only when the manifest lists it with its current bytes (evaltools wrote it and
nobody changed it since) or when the caller says ``overwrite=True``
(``--timpa`` on the command line). Every target of one export is checked
before anything is written, so a refusal never leaves half a set behind.

Writing (:func:`atomic_path`): every file goes to a temporary name in its
own folder (``.<name>.evaltools-tmp-<pid><suffix>``), is flushed and synced,
and is renamed into place (``os.replace``, then the folder is synced). A run
that dies leaves the old file or the new one under the final name, never a
partial one; its temporary files are removed by the next run that claims the
folder (``disk.clear_leftovers``: only those of a process that is no longer
running) and are never called foreign. The manifest itself is written the
same way, so it is never empty or cut short.

A run in progress (the rule after an interruption): :func:`claim` records
in the manifest, under the key ``".run"``, an entry per process: ``host``,
``started`` (and ``since``, to tell a reused pid) and ``writing`` (the
names it will write). Before a file is renamed into place its sha256 goes
to the entry's ``pending``; after the rename it moves to the manifest's
record. When the run ends the entry is dropped. The next run first settles
(:func:`settle`) the entries of processes that are no longer running: a
file whose bytes are a ``pending`` sha256 was renamed into place by the
dead run (it died between rename and record), so it is recorded as
evaltools'; every other file keeps its record. So after a crash a plain
re-run replaces every file evaltools wrote or was writing (the old bytes
match the record, the new ones the pending sha256), and still refuses a
file a person changed (its bytes match neither) or a file that is not ours.
A live process's entry refuses the run, like the lock.

``claim(..., staged=True)`` (the exports and the report notebook) keeps
the new files under their temporary names until the block ends without an
error, then renames them all (:func:`_swap`): a failed run leaves the old
set whole. A lock per output folder (``disk.folder_lock``) keeps two runs
apart.

File-system errors (no space, read-only, no permission) become one
``EvalToolsError`` naming the folder or file and what to do (``disk.fs_error``).

Example:
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> with claim(out, ["a.txt"]):
    ...     _ = write_text(out / "a.txt", "1")
    >>> with claim(out, ["a.txt"]):  # ours and unchanged: replaced without a word
    ...     _ = write_text(out / "a.txt", "2")
    >>> _ = (out / "a.txt").write_text("diubah tangan")
    >>> with claim(out, ["a.txt"]):
    ...     pass  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    evaltools.errors.EvalToolsError: .../a.txt: 1 berkas sudah ada dan tidak ditimpa (diubah sejak ditulis evaltools: a.txt). Perbaikan: ...
    (en) .../a.txt: 1 file already exists and was not overwritten (changed since evaltools wrote it: a.txt). Fix: ...
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from contextlib import contextmanager
from pathlib import Path

from .disk import alive, busy, clear_leftovers, folder_lock, fs_errors, sync, temp_path
from .errors import EvalToolsError

MANIFEST = ".evaltools.json"
RUN = ".run"  # the manifest's key of the runs in progress (a file name evaltools never writes)
SEND = "kirim"  # the folder of files for managers: recorded by the manifest of the folder above
SHOWN = 5  # refused files named in the message; the rest are counted
_WHY = {"foreign": ("tidak ditulis oleh evaltools", "not written by evaltools"),
        "changed": ("diubah sejak ditulis evaltools", "changed since evaltools wrote it")}
_DEPTH: dict = {}  # manifest folder -> how many claims of this process are open there
_STAGED: dict = {}  # manifest folder -> {path: (tmp, key, sha256)} renamed when their claim ends
# When set (by ``evaltools report`` for the notebook's kernel), a staged claim that ends well hands
# its files to the parent process through this file instead of renaming them: the parent renames
# them with the notebook's own files, so a report never mixes a new kirim/ with an old internal/.
HANDOFF = "EVALTOOLS_HANDOFF"


def sha256(path) -> str:
    """The sha256 of a file's bytes, as the manifest records it.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "x"
        >>> _ = p.write_bytes(b"abc")
        >>> sha256(p)[:12]
        'ba7816bf8f01'
    """
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _load(folder) -> dict:
    """The manifest of ``folder`` as stored (records and runs); missing or unreadable: empty."""
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_manifest(folder) -> dict:
    """File name -> sha256 of what evaltools wrote in ``folder``; a missing or
    unreadable manifest counts as empty.

    Example:
        >>> read_manifest("/folder/that/does/not/exist")
        {}
    """
    return {k: v for k, v in _load(folder).items() if isinstance(v, str)}


def read_runs(folder) -> dict:
    """The runs in progress (or killed) that the manifest of ``folder``
    knows: pid -> ``{"host", "started", "since", "writing", "pending"}``.

    Example:
        >>> read_runs("/folder/that/does/not/exist")
        {}
    """
    runs = _load(folder).get(RUN)
    return {k: v for k, v in runs.items() if isinstance(v, dict)} if isinstance(runs, dict) else {}


def _update(folder: Path, change) -> None:
    """Apply ``change(data)`` to the manifest of ``folder`` and write it
    atomically if it changed (an empty manifest is removed)."""
    before = _load(folder)
    data = json.loads(json.dumps(before))
    change(data)
    if isinstance(data.get(RUN), dict) and not data[RUN]:
        del data[RUN]
    if data == before:
        return
    path = folder / MANIFEST
    if not data:
        path.unlink(missing_ok=True)
        return
    with _replacing(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _own(data: dict) -> dict:
    """This process's run entry in manifest ``data`` (made when missing)."""
    if not isinstance(data.get(RUN), dict):
        data[RUN] = {}
    return data[RUN].setdefault(str(os.getpid()), {
        "host": socket.gethostname(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "since": round(time.time(), 3), "writing": [], "pending": {}})


def _recorded(data: dict, key: str, digest, home: Path) -> None:
    """Record ``key`` with ``digest`` (None: drop it) and take it off this process's pending."""
    if digest is None:
        data.pop(key, None)
    else:
        data[key] = digest
    entry = _own(data)
    entry["pending"].pop(key, None)
    if not _DEPTH.get(home):  # no claim open: the run of this one file is over
        data[RUN].pop(str(os.getpid()), None)


@contextmanager
def _replacing(path: Path):
    """Yield the temporary name of ``path``; on success sync it and rename it
    into place (and sync the folder); on failure remove it."""
    tmp = temp_path(path)
    try:
        with fs_errors(path):
            yield tmp
            sync(tmp)
            os.replace(tmp, path)
            sync(path.parent, folder=True)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path`` to write to; when the block
    ends without an error, the file is synced and renamed to ``path`` and
    its sha256 recorded in the manifest (pending before the rename, recorded
    after: see the module's rule). Inside a ``claim(..., staged=True)`` the
    rename waits for the claim to end without an error. On an error the
    temporary file is removed and ``path`` stays as it was; a file-system
    error becomes :func:`fs_error`.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp())
        >>> with atomic_path(out / "a.csv") as tmp:
        ...     _ = tmp.write_text("x,y\\n")
        >>> sorted(p.name for p in out.iterdir()), list(read_manifest(out)), read_runs(out)
        (['.evaltools.json', 'a.csv'], ['a.csv'], {})
    """
    path = Path(path)
    home, key = manifest_home(path)
    tmp, kept = temp_path(path), False
    try:
        with fs_errors(path):
            yield tmp
            sync(tmp)
            digest = sha256(tmp)
            if home in _STAGED:  # a staged claim: renamed with the others when it ends
                _STAGED[home][path] = (tmp, key, digest)
                kept = True
                return
            _update(home, lambda d: _own(d)["pending"].__setitem__(key, digest))
            os.replace(tmp, path)
            sync(path.parent, folder=True)
            _update(home, lambda d: _recorded(d, key, digest, home))
    finally:
        if not kept:
            tmp.unlink(missing_ok=True)


def write_text(path, text: str, encoding: str = "utf-8", newline=None) -> Path:
    """Write ``text`` to ``path`` through :func:`atomic_path`; return the path.

    Example:
        >>> import tempfile
        >>> p = write_text(Path(tempfile.mkdtemp()) / "BACA-SAYA.txt", "isi\\n")
        >>> p.read_text(), list(read_manifest(p.parent))
        ('isi\\n', ['BACA-SAYA.txt'])
    """
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding=encoding, newline=newline) as f:
            f.write(text)
    return Path(path)


def write_bytes(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through :func:`atomic_path`; return the path.

    Example:
        >>> import tempfile
        >>> write_bytes(Path(tempfile.mkdtemp()) / "x.bin", b"\\x00").read_bytes()
        b'\\x00'
    """
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def commit(tmp, path) -> Path:
    """Rename a finished temporary file ``tmp`` (a :func:`temp_path`, written
    by a tool that wants a name of its own, e.g. papermill) to ``path``
    through :func:`atomic_path`; return the path.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "x.ipynb"
        >>> _ = temp_path(p).write_text("{}")
        >>> commit(temp_path(p), p).read_text(), temp_path(p).exists()
        ('{}', False)
    """
    with atomic_path(path) as target:
        if Path(tmp) != target:
            os.replace(tmp, target)
    return Path(path)


def _refusal(refused: list) -> EvalToolsError:
    """One error naming the first refused file, listing up to ``SHOWN`` by why."""
    shown = refused[:SHOWN]

    def listing(lang: str) -> str:
        i = 0 if lang == "id" else 1
        groups = ["{}: {}".format(_WHY[why][i], ", ".join(n for n, _, w in shown if w == why))
                  for why in _WHY if any(w == why for _, _, w in shown)]
        more = len(refused) - len(shown)
        return "; ".join(groups) + ((f" dan {more} lainnya" if i == 0 else f" and {more} more")
                                    if more else "")

    n = len(refused)
    return EvalToolsError(
        f"{n} berkas sudah ada dan tidak ditimpa ({listing('id')})",
        file=os.path.abspath(refused[0][1]),  # absolute: a notebook runs in another folder
        fix="pindahkan atau ganti nama berkas itu, pilih folder hasil lain (--out), atau timpa "
            "dengan --timpa (Python: overwrite=True)",
        problem_en=(f"{n} files already exist and were" if n > 1 else "1 file already exists and was")
        + f" not overwritten ({listing('en')})",
        fix_en="move or rename the file(s), choose another output folder (--out), or overwrite "
               "with --timpa (Python: overwrite=True)")


def manifest_home(path) -> tuple:
    """The folder whose manifest records ``path``, and its key there. A file
    in a ``kirim/`` folder is recorded by the folder above, as
    ``"kirim/<name>"``: the folder sent to managers holds no manifest.

    Example:
        >>> manifest_home("reports/s/kirim/ringkasan.pdf")
        (PosixPath('reports/s'), 'kirim/ringkasan.pdf')
        >>> manifest_home("reports/s/ringkasan.svg")
        (PosixPath('reports/s'), 'ringkasan.svg')
    """
    path = Path(path)
    if path.parent.name == SEND:
        return path.parent.parent, f"{SEND}/{path.name}"
    return path.parent, path.name


def record(paths) -> None:
    """Record the sha256 of each of ``paths`` that exists in its folder's
    manifest (merged with what is there); drop the ones that do not exist.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "x.txt"
        >>> _ = p.write_bytes(b"abc")
        >>> record([p])
        >>> list(read_manifest(p.parent))
        ['x.txt']
    """
    by_folder: dict = {}
    for p in map(Path, paths):
        by_folder.setdefault(manifest_home(p)[0], []).append(p)
    for folder, files in by_folder.items():
        sums = {manifest_home(p)[1]: sha256(p) if p.is_file() else None for p in files}

        def change(data, sums=sums):
            for key, digest in sums.items():
                if digest is None:
                    data.pop(key, None)
                else:
                    data[key] = digest
        _update(folder, change)


def settle(folder) -> list:
    """Tidy ``folder`` after a run that was killed: remove its temporary files
    (in ``folder`` and ``folder/kirim``), record as evaltools' a file whose
    bytes are the sha256 it was renaming into place, and drop its run entry
    (the rule in the module's docstring). Returns the removed temporary
    files. Raises when another running process is writing there.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp())
        >>> _ = (out / "a.txt").write_text("baru")  # renamed into place, then killed
        >>> dead = {"host": socket.gethostname(), "started": "2024-11-22 10:00:00",
        ...         "writing": ["a.txt"], "pending": {"a.txt": sha256(out / "a.txt")}}
        >>> _ = (out / MANIFEST).write_text(json.dumps({RUN: {"4194305": dead}}))
        >>> _ = (out / ".a.evaltools-tmp-4194305.txt").write_text("setengah")
        >>> [p.name for p in settle(out)], read_manifest(out) == {"a.txt": sha256(out / "a.txt")}
        (['.a.evaltools-tmp-4194305.txt'], True)
        >>> read_runs(out)
        {}
    """
    folder = Path(folder)
    gone = clear_leftovers(folder) + clear_leftovers(folder / SEND)
    runs = read_runs(folder)
    for pid, entry in runs.items():
        if pid != str(os.getpid()) and alive(pid, entry.get("host"), entry.get("since")):
            raise busy(folder, pid, entry.get("started", "?"))
    dead = {pid: e for pid, e in runs.items() if pid != str(os.getpid())}
    if dead:
        found = {key: digest for e in dead.values() for key, digest in
                 dict(e.get("pending") or {}).items()
                 if (folder / key).is_file() and sha256(folder / key) == digest}

        def change(data):
            data.update(found)
            for pid in dead:
                data[RUN].pop(pid, None)
        _update(folder, change)
    return gone


def check(folder, names, *, overwrite: bool = False) -> None:
    """Refuse, before anything is written, a name in ``folder`` that exists
    and is not evaltools' unchanged file (after :func:`settle`), unless
    ``overwrite=True``.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp())
        >>> _ = (out / "ringkasan.xlsx").write_bytes(b"punya saya")
        >>> check(out, ["ringkasan.xlsx"], overwrite=True)
        >>> check(out, ["ringkasan.xlsx"])  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        evaltools.errors.EvalToolsError: .../ringkasan.xlsx: 1 berkas sudah ada dan tidak ditimpa ...
        (en) ...
    """
    folder, names = Path(folder), list(names)
    targets = [folder / n for n in names]
    for home in dict.fromkeys(manifest_home(t)[0] for t in targets):
        settle(home)
    if overwrite:
        return
    known, refused = {}, []
    for name, path in zip(names, targets):
        if not path.exists() and not path.is_symlink():
            continue
        home, key = manifest_home(path)
        if home not in known:
            known[home] = read_manifest(home)
        recorded = known[home].get(key)
        if recorded is None or not path.is_file():
            refused.append((str(name), path, "foreign"))
        elif sha256(path) != recorded:
            refused.append((str(name), path, "changed"))
    if refused:
        raise _refusal(refused)


@contextmanager
def claim(folder, names, *, overwrite: bool = False, staged: bool = False):
    """Check that every one of ``names`` (file names in ``folder``, or paths
    below it such as ``"internal/x.html"``) may be written (:func:`check`),
    create the folders, record the run's intent, yield ``folder``, and on
    leaving record the hashes of the ones that changed and end the run.

    Raises ``EvalToolsError`` before anything is written when a name exists
    and is not evaltools' unchanged file, unless ``overwrite=True``.

    ``staged=True``: the files written through :func:`atomic_path` wait
    under their temporary names and replace the old ones together when the
    block ends without an error (the old set stays whole until the new one
    is complete; a failure removes the new files). Nothing in the block may
    read a file back by its final name.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp()) / "laporan"
        >>> with claim(out, ["ringkasan.txt", "internal/catatan.txt"]) as folder:
        ...     print(read_runs(out)[str(os.getpid())]["writing"])
        ...     _ = write_text(folder / "ringkasan.txt", "isi")
        ['ringkasan.txt']
        >>> read_manifest(out) == {"ringkasan.txt": sha256(out / "ringkasan.txt")}
        True
        >>> (out / "internal" / MANIFEST).exists()  # nothing written there, nothing recorded
        False
        >>> with claim(out, ["ringkasan.txt"], staged=True):
        ...     _ = write_text(out / "ringkasan.txt", "baru")
        ...     print((out / "ringkasan.txt").read_text())  # the old one, until the end
        isi
        >>> (out / "ringkasan.txt").read_text(), read_manifest(out) == {"ringkasan.txt": sha256(out / "ringkasan.txt")}
        ('baru', True)
    """
    folder, names = Path(folder), list(names)
    with folder_lock(folder):  # one writer at a time, through the Python API too
        yield from _claimed(folder, names, overwrite, staged)


def _claimed(folder: Path, names: list, overwrite: bool, staged: bool):
    """The body of :func:`claim`, under the folder's lock."""
    targets = [folder / n for n in names]
    check(folder, names, overwrite=overwrite)
    with fs_errors(folder / "x"):
        for parent in dict.fromkeys([folder, *(t.parent for t in targets)]):
            parent.mkdir(parents=True, exist_ok=True)
    homes = _begin(targets, staged)
    before = {t: _stamp(t) for t in targets}
    try:
        yield folder
    except BaseException:
        _end(homes, ok=False)
        raise
    finally:
        # a file written without atomic_path, even if the run failed half-way
        record([t for t in targets if _stamp(t) != before[t]])
    _end(homes, ok=True)


def _begin(targets: list, staged: bool) -> dict:
    """Open a claim: the run entry lists its names; home -> True where this claim stages."""
    keys: dict = {}
    for t in targets:
        home, key = manifest_home(t)
        keys.setdefault(home, []).append(key)
    homes = {}
    for home, names in keys.items():
        _DEPTH[home] = _DEPTH.get(home, 0) + 1
        homes[home] = staged and home not in _STAGED
        if homes[home]:
            _STAGED[home] = {}
        _update(home, lambda d, names=names: _own(d).__setitem__(
            "writing", sorted(set(_own(d)["writing"]) | set(names))))
    return homes


def _end(homes: dict, ok: bool) -> None:
    """Close a claim: rename what it staged (``ok``) or remove it, and end the run."""
    for home, owner in homes.items():
        staged = _STAGED.pop(home, {}) if owner else {}
        try:
            if ok and staged and os.environ.get(HANDOFF):
                _hand_off(staged)
                staged = {}  # the parent process renames or removes them
            elif ok and staged:
                _swap(home, staged)
        finally:
            for tmp, _, _ in staged.values():
                tmp.unlink(missing_ok=True)
            _DEPTH[home] -= 1
            if not _DEPTH[home]:
                _update(home, lambda d: d.get(RUN, {}).pop(str(os.getpid()), None))


def _swap(home: Path, staged: dict) -> None:
    """Rename every staged file into place: all sha256 pending first, then
    the renames, then all recorded (a kill in between is settled by the next run)."""
    pending = {key: digest for _, key, digest in staged.values()}
    with fs_errors(home / MANIFEST):
        _update(home, lambda d: _own(d)["pending"].update(pending))
        for path, (tmp, _, _) in staged.items():
            os.replace(tmp, path)
        for folder in dict.fromkeys(p.parent for p in staged):
            sync(folder, folder=True)

        def change(data):
            data.update(pending)
            for key in pending:
                _own(data)["pending"].pop(key, None)
        _update(home, change)


def _hand_off(staged: dict) -> None:
    """Add staged files to the hand-off file named by ``$EVALTOOLS_HANDOFF``
    (their temporary names stay until the parent renames or removes them)."""
    path = Path(os.environ[HANDOFF])
    entries = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    entries += [[str(p), str(tmp), key, digest] for p, (tmp, key, digest) in staged.items()]
    with _replacing(path) as tmp:
        tmp.write_text(json.dumps(entries), encoding="utf-8")


def take_over(handoff, *, keep: bool = True) -> list:
    """Rename into place (``keep=False``: remove) the files a child process
    handed off through ``handoff`` (see :data:`HANDOFF`), record them and
    remove the hand-off file; returns the final paths. A missing file: nothing
    was handed off.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp())
        >>> os.environ[HANDOFF] = str(out / "handoff.json")
        >>> with claim(out, ["a.txt"], staged=True):
        ...     _ = write_text(out / "a.txt", "baru")
        >>> del os.environ[HANDOFF]
        >>> (out / "a.txt").exists(), [p.name for p in take_over(out / "handoff.json")]
        (False, ['a.txt'])
        >>> (out / "a.txt").read_text(), list(read_manifest(out)), read_runs(out)
        ('baru', ['a.txt'], {})
    """
    handoff = Path(handoff)
    if not handoff.is_file():
        return []
    homes: dict = {}
    for path, tmp, key, digest in json.loads(handoff.read_text(encoding="utf-8")):
        homes.setdefault(manifest_home(path)[0], {})[Path(path)] = (Path(tmp), key, digest)
    try:
        for home, staged in homes.items():
            if keep:
                _swap(home, staged)
            _update(home, lambda d: d.get(RUN, {}).pop(str(os.getpid()), None))
    finally:
        for staged in homes.values():
            for tmp, _, _ in staged.values():
                tmp.unlink(missing_ok=True)
        handoff.unlink(missing_ok=True)
    return [p for staged in homes.values() for p in staged] if keep else []


def retire(folder, names) -> list:
    """Delete the files of ``names`` in ``folder`` that evaltools wrote and
    nobody changed since (an old layout's files, now written elsewhere), and
    drop them from the manifest; a file changed or not ours stays. Returns
    the deleted paths.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp())
        >>> with claim(out, ["a.png", "b.png"]):
        ...     _ = write_text(out / "a.png", "1"), write_text(out / "b.png", "2")
        >>> _ = (out / "b.png").write_text("diubah tangan")
        >>> [p.name for p in retire(out, ["a.png", "b.png", "c.png"])], list(read_manifest(out))
        (['a.png'], ['b.png'])
    """
    folder = Path(folder)
    known = read_manifest(folder)
    gone = [folder / n for n in names if (folder / n).is_file() and not (folder / n).is_symlink()
            and known.get(n) == sha256(folder / n)]
    for p in gone:
        p.unlink()
    record(gone)
    return gone


def _stamp(path: Path):
    """What changes when a file is written: its modification time, size and inode."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


def claim_file(path, *, overwrite: bool = False):
    """``claim`` for one file: ``with claim_file("reports/x/ringkasan.xlsx"): ...``.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "ringkasan.xlsx"
        >>> with claim_file(p):
        ...     _ = write_bytes(p, b"PK")
        >>> list(read_manifest(p.parent))
        ['ringkasan.xlsx']
    """
    path = Path(path)
    return claim(path.parent, [path.name], overwrite=overwrite)


def report_size(folder) -> int:
    """The bytes of the files evaltools recorded in ``folder`` and its
    subfolders' manifests (the previous report); 0 when there is none.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp())
        >>> _ = write_bytes(out / "kirim" / "a.png", b"12345") if (out / "kirim").mkdir() is None else 0
        >>> _ = write_bytes(out / "internal" / "b.html", b"123") if (out / "internal").mkdir() is None else 0
        >>> report_size(out)
        8
    """
    folder, total = Path(folder), 0
    homes = [folder] + ([p for p in sorted(folder.iterdir()) if p.is_dir()] if folder.is_dir() else [])
    for home in homes:
        for key in read_manifest(home):
            try:
                total += (home / key).stat().st_size
            except OSError:
                pass
    return total


