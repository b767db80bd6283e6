"""``evaltools report`` and ``evaltools recap``: the notebooks run by papermill
into a report folder, after every check that can refuse."""

from __future__ import annotations

import os
import time
from pathlib import Path

from .. import fmt
from ..disk import check_space, folder_lock, fs_errors, temp_path
from ..errors import EvalToolsError
from ..export.recap import recap_names
from ..export.session import report_names
from ..overwrite import HANDOFF, SEND, check, claim, commit, report_size, take_over, write_text
from ..read import find_sessions
from ..read.sessions import meta_warnings
from .common import notebook_options
from .screen import wrap

NOTEBOOK = "notebooks/01_laporan_sesi.ipynb"
RECAP_NOTEBOOK = "notebooks/02_rekap_opd.ipynb"
README = ("Folder ini untuk evaluator, JANGAN dikirim ke pimpinan: laporan lengkap dapat menyebut nama "
          "peserta.\nThis folder is for the evaluator only: the full report may name participants. "
          "Do not send it.\n")


def _run_notebook(nb: Path, params: dict, out: Path) -> list:
    """Run a notebook with papermill; the exports it writes land in ``out``; the
    executed notebook and its HTML (code hidden) go to ``out/internal/``,
    because an evaluator's notebook may show names (data quality, matching).
    Both are written under temporary names and replace the old pair only when
    the notebook has run to its end: a failed run leaves the old report.
    ``params["overwrite"]`` also lets these replace files evaltools did not write."""
    import nbformat
    import papermill as pm  # lazy: papermill and nbconvert are slow to import
    from nbconvert import HTMLExporter
    internal = out / "internal"
    executed, page = internal / nb.name, internal / nb.with_suffix(".html").name
    handoff = temp_path(out / "handoff.json")  # the exports' files, renamed with the notebook's
    with claim(internal, ["BACA-SAYA.txt", executed.name, page.name], overwrite=params["overwrite"],
               staged=True):
        write_text(internal / "BACA-SAYA.txt", README)
        running = temp_path(executed)
        os.environ[HANDOFF] = str(handoff)  # the kernel inherits it
        try:
            with fs_errors(running):
                # the kernel's log level keeps its transport warning off the evaluator's screen
                pm.execute_notebook(str(nb), str(running), cwd=str(nb.parent), parameters=params,
                                    progress_bar=False, kernel_name="python3",
                                    extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
                html, _ = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                                       exclude_output_prompt=True).from_notebook_node(
                    nbformat.read(running, as_version=4), resources={"metadata": {"name": nb.stem}})
        except BaseException:
            running.unlink(missing_ok=True)
            take_over(handoff, keep=False)
            raise
        finally:
            os.environ.pop(HANDOFF, None)
        commit(running, executed)
        write_text(page, html)
        take_over(handoff)  # the exports, then (as the claim ends) the notebook and its HTML
    return sorted(p for d in (out, out / SEND) if d.is_dir() for p in d.iterdir()
                  if p.is_file() and not p.name.startswith(".")) + [executed, page]


def _send_line(folder: Path, lang: str) -> str:
    """Which folder goes to the managers, in the user's language."""
    label = "send to managers" if lang == "en" else "kirim ke pimpinan"
    return f"  {label}: {folder / SEND}/"


def _rel(p) -> str:
    # the notebooks run in notebooks/, so paths they receive are relative to there
    return str(p) if Path(p).is_absolute() else str(Path("..") / Path(p))


def _internal_names(nb: Path) -> list:
    """What ``_run_notebook`` writes in ``internal/``."""
    return [f"internal/{n}" for n in ("BACA-SAYA.txt", nb.name, nb.with_suffix(".html").name)]


def _prepare(folder: Path, names: list, overwrite: bool) -> None:
    """Every check that can refuse, before anything is computed or written:
    the targets (``overwrite.check``) and the free space, estimated by the
    previous report's size in ``folder`` (none yet: not estimated)."""
    check(folder, names, overwrite=overwrite)
    check_space(folder, report_size(folder))


def _run_session(session: str, args) -> list:
    folder, nb = Path(args.out) / session, Path(args.notebook)
    with folder_lock(folder):  # one run at a time in a report folder
        _prepare(folder, report_names() + _internal_names(nb), args.overwrite)
        return _run_notebook(nb, {
            "session": session, "data_dir": _rel(args.data), "instrument_path": _rel(args.instrument),
            "out_dir": _rel(args.out), "lang": args.lang, "overwrite": args.overwrite,
            "review": args.review}, folder)


def _cause(exc) -> str:
    """The first line of what went wrong (papermill reports the notebook's own error)."""
    cause = f"{getattr(exc, 'ename', type(exc).__name__)}: {getattr(exc, 'evalue', str(exc))}".strip()
    return cause.splitlines()[0] if cause else ""


def _failed(what: str, exc) -> None:
    """The failure line of ``what``, and the English line of an evaltools message."""
    print(f"  GAGAL (failed): {what}: {_cause(exc)}", flush=True)
    english = [t for t in str(getattr(exc, "evalue", exc)).splitlines() if t.startswith("(en) ")]
    if english:
        print(f"  {english[0]}", flush=True)


def _recap(args) -> int:
    _check_out(args)
    start = time.perf_counter()
    print(f"Rekap semua sesi di {args.data} ...", flush=True)
    out, nb = Path(args.out) / "rekap", Path(args.notebook)
    try:
        with folder_lock(out):
            _prepare(out, recap_names() + _internal_names(nb), args.overwrite)
            paths = _run_notebook(nb, {
                "data_dir": _rel(args.data), "instrument_path": _rel(args.instrument),
                "out_dir": _rel(out), "lang": args.lang, "overwrite": args.overwrite,
                "review": args.review}, out)
    except Exception as exc:
        _failed("rekap", exc)
        return 1
    print(f"  selesai dalam {fmt.num(time.perf_counter() - start, 1)} s: "
          f"{len({p.stem for p in paths if p.suffix == '.png'})} grafik, rekap.xlsx -> {out}/ "
          f"(laporan lengkap: {out / 'internal'}/)")
    print(_send_line(out, args.lang))
    return 0


def _check_out(args):
    """Exports never go into the data folder: the next read would take them for responses."""
    out, data = Path(args.out).resolve(), Path(args.data).resolve()
    if out == data or data in out.parents:
        raise EvalToolsError("folder hasil ada di dalam folder data", file=args.out,
                             fix="pakai --out di luar folder data, mis. --out reports",
                             problem_en="the output folder is inside the data folder",
                             fix_en="use an --out outside the data folder, e.g. --out reports")


def _report(args) -> int:
    _check_out(args)
    if args.all == bool(args.session):
        raise EvalToolsError("pilih satu: --session ID atau --all", fix="mis. --session "
                             "loa-janan-2024-11-22", problem_en="give either --session ID or --all",
                             fix_en="e.g. --session loa-janan-2024-11-22")
    # a follow-up survey has no pre/post of its own: it belongs in the recap
    sessions = find_sessions(args.data, kind="session") if args.all else [args.session]
    # a session is a folder name in --data, nothing else: "../x" would write outside --out
    if args.session and args.session not in find_sessions(args.data):
        raise EvalToolsError(f"sesi {args.session!r} tidak ada di {args.data}", file=args.data,
                             fix=f"sesi yang ada: {', '.join(find_sessions(args.data)) or '-'}",
                             problem_en=f"no session {args.session!r} in {args.data}",
                             fix_en="see the folder names above")
    failed = []
    for k, session in enumerate(sessions, start=1):
        print(f"[{k}/{len(sessions)}] {session} ...", flush=True)
        for warning in meta_warnings(Path(args.data) / session, args.lang):  # sesi.yaml missing/incomplete
            print(wrap(warning, "  ! ", "    "), flush=True)
        start = time.perf_counter()
        try:
            paths = _run_session(session, args)
        except Exception as exc:  # one bad session must not stop the others
            _failed(session, exc)
            failed.append(session)
            continue
        n_charts = len({p.stem for p in paths if p.suffix == ".png"})
        print(f"  selesai dalam {fmt.num(time.perf_counter() - start, 1)} s: {n_charts} grafik, "
              f"ringkasan.xlsx, ringkasan.pdf, ringkasan.pptx -> {Path(args.out) / session}/ "
              f"(laporan lengkap: {Path(args.out) / session / 'internal'}/)", flush=True)
        print(_send_line(Path(args.out) / session, args.lang), flush=True)
    print(f"{len(sessions) - len(failed)} dari {len(sessions)} sesi selesai"
          + (f"; gagal: {', '.join(failed)}" if failed else "."))
    return 1 if failed else 0


def register(sub) -> None:
    """Add ``report`` and ``recap`` to the parser."""
    r = sub.add_parser("report", help="laporan sesi / report sessions")
    r.add_argument("--session", default=None, help="id sesi, nama folder di --data / session id")
    r.add_argument("--all", action="store_true", help="semua sesi di --data / every session")
    notebook_options(r, NOTEBOOK, "folder hasil (default reports/) / output folder")
    r.set_defaults(func=_report)
    c = sub.add_parser("recap", help="rekap semua sesi per OPD / recap every session by OPD")
    notebook_options(c, RECAP_NOTEBOOK, "hasil ke <out>/rekap/ / output in <out>/rekap/")
    c.set_defaults(func=_recap)
