"""Session folders: which sessions a data folder holds (one sub-folder per
session, holding its response files), and the facts of each in its
``sesi.yaml``."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import EvalToolsError
from .files import SUFFIXES


def find_sessions(data_dir, kind: str = "all") -> list:
    """Session ids under ``data_dir``: each sub-folder holding a response file
    (CSV, Excel, zip) or a ``sesi.yaml``, sorted; folders starting with "." or
    "_" are skipped. ``kind="session"`` leaves out follow-up surveys (a
    ``sesi.yaml`` with ``tindak_lanjut_dari``), ``kind="followup"`` keeps only them.

    Example:
        >>> find_sessions("data/sample", kind="followup")
        ['kukar-tindak-lanjut-2024-12-20']
    """
    root = Path(data_dir)
    if not root.is_dir():
        raise EvalToolsError("folder data tidak ada", file=str(root),
                             fix="beri folder yang berisi satu folder per sesi (mis. data/sample)",
                             problem_en="no such data folder",
                             fix_en="give the folder holding one folder per session (e.g. data/sample)")
    found = sorted(d.name for d in root.iterdir()
                   if d.is_dir() and not d.name.startswith((".", "_"))
                   and any(f.suffix.lower() in SUFFIXES or f.name == "sesi.yaml" for f in d.iterdir()))
    if kind == "all":
        return found
    follow = {s for s in found if _is_followup(root / s)}
    return [s for s in found if (s in follow) == (kind == "followup")]


def _is_followup(folder: Path) -> bool:
    try:
        return bool(read_session_meta(folder).get("tindak_lanjut_dari"))
    except EvalToolsError:
        return False  # a broken sesi.yaml: reported when the session itself is run


def read_session_meta(folder) -> dict:
    """Session facts from ``sesi.yaml`` beside the responses, or {} if absent.

    Example:
        >>> read_session_meta("data/sample/loa-janan-2024-11-22")["sintetis"]
        True
    """
    p = Path(folder) / "sesi.yaml"
    if not p.exists():
        return {}
    try:
        meta = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise EvalToolsError(f"sesi.yaml tidak sah ({exc})", file=str(p),
                             fix="perbaiki format YAML", problem_en=f"invalid sesi.yaml ({exc})",
                             fix_en="fix the YAML") from None
    if not isinstance(meta, dict):
        raise EvalToolsError("sesi.yaml harus berisi pasangan kunci: nilai", file=str(p),
                             fix="mis. nama: ..., tanggal: 2024-11-22",
                             problem_en="sesi.yaml must hold key: value pairs",
                             fix_en="e.g. nama: ..., tanggal: 2024-11-22")
    return meta
