"""Where the project's folders are, whatever the working directory: the
instrument in ``survey/``, the sessions in ``data/``, the reports in ``reports/``.

The root is, in order: the folder named by the environment variable
``EVALTOOLS_ROOT``; the working directory or the nearest folder above it that
holds ``survey/`` and ``data/opd.csv``; the folder the package was installed
from (``pip install -e .``); else the working directory. So a notebook in
``notebooks/``, a command run from ``C:\\Users\\...\\Documents`` and the tests
all find the same folders.
"""

from __future__ import annotations

import os
from pathlib import Path

INSTRUMENT = Path("survey") / "netralitas-asn-pilkada-2024.yaml"
REGISTRY = Path("data") / "opd.csv"


def _is_root(folder: Path) -> bool:
    return (folder / "survey").is_dir() and (folder / REGISTRY).is_file()


def root() -> Path:
    """The project folder (see the module's docstring for the order it is looked for).

    Example:
        >>> (root() / "survey").is_dir()
        True
    """
    named = os.environ.get("EVALTOOLS_ROOT")
    if named:
        return Path(named).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if _is_root(folder):
            return folder
    installed = Path(__file__).resolve().parents[1]
    return installed if _is_root(installed) else here


def paths() -> dict:
    """The default folders and files, absolute: ``instrument``, ``registry``,
    ``data`` (one folder per session), ``sample`` (the bundled synthetic
    sessions) and ``reports``.

    Example:
        >>> paths()["instrument"].name
        'netralitas-asn-pilkada-2024.yaml'
    """
    top = root()
    return {"instrument": top / INSTRUMENT, "registry": top / REGISTRY, "data": top / "data",
            "sample": top / "data" / "sample", "reports": top / "reports"}


def data_folder(data_dir=None) -> Path:
    """The folder of sessions to read: ``data_dir`` when given, else ``data/``
    when it holds a session, else the bundled samples ``data/sample/``.

    Example:
        >>> data_folder("data/sample").name, data_folder().name in ("data", "sample")
        ('sample', True)
    """
    from .read.sessions import find_sessions  # read is a stage; this module is a leaf
    if data_dir is not None:
        return Path(data_dir)
    where = paths()
    return where["data"] if find_sessions(where["data"]) else where["sample"]


def session_places(data_dir=None) -> list:
    """The folders that exist among those sessions are looked for in:
    ``data_dir`` when given, else ``data/`` then ``data/sample/``.

    Example:
        >>> [relative(p) for p in session_places()]
        ['data', 'data/sample']
    """
    return [p for p in _places(data_dir) if p.is_dir()]


def _places(data_dir) -> list:
    where = paths()
    return [Path(data_dir)] if data_dir is not None else [where["data"], where["sample"]]


def session_folder(session: str, data_dir=None) -> Path:
    """The folder of ``session``: in ``data_dir`` when given, else in
    ``data/``, then in ``data/sample/``. A session found in neither is an
    EvalToolsError listing the sessions there are.

    Example:
        >>> relative(session_folder("loa-janan-2024-11-22"))
        'data/sample/loa-janan-2024-11-22'
        >>> session_folder("tidak-ada", "data/sample")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        evaltools.errors.EvalToolsError: data/sample: sesi 'tidak-ada' tidak ada di data/sample/. Perbaikan: pakai salah satu sesi yang ada (data/sample/: kesbangpol-balikpapan-2023-10-20, ...) atau buat foldernya
        (en) ...
    """
    from .errors import EvalToolsError
    from .read.sessions import find_sessions
    places = _places(data_dir)
    found = {p: find_sessions(p) for p in session_places(data_dir)}
    for place, sessions in found.items():
        if session in sessions:
            return place / session
    there = "; ".join(f"{relative(p)}/: {', '.join(found.get(p, [])) or '-'}" for p in places)
    shown = " dan ".join(f"{relative(p)}/" for p in places)
    shown_en = " or ".join(f"{relative(p)}/" for p in places)
    raise EvalToolsError(f"sesi {session!r} tidak ada di {shown}", file=relative(places[0]),
                         fix=f"pakai salah satu sesi yang ada ({there}) atau buat foldernya",
                         problem_en=f"no session {session!r} in {shown_en}",
                         fix_en=f"use one of the sessions there are ({there}) or make its folder")


def relative(path) -> str:
    """``path`` as shown to people: relative to the project folder when it is
    inside it (with "/" on every system), else as it is. A relative ``path``
    is taken from the working directory.

    Example:
        >>> relative(root() / "reports" / "rekap")
        'reports/rekap'
    """
    full = Path(path).resolve()
    try:
        return full.relative_to(root()).as_posix()
    except ValueError:
        return str(path)


def recap_folder(out, data) -> Path:
    """Where ``evaltools recap`` writes: ``<out>/rekap-<name of the data folder>``,
    one folder per set of sessions, so the recap of ``data/sample`` and that
    of ``data`` never replace each other.

    Example:
        >>> recap_folder("reports", "data/sample").as_posix()
        'reports/rekap-sample'
    """
    name = Path(data).resolve().name
    return Path(out) / (f"rekap-{name}" if name else "rekap")
