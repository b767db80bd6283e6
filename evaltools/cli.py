"""Command line: ``evaltools report``, ``recap``, ``validate``, ``forms`` and ``simulate``.

Example:
    $ evaltools report --session loa-janan-2024-11-22
    $ evaltools report --all
    $ evaltools report --all --timpa   # also replace files evaltools did not write
    $ evaltools recap
    $ evaltools validate data/sample/loa-janan-2024-11-22 --instrument survey/netralitas-asn-pilkada-2024.yaml
    $ evaltools forms survey/netralitas-asn-pilkada-2024.yaml --out survey/forms
    $ evaltools simulate --out data/sample
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from . import fmt
from .errors import EvalToolsError
from .export.recap import recap_names
from .export.session import report_names
from .forms import write_forms
from .instrument import load_instrument
from .disk import check_space, folder_lock, fs_errors, temp_path
from .overwrite import SEND, check, claim, commit, report_size, write_text
from .pair import pair
from .read import find_sessions, read_responses
from .read.corrections import CORRECTIONS_FILE, session_folder
from .read.options import REVIEW
from .read.values import ORDER_WORDS
from .score import score
from .simulate import write_sample

DEFAULT_INSTRUMENT = "survey/netralitas-asn-pilkada-2024.yaml"
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
    with claim(internal, ["BACA-SAYA.txt", executed.name, page.name], overwrite=params["overwrite"],
               staged=True):
        write_text(internal / "BACA-SAYA.txt", README)
        running = temp_path(executed)
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
            raise
        commit(running, executed)
        write_text(page, html)
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


def _simulate(args) -> int:
    inst = load_instrument(args.instrument)
    with folder_lock(args.out):
        paths = write_sample(args.out, inst, overwrite=args.overwrite)
    for p in paths:
        print(p)
    return 0


def _forms(args) -> int:
    inst = load_instrument(args.instrument)
    with folder_lock(args.out):
        paths = write_forms(inst, args.out, session=args.session, registry=args.registry,
                            overwrite=args.overwrite)
    print(f"{len(paths)} formulir ditulis ke {args.out}/:")
    for p in paths:
        print(f"  {p}")
    return 0


def _table(df, columns) -> str:
    if df.empty:
        return "  (tidak ada / none)"
    with pd.option_context("display.max_rows", None, "display.max_columns", None,
                           "display.width", 200, "display.max_colwidth", 70):
        return df[columns].to_string(index=False)


def _validate(args) -> int:
    """Read, score and pair, then print the row accounting and the match audit."""
    inst = load_instrument(args.instrument)
    r = read_responses(args.files if len(args.files) > 1 else args.files[0], inst, wave=args.wave,
                       session=args.session, registry=args.registry, review=args.review)
    p = pair(score(r, inst))
    # files are numbered so that long export names do not widen every line
    num = {s: f"[{k}]" for k, s in enumerate(r.sources["source"], start=1)}
    print(f"Berkas (files): {len(r.sources)}; baris dibaca {r.n_input_rows}, dipakai {len(r.data)}, "
          f"dikeluarkan {r.n_excluded}")
    print(_table(r.sources.assign(berkas=r.sources["source"].map(num),
                                  tanggal=r.sources["date_order"].map(_date_order_words)),
                 ["berkas", "format", "rows", "kept", "excluded", "tanggal", "source"]))
    for s, why in zip(r.sources["source"], r.sources["skipped"]):
        if why:  # a folder or named pipe named like a data file: listed, never opened
            print(f"  {num[s]} dilewati, tidak dibuka (skipped, not opened): {why}")
    _print_assumed_dates(r.ledger, num)
    _print_file_notes(r.sources, num)
    ign = r.sources[r.sources["ignored_columns"] != ""]
    if len(ign):
        # a NIP or OPD column with an unknown title lands here: map it with columns=
        print("\nKolom yang tidak dipakai (ignored columns; petakan dengan columns= bila perlu):")
        for s, cols in zip(ign["source"], ign["ignored_columns"]):
            print(f"  {num[s]} {cols[:300]}{' ...' if len(cols) > 300 else ''}")
    led = r.ledger.assign(source=r.ledger["source"].map(num))
    print("\nCatatan baris per alasan (ledger by reason):")
    print(_table(r.ledger_counts(), ["action", "reason", "n"]))
    print("\nCatatan baris (ledger):")
    print(_table(led, ["source", "row", "column", "reason", "action", "detail"]))
    a = p.audit.copy()
    for c in ("row_pre", "row_post"):
        a[c] = a[c].map(lambda v: num.get(v.rsplit(":", 1)[0], "") + v.rsplit(":", 1)[-1] if v else "")
    counts = a.assign(match_by=a["match_by"].replace("", "-")).groupby(
        ["status", "match_by"], sort=True).size().rename("n").reset_index()
    print(f"\nPencocokan pre-post (matching): {len(p.matched)} berpasangan")
    print(_table(counts, ["status", "match_by", "n"]))
    weak = a[(a["status"] != "matched") | ~a["match_by"].isin(["nip"])]
    print("\nPerlu diperiksa: cocok selain NIP, ambigu, tanpa pasangan (to check):")
    weak = weak.assign(score=weak["score"].map(lambda v: "" if v != v else fmt.num(v, 0)))
    print(_table(weak, ["status", "match_by", "score", "nama_pre", "nama_post",
                                              "opd", "row_pre", "row_post", "detail"]))
    _print_unresolved(r.unresolved_opds, session_folder(
        args.files if len(args.files) > 1 else args.files[0]))
    return 0


def _print_file_notes(sources, num: dict) -> None:
    """What was found in each file's headers: the group separator of Kobo or
    ODK paths and what was done with select_multiple columns."""
    lines = []
    for s, sep, notes in zip(sources["source"], sources["group_sep"], sources["notes"]):
        said = ([f"pemisah grup '{sep}' (group separator)"] if sep else []) + ([notes] if notes else [])
        if said:
            lines.append(f"  {num[s]} {'; '.join(said)}")
    if lines:
        print("\nCatatan berkas (file notes):")
        print("\n".join(lines))


def _date_order_words(order: str) -> str:
    """A file's date order in words, Indonesian then English: "hari/bulan/tahun (day/month/year)"."""
    words, words_en = ORDER_WORDS.get(order, (order, order))
    return f"{words} ({words_en})" if words != words_en else words


def _print_assumed_dates(ledger: pd.DataFrame, num: dict) -> None:
    """The files whose dates read both ways (11/5/2024): the order chosen and why."""
    assumed = ledger[ledger["reason"] == "date_order_assumed"].drop_duplicates("source")
    if assumed.empty:
        return
    print("\nUrutan tanggal dipilih, bukan terbaca dari isinya (date order chosen, not read from the "
          "values; 'tanggal' above):")
    for source, text in zip(assumed["source"], assumed["detail"]):
        print(f"  {num[source]} {text}")


def _print_unresolved(unresolved: pd.DataFrame, folder) -> None:
    """The OPD names that are no registry OPD, their candidates, and the
    ``koreksi.csv`` lines that would resolve them for this session."""
    print("\nOPD yang tidak ada di daftar OPD (not in the registry; tidak dihitung per OPD):")
    if unresolved.empty:
        print("  (tidak ada / none)")
        return
    print(_table(unresolved.rename(columns={"written": "tertulis", "candidates": "calon (candidates)"}),
                 ["tertulis", "n", "calon (candidates)"]))
    path = Path(folder or ".") / CORRECTIONS_FILE
    print(f"\nPerbaiki untuk sesi ini, tanpa mengubah data/opd.csv: tulis di {path} (baris pertama "
          "'tertulis,opd'; kolom opd = nama, singkatan atau alias di data/opd.csv; periksa calonnya "
          "dulu), lalu jalankan validate lagi. Atau koreksi_opd: di sesi.yaml. Lihat docs/opd.md.\n"
          f"Fix for this session without editing data/opd.csv: write {path} as below (check each "
          "candidate first), then run validate again.")
    print("  tertulis,opd")
    for line in unresolved["koreksi"]:
        print(f"  {line}")


def _notebook_options(p, notebook: str, out_help: str):
    p.add_argument("--data", default="data/sample",
                   help="folder berisi satu folder per sesi / folder of session folders")
    p.add_argument("--out", default="reports", help=out_help)
    p.add_argument("--instrument", default=DEFAULT_INSTRUMENT, help="berkas instrumen / instrument")
    p.add_argument("--notebook", default=notebook)
    p.add_argument("--lang", default="id", choices=["id", "en"], help="bahasa / language")
    _overwrite_option(p)
    _review_option(p)


def _review_option(p):
    p.add_argument("--review", default="exclude", choices=list(REVIEW),
                   help="status periksa Kobo/ODK Central: exclude = kiriman ditolak (Not Approved, "
                        "rejected) dikeluarkan, ditahan (On Hold, hasIssues) ditandai; flag = "
                        "keduanya dipakai dan ditandai; ignore = diabaikan / review status: exclude "
                        "rejected submissions, flag them, or ignore the status (default exclude)")


def _overwrite_option(p):
    p.add_argument("--timpa", "--overwrite", dest="overwrite", action="store_true",
                   help="timpa juga berkas hasil yang tidak ditulis evaltools atau sudah diubah / "
                        "also replace output files evaltools did not write or that were changed")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="evaltools", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Evaluasi sosialisasi netralitas ASN (pre-test/post-test).\n"
                    "Evaluate ASN neutrality sessions (pre-test/post-test).",
        epilog="Rutin evaluator / the evaluator's routine:\n"
               "  evaltools validate data/<sesi>                 periksa berkas / check the files\n"
               "  evaltools report --session <sesi> --data data  laporan satu sesi / one session\n"
               "  evaltools report --all --data data             semua sesi / every session\n"
               "  evaltools recap --data data                    rekap per OPD / recap by OPD\n"
               "Kirim ke pimpinan hanya reports/<sesi>/kirim/; sisanya untuk evaluator / "
               "send managers only reports/<session>/kirim/; the rest stays with you.\n"
               "Bantuan tiap perintah / help on a command: evaltools <perintah> --help")
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("report", help="laporan sesi / report sessions")
    r.add_argument("--session", default=None, help="id sesi, nama folder di --data / session id")
    r.add_argument("--all", action="store_true", help="semua sesi di --data / every session")
    _notebook_options(r, NOTEBOOK, "folder hasil (default reports/) / output folder")
    r.set_defaults(func=_report)
    c = sub.add_parser("recap", help="rekap semua sesi per OPD / recap every session by OPD")
    _notebook_options(c, RECAP_NOTEBOOK, "hasil ke <out>/rekap/ / output in <out>/rekap/")
    c.set_defaults(func=_recap)
    f = sub.add_parser("forms", help="buat semua formulir dari instrumen / write every form")
    f.add_argument("instrument", nargs="?", default=DEFAULT_INSTRUMENT, help="berkas instrumen YAML")
    f.add_argument("--out", default="survey/forms", help="folder hasil (default survey/forms)")
    f.add_argument("--session", default=None, help="id sesi yang dicantumkan tetap di formulir")
    f.add_argument("--registry", default="data/opd.csv", help="daftar OPD untuk pilihan OPD")
    _overwrite_option(f)
    f.set_defaults(func=_forms)
    v = sub.add_parser("validate", help="periksa berkas tanpa analisis / check files, no analysis")
    v.add_argument("files", nargs="+", help="berkas ekspor atau folder sesi")
    v.add_argument("--instrument", default=DEFAULT_INSTRUMENT)
    v.add_argument("--wave", default=None, choices=["pre", "post", "followup"])
    v.add_argument("--session", default=None)
    v.add_argument("--registry", default=None, help="daftar OPD (default data/opd.csv)")
    _review_option(v)
    v.set_defaults(func=_validate)
    s = sub.add_parser("simulate", help="buat data contoh sintetis / write synthetic samples")
    s.add_argument("--out", default="data/sample")
    s.add_argument("--instrument", default=DEFAULT_INSTRUMENT)
    _overwrite_option(s)
    s.set_defaults(func=_simulate)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except EvalToolsError as exc:
        print(f"evaltools: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
