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
    return check_session_meta(meta, Path(folder))


def _bad(p: Path, key: str, problem: str, fix: str, problem_en: str, fix_en: str):
    return EvalToolsError(f"sesi.yaml: {key} {problem}", file=str(p), fix=fix,
                          problem_en=f"sesi.yaml: {key} {problem_en}", fix_en=fix_en)


def check_session_meta(meta: dict, folder: Path) -> dict:
    """Check the evaluator's keys of ``sesi.yaml`` (``catatan_evaluator``,
    ``rekomendasi``, ``kop``, ``target_lulus``; ``koreksi_opd`` passes
    through) and resolve ``kop.logo`` to an absolute path; return a copy.

    Example:
        >>> check_session_meta({"target_lulus": 0.9}, Path("."))["target_lulus"]
        0.9
    """
    p = folder / "sesi.yaml"
    meta = dict(meta)
    note = meta.get("catatan_evaluator")
    if note is not None and not isinstance(note, str):
        raise _bad(p, "catatan_evaluator", "harus teks", "tulis satu paragraf teks",
                   "must be text", "write one paragraph of text")
    if "target_lulus" in meta:
        t = meta["target_lulus"]
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 < t <= 1:
            raise _bad(p, "target_lulus", "harus angka di antara 0 dan 1 (mis. 0.8)",
                       "mis. target_lulus: 0.8 (80% peserta mencapai KKM)",
                       "must be a number between 0 and 1 (e.g. 0.8)",
                       "e.g. target_lulus: 0.8 (80% of participants reach the pass mark)")
        meta["target_lulus"] = float(t)
    if "rekomendasi" in meta:
        meta["rekomendasi"] = _advice(meta["rekomendasi"], p)
    if "kop" in meta:
        meta["kop"] = _letterhead(meta["kop"], folder, p)
    return meta


def _advice(items, p: Path) -> list:
    ok = isinstance(items, list) and all(
        isinstance(i, str) or (isinstance(i, dict) and set(i) <= {"target", "action", "alasan"}
                               and all(isinstance(v, str) for v in i.values())) for i in items)
    if not ok:
        raise _bad(p, "rekomendasi", "harus daftar teks atau {target, action, alasan}",
                   "mis. rekomendasi: [\"Undang Dinas X ke sesi berikutnya\"]",
                   "must be a list of text or {target, action, alasan}",
                   "e.g. rekomendasi: [\"Invite Dinas X to the next session\"]")
    return [i if isinstance(i, str) else dict(i) for i in items]


def _letterhead(kop, folder: Path, p: Path) -> dict:
    if not isinstance(kop, dict) or not isinstance(kop.get("nama", ""), str) \
            or set(kop) - {"nama", "logo"}:
        raise _bad(p, "kop", "harus {nama: teks, logo: berkas png/jpg}",
                   "mis. kop: {nama: Badan Kesbangpol, logo: logo.png}",
                   "must be {nama: text, logo: png/jpg file}",
                   "e.g. kop: {nama: Badan Kesbangpol, logo: logo.png}")
    kop = dict(kop)
    if kop.get("logo") is not None:
        logo = (folder / str(kop["logo"])).resolve()
        if logo.suffix.lower() not in (".png", ".jpg", ".jpeg") or not logo.is_file():
            raise _bad(p, "kop.logo", f"tidak ada atau bukan png/jpg ({logo.name})",
                       "letakkan berkas logo .png atau .jpg di folder sesi",
                       f"is missing or not png/jpg ({logo.name})",
                       "put a .png or .jpg logo file in the session folder")
        kop["logo"] = str(logo)
    return kop
