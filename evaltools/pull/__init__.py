"""``evaltools pull``: fetch the responses of a session's forms from their
server into the session folder, as files the readers already read.

The forms are listed under ``formulir`` in the session's ``sesi.yaml``
(``read.sessions.server_forms``): KoboToolbox through its REST API v2
(``kobo``: a CSV like Kobo's export) and ODK Central through pyodk
(``central``: Central's .csv.zip). Every form is fetched before anything is
written; then the files are written through ``overwrite.claim`` (a file a
person changed, or one evaltools did not write, is refused unless
``overwrite=True``), and the provenance (server, form, time of the pull,
number of submissions, their ids) goes to ``.evaltools-pull.json`` beside
them (``read.pulled``), which the reader shows in ``Responses.sources``.
Credentials are read from the user's configuration and go nowhere else.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from ..disk import folder_lock
from ..errors import EvalToolsError
from ..overwrite import check, claim, write_bytes, write_text
from ..read.provenance import WAVE_OF
from ..read.pulled import PULL_RECORD, read_pull_records
from ..read.sessions import read_session_meta
from .._lazy import lazy
from . import kobo

# requests, which only Central's client needs, stays out of every other command's start (0.06 s)
central = lazy("evaltools.pull.central")

__all__ = ["pull_session", "file_name"]


def file_name(form: dict) -> str:
    """The name a pulled form is written under in the session folder: the
    server kind, the form, and its wave when ``sesi.yaml`` gives one (the
    reader takes the wave from the name when the data has none; a wave word
    in a Central form id is left out of the name when it is given).

    Example:
        >>> file_name({"jenis": "kobo", "formulir": "aBcD1234efGH", "proyek": None, "gelombang": "pre"})
        'kobo-aBcD1234efGH-pre.csv'
        >>> file_name({"jenis": "central", "formulir": "tes_pre", "proyek": 3, "gelombang": "post"})
        'central-3-tes-post.csv.zip'
    """
    if form["jenis"] == "kobo":
        stem, suffix = f"kobo-{form['formulir']}", ".csv"
    else:
        words = [w for w in re.split(r"[^A-Za-z0-9]+", form["formulir"]) if w]
        if form.get("gelombang"):
            words = [w for w in words if w.lower() not in WAVE_OF] or ["formulir"]
        stem, suffix = f"central-{form['proyek']}-{'-'.join(words)}", ".csv.zip"
    return f"{stem}-{form['gelombang']}{suffix}" if form.get("gelombang") else stem + suffix


def _fetch(form: dict, timeout: float, page_size: int, pyodk_config) -> dict:
    """One form from its server: {"data", "server", "form", "ids"}."""
    if form["jenis"] == "kobo":
        server, token, where = kobo.credentials(form["server"])
        rows = kobo.fetch(server, token, form["formulir"], where=where, timeout=timeout,
                          page_size=page_size)
        return {"data": kobo.to_csv(rows), "server": server, "form": f"kobo {form['formulir']}",
                "ids": [str(r.get("_uuid", r.get("_id", ""))) for r in rows]}
    data, server = central.fetch(form["proyek"], form["formulir"], config=pyodk_config,
                                 timeout=timeout)
    return {"data": data, "server": server, "form": f"central {form['proyek']}/{form['formulir']}",
            "ids": central.submission_ids(data, form["formulir"])}


def pull_session(folder, *, timeout: float = 60, page_size: int = kobo.PAGE_SIZE,
                 overwrite: bool = False, pyodk_config=None) -> list[dict]:
    """Fetch every form of ``formulir`` in ``folder/sesi.yaml`` and write it
    into ``folder``; return one dict per form: ``file``, ``server``,
    ``form``, ``submissions``, ``new`` (submissions not in the previous pull
    of that file; all of them on a first pull) and ``first`` (no previous pull).

    Example:
        >>> pull_session("data/sample/loa-janan-2024-11-22")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        evaltools.errors.EvalToolsError: .../sesi.yaml: sesi.yaml tidak memuat formulir di server ...
        (en) ...
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise EvalToolsError("folder sesi tidak ada", file=str(folder),
                             fix="buat sesi dengan evaltools init <id-sesi> (atau buat foldernya dan "
                                 "sesi.yaml dengan kunci formulir), atau periksa --data",
                             problem_en="no such session folder",
                             fix_en="create the session with evaltools init <session-id> (or make the "
                                    "folder and a sesi.yaml with the key formulir), or check --data")
    forms = read_session_meta(folder).get("formulir")
    if not forms:
        raise _no_forms(folder)
    names = [file_name(f) for f in forms]
    if len(set(names)) < len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise EvalToolsError(f"sesi.yaml: formulir {twice} tertulis dua kali", file=str(folder / "sesi.yaml"),
                             fix="hapus salah satunya dari daftar formulir",
                             problem_en=f"sesi.yaml: form {twice} is listed twice",
                             fix_en="remove one of them from the list formulir")
    check(folder, [*names, PULL_RECORD], overwrite=overwrite)  # a refusal before any request
    fetched = [_fetch(f, timeout, page_size, pyodk_config) for f in forms]  # all, before writing
    when = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    with folder_lock(folder), claim(folder, [*names, PULL_RECORD], overwrite=overwrite,
                                             staged=True):
        records = read_pull_records(folder)
        results = []
        for name, form, got in zip(names, forms, fetched):
            before = records.get(name)
            old = set(before.get("ids", [])) if before else set()
            write_bytes(folder / name, got["data"])
            records[name] = {"server": got["server"], "form": got["form"], "pulled_at": when,
                             "submissions": len(got["ids"]), "gelombang": form["gelombang"] or "",
                             "ids": got["ids"]}
            results.append({"file": name, "server": got["server"], "form": got["form"],
                            "submissions": len(got["ids"]), "first": before is None,
                            "new": sum(1 for i in got["ids"] if i not in old)})
        write_text(folder / PULL_RECORD, json.dumps(records, indent=2, ensure_ascii=False) + "\n")
    return results


def _no_forms(folder: Path) -> EvalToolsError:
    example = "formulir: [{kobo: aBcD1234efGH, gelombang: pre}, {central: {proyek: 3, formulir: tes_post}}]"
    return EvalToolsError("sesi.yaml tidak memuat formulir di server (kunci formulir)",
                          file=str(folder / "sesi.yaml"),
                          fix=f"tambahkan ke sesi.yaml, mis. {example} (docs/pull.md)",
                          problem_en="sesi.yaml lists no form on a server (key formulir)",
                          fix_en=f"add to sesi.yaml, e.g. {example} (docs/pull.md)")
