"""``evaltools report`` and ``evaltools recap``: the notebooks run by papermill
into a report folder, after every check that can refuse."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import fmt
from ..disk import check_space, folder_lock, fs_errors, temp_path
from ..errors import EvalToolsError
from ..export.recap import recap_names
from ..export.session import report_names
from ..instrument import load_instrument
from ..overwrite import SEND, check, claim, commit, report_size, take_over, write_text
from ..project import recap_folder
from ..read import find_sessions
from ..read.sessions import meta_warnings
from .common import defaults, notebook_options, say
from .kernel import (NOTEBOOK, RECAP_NOTEBOOK, RECAP_PRELOAD, KernelStopped, handoff_path, restart_kernel,
                     start_kernel, stop_kernel, take_early)
from .screen import wrap

README = ("Folder ini untuk evaluator, JANGAN dikirim ke pimpinan: laporan lengkap dapat menyebut nama "
          "peserta.\nThis folder is for the evaluator only: the full report may name participants. "
          "Do not send it.\n")


def _exporter():
    """nbconvert's HTML exporter, code and prompts hidden."""
    from nbconvert import HTMLExporter
    return HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)


def _html(running: Path, nb: Path, exporter=None) -> str:
    """The executed notebook as HTML, code and prompts hidden (``exporter``:
    one made already, see ``_warm_nbconvert``)."""
    import nbformat
    html, _ = (exporter or _exporter()).from_notebook_node(nbformat.read(running, as_version=4),
                                                           resources={"metadata": {"name": nb.stem}})
    return html


def _run_notebook(nb: Path, params: dict, out: Path, km=None) -> list:
    """Run a notebook with papermill; the exports it writes land in ``out``; the
    executed notebook and its HTML (code hidden) go to ``out/internal/``,
    because an evaluator's notebook may show names (data quality, matching).
    Both are written under temporary names and replace the old pair only when
    the notebook has run to its end: a failed run leaves the old report.
    ``params["overwrite"]`` also lets these replace files evaltools did not write.
    The kernel starts first (``kernel.start_kernel``; ``km``: started already,
    or the one ``cli.main`` started before anything else, ``kernel.take_early``;
    one that ends before it is ready is started again, once:
    ``kernel.restart_kernel``) and
    papermill saves the notebook once, at the end (a failed run saves it with
    its error, then is removed)."""
    internal = out / "internal"
    executed, page = internal / nb.name, internal / nb.with_suffix(".html").name
    handoff = handoff_path(out)
    with claim(internal, ["BACA-SAYA.txt", executed.name, page.name], overwrite=params["overwrite"],
               staged=True):
        km = km or take_early(nb, handoff) or start_kernel(nb, handoff)
        running = temp_path(executed)
        try:
            write_text(internal / "BACA-SAYA.txt", README)
            with fs_errors(running):
                try:
                    html = _execute(nb, running, params, km)
                except KernelStopped:  # before any cell ran: once more, in a new kernel
                    km = restart_kernel(km)
                    html = _execute(nb, running, params, km)
        except BaseException:
            running.unlink(missing_ok=True)
            take_over(handoff, keep=False)
            raise
        finally:
            stop_kernel(km)  # stopped already by _execute, unless it failed before or outside it
        commit(running, executed)
        write_text(page, html)
        take_over(handoff)  # the exports, then (as the claim ends) the notebook and its HTML
    return sorted(p for d in (out, out / SEND) if d.is_dir() for p in d.iterdir()
                  if p.is_file() and not p.name.startswith(".")) + [executed, page]


def _execute(nb: Path, running: Path, params: dict, km) -> str:
    """Run ``nb`` in the started kernel ``km`` into ``running``, stop the
    kernel, and return the executed notebook's HTML."""
    import papermill as pm  # lazy: papermill and nbconvert are slow to import
    # nbconvert loads and warms up while the kernel works (this process only waits for it)
    warmed: list = []
    loading = threading.Thread(target=_warm_nbconvert, args=(warmed,), daemon=True)
    loading.start()
    try:
        done = pm.execute_notebook(str(nb), str(running), cwd=str(nb.parent), parameters=params,
                                   progress_bar=False, kernel_name="python3", km=km,
                                   request_save_on_cell_execute=False)
        if join_streams(done):  # seldom: written again, before its HTML is made
            from papermill.iorw import write_ipynb
            write_ipynb(done, str(running))
    except BaseException:
        stop_kernel(km)
        raise
    loading.join()
    # the HTML is made while the kernel stops (jupyter_client waits for its end in steps of 0.1 s)
    with ThreadPoolExecutor(1) as pool:
        html = pool.submit(_html, running, nb, *warmed)
        stop_kernel(km)
        return html.result()


def join_streams(nb) -> bool:
    """Join each cell's stream outputs that follow each other with the same
    name (stdout after stdout), with nbconvert's own preprocessor; True where
    the notebook changed. A line printed in pieces (``print("-", kalimat)``
    writes "-" first) that the kernel flushed in between (every 0.2 s, sooner
    on a busy machine) arrives as two outputs: shown as two blocks in the
    HTML, and two runs would write different notebooks. Nothing moves: text
    printed after a chart stays after it (papermill's ``coalesce_streams``
    would gather a cell's text above its charts, and stderr after stdout); a
    progress bar redrawn with "\\r" keeps its last state.

    Example:
        >>> import nbformat
        >>> out = nbformat.v4.new_output
        >>> cell = nbformat.v4.new_code_cell(outputs=[out("stream", name="stdout", text="-"),
        ...     out("stream", name="stdout", text=" kalimat\\n"), out("display_data", {"text/plain": "x"}),
        ...     out("stream", name="stdout", text="lagi\\n")])
        >>> join_streams(nbformat.v4.new_notebook(cells=[cell])), [o.get("text") for o in cell.outputs]
        (True, ['- kalimat\\n', None, 'lagi\\n'])
    """
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor
    outputs = [o for cell in nb.cells for o in cell.get("outputs", [])]
    redrawn = any(o.get("output_type") == "stream" and "\r" in o["text"] for o in outputs)
    CoalesceStreamsPreprocessor().preprocess(nb, {})
    return redrawn or len(outputs) != sum(len(cell.get("outputs", [])) for cell in nb.cells)


def _warm_nbconvert(warmed: list) -> None:
    """Load nbconvert and convert a one-cell notebook with the exporter
    ``_html`` then uses (appended to ``warmed``), so that its template,
    Markdown and highlighting are ready before the real one (about 0.25 s).
    Only a head start: where it fails, ``_html`` makes its own exporter."""
    try:
        import nbformat
        exporter = _exporter()
        cells = [nbformat.v4.new_markdown_cell("**siap**"),
                 nbformat.v4.new_code_cell("1", outputs=[nbformat.v4.new_output(
                     "execute_result", {"text/plain": "1"}, execution_count=1)])]
        exporter.from_notebook_node(nbformat.v4.new_notebook(cells=cells), resources={"metadata": {"name": "x"}})
        warmed.append(exporter)
    except Exception:  # noqa: BLE001, S110 - the real conversion reports its own error
        pass


def _send_line(folder: Path, lang: str) -> str:
    """Which folder goes to the managers, in the user's language."""
    return f"  {say(lang, 'kirim ke pimpinan', 'send to managers')}: {folder / SEND}/"


def _full(p) -> str:
    # the notebooks run in notebooks/: the paths they receive are absolute (they print them
    # relative to the project folder)
    return str(Path(p).resolve())


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
            "session": session, "data_dir": _full(args.data), "instrument_path": _full(args.instrument),
            "out_dir": _full(args.out), "lang": args.lang, "overwrite": args.overwrite,
            "review": args.review}, folder)


def _cause(exc) -> str:
    """The first line of what went wrong (papermill reports the notebook's own error)."""
    cause = f"{getattr(exc, 'ename', type(exc).__name__)}: {getattr(exc, 'evalue', str(exc))}".strip()
    return cause.splitlines()[0] if cause else ""


def _failed(what: str, exc, lang: str) -> None:
    """Print the failure lines of ``what`` (:func:`_failure`)."""
    for line in _failure(what, exc, lang):
        print(line, flush=True)


def _failure(what: str, exc, lang: str) -> list:
    """The failure lines of ``what``: in Indonesian followed by the English line
    of an evaltools message, or (``lang="en"``) in English only."""
    english = [t[len("(en) "):] for t in str(getattr(exc, "evalue", exc)).splitlines()
               if t.startswith("(en) ")]
    if lang == "en":
        name = getattr(exc, "ename", type(exc).__name__)
        return [f"  FAILED: {what}: {name}: {english[0]}" if english else f"  FAILED: {what}: {_cause(exc)}"]
    return [f"  GAGAL (failed): {what}: {_cause(exc)}"] + ([f"  (en) {english[0]}"] if english else [])


def _folders(n: int) -> str:
    return f"{n} folder" + ("" if n == 1 else "s")


def _coverage(args, lang: str) -> None:
    """Say which folders the recap counts and which it leaves out, and why;
    refuse before the notebook runs when none is left."""
    from ..recap import recap  # lazy: evaluates every session
    rc = recap(args.data, args.instrument, review=args.review)
    cov = rc.coverage(lang)
    used, left = cov[cov["used"]], cov[~cov["used"]]
    kinds = {"session": say(lang, "sesi", "session"), "followup": say(lang, "tindak lanjut", "follow-up"),
             "": ""}
    unit = {"session": say(lang, "berpasangan", "matched"), "followup": say(lang, "responden", "respondents")}
    lines = [say(lang, f"  dipakai: {len(used)} folder", f"  used: {_folders(len(used))}")]
    lines += [f"    {r.session} ({kinds[r.kind]}, {r.n} {unit[r.kind]})"
              + (f": {r.reason}" if r.reason else "") for r in used.itertuples()]
    if len(left):
        lines.append(say(lang, f"  dilewati, tidak dihitung: {len(left)} folder",
                         f"  skipped, not counted: {_folders(len(left))}"))
    lines += [f"    {r.session}: {r.reason}" for r in left.itertuples()]
    print("\n".join(lines), flush=True)
    if not (used["kind"] == "session").any():
        raise EvalToolsError("tidak ada sesi yang dapat direkap", file=args.data,
                             fix=f"lihat alasan di atas; sesi contoh: --data {defaults()['sample']}",
                             problem_en="no session that can be recapped",
                             fix_en=f"see the reasons above; the samples: --data {defaults()['sample']}")


def _recap(args) -> int:
    _check_out(args)
    lang, start = args.lang, time.perf_counter()
    out, nb = recap_folder(args.out, args.data), Path(args.notebook)
    print(say(lang, f"Rekap sesi di {args.data} -> {out}/ ...",
              f"Recap of the sessions in {args.data} -> {out}/ ..."), flush=True)
    try:
        with folder_lock(out):
            _prepare(out, recap_names() + _internal_names(nb), args.overwrite)
            # it boots while this process evaluates (started by cli.main already, as a rule)
            handoff = handoff_path(out)
            km = take_early(nb, handoff, RECAP_PRELOAD) or start_kernel(nb, handoff, RECAP_PRELOAD)
            try:
                _coverage(args, lang)
            except BaseException:
                stop_kernel(km)
                raise
            paths = _run_notebook(nb, {
                "data_dir": _full(args.data), "instrument_path": _full(args.instrument),
                "out_dir": _full(out), "lang": args.lang, "overwrite": args.overwrite,
                "review": args.review}, out, km)
    except Exception as exc:
        _failed(say(lang, "rekap", "recap"), exc, lang)
        return 1
    charts = len({p.stem for p in paths if p.suffix == ".png"})
    took = fmt.num(time.perf_counter() - start, 1, lang)
    print(say(lang, f"  selesai dalam {took} s: {charts} grafik, rekap.xlsx -> {out}/ "
                    f"(laporan lengkap: {out / 'internal'}/)",
              f"  done in {took} s: {charts} charts, rekap.xlsx -> {out}/ "
              f"(full report: {out / 'internal'}/)"))
    print(_send_line(out, lang))
    return 0


def _check_inputs(args) -> None:
    """The instrument and the notebook, checked once before any session runs."""
    load_instrument(args.instrument)  # a broken instrument would fail every session, one by one
    if not Path(args.notebook).is_file():
        where = defaults()["notebooks"]
        raise EvalToolsError("notebook tidak ada", file=args.notebook,
                             fix=f"periksa --notebook, atau hapus pilihan itu (bawaan: notebook di {where})",
                             problem_en="no such notebook",
                             fix_en=f"check --notebook, or leave it out (default: the one in {where})")


def _check_out(args):
    """Exports never go into the data folder: the next read would take them for responses.
    Then the inputs every run needs (``_check_inputs``)."""
    out, data = Path(args.out).resolve(), Path(args.data).resolve()
    if out == data or data in out.parents:
        raise EvalToolsError("folder hasil ada di dalam folder data", file=args.out,
                             fix="pakai --out di luar folder data, mis. --out reports",
                             problem_en="the output folder is inside the data folder",
                             fix_en="use an --out outside the data folder, e.g. --out reports")
    _check_inputs(args)


def _sessions(args) -> list:
    """The sessions ``report`` runs, after the refusals that need no computing:
    --session or --all, a session that is a folder of --data, at least one session."""
    if args.all == bool(args.session):
        raise EvalToolsError("pilih satu: --session ID atau --all", fix="mis. --session "
                             "loa-janan-2024-11-22", problem_en="give either --session ID or --all",
                             fix_en="e.g. --session loa-janan-2024-11-22")
    found = find_sessions(args.data)
    # a session is a folder name in --data, nothing else: "../x" would write outside --out
    if args.session and args.session not in found:
        raise EvalToolsError(f"sesi {args.session!r} tidak ada di {args.data}", file=args.data,
                             fix=f"sesi yang ada: {', '.join(found) or '-'}",
                             problem_en=f"no session {args.session!r} in {args.data}",
                             fix_en=f"the sessions there: {', '.join(found) or '-'}")
    # a follow-up survey has no pre/post of its own: it belongs in the recap
    sessions = find_sessions(args.data, kind="session") if args.all else [args.session]
    if not sessions:
        sample = defaults()["sample"]
        raise EvalToolsError("tidak ada folder sesi", file=args.data,
                             fix=f"buat satu: <data>/<id-sesi>/ berisi berkas jawaban (evaltools init), "
                                 f"atau sesi contoh: --data {sample}",
                             problem_en="no session folder",
                             fix_en=f"make one: <data>/<session-id>/ with the response files (evaltools "
                                    f"init), or the samples: --data {sample}")
    return sessions


def _done_line(args, session: str, paths: list, took: float) -> str:
    folder, lang = Path(args.out) / session, args.lang
    charts, took = len({p.stem for p in paths if p.suffix == ".png"}), fmt.num(took, 1, lang)
    files = "ringkasan.xlsx, ringkasan.pdf, ringkasan.pptx"
    return say(lang, f"  selesai dalam {took} s: {charts} grafik, {files} -> {folder}/ "
                     f"(laporan lengkap: {folder / 'internal'}/)",
               f"  done in {took} s: {charts} charts, {files} -> {folder}/ "
               f"(full report: {folder / 'internal'}/)")


def _one_session(k: int, total: int, session: str, args, out) -> bool:
    """Report ``session`` (the ``k``-th of ``total``), giving each line it says
    to ``out``; True when it failed (one bad session must not stop the others)."""
    out(f"[{k}/{total}] {session} ...")
    for warning in meta_warnings(Path(args.data) / session, args.lang):  # sesi.yaml missing/incomplete
        out(wrap(warning, "  ! ", "    "))
    start = time.perf_counter()
    try:
        paths = _run_session(session, args)
    except Exception as exc:
        for line in _failure(session, exc, args.lang):
            out(line)
        return True
    out(_done_line(args, session, paths, time.perf_counter() - start))
    out(_send_line(Path(args.out) / session, args.lang))
    return False


# a --jobs worker process: whether it is reporting a session now, and whether Ctrl+C came
_JOB = {"running": False, "stopped": False}


def _job_process(parent: int) -> None:
    """A ``--jobs`` worker process, as it starts: it leaves with the command
    (``workers.watch_parent``); Ctrl+C (the terminal sends it to the worker
    processes too) stops the session it reports as it would stop the command
    itself, and the sessions queued after it do not start."""
    from ..export.workers import watch_parent
    watch_parent(parent)
    signal.signal(signal.SIGINT, _ctrl_c)


def _ctrl_c(signum, frame) -> None:
    _JOB["stopped"] = True
    if _JOB["running"]:  # an idle worker only waits for the command to end
        raise KeyboardInterrupt


def _session_job(k: int, total: int, session: str, args) -> tuple:
    """:func:`_one_session` in a worker process of ``--jobs``: (its lines, failed)."""
    lines: list = []
    if _JOB["stopped"]:
        return lines, True  # queued before Ctrl+C: not started
    try:
        _JOB["running"] = True
        return lines, _one_session(k, total, session, args, lines.append)
    except KeyboardInterrupt:  # stopped and cleaned up as in the command (kernel, temporary files)
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)  # the cell's "kernel died", on exit
        return lines, True
    finally:
        _JOB["running"] = False


def _in_parallel(sessions: list, args) -> list:
    """Each session in one of ``args.jobs`` processes; their lines printed in
    session order (each session's lines together, as soon as those before it
    are done); returns the failed sessions. Each session's export draws in
    its own workers (``export.workers``) while its notebook's cells run, and
    the system shares the cores among them all; only with more sessions at
    once than cores are there none (the kernels fill the cores), the figures
    then drawn in each kernel after its cells. Without workers at 2 sessions
    on 2 cores the 3 samples took 20.7-21.7 s, with them 18.5-19.5 s, one by
    one 22.2-23.9 s (alternating, 2 rounds)."""
    from concurrent.futures import ProcessPoolExecutor

    from ..export.workers import ENV
    shared, at_once = os.environ.get(ENV), min(args.jobs, len(sessions))
    if _no_workers(at_once):
        os.environ.setdefault(ENV, "1")
    failed = []
    try:
        # a session's process leaves when this one is killed alone (kill -9): its kernel then
        # follows it (ipykernel watches its parent), and so do the kernel's drawing workers
        with warnings.catch_warnings(), ProcessPoolExecutor(at_once, initializer=_job_process,
                                                            initargs=(os.getpid(),)) as pool:
            warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads
            futures = [pool.submit(_session_job, k, len(sessions), s, args)
                       for k, s in enumerate(sessions, start=1)]
            for k, (session, future) in enumerate(zip(sessions, futures), start=1):
                try:
                    lines, bad = future.result()
                except Exception as exc:  # the worker itself died
                    lines, bad = [f"[{k}/{len(sessions)}] {session} ..."] + _failure(session, exc, args.lang), True
                print("\n".join(lines), flush=True)
                failed += [session] if bad else []
    finally:
        if shared is None:
            os.environ.pop(ENV, None)
    return failed


def _no_workers(at_once: int) -> bool:
    """Whether sessions reported ``at_once`` draw their figures without
    workers: when they are more than the cores (their kernels fill them).

    Example:
        >>> from ..export.workers import cores
        >>> _no_workers(1), _no_workers(cores() + 1)
        (False, True)
    """
    from ..export.workers import cores
    return at_once > cores()


def _report(args) -> int:
    _check_out(args)
    sessions, lang = _sessions(args), args.lang
    if args.jobs > 1 and len(sessions) > 1:
        failed = _in_parallel(sessions, args)
    else:
        failed = [s for k, s in enumerate(sessions, start=1)
                  if _one_session(k, len(sessions), s, args, lambda line: print(line, flush=True))]
    done, total = len(sessions) - len(failed), len(sessions)
    print(say(lang, f"{done} dari {total} sesi selesai", f"{done} of {total} sessions done")
          + (f"; {say(lang, 'gagal', 'failed')}: {', '.join(failed)}" if failed else "."))
    return 1 if failed else 0


def _jobs(text: str) -> int:
    """``--jobs``: a whole number of at least 1."""
    import argparse
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"bukan bilangan bulat >= 1 / not a whole number >= 1: {text!r}")
    return n


def register(sub) -> None:
    """Add ``report`` and ``recap`` to the parser."""
    r = sub.add_parser(
        "report", help="laporan sesi / report sessions",
        description="Laporan satu sesi atau semua sesi di --data: notebook 01_laporan_sesi dijalankan, "
                    "hasil ke <out>/<sesi>/ (kirim/ untuk pimpinan, internal/ untuk evaluator).\n"
                    "Report one session or every session in --data: the notebook 01_laporan_sesi "
                    "runs; output in <out>/<session>/ (kirim/ for managers, internal/ for you).")
    r.add_argument("--session", default=None,
                   help="id sesi = nama foldernya di --data / session id, its folder's name in --data")
    r.add_argument("--all", action="store_true",
                   help="semua sesi di --data (survei tindak lanjut ke rekap) / every session in --data "
                        "(follow-up surveys go to the recap)")
    r.add_argument("--jobs", type=_jobs, default=1, metavar="N",
                   help="dengan --all: jumlah sesi yang dikerjakan bersamaan, tiap sesi di prosesnya "
                        "sendiri (hasil sama seperti satu per satu) / with --all: how many sessions run "
                        "at once, each in a process of its own (the same output as one at a time)")
    notebook_options(r, NOTEBOOK, "folder hasil; laporan ke <out>/<sesi>/ / output folder; "
                                  "a report goes to <out>/<session>/")
    r.set_defaults(func=_report)
    c = sub.add_parser(
        "recap", help="rekap semua sesi per OPD / recap every session by OPD",
        description="Rekap semua sesi di --data (notebook 02_rekap_opd): menyebut sesi yang dipakai dan "
                    "yang dilewati beserta alasannya; hasil ke <out>/rekap-<nama folder data>/.\n"
                    "Recap every session in --data (notebook 02_rekap_opd): says which sessions it "
                    "used and which it skipped, and why; output in <out>/rekap-<data folder name>/.")
    notebook_options(c, RECAP_NOTEBOOK, "folder hasil; rekap ke <out>/rekap-<nama folder data>/ / "
                                        "output folder; the recap goes to <out>/rekap-<data folder name>/")
    c.set_defaults(func=_recap)
