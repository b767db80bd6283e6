"""``evaltools init``: a new session's folder and ``sesi.yaml``, asking for the
facts not given when run in a terminal, then the next steps."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EvalToolsError
from ..newsession import PROMPTS, check_session_id, create_session, date_from_id
from ..project import paths
from ..read.sessions import REPORT_KEYS, check_date
from .common import overwrite_option, say
from .screen import shown, wrap

TRIES = 3  # a date asked again at most this many times, then left for later


def ask_missing(meta: dict, lang: str, ask=input, tell=print) -> dict:
    """Ask for each fact of ``REPORT_KEYS`` that ``meta`` lacks (Enter leaves
    it for later; a date is checked and asked again); return ``meta`` with
    the answers. End of input (Ctrl-D) stops asking.

    Example:
        >>> answers = iter(["besok", "2024-11-22", "Aula Kecamatan", ""])
        >>> ask_missing({"nama": "Sosialisasi"}, "en", ask=lambda _: next(answers), tell=lambda _: None)
        {'nama': 'Sosialisasi', 'tanggal': '2024-11-22', 'tempat': 'Aula Kecamatan'}
    """
    out = dict(meta)
    tell(say(lang, "Isi data sesi (Enter = isi nanti di sesi.yaml):",
             "The session's facts (Enter = fill in later in sesi.yaml):"))
    for key in REPORT_KEYS:
        if out.get(key):
            continue
        label_id, label_en, example = PROMPTS[key]
        prompt = f"  {say(lang, label_id, label_en)} ({say(lang, 'mis.', 'e.g.')} {example}): "
        for _ in range(TRIES if key == "tanggal" else 1):
            try:
                answer = ask(prompt).strip()
            except EOFError:
                tell("")
                return out
            if not answer or key != "tanggal":
                break
            try:
                answer = check_date(answer)
                break
            except EvalToolsError as exc:
                problem = exc.problem_en if lang == "en" else exc.problem
                tell(wrap(problem.removeprefix("sesi.yaml: "), "    "))
                answer = ""
        if answer:
            out[key] = answer
    return out


def _init(args) -> int:
    """Check the id and the facts given, ask for the rest in a terminal, write, say what next."""
    lang = args.lang
    session_id = check_session_id(args.session_id)
    meta = {k: getattr(args, k) for k in REPORT_KEYS if getattr(args, k)}
    if "tanggal" in meta:
        meta["tanggal"] = check_date(meta["tanggal"])
    elif date_from_id(session_id):
        meta["tanggal"] = date_from_id(session_id)
    folder = Path(args.data) / session_id
    existed = folder.is_dir()
    if sys.stdin.isatty() and any(not meta.get(k) for k in REPORT_KEYS):
        try:
            meta = ask_missing(meta, lang)
        except KeyboardInterrupt:
            print("\n" + say(lang, "Dibatalkan; tidak ada yang ditulis.", "Cancelled; nothing written."))
            return 1
    made = create_session(args.data, session_id, meta, overwrite=args.overwrite)
    print(_summary(made, existed, lang))
    print(_next_steps(session_id, Path(args.data), lang))
    return 0


def _summary(made, existed: bool, lang: str) -> str:
    """What was written, and which keys are left to fill in."""
    where = shown(made.folder)
    lines = [wrap(say(lang, f"Folder sesi {'sudah ada' if existed else 'dibuat'}: {where}",
                      f"Session folder {'exists' if existed else 'created'}: {where}"))]
    written = [k for k in REPORT_KEYS if made.meta.get(k)]
    lines.append(wrap(say(lang, "sesi.yaml ditulis", "sesi.yaml written") + ": " +
                      (", ".join(f"{k} = {made.meta[k]}" for k in written) or "id")))
    if made.missing:
        keys = ", ".join(made.missing)
        lines.append(wrap(say(lang, f"Belum diisi: {keys}. Isi di {shown(made.path)} sebelum membuat "
                                    "laporan (tanpa itu laporan tidak menyebut tanggal, tempat atau "
                                    "penyelenggara sesi).",
                              f"Not filled in yet: {keys}. Fill them in {shown(made.path)} before "
                              "the report (without them it names no date, venue or organiser).")))
    return "\n".join(lines)


def _next_steps(session_id: str, data: Path, lang: str) -> str:
    """The routine after ``init``: the files in, checked, reported."""
    d = shown(data)
    steps = [
        say(lang, f"Letakkan berkas jawaban pre-test dan post-test (ekspor Google Forms .csv atau "
                  f".csv.zip, Kobo, ODK Central, atau templat entri .xlsx) di {d}/{session_id}/, "
                  f"atau ambil dari server: evaltools pull {session_id} --data {d}",
            f"Put the pre-test and post-test response files (Google Forms .csv or .csv.zip, Kobo, "
            f"ODK Central exports, or the .xlsx entry template) in {d}/{session_id}/, or fetch "
            f"them from the server: evaltools pull {session_id} --data {d}"),
        say(lang, f"Periksa berkasnya: evaltools validate {d}/{session_id}",
            f"Check the files: evaltools validate {d}/{session_id}"),
        say(lang, f"Buat laporan: evaltools report --session {session_id} --data {d}",
            f"Make the report: evaltools report --session {session_id} --data {d}"),
    ]
    head = say(lang, "Langkah berikutnya:", "Next steps:")
    return "\n".join(["", head, *(wrap(s, f"  {k}. ") for k, s in enumerate(steps, start=1))])


def register(sub) -> None:
    """Add ``init`` to the parser."""
    default = shown(paths()["data"])
    i = sub.add_parser("init", help="buat folder sesi dan sesi.yaml / make a session folder and "
                                    "its sesi.yaml")
    i.add_argument("session_id", help="id sesi = nama folder, mis. samarinda-2024-11-22 (tanggal di "
                                      "akhir dipakai sebagai tanggal sesi) / session id = folder "
                                      "name; a date at its end is the session's date")
    i.add_argument("--data", default=paths()["data"],
                   help=f"folder berisi satu folder per sesi / folder of session folders "
                        f"(default {default})")
    for key in REPORT_KEYS:
        label_id, label_en, example = PROMPTS[key]
        i.add_argument(f"--{key}", default=None,
                       help=f"{label_id} / {label_en}, mis. / e.g. '{example}' (default: "
                            f"{'dari id sesi / from the id, else ' if key == 'tanggal' else ''}"
                            "ditanyakan di terminal / asked in a terminal)")
    i.add_argument("--lang", default="id", choices=["id", "en"],
                   help="bahasa / language (default id)")
    overwrite_option(i)
    i.set_defaults(func=_init)
