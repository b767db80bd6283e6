"""Read exported responses into one tidy table, accounting for every row.

``read_responses`` takes a path, a list of paths or a folder and returns a
:class:`Responses`: ``.data`` has one row per kept submission, ``.ledger`` one
row per input row that was not kept (action "excluded") and one per repair
made to a kept row (action "repaired"). Input rows = kept + excluded, always.

Three layers, one module each: ``files`` (bytes to a table of text, any
encoding/separator/workbook), ``formats`` (the canonical layout, the entry
template, Google Forms and KoboToolbox/ODK exports, mapped to canonical
columns), ``rows`` (checks, repairs and the ledger).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import EvalToolsError
from ..instrument import Instrument
from .files import Table, list_files, read_table
from . import formats
from .formats import WAVE_WORDS
from .opd import OpdResolver
from .rows import clean_nip, drop_duplicates, participant_key, read_one

__all__ = ["Responses", "read_responses", "read_session_meta", "clean_nip", "participant_key",
           "LEDGER_COLUMNS"]

LEDGER_COLUMNS = ["source", "row", "column", "reason", "detail", "action"]


@dataclass
class Responses:
    """What ``read_responses`` returns.

    ``data``: one row per kept submission; ``ledger``: the row accounting;
    ``sources``: one row per file (rows read, kept, excluded, ignored columns).
    """
    data: pd.DataFrame
    ledger: pd.DataFrame
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def n_input_rows(self) -> int:
        return int(self.sources["rows"].sum()) if len(self.sources) else 0

    @property
    def n_excluded(self) -> int:
        return int((self.ledger["action"] == "excluded").sum())

    def ledger_counts(self) -> pd.DataFrame:
        """Ledger rows counted by action and reason.

        Example:
            >>> r.ledger_counts()  # doctest: +SKIP
        """
        if self.ledger.empty:
            return pd.DataFrame({"action": [], "reason": [], "n": []})
        return (self.ledger.groupby(["action", "reason"], sort=True).size()
                .rename("n").reset_index())


def read_responses(source, instrument: Instrument, *, wave: str | None = None,
                   session: str | None = None, columns: dict | None = None,
                   registry=None, anonymous: bool = False, format: str | None = None) -> Responses:
    """Read one or more exported response files.

    ``source`` is a path, a list of paths or a folder. ``wave`` and ``session``
    fill in what the data does not say (else the form's stamp, the file name
    and the folder name are used). ``columns`` maps other headers to canonical
    ids (``None`` leaves a column out). ``registry`` (path or DataFrame; default: data/opd.csv beside the
    instrument's survey/ folder, else in the working folder) resolves OPD
    names, aliases and misspellings to one canonical name (column ``opd``;
    ``opd_induk`` holds the parent unit, e.g. the Dinas above a UPT).
    The tool that wrote each file is detected from its headers (google,
    kobo, briefcase, template, sheet; ``sources["format"]``) or forced
    with ``format=``. ``anonymous=True`` reads a form that asked no name, NIP or code: every
    row is kept as its own participant (nothing can be paired; use
    ``compare_unpaired``).

    Example:
        >>> from evaltools import load_instrument
        >>> inst = load_instrument("survey/netralitas-asn-pilkada-2024.yaml")
        >>> r = read_responses("data/sample/loa-janan-2024-11-22", inst)
        >>> r.n_input_rows == len(r.data) + r.n_excluded
        True
    """
    if wave is not None and wave not in WAVE_WORDS:
        raise EvalToolsError(f"gelombang {wave!r} tidak dikenal", fix="pakai pre, post atau followup",
                             problem_en=f"unknown wave {wave!r}", fix_en="use pre, post or followup")
    formats.check_user_columns(columns, instrument)
    if format is not None and format not in formats.FORMATS:
        raise EvalToolsError(f"format {format!r} tidak dikenal", fix=f"pakai {', '.join(formats.FORMATS)}",
                             problem_en=f"unknown format {format!r}",
                             fix_en=f"use {', '.join(formats.FORMATS)}")
    if registry is None:
        near = Path(instrument.path).resolve().parent.parent / "data" / "opd.csv"
        registry = next((p for p in (near, Path("data/opd.csv")) if p.exists()), None)
    if registry is not None and not isinstance(registry, pd.DataFrame):
        from ..instrument import load_opd_registry
        registry = load_opd_registry(registry)
    opds = OpdResolver(registry)
    ledger: list = []
    frames, infos = [], []
    paths = list_files(source)
    for path in paths:
        if not path.exists():
            raise EvalToolsError("berkas tidak ditemukan", file=str(path),
                                 fix="periksa nama dan folder berkas",
                                 problem_en="file not found", fix_en="check the file name and folder")
    for path, advance in _progress(paths):
        table = read_table(path, progress=advance)
        _refuse_same_titles(table, instrument, columns, format)
        size = path.stat().st_size
        kept, info = read_one(table, instrument, wave, session, columns, ledger, opds,
                              anonymous, format,
                              progress=None if advance is None else lambda f: advance(f * size))
        frames.append(kept)
        infos.append(info)
    data = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    data = drop_duplicates(data, ledger).reset_index(drop=True) if len(data) else data
    sources = pd.DataFrame(infos)
    dups = pd.Series([e[0] for e in ledger if e[3] == "duplicate_submission"], dtype=object)
    sources["kept"] = sources["kept"] - sources["source"].map(dups.value_counts()).fillna(0).astype(int)
    sources["excluded"] = sources["rows"] - sources["kept"]
    order = ["session", "wave", "pid", *instrument.field_ids, "opd_induk", "opd_terdaftar",
             *instrument.item_ids,
             *[i.id for i in instrument.likert_items], *[i.id for i in instrument.open_items],
             "submitted_at", "submission_id", "submission_no", "export_index", "source", "row"]
    data = data[order] if len(data) else pd.DataFrame(columns=order)
    led = pd.DataFrame(ledger, columns=LEDGER_COLUMNS)
    led = led.sort_values(["source", "row"], kind="stable").reset_index(drop=True)
    return Responses(data=data, ledger=led, sources=sources)


def _refuse_same_titles(table, instrument: Instrument, columns: dict | None,
                        fmt: str | None) -> None:
    """Two columns under one title that means something (two "q05", two
    "Nama"): which one holds the answer cannot be known, so the file is
    refused. ``read_table`` renamed the later ones ("q05.1",
    ``meta["same_title"]``); repeated titles that mean nothing ("TTD" twice)
    are left to be listed as ignored."""
    same = table.meta.get("same_title")
    if not same:
        return
    fmt = fmt or formats.detect_format(table)
    for title in dict.fromkeys(same.values()):
        probe = Table(pd.DataFrame({title: pd.Series([""], dtype="str")}), table.name, table.path,
                      meta=table.meta)
        mapped, ignored = formats.map_columns(probe, instrument, columns, fmt)
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


def _progress(paths: list):
    """Yield each file with a function that moves a progress bar (tqdm:
    stderr, or a widget in a notebook) by a number of bytes, or None when the
    files are too small to take a while (under the size the columnar reader
    starts at). The bar counts each file's size: half of it moves as its
    bytes are parsed (block by block for a large CSV), half as its rows
    are checked (step by step).

    Example:
        >>> [p for p, _ in _progress([Path("data/opd.csv")])]  # small: no bar
        [PosixPath('data/opd.csv')]
    """
    from .files import COLUMNAR_FROM_BYTES
    sizes = [p.stat().st_size for p in paths]
    if sum(sizes) < COLUMNAR_FROM_BYTES:
        for path in paths:
            yield path, None
        return
    from tqdm.auto import tqdm
    with tqdm(total=sum(sizes), unit="B", unit_scale=True, desc="membaca jawaban",
              leave=False) as bar:
        for path, size in zip(paths, sizes):
            bar.set_postfix_str(path.name[-30:])
            start = bar.n
            yield path, lambda n: bar.update(n / 2)
            bar.update(max(0, start + size - bar.n))  # what the steps did not count


def find_sessions(data_dir, kind: str = "all") -> list:
    """Session ids under ``data_dir``: each sub-folder holding a response file
    (CSV, Excel, zip) or a ``sesi.yaml``, sorted; folders starting with "." or
    "_" are skipped. ``kind="session"`` leaves out follow-up surveys (a
    ``sesi.yaml`` with ``tindak_lanjut_dari``), ``kind="followup"`` keeps only them.

    Example:
        >>> find_sessions("data/sample", kind="followup")
        ['kukar-tindak-lanjut-2024-12-20']
    """
    from .files import SUFFIXES
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
    def is_followup(sid):
        try:
            return bool(read_session_meta(root / sid).get("tindak_lanjut_dari"))
        except EvalToolsError:
            return False  # a broken sesi.yaml: reported when the session itself is run
    follow = {s for s in found if is_followup(s)}
    return [s for s in found if (s in follow) == (kind == "followup")]


def read_session_meta(folder) -> dict:
    """Session facts from ``sesi.yaml`` beside the responses, or {} if absent.

    Example:
        >>> read_session_meta("data/sample/loa-janan-2024-11-22")["sintetis"]
        True
    """
    import yaml
    p = Path(folder) / "sesi.yaml"
    if not p.exists():
        return {}
    try:
        meta = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise EvalToolsError(f"sesi.yaml tidak sah ({exc})", file=str(p),
                             fix="perbaiki format YAML", problem_en=f"invalid sesi.yaml ({exc})",
                             fix_en="fix the YAML") from None
    if not isinstance(meta, dict):
        raise EvalToolsError("sesi.yaml harus berisi pasangan kunci: nilai", file=str(p),
                             fix="mis. nama: ..., tanggal: 2024-11-22",
                             problem_en="sesi.yaml must hold key: value pairs",
                             fix_en="e.g. nama: ..., tanggal: 2024-11-22")
    return meta
