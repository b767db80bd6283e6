"""Read exported responses into one tidy table, accounting for every row.

``read_responses`` takes a path, a list of paths or a folder and returns a
:class:`Responses`: ``.data`` has one row per kept submission, ``.ledger`` one
row per input row that was not kept (action "excluded") and one per repair
made to a kept row (action "repaired") or a value worth a look ("flagged").
Input rows = kept + excluded, always.

Three layers: files (bytes to a table of text, any encoding, separator or
workbook: ``text``, ``table``, ``files``, ``columnar``, ``workbook``,
``guard``), formats (headers mapped to canonical columns: ``formats``, ``paths``,
``labels``), rows (checks, repairs and the ledger: ``rows``, ``values``,
``answers``, ``times``, ``nip``, ``opd``, ``provenance``, ``ledger``,
``reasons``), and the evaluator's OPD corrections in the session folder
(``corrections``: ``koreksi.csv``, ``koreksi_opd`` in ``sesi.yaml``). The options of a read are a :class:`ReadOptions`.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import EvalToolsError
from ..instrument import Instrument
from ..normalize import participant_key, same_categories
from ..pages import page_policy
from . import files
from .corrections import UNRESOLVED_COLUMNS, session_corrections, session_folder, unresolved_opds
from .files import list_sources, read_table, refuse_not_regular
from .formats import check_user_columns, detect_format, map_columns
from .ledger import LEDGER_COLUMNS, Ledger
from .nip import clean_nip
from .opd import load_opd_registry, resolver_for
from .options import ReadOptions
from .pulled import pull_columns, read_pull_records
from .rows import ReadContext, drop_duplicates, read_one, same_submissions
from .sessions import find_sessions, read_session_meta
from .table import Table

__all__ = ["Responses", "ReadOptions", "read_responses", "find_sessions", "read_session_meta",
           "load_opd_registry", "clean_nip", "participant_key", "LEDGER_COLUMNS"]


@dataclass
class Responses:
    """What ``read_responses`` returns.

    ``data``: one row per kept submission; ``ledger``: the row accounting;
    ``sources``: one row per file (rows read, kept, excluded, ignored columns;
    for a file fetched by ``evaltools pull`` its ``server``, ``form``,
    ``pulled_at`` and ``submissions``, "" for the others: ``pulled``);
    ``unresolved_opds``: the OPD names that are no registry OPD, with their
    rows and candidates (``corrections.unresolved_opds``).

    Example:
        >>> responses.unresolved_opds.columns.tolist()
        ['written', 'n', 'candidates', 'koreksi']
    """
    data: pd.DataFrame
    ledger: pd.DataFrame
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    unresolved_opds: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=UNRESOLVED_COLUMNS))

    @property
    def n_input_rows(self) -> int:
        return int(self.sources["rows"].sum()) if len(self.sources) else 0

    @property
    def n_excluded(self) -> int:
        return int((self.ledger["action"] == "excluded").sum())

    def files(self) -> pd.DataFrame:
        """``sources`` with the wave each file's kept rows were read as
        (``wave``: "pre", "post", "followup", several joined with "+", "" when
        no row was kept), beside ``format``; pre-test files first.

        Example:
            >>> responses.files()[["format", "wave", "kept"]].values.tolist()
            [['kobo', 'pre', 55], ['template', 'post', 53]]
        """
        order = {"pre": 0, "post": 1, "followup": 2}
        waves = (self.data.groupby("source")["wave"].agg(
            lambda w: "+".join(sorted(set(w), key=lambda v: order.get(v, 3))))
            if len(self.data) else pd.Series(dtype="str"))
        out = self.sources.copy()
        if out.empty:
            return out
        out.insert(list(out.columns).index("format") + 1, "wave",
                   out["source"].map(waves).fillna("").astype("str"))
        rank = out["wave"].map(lambda w: order.get(w.split("+")[0], 3))
        return out.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank") \
            .reset_index(drop=True)

    def ledger_counts(self) -> pd.DataFrame:
        """Ledger rows counted by action and reason.

        Example:
            >>> responses.ledger_counts().values.tolist()[:2]
            [['excluded', 'duplicate_submission', 5], ['excluded', 'empty_row', 1]]
        """
        if self.ledger.empty:
            return pd.DataFrame({"action": [], "reason": [], "n": []})
        return (self.ledger.groupby(["action", "reason"], sort=True).size()
                .rename("n").reset_index())


@page_policy()  # (evaltools/pages.py: short-lived arrays on ordinary, reused pages)
def read_responses(source, instrument: Instrument, options: ReadOptions | None = None, *,
                   wave: str | None = None, session: str | None = None, columns: dict | None = None,
                   registry=None, anonymous: bool = False, format: str | None = None,
                   review: str | None = None) -> Responses:
    """Read one or more exported response files.

    ``source`` is a path, a list of paths or a folder. ``wave`` and ``session``
    fill in what the data does not say (else the form's stamp, the file name
    and the folder name are used). ``columns`` maps other headers to canonical
    ids (``None`` leaves a column out). ``registry`` (path or DataFrame; default: data/opd.csv beside the
    instrument's survey/ folder, else in the working folder) resolves OPD
    names, aliases and misspellings to one canonical name (column ``opd``;
    ``opd_induk`` holds the parent unit, e.g. the Dinas above a UPT;
    ``opd_terdaftar`` whether it is a registry OPD), after the session's own
    corrections (``koreksi.csv`` and ``koreksi_opd`` in ``sesi.yaml`` in the
    folder of ``source``; ``corrections``); the names left unresolved are
    ``unresolved_opds``.
    The tool that wrote each file is detected from its headers (google,
    kobo, briefcase, central, template, sheet; ``sources["format"]``) or forced
    with ``format=``. ``review`` (Kobo's ``_validation_status``, ODK Central's
    ``ReviewState``): "exclude" (default) leaves rejected submissions out and
    flags those on hold, "flag" keeps and flags both, "ignore" reads them
    like any other. A submission read twice (the same Kobo ``_uuid`` or ODK
    ``KEY``/``meta-instanceID`` in two files) is kept once ("same_submission"). ``anonymous=True`` reads a form that asked no name, NIP or code: every
    row is kept as its own participant (nothing can be paired; use
    ``compare_unpaired``). The same options may come as one
    :class:`ReadOptions` (``options``); keywords given beside it replace its fields.

    Example:
        >>> r = read_responses(folder, inst)
        >>> r.n_input_rows == len(r.data) + r.n_excluded, r.sources["format"].tolist()
        (True, ['kobo', 'template'])
        >>> same = read_responses(folder, inst, ReadOptions(session="loa-janan-2024-11-22"))
        >>> same.ledger.equals(r.ledger)
        True
    """
    opts = ReadOptions.of(options, wave=wave, session=session, columns=columns, registry=registry,
                          anonymous=anonymous, format=format, review=review)
    check_user_columns(opts.columns, instrument)
    resolver = resolver_for(opts.registry, instrument.path)
    fixed = session_corrections(session_folder(source), resolver)
    if fixed:
        resolver = resolver.with_corrections(fixed)
    ctx = ReadContext(instrument, opts, resolver, Ledger())
    paths, skipped = list_sources(source)
    frames, infos = _read_files(paths, ctx)
    data = pd.concat(same_categories(frames), ignore_index=True) if frames else pd.DataFrame()
    if len(data):  # the same submission read twice first: a re-submission is another thing
        data = drop_duplicates(same_submissions(data, ctx.ledger), ctx.ledger).reset_index(drop=True)
    ledger = ctx.ledger.frame()
    sources = pd.DataFrame(infos)
    # rows dropped after their files were read: their files' counts are recounted
    late = ledger["reason"].isin(["same_submission", "duplicate_submission"])
    dups = ledger.loc[late, "source"].value_counts()
    sources["kept"] = sources["kept"] - sources["source"].map(dups).fillna(0).astype(int)
    sources["excluded"] = sources["rows"] - sources["kept"]
    sources = with_skipped(sources, skipped)
    order = ["session", "wave", "pid", *instrument.field_ids, "opd_induk", "opd_terdaftar",
             *instrument.item_ids,
             *[i.id for i in instrument.likert_items], *[i.id for i in instrument.open_items],
             "submitted_at", "submission_id", "submission_no", "export_index", "source", "row"]
    data = data[order] if len(data) else pd.DataFrame(columns=order)
    return Responses(data=data, ledger=ledger, sources=sources,
                     unresolved_opds=unresolved_opds(data, resolver))


def _read_files(paths: list[Path], ctx: ReadContext) -> tuple[list, list]:
    """Each file's kept rows and accounting, every file checked to exist
    first, in file order: the rows, the ledger and any refusal are those of a
    read one file after the other.

    Where two or more files are large text files (Arrow's, ``files.streamed``),
    two are parsed and checked at a time, each in a thread and into a ledger
    of its own: Arrow's parse and most checks leave Python's lock, so the
    two share both cores (``evaluate(...).by("opd")`` of two files of a
    million rows: 8.1-9.6 s -> 7.0-8.7 s). Workbooks and small files are
    read here, one after the other: openpyxl and Python's csv reader hold
    the lock, and two at once were slower."""
    for path in paths:
        refuse_not_regular(path)  # missing, a folder, a named pipe...: refused, never opened
    frames, infos, records = [], [], {}
    stop = threading.Event()

    def unless_stopped(move):
        def moved(n):  # each block parsed and each step checked: a stopped read ends there
            if stop.is_set():
                raise _Stopped
            move(n)
        return moved

    def one(path: Path, bar: _Bar):
        table = read_table(path, progress=unless_stopped(bar.parsed))
        _refuse_same_titles(table, ctx.inst, ctx.options)
        bar.label(path.name)
        own = ReadContext(ctx.inst, ctx.options, ctx.opds, Ledger())
        kept, info = read_one(table, own, progress=unless_stopped(bar.checked))
        bar.done(path.name)
        return kept, info, own.ledger

    def take(path: Path, result) -> None:
        kept, info, ledger = result
        ctx.ledger.entries.extend(ledger.entries)
        if path.parent not in records:
            records[path.parent] = read_pull_records(path.parent)
        frames.append(kept)
        infos.append({**info, **pull_columns(path, records[path.parent])})

    with _progress(paths) as bars:
        if sum(map(files.streamed, paths)) < 2:
            for path, bar in zip(paths, bars):
                take(path, one(path, bar))
            return frames, infos
        import contextvars
        import warnings
        from concurrent.futures import ThreadPoolExecutor
        # pandas sets and restores the warning filters inside some of its steps; from two
        # threads at once that can leave a filter set: the filters are put back once both end
        with warnings.catch_warnings():
            pool = ThreadPoolExecutor(2, thread_name_prefix="evaltools-read")
            futures = []
            try:
                # each in a copy of this context: the zip limits of guard.use_limits hold there
                futures = [pool.submit(contextvars.copy_context().run, one, path, bar)
                           for path, bar in zip(paths, bars)]
                for path, future in zip(paths, futures):
                    take(path, future.result())
            except BaseException:
                # a refusal or Ctrl+C returns now: files not started never start, and a file
                # being read stops at its next block or step (Python waits for it at exit)
                stop.set()
                pool.shutdown(wait=False, cancel_futures=True)
                futures.clear()  # the traceback would keep the files' frames
                frames.clear()
                raise
            pool.shutdown()  # its threads gone before anything forks (the export's workers)
    return frames, infos


class _Stopped(Exception):
    """Raised in a file's thread when the read it belongs to has ended."""


def with_skipped(sources: pd.DataFrame, skipped: dict) -> pd.DataFrame:
    """The sources table with a column ``skipped``: "" for a file read, and
    for each entry of the folder that is no regular file (``list_sources``)
    a row of 0 rows saying why, in Indonesian and English; so that
    ``Responses.n_input_rows`` still counts the rows read.

    Example:
        >>> s = pd.DataFrame({"source": ["pre.csv"], "format": ["kobo"], "rows": [3]})
        >>> with_skipped(s, {"extra.csv": ("folder, bukan berkas", "a folder, not a file")}
        ...              ).values.tolist()
        [['pre.csv', 'kobo', 3, ''], ['extra.csv', '', 0, 'folder, bukan berkas (a folder, not a file)']]
    """
    sources = sources.assign(skipped="")
    if not skipped:
        return sources
    rows = pd.DataFrame({c: [0 if sources[c].dtype.kind in "iuf" else ""] * len(skipped)
                         for c in sources.columns})
    rows["source"] = list(skipped)
    rows["skipped"] = [f"{why} ({why_en})" for why, why_en in skipped.values()]
    return pd.concat([sources, rows.astype(sources.dtypes.to_dict())], ignore_index=True)


def _refuse_same_titles(table: Table, instrument: Instrument, opts: ReadOptions) -> None:
    """Two columns under one title that means something (two "q05", two
    "Nama"): which one holds the answer cannot be known, so the file is
    refused. ``read_table`` renamed the later ones ("q05.1",
    ``meta["same_title"]``); repeated titles that mean nothing ("TTD" twice)
    are left to be listed as ignored."""
    same = table.meta.get("same_title")
    if not same:
        return
    fmt = opts.format or detect_format(table)
    for title in dict.fromkeys(same.values()):
        probe = Table(pd.DataFrame({title: pd.Series([""], dtype="str")}), table.name, table.path,
                      meta=table.meta)
        mapped, ignored = map_columns(probe, instrument, opts.columns, fmt)
        if title in ignored:
            continue
        canon = mapped.columns[0] if len(mapped.columns) else title
        means, means_en = (f" (keduanya {canon})", f" (both {canon})") if canon != title else ("", "")
        raise EvalToolsError(
            f"dua kolom berarti sama: dua kolom berjudul '{title}'{means}",
            file=table.name, row=table.header_row, column=title,
            fix=f"hapus salah satu kolom '{title}', atau beri judul lain pada kolom yang berisi "
                "hal lain",
            problem_en=f"two columns mean the same: two columns titled '{title}'{means_en}",
            fix_en=f"delete one of the '{title}' columns, or retitle the one that holds something else")


@dataclass
class _Bar:
    """One file's share of the progress bar (its size): half moves as its
    bytes are parsed, half as its rows are checked; ``done`` fills what the
    steps did not count. Parsing runs in another thread: moves are locked."""
    bar: object = None
    size: int = 0
    lock: object = None
    moved: float = 0.0
    reading: list = field(default_factory=list)  # the files being checked: shared by a bar's files

    def _move(self, n: float) -> None:
        if self.bar is None:
            return
        with self.lock:
            before = int(self.moved)
            self.moved = min(float(self.size), self.moved + max(0.0, n))
            # whole bytes: float steps can sum past the total, and tqdm then warns on stderr
            self.bar.update(int(self.moved) - before)

    def parsed(self, n: int) -> None:
        self._move(n / 2)

    def checked(self, share: float) -> None:
        self._move(share * self.size / 2)

    def done(self, name: str = "") -> None:
        self._move(self.size)
        self._name(name, False)

    def label(self, name: str) -> None:
        """Name the file whose rows are being checked beside the bar, after
        the other file being checked at the same time, if any (two files
        are read at once: each naming only itself made the name flip)."""
        self._name(name, True)

    def _name(self, name: str, reading: bool) -> None:
        if self.bar is None or not name:
            return
        with self.lock:
            if reading:
                self.reading.append(name)
            elif name in self.reading:
                self.reading.remove(name)
            self.bar.set_postfix_str(", ".join(n[-30:] for n in self.reading))


@contextmanager
def _progress(paths: list):
    """One :class:`_Bar` per file on a progress bar (tqdm's text bar on
    stderr; a widget in a notebook that has ipywidgets) counting the files'
    sizes; bars that draw nothing
    when the files are too small to take a while (under the size the
    columnar reader starts at).

    Example:
        >>> with _progress([Path("data/opd.csv")]) as bars:  # small: no bar
        ...     bars[0].bar is None
        True
    """
    sizes = [p.stat().st_size for p in paths]
    if sum(sizes) < files.COLUMNAR_FROM_BYTES:
        yield [_Bar() for _ in paths]
        return
    import warnings

    from tqdm import TqdmWarning
    with warnings.catch_warnings():
        # in a notebook without ipywidgets, tqdm.auto draws its text bar and, the first time,
        # warns "IProgress not found. Please update jupyter and ipywidgets" on stderr: the
        # evaluator has nothing to update, the bar works
        warnings.simplefilter("ignore", TqdmWarning)
        from tqdm.auto import tqdm  # lazy: a bar only for large files (tqdm.auto looks for a notebook)
    lock = threading.Lock()
    with tqdm(total=sum(sizes), unit="B", unit_scale=True, desc="membaca jawaban",
              leave=False) as bar:
        reading: list = []
        yield [_Bar(bar, size, lock, reading=reading) for size in sizes]


