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
