"""Exports never replace a file the user did not ask to replace.

Every folder evaltools writes into keeps a manifest, ``.evaltools.json``: the
name of each file evaltools wrote there and the sha256 of the bytes it wrote
(hidden; readers skip dotfiles). A file that already exists may be replaced
only when the manifest lists it with its current bytes (evaltools wrote it and
nobody changed it since) or when the caller says ``overwrite=True``
(``--timpa`` on the command line). Every target of one export is checked
before anything is written, so a refusal never leaves half a set behind.

Example:
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> with claim(out, ["a.txt"]):
    ...     _ = (out / "a.txt").write_text("1")
    >>> with claim(out, ["a.txt"]):  # ours and unchanged: replaced without a word
    ...     _ = (out / "a.txt").write_text("2")
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
from contextlib import contextmanager
from pathlib import Path

from .errors import EvalToolsError

MANIFEST = ".evaltools.json"
SEND = "kirim"  # the folder of files for managers: recorded by the manifest of the folder above
SHOWN = 5  # refused files named in the message; the rest are counted
_WHY = {"foreign": ("tidak ditulis oleh evaltools", "not written by evaltools"),
        "changed": ("diubah sejak ditulis evaltools", "changed since evaltools wrote it")}


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


def read_manifest(folder) -> dict:
    """File name -> sha256 of what evaltools wrote in ``folder``; a missing or
    unreadable manifest counts as empty.

    Example:
        >>> read_manifest("/folder/that/does/not/exist")
        {}
    """
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)}


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
        before = read_manifest(folder)
        known = dict(before)
        for p in files:
            key = manifest_home(p)[1]
            if p.is_file():
                known[key] = sha256(p)
            else:
                known.pop(key, None)
        if known != before:
            (folder / MANIFEST).write_text(json.dumps(known, indent=2, sort_keys=True) + "\n",
                                           encoding="utf-8")


@contextmanager
def claim(folder, names, *, overwrite: bool = False):
    """Check that every one of ``names`` (file names in ``folder``, or paths
    below it such as ``"internal/x.html"``) may be written, create the folders,
    yield ``folder``, and on leaving record the hashes of the ones that exist.

    Raises ``EvalToolsError`` before anything is written when a name exists
    and is not evaltools' unchanged file, unless ``overwrite=True``.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp()) / "laporan"
        >>> with claim(out, ["ringkasan.txt", "internal/catatan.txt"]) as folder:
        ...     _ = (folder / "ringkasan.txt").write_text("isi")
        >>> read_manifest(out) == {"ringkasan.txt": sha256(out / "ringkasan.txt")}
        True
        >>> (out / "internal" / MANIFEST).exists()  # nothing written there, nothing recorded
        False
    """
    folder, names = Path(folder), list(names)
    targets = [folder / n for n in names]
    if not overwrite:
        known = {}
        refused = []
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
    for parent in {folder, *(t.parent for t in targets)}:
        parent.mkdir(parents=True, exist_ok=True)
    before = {t: _stamp(t) for t in targets}
    try:
        yield folder
    finally:
        # what this run wrote, even if it failed half-way (the next run may replace it);
        # a file it never reached keeps its state (with overwrite=True: not ours)
        record([t for t in targets if _stamp(t) != before[t]])


def retire(folder, names) -> list:
    """Delete the files of ``names`` in ``folder`` that evaltools wrote and
    nobody changed since (an old layout's files, now written elsewhere), and
    drop them from the manifest; a file changed or not ours stays. Returns
    the deleted paths.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp())
        >>> with claim(out, ["a.png", "b.png"]):
        ...     _ = (out / "a.png").write_text("1"), (out / "b.png").write_text("2")
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
        ...     _ = p.write_bytes(b"PK")
        >>> list(read_manifest(p.parent))
        ['ringkasan.xlsx']
    """
    path = Path(path)
    return claim(path.parent, [path.name], overwrite=overwrite)
