"""The evaluator's OPD corrections for one session, kept in the session
folder so that the shared registry (``data/opd.csv``) is never edited for
one person's spelling.

Two places, both optional, read together:

- ``koreksi.csv`` beside the response files, two columns ``tertulis,opd``:
  the OPD as participants wrote it, and the registry OPD it means (its
  name, short name or an alias in ``data/opd.csv``);
- ``koreksi_opd:`` in ``sesi.yaml``, a mapping ``written name: registry OPD``.

A written name is compared loosely (case, spaces, punctuation). A target that
is no registry OPD, an empty cell or one name corrected two ways is refused
with the file, the row as Excel shows it, the column and the fix. The
corrections are applied while reading (``OpdResolver.with_corrections``);
each corrected row is ledgered "opd_corrected". docs/opd.md explains it
for the evaluator.

Example:
    >>> from evaltools.read.opd import OpdResolver, load_opd_registry
    >>> r = OpdResolver(load_opd_registry("data/opd.csv"))
    >>> yaml_corrections({"Bapeda Kaltim": "Bappeda Kaltim"}, r, "sesi.yaml")
    {'bapeda kaltim': ('6400-005', 'sesi.yaml koreksi_opd')}
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pandas as pd

from ..errors import EvalToolsError
from ..normalize import norm_text
from .files import CORRECTIONS_FILE, not_regular
from .opd import OpdResolver
from .sessions import read_session_meta
from .text import csv_rows, decode

YAML_KEY = "koreksi_opd"
COLUMNS = ("tertulis", "opd")
UNRESOLVED_COLUMNS = ["written", "n", "candidates", "koreksi"]


def session_folder(source) -> Path | None:
    """The session folder of a read's ``source``: the folder itself, or the
    folder of the (first) file; None when no file is given.

    Example:
        >>> session_folder("data/sample/loa-janan-2024-11-22/post-entri-kertas-sintetis.xlsx").name
        'loa-janan-2024-11-22'
    """
    if isinstance(source, (str, os.PathLike)):
        p = Path(source)
    else:
        paths = list(source)
        if not paths:
            return None
        p = Path(paths[0])
    return p if p.is_dir() else p.parent


def session_corrections(folder, resolver: OpdResolver) -> dict:
    """Every correction of a session folder: ``koreksi.csv`` and ``koreksi_opd``
    in ``sesi.yaml``, as {written name, loosely: (registry code, where it is
    said)}; {} when there are none or ``folder`` is None.

    Example:
        >>> from evaltools.read.opd import OpdResolver, load_opd_registry
        >>> session_corrections("data/sample/loa-janan-2024-11-22",
        ...                     OpdResolver(load_opd_registry("data/opd.csv")))
        {}
    """
    if folder is None:
        return {}
    folder = Path(folder)
    path = folder / CORRECTIONS_FILE
    why = not_regular(path) if os.path.lexists(path) else None
    if why is not None:  # a folder or a named pipe named koreksi.csv: said, never opened
        raise EvalToolsError(f"{CORRECTIONS_FILE}: {why[0]}", file=str(path),
                             fix=f"{CORRECTIONS_FILE} harus berkas teks biasa (tertulis,opd); hapus "
                                 "atau ganti dengan berkasnya",
                             problem_en=f"{CORRECTIONS_FILE}: {why[1]}",
                             fix_en=f"{CORRECTIONS_FILE} must be a plain text file (tertulis,opd); "
                                    "delete it or put the file there")
    found = read_corrections_csv(path, resolver) if path.is_file() else {}
    meta = read_session_meta(folder)
    if meta.get(YAML_KEY) is None:
        return found
    listed = yaml_corrections(meta[YAML_KEY], resolver, folder / "sesi.yaml")
    for key, (kode, where) in listed.items():
        if key in found and found[key][0] != kode:
            raise EvalToolsError(
                f"'{key}' dikoreksi dua kali dengan OPD berbeda: '{resolver.name_of(found[key][0])}' "
                f"({found[key][1]}) dan '{resolver.name_of(kode)}' ({where})",
                file=str(folder / "sesi.yaml"), location=YAML_KEY,
                fix=f"hapus salah satunya (di {CORRECTIONS_FILE} atau di {YAML_KEY})",
                problem_en=f"'{key}' is corrected twice to different OPDs",
                fix_en=f"delete one of them (in {CORRECTIONS_FILE} or in {YAML_KEY})")
        found.setdefault(key, (kode, where))
    return found


def _target(resolver: OpdResolver, opd: str, file, row=None, column=None, location=None) -> str:
    """The registry code a correction names, or the error saying which names fit."""
    kode = resolver.lookup(opd) if opd.strip() else None
    if kode is not None:
        return kode
    near = "; ".join(o for o, _ in resolver.candidates(opd)) if opd.strip() else ""
    hint, hint_en = (f", mis. {near}", f", e.g. {near}") if near else ("", "")
    what = f"'{opd}' bukan OPD di daftar OPD" if opd.strip() else "nama OPD kosong"
    what_en = f"'{opd}' is not an OPD of the registry" if opd.strip() else "the OPD is empty"
    raise EvalToolsError(what, file=str(file), row=row, column=column, location=location,
                         fix=f"tulis nama, singkatan atau alias OPD dari data/opd.csv{hint}",
                         problem_en=what_en,
                         fix_en=f"write a name, short name or alias from data/opd.csv{hint_en}")


def read_corrections_csv(path, resolver: OpdResolver) -> dict:
    """``koreksi.csv`` (columns ``tertulis,opd``; "," or ";") as {written name,
    loosely: (registry code, "koreksi.csv baris <row>")}; empty lines skipped.

    Example:
        >>> import tempfile
        >>> from evaltools.read.opd import OpdResolver, load_opd_registry
        >>> p = Path(tempfile.mkdtemp()) / "koreksi.csv"
        >>> _ = p.write_text("tertulis;opd\\nBapeda Kaltim;Bappeda Prov. Kaltim\\n", encoding="utf-8")
        >>> read_corrections_csv(p, OpdResolver(load_opd_registry("data/opd.csv")))
        {'bapeda kaltim': ('6400-005', 'koreksi.csv baris 2')}
    """
    path = Path(path)
    rows = csv_rows(decode(path.read_bytes()), path.name)
    header = [norm_text(h) for h in rows[0]] if rows else []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise EvalToolsError(f"kolom {', '.join(missing)} tidak ada", file=str(path), row=1,
                             column=missing[0], fix="baris pertama harus berjudul: tertulis,opd",
                             problem_en=f"column(s) {', '.join(missing)} missing",
                             fix_en="the first row must be the titles: tertulis,opd")
    at = {c: header.index(c) for c in COLUMNS}
    found: dict = {}
    for number, cells in enumerate(rows[1:], start=2):  # the row as Excel shows it
        get = {c: (cells[i].strip() if i < len(cells) else "") for c, i in at.items()}
        if not any(v.strip() for v in cells):
            continue
        if not get["tertulis"]:
            raise EvalToolsError("kolom tertulis kosong", file=str(path), row=number,
                                 column="tertulis", fix="tulis nama OPD seperti diisi peserta",
                                 problem_en="tertulis is empty",
                                 fix_en="write the OPD as participants wrote it")
        kode = _target(resolver, get["opd"], path, row=number, column="opd")
        key = norm_text(get["tertulis"])
        if key in found and found[key][0] != kode:
            raise EvalToolsError(
                f"'{get['tertulis']}' sudah dikoreksi ke '{resolver.name_of(found[key][0])}' "
                f"({found[key][1]})", file=str(path), row=number, column="tertulis",
                fix="hapus salah satu baris", problem_en=f"'{get['tertulis']}' is already "
                f"corrected to another OPD ({found[key][1]})", fix_en="delete one of the rows")
        found.setdefault(key, (kode, f"{CORRECTIONS_FILE} baris {number}"))
    return found


def yaml_corrections(mapping, resolver: OpdResolver, path) -> dict:
    """``koreksi_opd`` of ``sesi.yaml`` ({written name: registry OPD}) as
    {written name, loosely: (registry code, "sesi.yaml koreksi_opd")}.

    Example:
        >>> from evaltools.read.opd import OpdResolver, load_opd_registry
        >>> r = OpdResolver(load_opd_registry("data/opd.csv"))
        >>> try:
        ...     yaml_corrections({"Bapeda Kaltim": "Bapeda"}, r, "sesi.yaml")
        ... except EvalToolsError as err:
        ...     print(err.location, "|", err.problem)
        koreksi_opd: Bapeda Kaltim | 'Bapeda' bukan OPD di daftar OPD
    """
    if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise EvalToolsError(f"{YAML_KEY} harus berisi pasangan 'nama tertulis: OPD di daftar OPD'",
                             file=str(path), location=YAML_KEY,
                             fix=f'mis. {YAML_KEY}: {{"Bapeda Kaltim": "Bappeda Prov. Kaltim"}}',
                             problem_en=f"{YAML_KEY} must map written names to registry OPDs",
                             fix_en=f'e.g. {YAML_KEY}: {{"Bapeda Kaltim": "Bappeda Prov. Kaltim"}}')
    return {norm_text(written): (_target(resolver, opd, path, location=f"{YAML_KEY}: {written}"),
                                 f"sesi.yaml {YAML_KEY}")
            for written, opd in mapping.items()}


def correction_line(written: str, opd: str) -> str:
    """The ``koreksi.csv`` line that maps ``written`` to ``opd`` (quoted where needed).

    Example:
        >>> correction_line("Bapeda, Kaltim", "Bappeda Prov. Kaltim")
        '"Bapeda, Kaltim",Bappeda Prov. Kaltim'
    """
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([written, opd])
    return out.getvalue()


def unresolved_opds(data: pd.DataFrame, resolver: OpdResolver) -> pd.DataFrame:
    """The OPD names of the kept rows that are no registry OPD: ``written``
    (as kept), ``n`` (rows), ``candidates`` (the closest registry OPDs, "; "),
    ``koreksi`` (the ``koreksi.csv`` line naming the best candidate, to check
    before use); most rows first.

    Example:
        >>> from evaltools.read.opd import OpdResolver, load_opd_registry
        >>> d = pd.DataFrame({"opd": ["Bapeda Kaltim", "Bapeda Kaltim", "Bappeda Prov. Kaltim"],
        ...                   "opd_terdaftar": [False, False, True]})
        >>> t = unresolved_opds(d, OpdResolver(load_opd_registry("data/opd.csv")))
        >>> t["written"][0], int(t["n"][0]), t["candidates"][0]
        ('Bapeda Kaltim', 2, 'Bapenda Prov. Kaltim; Bappeda Prov. Kaltim; BPBD Prov. Kaltim')
        >>> t["koreksi"][0]
        'Bapeda Kaltim,Bapenda Prov. Kaltim'
    """
    if not len(data) or "opd" not in data.columns:
        return pd.DataFrame(columns=UNRESOLVED_COLUMNS)
    opd = data["opd"].fillna("").astype(str)
    out = opd[(opd != "") & ~data["opd_terdaftar"].astype(bool)].value_counts()
    rows = []
    for written, n in sorted(out.items(), key=lambda kv: (-kv[1], kv[0])):
        near = [o for o, _ in resolver.candidates(written)]
        rows.append((written, int(n), "; ".join(near),
                     correction_line(written, near[0] if near else "<OPD di data/opd.csv>")))
    return pd.DataFrame(rows, columns=UNRESOLVED_COLUMNS)
