"""A new session: its folder under the data folder and its ``sesi.yaml``
(``evaltools init``).

The session id is the folder's name: letters, digits, ``-``, ``_`` and ``.``,
starting with a letter or digit (``samarinda-2025-02-11``), so it is a plain
folder name on every system and ``find_sessions`` lists it. When it ends in a
date (``YYYY-MM-DD``) that date is the session's ``tanggal``. The facts are
checked as every reader checks them (``read.sessions.check_session_meta``)
before anything is written; a key not known yet is written empty (``''``, the
date as a commented line) for the evaluator to fill in later.

An existing ``sesi.yaml`` is replaced only when ``init`` wrote it and nobody
changed it since (the manifest rule of ``evaltools.overwrite``) or when the
caller says ``overwrite=True`` (``--timpa``).

Example:
    >>> import tempfile
    >>> data = tempfile.mkdtemp()
    >>> made = create_session(data, "samarinda-2024-11-22", {"nama": "Sosialisasi Netralitas ASN"})
    >>> made.meta["tanggal"], made.missing
    ('2024-11-22', ['tempat', 'penyelenggara'])
    >>> from evaltools.read import read_session_meta
    >>> read_session_meta(made.folder)["nama"]
    'Sosialisasi Netralitas ASN'
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import yaml

from .errors import EvalToolsError
from .instrument.yamlload import load_yaml
from .overwrite import check, claim, write_text
from .read.sessions import REPORT_KEYS, check_date, check_session_meta, read_session_meta

# a plain folder name on Windows, macOS and Linux; not hidden ("." or "_" folders are skipped)
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}
_DATED = re.compile(r"(\d{4}-\d{2}-\d{2})$")

# what each key of REPORT_KEYS is, asked for in a terminal and written beside an empty key
PROMPTS = {
    "nama": ("Nama kegiatan", "Event name", "Sosialisasi Netralitas ASN Pilkada 2024"),
    "tanggal": ("Tanggal sesi (tahun-bulan-hari)", "Session date (year-month-day)", "2024-11-22"),
    "tempat": ("Tempat", "Venue", "Aula Kantor Camat Loa Janan"),
    "penyelenggara": ("Penyelenggara", "Organiser", "Badan Kesbangpol Kabupaten Kutai Kartanegara"),
}


class NewSession(NamedTuple):
    """What ``create_session`` made: the folder, the ``sesi.yaml`` path, the
    facts written (checked) and the keys of ``REPORT_KEYS`` still empty."""
    folder: Path
    path: Path
    meta: dict
    missing: list


def check_session_id(session_id: str) -> str:
    """The session id, refused unless it is a plain folder name (see the
    module's docstring).

    Example:
        >>> check_session_id("loa-janan-2024-11-22")
        'loa-janan-2024-11-22'
        >>> try:
        ...     check_session_id("../loa janan")
        ... except EvalToolsError as e:
        ...     print(e.problem)
        id sesi '../loa janan' bukan nama folder biasa
    """
    text = str(session_id)
    if _ID.fullmatch(text) and not text.endswith(".") and text.split(".")[0].lower() not in _RESERVED:
        return text
    example = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "samarinda-2024-11-22"
    raise EvalToolsError(f"id sesi {text!r} bukan nama folder biasa",
                         fix="pakai huruf, angka, '-' atau '_' saja, tanpa spasi atau '/', diawali "
                             f"huruf atau angka, mis. {example}",
                         problem_en=f"session id {text!r} is not a plain folder name",
                         fix_en="use letters, digits, '-' or '_' only, no spaces or '/', starting "
                                f"with a letter or digit, e.g. {example}")


def date_from_id(session_id: str):
    """The date a session id ends in, checked (``check_date``), or None.

    Example:
        >>> date_from_id("loa-janan-2024-11-22"), date_from_id("kesbangpol-kaltim")
        ('2024-11-22', None)
    """
    found = _DATED.search(session_id)
    return check_date(found.group(1), Path(session_id) / "sesi.yaml") if found else None


def session_yaml(session_id: str, meta: dict) -> str:
    """The text of a new ``sesi.yaml``: the id, the facts given, each missing
    fact of ``REPORT_KEYS`` empty with what to write (the date as a comment,
    since an empty date is no date), and a commented line for the server
    forms of ``evaltools pull``.

    Example:
        >>> print(session_yaml("x-2024-11-22", {"tanggal": "2024-11-22", "nama": "Sosialisasi"}))
        ... # doctest: +ELLIPSIS
        # sesi.yaml: fakta sesi (docs/sessions.md) / the session's facts
        id: x-2024-11-22
        nama: Sosialisasi
        tanggal: '2024-11-22'
        tempat: ''  # isi / fill in, mis. Aula Kantor Camat Loa Janan
        ...
    """
    lines = ["# sesi.yaml: fakta sesi (docs/sessions.md) / the session's facts",
             _line("id", session_id)]
    for key in REPORT_KEYS:
        value = meta.get(key)
        if value:
            lines.append(_line(key, value))
        elif key == "tanggal":
            lines.append(f"# tanggal: '{PROMPTS[key][2]}'  # isi lalu hapus '# ' / fill in, "
                         "then remove '# '")
        else:
            lines.append(f"{key}: ''  # isi / fill in, mis. {PROMPTS[key][2]}")
    lines.append("# formulir: formulir di server untuk evaltools pull / the server forms for "
                 "evaltools pull (docs/pull.md)")
    return "\n".join(lines) + "\n"


def _line(key: str, value) -> str:
    """One ``key: value`` line, quoted as YAML needs it (a date stays text)."""
    return yaml.safe_dump({key: value}, allow_unicode=True, default_flow_style=False,
                          width=10_000).rstrip("\n")


def create_session(data_dir, session_id: str, meta: dict, *, overwrite: bool = False) -> NewSession:
    """Make ``data_dir/<session_id>/`` and write its ``sesi.yaml`` from
    ``meta`` (``nama``, ``tanggal``, ``tempat``, ``penyelenggara``; ``tanggal``
    defaults to the date the id ends in). Everything is checked before
    anything is written; an existing ``sesi.yaml`` is refused unless evaltools
    wrote it unchanged or ``overwrite=True``; the facts it holds are kept
    where ``meta`` gives none.

    Example:
        >>> import tempfile
        >>> data = tempfile.mkdtemp()
        >>> create_session(data, "balikpapan", {"tanggal": "2024-10-20"}).missing
        ['nama', 'tempat', 'penyelenggara']
        >>> create_session(data, "balikpapan", {"nama": "Sosialisasi"}).missing  # ours: filled in
        ['tempat', 'penyelenggara']
    """
    session_id = check_session_id(session_id)
    if not Path(data_dir).is_dir():
        raise EvalToolsError("folder data tidak ada", file=str(data_dir),
                             fix="beri folder data yang ada (mis. --data data), atau buat dulu",
                             problem_en="no such data folder",
                             fix_en="give a data folder that exists (e.g. --data data), or make it first")
    folder = Path(data_dir) / session_id
    _may_replace(folder / "sesi.yaml", overwrite)
    given = {**_kept(folder),
             **{k: str(v).strip() for k, v in meta.items() if v is not None and str(v).strip()}}
    if "tanggal" not in given and date_from_id(session_id):
        given["tanggal"] = date_from_id(session_id)
    text = session_yaml(session_id, given)
    checked = check_session_meta(load_yaml(text), folder)  # the readers' own rules, before writing
    with claim(folder, ["sesi.yaml"], overwrite=overwrite):  # refuses before making the folder
        write_text(folder / "sesi.yaml", text)
    missing = [k for k in REPORT_KEYS if not checked.get(k)]
    return NewSession(folder, folder / "sesi.yaml", checked, missing)


def _may_replace(path: Path, overwrite: bool) -> None:
    """Refuse a ``sesi.yaml`` a person wrote or changed, unless ``overwrite``."""
    try:
        check(path.parent, [path.name], overwrite=overwrite)
    except EvalToolsError:
        raise EvalToolsError("sesi.yaml sudah ada dan ditulis atau diubah orang, bukan oleh init",
                             file=str(path), fix="ubah sesi.yaml itu langsung (docs/sessions.md), "
                             "atau tulis baru dengan --timpa (isinya yang lain hilang)",
                             problem_en="sesi.yaml exists and was written or changed by a person, "
                                        "not by init",
                             fix_en="edit that sesi.yaml itself (docs/sessions.md), or write a new "
                                    "one with --timpa (its other contents are lost)") from None


def _kept(folder: Path) -> dict:
    """The facts of ``REPORT_KEYS`` an existing, readable ``sesi.yaml`` holds:
    a second ``init`` fills in what is missing instead of forgetting the rest."""
    try:
        meta = read_session_meta(folder) if folder.is_dir() else {}
    except EvalToolsError:
        return {}
    return {k: str(meta[k]) for k in REPORT_KEYS if meta.get(k)}
