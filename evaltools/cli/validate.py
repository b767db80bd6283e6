"""``evaltools validate``: read, score and pair a session's files and say,
for the evaluator who has to act, what was read and what needs attention,
without any analysis.

The screen, every line at most 100 columns (``screen.WIDTH``):

1. the totals, and the warnings about ``sesi.yaml`` (``read.sessions.meta_warnings``);
2. the files in pre, post, follow-up order, numbered ``[1]``, ``[2]`` (the
   numbers stand for the long export names everywhere below): wave
   detected, format, rows read/kept/excluded, session; then each full name
   once, wrapped, with its notes and provenance;
3. "Perlu perhatian" (``attention``): duplicates, NIPs damaged by Excel
   (one line per file with the advice), other rows to check, OPDs not in
   the registry with their candidates and the ``koreksi.csv`` lines,
   participants without a partner;
4. the pairing in one line, and the routine repairs as counts per reason;
   ``--semua`` lists every row behind them.
"""

from __future__ import annotations

import re

import pandas as pd

from ..instrument import load_instrument
from ..pages import page_policy
from ..pair import pair
from ..project import paths
from ..read import read_responses
from ..read.corrections import session_folder
from ..read.sessions import meta_warnings
from ..read.values import ORDER_WORDS
from ..score import score
from .attention import attention, pairing, routine
from .common import review_option, say
from .screen import WIDTH, shown, wrap

WAVES = ("pre", "post", "followup")  # the order files are listed in
FORMATS = {"google": ("Google Forms", "Google Forms"), "kobo": ("Kobo", "Kobo"),
           "central": ("ODK Central", "ODK Central"), "briefcase": ("ODK Briefcase", "ODK Briefcase"),
           "template": ("templat entri", "entry template"), "sheet": ("lembar kerja", "spreadsheet")}
SHOWN_COLUMNS = 12  # ignored columns named per file without --semua
# an ignored column whose title looks like an identifier or the OPD: its title was probably not recognised
IDENTITY = re.compile(r"nip|nama|name|kode|code|opd|instansi|unit|dinas|kantor", re.IGNORECASE)


def _validate(args) -> int:
    """Read, score and pair, then print the files, what needs attention and the routine repairs."""
    lang = args.lang
    source = args.files if len(args.files) > 1 else args.files[0]
    inst = load_instrument(args.instrument)
    with page_policy():  # one block: memory kept from the read for scoring and pairing
        r = read_responses(source, inst, wave=args.wave, session=args.session,
                           registry=args.registry, review=args.review)
        p = pair(score(r, inst))
    files = file_table(r)
    num = dict(zip(files["source"], files["no"]))
    folder = session_folder(source)
    read_as = set(r.data["session"].astype(str)) if "session" in r.data.columns else set()
    session = folder is not None and (folder.name in read_as or not read_as)  # a session's folder
    print(wrap(say(lang, f"Berkas: {len(files)}; baris dibaca {r.n_input_rows}, dipakai {len(r.data)}, "
                         f"dikeluarkan {r.n_excluded}",
                   f"Files: {len(files)}; rows read {r.n_input_rows}, kept {len(r.data)}, "
                   f"excluded {r.n_excluded}")))
    for warning in meta_warnings(folder, lang) if session else []:
        print(wrap(warning, "! "))
    print()
    print(files_section(files, lang, every=args.every))
    print()
    print(attention(r, p, num, folder, lang, every=args.every))
    print()
    print(pairing(r, p, num, lang, every=args.every))
    print()
    print(routine(r.ledger, num, lang, every=args.every))
    if session and read_as == {folder.name}:
        data = shown(folder.parent)
        print("\n" + wrap(say(lang, f"Bila sudah beres: evaltools report --session {folder.name} "
                                    f"--data {data}",
                              f"When all is well: evaltools report --session {folder.name} "
                              f"--data {data}")))
    return 0


def file_table(r) -> pd.DataFrame:
    """One row per file of ``r.sources``, in pre, post, follow-up order (a file
    of no wave last), with ``no`` ("[1]"), ``wave`` and ``session`` as read
    from its kept rows ("pre+post" when it holds both; "-" when none).

    Example:
        >>> from evaltools.instrument import load_instrument
        >>> from evaltools.read import read_responses
        >>> r = read_responses("data/sample/loa-janan-2024-11-22",
        ...                    load_instrument("survey/netralitas-asn-pilkada-2024.yaml"))
        >>> file_table(r)[["no", "wave", "format"]].values.tolist()
        [['[1]', 'pre', 'kobo'], ['[2]', 'post', 'template']]
    """
    data = r.data
    waves, sessions = {}, {}
    if len(data) and "source" in data.columns:
        for src, group in data.groupby("source", sort=False):
            found = set(group["wave"].astype(str)) if "wave" in group.columns else set()
            waves[src] = sorted(found, key=lambda w: (WAVES.index(w) if w in WAVES else 9, w))
            sessions[src] = sorted(set(group["session"].astype(str))) if "session" in group else []
    t = r.sources.copy()
    t["wave"] = [("+".join(waves.get(s, [])) or "-") for s in t["source"]]
    t["session"] = [(", ".join(sessions.get(s, [])) or "-") for s in t["source"]]
    rank = [min((WAVES.index(w) for w in waves.get(s, []) if w in WAVES), default=len(WAVES))
            for s in t["source"]]
    t = t.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank")
    t = t.reset_index(drop=True)
    t["no"] = [f"[{k}]" for k in range(1, len(t) + 1)]
    return t


def files_section(files: pd.DataFrame, lang: str, every: bool = False) -> str:
    """The files as a table (number, wave, format, rows, session), then each
    file's full name once, wrapped, with its notes."""
    heads = [say(lang, "no", "no"), say(lang, "gelombang", "wave"), "format",
             say(lang, "baris", "rows"), say(lang, "dipakai", "kept"),
             say(lang, "dikeluarkan", "excluded"), say(lang, "sesi", "session")]
    rows = [[no, wave, FORMATS.get(f, (f, f))[lang == "en"] or "-", str(n), str(k), str(x), s]
            for no, wave, f, n, k, x, s in zip(files["no"], files["wave"], files["format"], files["rows"],
                                                 files["kept"], files["excluded"], files["session"])]
    widths = [max(len(str(c)) for c in col) for col in zip(heads, *rows)]
    fits = sum(widths) + 2 * len(widths) + 2 <= WIDTH  # else the session goes under the name
    keep = len(heads) if fits else len(heads) - 1

    def line(cells):
        out = []
        for k, (c, w) in enumerate(zip(cells[:keep], widths)):
            out.append(str(c).rjust(w) if 3 <= k <= 5 else str(c).ljust(w))
        return ("  " + "  ".join(out)).rstrip()
    lines = [say(lang, "Berkas, urut pre, post, tindak lanjut (gelombang terbaca dari nama berkas "
                       "atau isinya):",
                 "Files, in pre, post, follow-up order (wave as read from the file name or its "
                 "contents):"), line(heads), *(line(c) for c in rows), ""]
    suspects = []
    for row in files.itertuples(index=False):
        lines.append(wrap(row.source, f"  {row.no} "))
        for note in file_notes(row, lang, every=every, session=not fits):
            lines.append(wrap(note, " " * (len(row.no) + 3)))
        suspects += [c.strip() for c in row.ignored_columns.split(",") if IDENTITY.search(c)]
    if suspects:
        cols = ", ".join(f"'{c}'" for c in dict.fromkeys(suspects))
        lines.append(wrap(say(lang, f"Kolom {cols} tidak dipakai: bila itu kolom NIP, nama, kode "
                                    "peserta atau OPD, judulnya tidak dikenali; ubah judulnya "
                                    "(docs/formats.md) lalu jalankan validate lagi.",
                              f"Column {cols} not used: if it is the NIP, name, participant code "
                              "or OPD column, its title was not recognised; rename it "
                              "(docs/formats.md) and run validate again."), "  "))
    return "\n".join(lines)


def file_notes(row, lang: str, every: bool = False, session: bool = False) -> list:
    """The notes under one file's name: skipped, date order, group separator,
    the reader's notes, the columns not used, and where ``evaltools pull``
    fetched it from (``sources``' columns server, form, pulled_at, submissions)."""
    notes = []
    if session:
        notes.append(say(lang, f"sesi: {row.session}", f"session: {row.session}"))
    if row.skipped:
        notes.append(say(lang, f"dilewati, tidak dibuka: {row.skipped}",
                         f"skipped, not opened: {row.skipped}"))
    said = []
    if row.date_order:
        words, words_en = ORDER_WORDS.get(row.date_order, (row.date_order, row.date_order))
        said.append(say(lang, f"tanggal dibaca {words}", f"dates read {words_en}"))
    if row.group_sep:
        said.append(say(lang, f"pemisah grup '{row.group_sep}'", f"group separator '{row.group_sep}'"))
    if row.notes:
        said.append(say(lang, row.notes, getattr(row, "notes_en", "") or row.notes))
    if said:
        notes.append("; ".join(said))
    if row.ignored_columns:
        cols = [c.strip() for c in row.ignored_columns.split(",")]
        more = len(cols) - SHOWN_COLUMNS if not every and len(cols) > SHOWN_COLUMNS else 0
        text = ", ".join(cols[:len(cols) - more]) + (
            say(lang, f" dan {more} lainnya (--semua)", f" and {more} more (--all)") if more else "")
        notes.append(say(lang, "kolom tidak dipakai: ", "columns not used: ") + text)
    if getattr(row, "server", ""):  # fetched by evaltools pull: from where, when, how many
        at = row.pulled_at[:16].replace("T", " ") + (" UTC" if row.pulled_at.endswith("+00:00") else "")
        notes.append(say(lang, f"diambil dari server: {row.form}, {row.submissions} kiriman, "
                               f"{row.server}, {at}",
                         f"pulled from the server: {row.form}, {row.submissions} submissions, "
                         f"{row.server}, {at}"))
    return notes


def register(sub) -> None:
    """Add ``validate`` to the parser."""
    v = sub.add_parser("validate", help="periksa berkas tanpa analisis / check files, no analysis")
    v.add_argument("files", nargs="+", help="berkas ekspor atau folder sesi / export files or a "
                                            "session folder")
    v.add_argument("--instrument", default=paths()["instrument"],
                   help=f"berkas instrumen / instrument file (default {shown(paths()['instrument'])})")
    v.add_argument("--wave", default=None, choices=list(WAVES),
                   help="gelombang semua berkas bila tidak terbaca dari nama atau isinya / the "
                        "wave of every file when its name or contents do not say (default: dibaca "
                        "/ read from the files)")
    v.add_argument("--session", default=None,
                   help="id sesi bila tidak terbaca dari isi atau nama berkas / session id when "
                        "the files' contents or names do not say (default: dibaca / read from the "
                        "files)")
    v.add_argument("--registry", default=None,
                   help=f"daftar OPD / OPD registry (default {shown(paths()['registry'])})")
    v.add_argument("--semua", "--all", dest="every", action="store_true",
                   help="tampilkan tiap baris, juga perbaikan rutin / show every line, routine "
                        "repairs too (default: rutin dihitung saja / routine ones counted)")
    v.add_argument("--lang", default="id", choices=["id", "en"],
                   help="bahasa / language (default id)")
    review_option(v)
    v.set_defaults(func=_validate)
