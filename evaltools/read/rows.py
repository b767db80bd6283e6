"""Row level: every input row is kept or ledgered, repairs are ledgered too.

``read_one`` takes one file already read as text (``files``) through its
steps, in order: headers mapped to canonical columns (``formats``, the entry
template's label row dropped by ``labels``) and the required columns
checked; the wave and session of each row; rows that cannot be used
excluded (empty, shifted, another instrument, wave or session); then the
values (``values``): NIPs, OPDs, participant keys and fields, answers,
Likert points, times. ``drop_duplicates`` then keeps each participant's
latest submission across the files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import EvalToolsError
from ..instrument import Instrument
from ..normalize import digit_keys, group_codes, has_repeats, map_unique
from .formats import detect_format, map_columns
from .labels import labels_row
from .ledger import FileLedger, Ledger
from .opd import OpdResolver
from .options import ReadOptions
from .provenance import WAVE_OF, check_instrument, session_from_name, stamp_from, wave_from_name
from .reasons import detail
from .table import Table, as_text, is_coded, strip_cells
from .values import clean_nips, identify, parse_answers, parse_fields, parse_likerts, parse_submitted, \
    resolve_opds

# columns every canonical frame has, blank when a file has none
CONTROL_COLUMNS = ("session", "wave", "submitted_at", "submission_id", "submission_no", "export_index",
                   "instrument", "instrument_version", "opd_lainnya", "instance_id", "review")
# review statuses (Kobo's _validation_status as label or uid, ODK Central's ReviewState),
# compared lower case without spaces, "_" or "-"
REJECTED = {"notapproved", "validationstatusnotapproved", "rejected"}
ON_HOLD = {"onhold", "validationstatusonhold", "hasissues"}
# a tool's submission id: a UUID, maybe written "uuid:..." (Kobo _uuid, ODK KEY/instanceID),
# compared lower case without the prefix and the dashes
UUID_HEX = r"[0-9a-f]{32}"
_NOT_IN_WORD = re.compile(r"[\t\n\f\r _-]+")  # what a status word is compared without (Arrow's \s, "_", "-")


@dataclass(frozen=True)
class ReadContext:
    """What every file of one read shares: the instrument, the options, the
    OPD resolver and the ledger the files write to."""
    inst: Instrument
    options: ReadOptions
    opds: OpdResolver
    ledger: Ledger


def read_one(table: Table, ctx: ReadContext, progress=None) -> tuple[pd.DataFrame, dict]:
    """Canonical rows of one file that are kept, and the file's accounting
    (source, format, rows, kept, excluded, ignored columns). ``table.df`` is
    emptied once its text is taken (memory). ``progress``, if given, is
    called with the share of the work (0 to 1) each step took.

    Example:
        >>> from pathlib import Path
        >>> from evaltools.read.files import read_table
        >>> from evaltools.read.opd import resolver_for
        >>> ctx = ReadContext(inst, ReadOptions(), resolver_for(None, inst.path), Ledger())
        >>> kept, info = read_one(read_table(Path(folder) / "post-entri-kertas-sintetis.xlsx"), ctx)
        >>> info["format"], info["rows"] == info["kept"] + info["excluded"], kept["wave"].unique().tolist()
        ('template', True, ['post'])
    """
    inst = ctx.inst
    total = 7 + len(inst.items) + len(inst.likert_items)

    def step():
        if progress is not None:
            progress(1 / total)
    table, df, fmt, ignored = _canonical(table, ctx)
    rows = pd.Series(range(len(df)), dtype="int64") + table.first_row
    raw_nip = df["nip"]  # before trimming: a trimmed NIP is a ledgered repair
    df = strip_cells(df)
    led = ctx.ledger.file(table.name, table.first_row, len(df))
    step()
    _waves_and_sessions(df, table, ctx.options)
    _exclude_unusable(df, table, led, ctx, rows)
    review_status(df, led, ctx.options.review)
    step()
    nip_full = clean_nips(df, raw_nip, led, inst)
    step()
    resolve_opds(df, led, inst, ctx.opds)
    step()
    identify(df, led, table.name, rows, ctx.options.anonymous, nip_full)
    parse_fields(df, led, inst)
    step()
    parse_answers(df, led, inst, step)
    step()
    parse_likerts(df, led, inst, step)
    date_order = parse_submitted(df, led, table)
    step()
    led.close()
    keep = led.keep
    df["source"] = table.name
    df["row"] = rows.values
    info = {"source": table.name, "format": fmt, "rows": len(df), "kept": int(keep.sum()),
            "excluded": int((~keep).sum()), "ignored_columns": ", ".join(ignored), "date_order": date_order,
            "group_sep": table.meta.get("group_sep", ""), "notes": "; ".join(table.meta.get("notes", ())),
            "notes_en": "; ".join(table.meta.get("notes_en", ()))}
    return (df if keep.all() else df[keep]), info  # a filter would copy every column


def _canonical(table: Table, ctx: ReadContext) -> tuple[Table, pd.DataFrame, str, list]:
    """(table, frame in canonical columns with every control and field column,
    format, ignored headers); the entry template's label row dropped;
    refused when item or identifier columns are missing."""
    opts, inst = ctx.options, ctx.inst
    fmt = opts.format or detect_format(table)
    df, ignored = map_columns(table, inst, opts.columns, fmt)
    table, df = labels_row(table, df, inst, opts.columns, fmt)  # the entry template's row 2
    fmt = opts.format or detect_format(table)
    _require_columns(table, df, inst, opts.anonymous)
    _find_time_column(table, df)
    _decode_free_text(df, inst)
    missing = [col for col in (*CONTROL_COLUMNS, *inst.field_ids) if col not in df.columns]
    if missing:
        # one column of empty texts shared by all (copy-on-write copies it if one is edited):
        # a scalar broadcast builds each anew (a million rows: 36 ms a column)
        blank = _blank_text(len(df), df.index)
        for col in missing:
            df[col] = blank
    return table, df, fmt, ignored


def _blank_text(n: int, index: pd.Index) -> pd.Series:
    """``n`` empty texts, pandas' text dtype, built from Arrow's buffers
    (every offset 0, no characters) without a Python string per row."""
    import pyarrow as pa
    empty = pa.LargeStringArray.from_buffers(n, pa.py_buffer(np.zeros(n + 1, np.int64)), pa.py_buffer(b""))
    return pd.Series(pd.StringDtype("pyarrow", na_value=np.nan).__from_arrow__(empty), index=index)


def _decode_free_text(df: pd.DataFrame, inst: Instrument) -> None:
    """Coded columns (``columnar``) stay coded where every step reads them a
    distinct value at a time (answers, Likert points, choices); the others
    become text, which the steps edit cell by cell."""
    coded = {*(i.id for i in inst.items), *(li.id for li in inst.likert_items),
             *(f.id for f in inst.participant_fields if f.type == "select" and f.id != "opd")}
    for k, name in enumerate(df.columns):
        if is_coded(df.iloc[:, k]) and name not in coded:
            df.isetitem(k, as_text(df.iloc[:, k]))


def _find_time_column(table: Table, df: pd.DataFrame) -> None:
    """``table.meta["time_column"]``: (position, title) of the file's column
    that became ``submitted_at``, for a message naming its cells; found by
    its values (three cells, then the whole column), the text being the same."""
    if "submitted_at" not in df.columns or not len(df):
        return
    times = df["submitted_at"]
    # three cells first (read one by one: a take per column costs more), a whole column once
    probe = [0, len(df) // 2, len(df) - 1]
    want = [times.iat[i] for i in probe]
    for k, title in enumerate(table.df.columns):
        col = table.df.iloc[:, k]
        if [col.iat[i] for i in probe] == want and as_text(col).equals(times):
            table.meta["time_column"] = (k, title)
            return


def _require_columns(table: Table, df: pd.DataFrame, inst: Instrument, anonymous: bool) -> None:
    """Refuse a file without a scored item's column (maybe on another sheet)
    or, unless anonymous, without any identifier column."""
    missing = [i.id for i in inst.scored_items if i.id not in df.columns]
    others = table.meta.get("sheets", [])[1:]
    if missing and others:  # the answers may be on another sheet
        first = table.meta["sheets"][0]
        raise EvalToolsError(
            f"lembar pertama '{first}' tidak berisi kolom butir ({', '.join(missing[:3])}, ...)",
            file=table.name, row=table.header_row,
            fix=f"pindahkan lembar jawaban (lembar lain: {', '.join(others)}) ke urutan pertama, "
                "atau simpan lembar itu sendiri sebagai .xlsx/.csv",
            problem_en=f"the first sheet '{first}' holds no item columns",
            fix_en=f"move the answer sheet (others: {', '.join(others)}) to the front, or save it alone")
    if missing:
        tried, tried_en = _tried(table)
        raise EvalToolsError(
            f"kolom butir {', '.join(missing)} tidak ada{tried}",
            file=table.name, row=table.header_row, column=missing[0],
            fix=f"tambahkan kolom {missing[0]} (id butir dari instrumen {inst.id}) atau "
                "petakan judul kolomnya dengan columns={'Judul kolom': '" + missing[0] + "'}",
            problem_en=f"item column(s) {', '.join(missing)} missing{tried_en}",
            fix_en=f"add column {missing[0]} or map its header with columns={{...}}")
    if not anonymous and not {"nip", "kode_peserta", "nama"} & set(df.columns):
        raise EvalToolsError("tidak ada kolom pengenal peserta (nip, kode_peserta atau nama)",
                             file=table.name, row=table.header_row,
                             fix="tambahkan kolom nip, kode_peserta atau nama, atau petakan "
                                 "judul kolomnya dengan columns={'Judul kolom': 'nip'}",
                             problem_en="no participant identifier column (nip, kode_peserta or nama)",
                             fix_en="add a nip, kode_peserta or nama column")


def _tried(table: Table) -> tuple[str, str]:
    """What the header mapping tried, for a refusal: the group separator
    found (or assumed) and the label languages known."""
    sep = table.meta.get("group_sep")
    if not sep:
        return "", ""
    return (f" (dicari sebagai nama XML atau label bahasa Indonesia/Inggris, pemisah grup '{sep}')",
            f" (looked for as XML names or Indonesian/English labels, group separator '{sep}')")


def _waves_and_sessions(df: pd.DataFrame, table: Table, opts: ReadOptions) -> None:
    """Instrument and version from the form's stamp where the data says
    none; each row's wave from the data, else the option, else the stamp or
    the file name ("?" for a wave word not known); the session from the
    option, the data, the stamp, or a file or folder named as a session id
    (never a folder that merely holds the file, such as "Downloads")."""
    stamp = stamp_from(table)
    for col in ("instrument", "instrument_version"):
        if stamp.get(col):
            df[col] = df[col].mask(df[col] == "", stamp[col])
    file_wave = opts.wave or stamp.get("wave") or wave_from_name(table.path.stem) \
        or wave_from_name(table.meta.get("member", ""))
    w = pd.Series(map_unique(df["wave"].str.lower(), lambda v: WAVE_OF.get(
        v.replace(" ", "_"), "?" if v else ""), dtype="str"), index=df.index)
    if (w == "").any():
        if not file_wave:
            raise EvalToolsError("gelombang tes (pre/post) tidak diketahui", file=table.name,
                                 column="wave",
                                 fix="isi kolom wave dengan pre atau post, beri nama berkas "
                                     "yang memuat 'pre'/'post', atau panggil dengan wave='pre'",
                                 problem_en="test wave (pre/post) unknown",
                                 fix_en="fill a wave column, name the file pre/post, or pass wave=")
        w = w.mask(w == "", file_wave)
    df["wave"] = w
    file_session = opts.session or stamp.get("session") or session_from_name(table.path.stem) \
        or session_from_name(table.path.parent.name)
    df["session"] = df["session"].mask(df["session"] == "", file_session or "")


def _exclude_unusable(df: pd.DataFrame, table: Table, led: FileLedger, ctx: ReadContext,
                      rows: pd.Series) -> None:
    """Exclude the rows that cannot be used: empty, shifted by an unquoted
    comma, made with another instrument, of an unknown wave or of another
    session; refuse a file whose kept rows have no session. Empties
    ``table.df``: the file's text is not read again."""
    raw = table.df
    blank = table.blank if table.blank is not None else (strip_cells(raw) == "").all(axis=1)
    led.exclude(blank, "empty_row")
    # each column of the file's text is freed as soon as its parsed values replace it
    # (a large file is never held twice)
    table.df = pd.DataFrame(columns=raw.columns)
    del raw
    if table.meta.get("overflow"):
        led.exclude(pd.Series(table.meta["overflow"], index=df.index), "extra_cells")
    inst, session = ctx.inst, ctx.options.session
    wrong = check_instrument(df["instrument"], df["instrument_version"], inst, table, rows, led.keep)
    led.exclude(wrong, "wrong_instrument", "instrument_version", instrument=inst.id,
                version=inst.version)
    led.exclude(df["wave"] == "?", "unknown_wave", "wave")
    if (led.keep & (df["session"] == "")).any():
        raise EvalToolsError(
            "sesi tidak diketahui", file=table.name, column="session",
            fix="panggil dengan session='loa-janan-2024-11-22', isi kolom session, atau taruh "
                "berkas di folder bernama id sesi (nama-tempat-yyyy-mm-dd)",
            problem_en="session unknown",
            fix_en="pass session=..., fill a session column, or put the file in a folder named "
                   "after the session (place-yyyy-mm-dd)")
    if session is not None:
        led.exclude(df["session"] != session, "unknown_session", "session", session=session)


def review_status(df: pd.DataFrame, led: FileLedger, review: str) -> None:
    """What the review status of each row does (``ReadOptions.review``):
    "exclude" excludes the rejected rows (Kobo "Not Approved", ODK Central
    "rejected") and flags the rows on hold (Kobo "On Hold", Central
    "hasIssues"); "flag" keeps both and flags them; "ignore" does nothing.
    Kobo's status may be its label, its id (``validation_status_on_hold``) or
    a record holding the id. Approved, edited and blank statuses change nothing.

    Example:
        >>> from evaltools.read.ledger import Ledger
        >>> df = pd.DataFrame({"review": ["Not Approved", "hasIssues", "approved", ""]})
        >>> led = Ledger().file("pre.csv", 2, 4)
        >>> review_status(df, led, "exclude")
        >>> led.close()
        >>> led.ledger.frame()[["row", "reason", "action"]].values.tolist()
        [[2, 'review_rejected', 'excluded'], [3, 'review_on_hold', 'flagged']]
    """
    if review == "ignore" or "review" not in df.columns:
        return
    status = df["review"].fillna("").astype("str")
    rejected, on_hold = (pd.Series(k, index=df.index) for k in map_unique(
        status, _review_kinds, pair=True, dtype=bool))  # a handful of statuses: each looked at once
    if not (rejected.any() or on_hold.any()):
        return
    if review == "exclude":
        led.exclude(rejected, "review_rejected", "review", detail=_review_details("review_rejected", status))
    else:
        led.flag(rejected, "review", "review_rejected_kept",
                 detail=_review_details("review_rejected_kept", status))
    led.flag(on_hold, "review", "review_on_hold", detail=_review_details("review_on_hold", status))


def _review_kinds(status: str) -> tuple[bool, bool]:
    """(rejected, on hold) for a review status as written."""
    word = _NOT_IN_WORD.sub("", status.strip().lower())
    # Kobo's API writes the status as a record ({"uid": "validation_status_on_hold", ...})
    return (word in REJECTED or "validationstatusnotapproved" in word,
            word in ON_HOLD or "validationstatusonhold" in word)


def _review_details(reason: str, status: pd.Series) -> pd.Series:
    """The ledger's text for each row: the reason's template with its status as written."""
    return pd.Series(map_unique(status, lambda v: detail(reason, status=v.strip()), dtype="str"),
                     index=status.index)


def _has_text(col: pd.Series) -> bool:
    """Whether any cell of a text column holds a character (counted by
    Arrow, no cell trimmed)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    if col.dtype != "str":
        return bool((col.fillna("").astype("str") != "").any())
    return bool(pc.sum(pc.binary_length(pa.array(col.array))).as_py() or 0)


def same_submissions(data: pd.DataFrame, ledger: Ledger) -> pd.DataFrame:
    """Keep one copy of each submission read twice (one export downloaded as
    CSV and XLSX, or as .csv and .csv.zip): rows of one session and wave with
    the same tool id (Kobo ``_uuid``, ODK ``KEY`` or ``meta/instanceID``; a
    UUID, "uuid:" prefix or not) are one submission; the first row read is
    kept, the others are excluded as "same_submission" beside it. Runs before
    ``drop_duplicates``, so a participant who submitted twice keeps
    "duplicate_submission".

    Example:
        >>> d = pd.DataFrame({"session": "s", "wave": "pre", "source": ["a.csv", "a.xlsx"], "row": [2, 2],
        ...                   "submission_id": ["4cfccbc1-a9ae-51c3-aaf2-30e1626dc6fd", ""],
        ...                   "instance_id": ["", "uuid:4cfccbc1-a9ae-51c3-aaf2-30e1626dc6fd"]})
        >>> ledger = Ledger()
        >>> same_submissions(d, ledger)["source"].tolist(), ledger.frame()["detail"].tolist()
        (['a.csv'], ['kiriman yang sama juga ada di baris 2 (a.csv)'])
    """
    if not any(_has_text(data[c]) for c in ("submission_id", "instance_id") if c in data.columns):
        return data  # a form without tool ids (Google Forms, paper): nothing to look at
    ids = data["submission_id"].fillna("").astype("str").str.strip()
    if "instance_id" in data.columns:
        ids = ids.mask(ids == "", data["instance_id"].fillna("").astype("str").str.strip())
    if not (ids != "").any():  # a form without tool ids (Google Forms, paper)
        return data
    # all in Arrow, and only ids seen twice go further: a million ids take about a second
    key = ids.str.lower()
    key = key.mask(key.str.startswith("uuid:"), key.str.slice(5)).str.replace("-", "", regex=False)
    seen_twice = key.duplicated(keep=False) & key.str.fullmatch(UUID_HEX)
    if not seen_twice.any():
        return data
    at = np.flatnonzero(seen_twice.to_numpy(dtype=bool))
    keys = ["session", "wave", "key"]
    frame = pd.DataFrame({"session": data["session"].to_numpy()[at], "wave": data["wave"].to_numpy()[at],
                          "key": key.to_numpy()[at], "source": data["source"].to_numpy()[at],
                          "row": data["row"].to_numpy()[at]})
    again = frame.duplicated(keys, keep="first").to_numpy(dtype=bool)
    if not again.any():
        return data
    dup = np.zeros(len(data), dtype=bool)
    dup[at[again]] = True
    ledger.forget(data.loc[dup, "source"], data.loc[dup, "row"])
    first = frame[~again]
    pairs = frame[again].merge(first, on=keys, how="left", suffixes=("", "_kept"))
    for source, group in pairs.groupby("source", sort=False):
        ledger.exclude_rows(source, group["row"], "same_submission",
                            [detail("same_submission", row=rk, source=sk)
                             for rk, sk in zip(group["row_kept"], group["source_kept"])])
    return data[~dup]


def repeated(data: pd.DataFrame) -> np.ndarray:
    """Whether each row's participant (``pid``) has another row in its
    session and wave. Keys that are one prefix and digits of one width
    ("nip:" + 18 digits) are compared as integers, with at most 9 sessions
    and waves (so that key * 9 + 8 fits in 63 bits); others as texts.

    Example:
        >>> d = pd.DataFrame({"session": "s", "wave": ["pre", "pre", "post"],
        ...                   "pid": ["nip:1", "nip:1", "nip:1"]})
        >>> repeated(d).tolist()
        [True, True, False]
    """
    keys = digit_keys(data["pid"])  # (a million keys: 0.15 s, and hashing integers costs less)
    if keys is not None and (not len(keys) or int(keys.max()) < 10 ** 18):
        where = group_codes(data[["session", "wave"]])
        size = int(where.max()) + 1 if len(where) else 1
        if size <= 9:
            combined = keys * size + where
            if not has_repeats(combined):  # the usual case: nobody twice
                return np.zeros(len(data), bool)
            order = np.argsort(combined, kind="stable")
            same = combined[order[1:]] == combined[order[:-1]]
            again = np.zeros(len(data), bool)
            again[order[1:][same]] = again[order[:-1][same]] = True
            return again
    return pd.Series(group_codes(data[["session", "wave", "pid"]])).duplicated(keep=False).to_numpy()


def drop_duplicates(data: pd.DataFrame, ledger: Ledger) -> pd.DataFrame:
    """Keep each participant's latest submission per session and wave; the
    others are excluded in the ledger, beside the row that was kept.

    Example:
        >>> d = pd.DataFrame({"session": "s", "wave": "pre", "pid": ["nip:1", "nip:1"],
        ...                   "submitted_at": pd.to_datetime(["2024-11-22 09:00", "2024-11-22 08:00"]),
        ...                   "source": "pre.csv", "row": [2, 3]})
        >>> ledger = Ledger()
        >>> drop_duplicates(d, ledger)["row"].tolist(), ledger.frame()["detail"].tolist()
        ([2], ['peserta sama mengisi lagi; dipakai baris 2 (pre.csv)'])
    """
    # only participants seen twice in a session and wave are sorted: usually none
    again = repeated(data)
    if not again.any():
        return data
    at = np.flatnonzero(again)
    # undated rows count as earliest; among equals the later row in the file wins
    order = data.iloc[at][["session", "wave", "pid", "submitted_at"]].assign(_o=at).sort_values(
        ["submitted_at", "_o"], kind="stable", na_position="first")
    later = order.duplicated(["session", "wave", "pid"], keep="last")
    dup = np.zeros(len(data), dtype=bool)
    dup[order.loc[later, "_o"].to_numpy()] = True
    # an excluded duplicate keeps only its exclusion in the ledger, not its repairs
    ledger.forget(data.loc[dup, "source"], data.loc[dup, "row"])
    keys = ["session", "wave", "pid"]
    # each dropped row beside the row that stays (one merge, not a lookup per row)
    pairs = data.loc[dup, [*keys, "source", "row"]].merge(
        data.loc[~dup, [*keys, "source", "row"]], on=keys, how="left", suffixes=("", "_win"))
    for source, group in pairs.groupby("source", sort=False):
        ledger.exclude_rows(source, group["row"], "duplicate_submission",
                            [detail("duplicate_submission", row=rw, source=sw)
                             for rw, sw in zip(group["row_win"], group["source_win"])])
    return data[~dup]
