"""Session folders: which sessions a data folder holds (one sub-folder per
session, holding its response files), and the facts of each in its
``sesi.yaml``."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from pathlib import Path

import yaml

from ..errors import EvalToolsError
from ..instrument.yamlload import load_yaml, show
from .files import SUFFIXES, not_regular


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


# the keys of sesi.yaml: the session's facts (written by hand or by evaltools.simulate)
# and the evaluator's keys (docs/recommendations.md, docs/opd.md)
TEXT_KEYS = ("id", "nama", "tempat", "penyelenggara", "pengumpulan", "instrumen", "catatan")
KNOWN_KEYS = (*TEXT_KEYS, "tanggal", "versi_instrumen", "sintetis", "tindak_lanjut_dari",
              "catatan_evaluator", "rekomendasi", "kop", "target_lulus", "koreksi_opd", "formulir",
              "format")
# how the sosialisasi was held (sesi.yaml ``format``): in person, online, or both at once
SESSION_FORMATS = ("luring", "daring", "hibrida")
WAVES = ("pre", "post", "followup")  # gelombang of a form on a server
_KOBO_UID = re.compile(r"[A-Za-z0-9]{6,64}")
_CENTRAL_FORM = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,127}")
_FORM_EXAMPLE = "formulir: [{kobo: aBcD1234efGH, gelombang: pre}, {central: {proyek: 3, formulir: tes_post}}]"


# the facts a report prints on its cover (the one-pager, the workbook): warned about when missing
REPORT_KEYS = ("nama", "tanggal", "tempat", "penyelenggara")


def meta_warnings(folder, lang: str = "id") -> list:
    """What ``validate`` and ``report`` warn about a session folder's
    ``sesi.yaml`` (``lang`` "id" or "en"): missing, not readable, or without
    one of ``REPORT_KEYS`` (an empty value counts as missing); [] when complete.

    Example:
        >>> meta_warnings("data/sample/loa-janan-2024-11-22")
        []
        >>> import tempfile
        >>> meta_warnings(tempfile.mkdtemp(), "en")[0].startswith("sesi.yaml is missing")
        True
    """
    folder = Path(folder)
    en = lang == "en"
    init = f"evaltools init {folder.name} --data {folder.parent}"
    if not os.path.lexists(folder / "sesi.yaml"):
        return [f"sesi.yaml is missing in {folder}: the report will have no session name, date, "
                f"venue or organiser. Create it: {init}" if en else
                f"sesi.yaml tidak ada di {folder}: laporan akan tanpa nama, tanggal, tempat dan "
                f"penyelenggara sesi. Buat dengan: {init}"]
    try:
        meta = read_session_meta(folder)
    except EvalToolsError as exc:
        message = exc.message_en if en else str(exc).split("\n(en) ")[0]
        return [f"sesi.yaml {'cannot be read' if en else 'tidak dapat dibaca'}: {message}"]
    missing = [k for k in REPORT_KEYS if not str(meta.get(k) or "").strip()]
    if not missing:
        return []
    keys = ", ".join(missing)
    return [f"sesi.yaml has no {keys}: the report will go without; fill them in "
            f"{folder / 'sesi.yaml'}" if en else
            f"sesi.yaml belum berisi {keys}: laporan akan tanpa itu; isi di {folder / 'sesi.yaml'}"]


def read_session_meta(folder) -> dict:
    """Session facts from ``sesi.yaml`` beside the responses, or {} if absent,
    checked as the instrument is (:func:`check_session_meta`): an error names
    the file, the key and its line, with the fix.

    Example:
        >>> read_session_meta("data/sample/loa-janan-2024-11-22")["sintetis"]
        True
    """
    p = Path(folder) / "sesi.yaml"
    if not os.path.lexists(p):
        return {}
    why = not_regular(p)
    if why is not None:  # a named pipe would be waited on forever
        raise EvalToolsError(f"sesi.yaml: {why[0]}", file=str(p),
                             fix="sesi.yaml harus berkas teks biasa; hapus atau ganti dengan berkasnya",
                             problem_en=f"sesi.yaml: {why[1]}",
                             fix_en="sesi.yaml must be a plain text file; delete it or put the file there")
    try:
        meta = load_yaml(p.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        why = getattr(exc, "problem", None) or exc
        raise EvalToolsError(f"sesi.yaml tidak sah ({why})", file=str(p),
                             line=mark.line + 1 if mark else None,
                             fix="perbaiki baris itu (tanggal ditulis '2024-11-22'; teks UTF-8)",
                             problem_en=f"invalid sesi.yaml ({why})",
                             fix_en="fix that line (dates written '2024-11-22'; UTF-8 text)") from None
    if not isinstance(meta, dict):
        raise EvalToolsError("sesi.yaml harus berisi pasangan kunci: nilai", file=str(p),
                             fix="mis. nama: ..., tanggal: 2024-11-22",
                             problem_en="sesi.yaml must hold key: value pairs",
                             fix_en="e.g. nama: ..., tanggal: 2024-11-22")
    return check_session_meta(meta, Path(folder))


def _bad(p: Path, key: str, problem: str, fix: str, problem_en: str, fix_en: str, line=None):
    return EvalToolsError(f"sesi.yaml: {key} {problem}", file=str(p), fix=fix, line=line,
                          problem_en=f"sesi.yaml: {key} {problem_en}", fix_en=fix_en)


def check_session_meta(meta: dict, folder: Path) -> dict:
    """Check ``sesi.yaml``: no unknown key (a typo would be silently
    ignored), the facts as text, ``tanggal`` a real date that has come
    (``check_date``), the evaluator's keys (``catatan_evaluator``,
    ``rekomendasi``, ``kop``, ``target_lulus``; ``koreksi_opd`` is checked
    where it is used), and ``kop.logo`` resolved to an absolute path; return
    a plain copy, ``tanggal`` as ISO text.

    Example:
        >>> check_session_meta({"target_lulus": 0.9}, Path("."))["target_lulus"]
        0.9
        >>> check_session_meta({"tanggal": dt.date(2024, 11, 22)}, Path("."))
        {'tanggal': '2024-11-22'}
    """
    p = folder / "sesi.yaml"
    lines = getattr(meta, "key_lines", {})
    _check_keys(meta, p, lines)
    raw_forms = meta.get("formulir")  # with its lines, for the messages
    meta = _plain(meta)  # plain dicts and lists, the lines dropped
    if "tanggal" in meta:
        meta["tanggal"] = check_date(meta["tanggal"], p, lines.get("tanggal"))
    note = meta.get("catatan_evaluator")
    if note is not None and not isinstance(note, str):
        raise _bad(p, "catatan_evaluator", "harus teks", "tulis satu paragraf teks",
                   "must be text", "write one paragraph of text", lines.get("catatan_evaluator"))
    if "target_lulus" in meta:
        t = meta["target_lulus"]
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 < t <= 1:
            raise _bad(p, "target_lulus", "harus angka di antara 0 dan 1 (mis. 0.8)",
                       "mis. target_lulus: 0.8 (80% peserta mencapai KKM)",
                       "must be a number between 0 and 1 (e.g. 0.8)",
                       "e.g. target_lulus: 0.8 (80% of participants reach the pass mark)",
                       lines.get("target_lulus"))
        meta["target_lulus"] = float(t)
    if "rekomendasi" in meta:
        meta["rekomendasi"] = _advice(meta["rekomendasi"], p)
    if "kop" in meta:
        meta["kop"] = _letterhead(meta["kop"], folder, p)
    if "formulir" in meta:
        meta["formulir"] = server_forms(raw_forms, p, lines.get("formulir"))
    return meta


def _plain(value):
    """The YAML data as plain dicts and lists (the loader's keep their lines)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _check_keys(meta: dict, p: Path, lines: dict) -> None:
    """Refuse an unknown key (with the known key it is closest to) and a
    fact that is no text."""
    for key, value in meta.items():
        if key not in KNOWN_KEYS:
            near = difflib.get_close_matches(str(key), KNOWN_KEYS, n=1)
            hint, hint_en = (f"maksud Anda '{near[0]}'? ", f"did you mean '{near[0]}'? ") if near else ("", "")
            raise _bad(p, f"kunci '{key}'", "tidak dikenal",
                       f"{hint}kunci yang dikenal: {', '.join(KNOWN_KEYS)}", "is not a known key",
                       f"{hint_en}known keys: {', '.join(KNOWN_KEYS)}", lines.get(key))
        ok = {"sintetis": isinstance(value, bool),
              "versi_instrumen": isinstance(value, (str, int, float)) and not isinstance(value, bool),
              "format": value in SESSION_FORMATS,
              "tindak_lanjut_dari": isinstance(value, str) or (
                  isinstance(value, list) and all(isinstance(v, str) for v in value))}.get(
            key, key not in TEXT_KEYS or isinstance(value, str))
        if not ok:
            kind, kind_en, example = {
                "sintetis": ("true atau false", "true or false", "sintetis: false"),
                "format": ("salah satu dari luring, daring, hibrida", "one of luring, daring, hibrida",
                           "format: hibrida"),
                "tindak_lanjut_dari": ("id sesi atau daftar id sesi", "a session id or a list of them",
                                       "tindak_lanjut_dari: [loa-janan-2024-11-22]")}.get(
                key, ("teks", "text", f"{key}: '...'"))
            raise _bad(p, key, f"harus {kind}, bukan {show(value)}", f"mis. {example}",
                       f"must be {kind_en}, not {show(value)}", f"e.g. {example}", lines.get(key))


def check_date(value, p: Path = Path("sesi.yaml"), line=None) -> str:
    """``tanggal`` of ``sesi.yaml`` as ISO text, after checking it: a date
    that exists (not 2031-02-30), written year-month-day, not after today.

    Example:
        >>> check_date("2024-11-22"), check_date(dt.date(2024, 11, 22))
        ('2024-11-22', '2024-11-22')
        >>> try:
        ...     check_date("kemarin sore")
        ... except EvalToolsError as e:
        ...     print(e.problem)
        sesi.yaml: tanggal 'kemarin sore' bukan tanggal (tulis tahun-bulan-hari)
    """
    if isinstance(value, dt.datetime) or not isinstance(value, (str, dt.date)):
        raise _bad(p, "tanggal", f"harus tanggal saja, bukan {show(value)}", "mis. tanggal: '2024-11-22'",
                   f"must be a date alone, not {show(value)}", "e.g. tanggal: '2024-11-22'", line)
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value.strip())
    except ValueError:
        real = bool(re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value))
        what, what_en = ("tanggal yang tidak ada", "a date that does not exist") if real else \
            ("bukan tanggal (tulis tahun-bulan-hari)", "is no date (write year-month-day)")
        raise _bad(p, "tanggal", f"{show(value)} {what}", "tulis tanggal sesi sebagai '2024-11-22' "
                   "(tahun-bulan-hari)", f"{show(value)} {what_en}",
                   "write the session's date as '2024-11-22' (year-month-day)", line) from None
    if day > dt.date.today():
        raise _bad(p, "tanggal", f"{day.isoformat()} belum tiba (setelah hari ini)",
                   "tulis tanggal sesi yang sudah berlangsung", f"{day.isoformat()} is in the future",
                   "write the date of the session that took place", line)
    return day.isoformat()


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


def server_forms(items, p: Path = Path("sesi.yaml"), line=None) -> list:
    """The forms ``evaltools pull`` fetches (``formulir`` in ``sesi.yaml``),
    checked: a list of ``{kobo: <asset uid>}`` (KoboToolbox; ``server:`` the
    server's address when it is not the configured one) or ``{central:
    {proyek: <project number>, formulir: <form id>}}`` (ODK Central), each
    with an optional ``gelombang`` (pre, post, followup). Returned as
    ``{"jenis", "formulir", "proyek", "server", "gelombang"}`` (None where not given).

    Example:
        >>> server_forms([{"kobo": "aBcD1234efGH", "gelombang": "pre"}])
        [{'jenis': 'kobo', 'formulir': 'aBcD1234efGH', 'proyek': None, 'server': None, 'gelombang': 'pre'}]
        >>> server_forms([{"central": {"proyek": 3, "formulir": "tes_post"}}])[0]["proyek"]
        3
    """
    if not isinstance(items, list) or not items:
        raise _bad(p, "formulir", f"harus daftar formulir di server, bukan {show(items)}",
                   f"mis. {_FORM_EXAMPLE}", f"must be a list of forms on a server, not {show(items)}",
                   f"e.g. {_FORM_EXAMPLE}", line)
    lines = getattr(items, "lines", [])
    return [_server_form(item, p, lines[i] if i < len(lines) else line, i)
            for i, item in enumerate(items)]


def _server_form(item, p: Path, line, i: int) -> dict:
    """One entry of ``formulir``, checked (see :func:`server_forms`)."""
    key = f"formulir[{i + 1}]"
    kinds = [k for k in ("kobo", "central") if isinstance(item, dict) and k in item]
    extra = set(item) - {"kobo", "central", "gelombang", "server"} if isinstance(item, dict) else set()
    if len(kinds) != 1 or extra:
        what = f"kunci tidak dikenal: {', '.join(map(str, sorted(extra, key=str)))}" if extra and \
            len(kinds) == 1 else "harus memuat tepat satu dari kobo: atau central:"
        what_en = f"unknown keys: {', '.join(map(str, sorted(extra, key=str)))}" if extra and \
            len(kinds) == 1 else "must hold exactly one of kobo: or central:"
        raise _bad(p, key, what, f"mis. {_FORM_EXAMPLE}", what_en, f"e.g. {_FORM_EXAMPLE}", line)
    form = {"jenis": kinds[0], "formulir": None, "proyek": None, "server": None,
            "gelombang": item.get("gelombang")}
    if form["gelombang"] is not None and form["gelombang"] not in WAVES:
        raise _bad(p, f"{key}.gelombang", f"harus salah satu dari {', '.join(WAVES)}, bukan "
                   f"{show(form['gelombang'])}", "mis. gelombang: pre",
                   f"must be one of {', '.join(WAVES)}, not {show(form['gelombang'])}",
                   "e.g. gelombang: pre", line)
    server = item.get("server")
    if server is not None and not (isinstance(server, str) and re.match(r"https?://[^\s/]+", server)):
        raise _bad(p, f"{key}.server", f"harus alamat http(s)://..., bukan {show(server)}",
                   "mis. server: https://kf.kobotoolbox.org",
                   f"must be an http(s):// address, not {show(server)}",
                   "e.g. server: https://kf.kobotoolbox.org", line)
    form["server"] = server.rstrip("/") if server else None
    if kinds[0] == "kobo":
        form["formulir"] = _kobo_uid(item["kobo"], p, key, line)
    else:
        form["proyek"], form["formulir"] = _central_form(item["central"], p, key, line)
    return form


def _kobo_uid(uid, p: Path, key: str, line) -> str:
    if not isinstance(uid, str) or not _KOBO_UID.fullmatch(uid):
        raise _bad(p, f"{key}.kobo", f"harus uid aset KoboToolbox (huruf dan angka), bukan {show(uid)}",
                   "salin uid dari alamat formulir di Kobo: .../#/forms/<uid>/summary",
                   f"must be a KoboToolbox asset uid (letters and digits), not {show(uid)}",
                   "copy the uid from the form's address in Kobo: .../#/forms/<uid>/summary", line)
    return uid


def _central_form(spec, p: Path, key: str, line) -> tuple:
    ok = isinstance(spec, dict) and set(spec) == {"proyek", "formulir"} \
        and isinstance(spec["proyek"], int) and not isinstance(spec["proyek"], bool) \
        and spec["proyek"] > 0 and isinstance(spec["formulir"], str) \
        and _CENTRAL_FORM.fullmatch(spec["formulir"])
    if not ok:
        raise _bad(p, f"{key}.central", f"harus {{proyek: nomor, formulir: id formulir}}, bukan {show(spec)}",
                   "mis. central: {proyek: 3, formulir: tes_post} (nomor proyek dan id formulir "
                   "dari alamat formulir di Central)",
                   f"must be {{proyek: number, formulir: form id}}, not {show(spec)}",
                   "e.g. central: {proyek: 3, formulir: tes_post} (project number and form id "
                   "from the form's address in Central)", line)
    return spec["proyek"], spec["formulir"]
