"""The value steps of ``rows.read_one``: NIPs, OPDs, participant keys and
fields, answers, Likert points and submission times, each read into the
canonical frame with every repair and flag written to the file's ledger.

Each step works on whole columns: a parser runs once per distinct value
(``normalize.map_unique``), never once per row, so a file of a million
rows holding a handful of distinct answers costs a handful of calls.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import EvalToolsError
from ..instrument import Instrument
from ..normalize import (factorize_rows, map_unique, nip_digits, norm_text, participant_keys, spread,
                         upper_codes)
from .answers import likert_lookup, option_lookup, parse_choice, parse_field, parse_likert, parse_multi
from .ledger import FileLedger
from .nip import clean_nip, maybe_implausible, nip_problem
from .opd import OpdResolver
from .reasons import DATE_ORDER_NOTE, DATE_ORDER_NOTE_EN, DATE_ORDER_WHY, detail
from .table import Table
from .times import TimeOrder, read_times

# the "other OPD" choice, as Kobo names it and as a labels export writes it ("Lainnya (tulis)")
OTHER_WORDS = {"lainnya", "lainnya tulis", "lain lain", "other", "other specify"}
NIP_REPAIRS = ("nip_cleaned", "nip_mangled_by_excel", "nip_invalid")


def clean_nips(df: pd.DataFrame, raw_nip: pd.Series, led: FileLedger, inst: Instrument) -> np.ndarray:
    """``df["nip"]`` cleaned from the NIPs as written (``clean_nip``), the
    implausible ones flagged (``nip_problem``), ``kode_peserta`` upper-cased.
    Returns whether each cleaned NIP is one (18 digits: ``nip_digits``), for
    ``identify``.

    Example:
        >>> from evaltools.read.ledger import Ledger
        >>> df = pd.DataFrame({"nip": ["", ""], "jenis_pegawai": ["pns", ""], "kode_peserta": ["", "ab1"]})
        >>> led = Ledger().file("pre.csv", 2, 2)
        >>> clean_nips(df, pd.Series(["NIP. 19860926 201505 1 001", "1.98E+17"]), led, inst).tolist()
        [True, False]
        >>> df["nip"].tolist(), df["kode_peserta"].tolist()
        (['198609262015051001', ''], ['', 'AB1'])
    """
    # an 18-digit NIP not ending in 000 is already clean: only the others are looked at
    full, head, tail = nip_digits(raw_nip)  # (from the bytes: no pattern run on a million NIPs)
    plain = full & (tail != 0)
    df["nip"] = raw_nip
    if not plain.all():  # only the others are looked at, once per distinct value
        why = pd.Series(None, index=df.index, dtype="str")
        nip, why_not = map_unique(raw_nip[~plain], clean_nip, pair=True, dtype="str")
        df.loc[~plain, "nip"] = nip
        why[~plain] = why_not
        for reason in NIP_REPAIRS:
            led.repair(why == reason, "nip", reason)
        full, head, tail = nip_digits(df["nip"])
    kinds_opt = inst.field("jenis_pegawai").options if "jenis_pegawai" in inst.field_ids else {}
    kind = map_unique(df["jenis_pegawai"], lambda k: parse_field(k, kinds_opt) or "", dtype="str")
    # all rows checked at once; the few that may fail are judged one by one, once per
    # birth date, appointment and kind (the serial, digits 16-18, is never judged)
    judge = maybe_implausible(df["nip"], np.asarray(kind == "pns"), (full, head)) & full
    texts = np.full(len(df), None, dtype=object)
    if judge.any():
        judged = pd.DataFrame({"nip": df["nip"][judge].str.slice(0, 15), "kind": kind[judge]})
        texts[judge] = map_unique(judged, lambda n, k: _implausible(f"{n}|{k}"))
    led.flag(pd.Series(pd.notna(texts), index=df.index), "nip", "nip_implausible", detail=texts)
    df["kode_peserta"] = upper_codes(df["kode_peserta"])
    return full


def _implausible(judged: str) -> str | None:
    """The ledger's text for an implausible NIP ("<15 digits>|<kind>"), or None."""
    if judged.startswith("|"):  # no usable NIP
        return None
    why = nip_problem(*judged.split("|"))
    return None if why is None else detail("nip_implausible", problem=why)


def resolve_opds(df: pd.DataFrame, led: FileLedger, inst: Instrument, opds: OpdResolver) -> None:
    """``opd`` as the registry names it (Kobo choice names, "lainnya" and
    its text, aliases, misspellings), ``opd_induk`` its parent unit and
    ``opd_terdaftar`` whether it is in the registry; each change or unknown
    name in the ledger, once per distinct (OPD, regency) written.

    Example:
        >>> from evaltools.read.ledger import Ledger
        >>> from evaltools.read.opd import load_opd_registry
        >>> df = pd.DataFrame({"opd": ["Diskominfo", "lainnya"], "opd_lainnya": ["", "Bengkel Pak Ali"],
        ...                    "kabupaten_kota": ["kutai_kartanegara", ""]})
        >>> resolve_opds(df, Ledger().file("pre.csv", 2, 2), inst,
        ...              OpdResolver(load_opd_registry("data/opd.csv")))
        >>> df[["opd", "opd_terdaftar"]].values.tolist()
        [['Diskominfo Kab. Kutai Kartanegara', True], ['Bengkel Pak Ali', False]]
    """
    other = pd.Series(map_unique(df["opd"], lambda v: norm_text(v) in OTHER_WORDS, dtype=bool),
                      index=df.index)
    df["opd"] = df["opd"].mask(other, df["opd_lainnya"])
    # the participant's regency tells apart same-named OPDs ("Diskominfo")
    regions = inst.field("kabupaten_kota").options if "kabupaten_kota" in inst.field_ids else {}
    region = map_unique(df["kabupaten_kota"], lambda g: parse_field(g, regions) or "", dtype="str")
    codes, written = factorize_rows(pd.DataFrame({"opd": df["opd"], "region": region}))
    res = [opds.resolve(*w) for w in written]
    df["opd"] = pd.Series(spread([x.opd for x in res], codes, "str"), index=df.index)
    df["opd_induk"] = pd.Series(spread([x.parent for x in res], codes, "str"), index=df.index)
    # free text that is no registry OPD may hold anything (a person's name): exports hide it
    df["opd_terdaftar"] = pd.Series(spread([bool(x.opd) and x.reason != "opd_unknown" for x in res],
                                           codes, bool), index=df.index)
    reason = spread([x.reason for x in res], codes)
    texts = spread([x.detail for x in res], codes)
    for why in dict.fromkeys(x.reason for x in res if x.reason):
        mask = pd.Series(reason == why, index=df.index)
        if why == "opd_unknown":
            led.flag(mask, "opd", why, detail=texts)
        else:
            led.repair(mask, "opd", why, detail=texts)


def identify(df: pd.DataFrame, led: FileLedger, name: str, rows: pd.Series, anonymous: bool,
             nip_full: np.ndarray | None = None) -> None:
    """``pid``, the participant key (``participant_keys``); a row without
    NIP, code or name is excluded, unless the form is anonymous: then each
    row is its own participant. ``nip_full``: ``clean_nips``' answer for
    ``df["nip"]``, when the caller has it.

    Example:
        >>> from evaltools.read.ledger import Ledger
        >>> df = pd.DataFrame({"nip": ["", ""], "kode_peserta": ["AB1", ""], "nama": ["", ""], "opd": "X"})
        >>> led = Ledger().file("pre.csv", 2, 2)
        >>> identify(df, led, "pre.csv", pd.Series([2, 3]), anonymous=False)
        >>> df["pid"].tolist(), led.keep.tolist()
        (['kode:AB1', ''], [True, False])
    """
    df["pid"] = participant_keys(df["nip"], df["kode_peserta"], df["nama"], df["opd"], full=nip_full)
    if anonymous:  # nobody can be matched: every row is one anonymous submission
        df["pid"] = [p or f"anon:{name}:{r}" for p, r in zip(df["pid"], rows)]
    led.exclude(df["pid"] == "", "no_identifier", "nip")


def parse_fields(df: pd.DataFrame, led: FileLedger, inst: Instrument) -> None:
    """The select participant fields as option ids; a value that is no
    option is emptied (ledgered).

    Example:
        >>> from evaltools.read.ledger import Ledger
        >>> df = pd.DataFrame({f.id: "" for f in inst.participant_fields}, index=[0, 1])
        >>> df["jenis_kelamin"] = ["Perempuan", "P/L"]
        >>> parse_fields(df, Ledger().file("pre.csv", 2, 2), inst)
        >>> df["jenis_kelamin"].tolist()
        ['p', '']
    """
    for f in inst.participant_fields:
        if f.type == "select" and f.options:
            parsed = pd.Series(map_unique(
                df[f.id], lambda v, o=f.options, en=f.options_en: parse_field(v, o, en),
                dtype="str"), index=df.index)
            led.repair(parsed.isna() & (df[f.id] != ""), f.id, "invalid_choice",
                       options=", ".join(f.options))
            df[f.id] = parsed.fillna("")


def parse_answers(df: pd.DataFrame, led: FileLedger, inst: Instrument, step) -> None:
    """Each item's answers as option ids (a multi item: sorted, space-joined);
    an answer that is no option counts as blank (ledgered). ``step`` is
    called once per item (progress).

    Example:
        >>> from evaltools.read.ledger import Ledger
        >>> df = pd.DataFrame({"q01": ["B", "zz"]})
        >>> led = Ledger().file("pre.csv", 2, 2)
        >>> parse_answers(df, led, inst, lambda: None)
        >>> df["q01"].tolist(), df["q02"].tolist()  # q02: no column, all blank
        (['b', ''], ['', ''])
    """
    for item in inst.items:
        step()
        if item.id not in df.columns:
            df[item.id] = pd.Categorical.from_codes(np.zeros(len(df), dtype=np.int8), pd.Index([""], dtype="str"))
            continue
        options, options_en = dict(item.options), dict(item.options_en)
        if item.type == "multi":
            func = lambda v: parse_multi(v, options, options_en)  # noqa: E731
        else:
            look = option_lookup(options, options_en)
            func = lambda v: parse_choice(v, options, look)  # noqa: E731
        value, bad = map_unique(df[item.id], func, pair=True, dtype=("category", bool))
        if bad.any():  # (most columns: no answer to repair, no ledger pass over them)
            led.repair(pd.Series(bad, index=df.index), item.id, "invalid_answer",
                       options=", ".join(item.options))
        df[item.id] = pd.Series(value, index=df.index)


def parse_likerts(df: pd.DataFrame, led: FileLedger, inst: Instrument, step) -> None:
    """Each Likert item as whole points 1-5 (nullable Int8), from numbers or
    point labels; anything else is emptied (ledgered). Open items missing
    from the file are added blank. ``step``: see ``parse_answers``.

    Example:
        >>> from evaltools.read.ledger import Ledger
        >>> li = inst.likert_items[0].id
        >>> df = pd.DataFrame({li: ["4", "Sangat setuju", "7"]})
        >>> parse_likerts(df, Ledger().file("post.csv", 2, 3), inst, lambda: None)
        >>> df[li].tolist()
        [4, 5, <NA>]
    """
    points = likert_lookup(inst)
    for li in inst.likert_items:
        step()
        if li.id not in df.columns:
            df[li.id] = _likert_points(np.full(len(df), np.nan))
            continue
        val = pd.Series(map_unique(df[li.id], lambda v: parse_likert(v, points), dtype="float64"),
                        index=df.index)
        bad = (df[li.id] != "") & ~val.isin([1, 2, 3, 4, 5])
        led.repair(bad, li.id, "invalid_likert")
        df[li.id] = _likert_points(val.where(~bad).to_numpy(dtype="float64", na_value=np.nan))
    for oi in inst.open_items:
        if oi.id not in df.columns:
            df[oi.id] = ""


def parse_submitted(df: pd.DataFrame, led: FileLedger, table: Table) -> str:
    """``submitted_at`` as timestamps (``read_times``); an unreadable time is
    flagged (it decides which of two submissions is the latest), and so is a
    row shorter than the header. Returns the column's date order
    ("day_first", "month_first", "year_first" or ""). Dates that read both
    ways (11/5/2024) are flagged with the order chosen, from the session's
    date or the Indonesian default; a column that holds both orders is refused
    (``refuse_mixed_dates``).

    Example:
        >>> from evaltools.read.ledger import Ledger
        >>> df = pd.DataFrame({"submitted_at": ["2024-11-22 09:15", "kemarin"], "session": "s-2024-11-22"})
        >>> led = Ledger().file("pre.csv", 2, 2)
        >>> parse_submitted(df, led, Table(df, "pre.csv", None))
        'year_first'
        >>> df["submitted_at"].isna().tolist(), led.close(), led.ledger.frame()["reason"].tolist()
        ([False, True], None, ['time_unreadable'])
    """
    written = df["submitted_at"]
    # the session id ends in its date (loa-janan-2024-11-22): the evidence for ambiguous dates
    codes, sessions = pd.factorize(df["session"])  # one date per distinct session, not per row
    day_of = pd.to_datetime(pd.Series(sessions, dtype="str").str.slice(-10), format="%Y-%m-%d",
                            errors="coerce").to_numpy(dtype="datetime64[us]")
    days = pd.Series(np.append(day_of, np.datetime64("NaT"))[codes], index=df.index)
    when, order = read_times(written, days)
    if order.conflict:
        refuse_mixed_dates(table, written, order)
    if order.assumed is not None and order.assumed.any():
        first = int(np.argmax(order.assumed))
        why = DATE_ORDER_WHY[order.basis].format(day=str(days.iloc[first].date()))
        assumed = pd.Series(order.assumed, index=df.index)
        # each row quotes its own date as written and as read (few distinct dates: one text each)
        dates = pd.DataFrame({"written": written.str.split(" ").str[0].where(assumed, ""),
                              "read": when.dt.strftime("%Y-%m-%d").where(assumed, "").fillna("")})
        texts = map_unique(dates, lambda w, r: detail(
            "date_order_assumed", order=ORDER_WORDS[order.order][0], example=w, read=r, why=why),
            dtype="str")
        led.flag(assumed, "submitted_at", "date_order_assumed", detail=texts)
        # and once for the file (sources["notes"])
        day = str(days.iloc[first].date())
        for key, k, texts in (("notes", 0, DATE_ORDER_NOTE), ("notes_en", 1, DATE_ORDER_NOTE_EN)):
            table.meta[key] = [*table.meta.get(key, ()), texts[order.basis].format(
                order=ORDER_WORDS[order.order][k], day=day)]
    led.flag(when.isna() & (written != ""), "submitted_at", "time_unreadable")
    df["submitted_at"] = when
    if table.meta.get("short"):
        led.flag(pd.Series(table.meta["short"], index=df.index), "", "short_row")
    return order.order


def refuse_mixed_dates(table: Table, written: pd.Series, order: TimeOrder):
    """Refuse a column of times whose dates contradict each other: some can
    only be day-first (22/11/2024), some only month-first (11/22/2024). The
    cells are named as Excel shows them (column letter and row), a few of each kind.

    Example:
        >>> t = Table(pd.DataFrame({"Timestamp": ["x"] * 3}), "pre.csv", None,
        ...           meta={"time_column": (0, "Timestamp")})
        >>> w = pd.Series(["22/11/2024 8:00", "11/22/2024 9:00", "23/11/2024 8:00"])
        >>> try:
        ...     refuse_mixed_dates(t, w, read_times(w)[1])
        ... except EvalToolsError as err:
        ...     print(err.row, err.column, err.problem.split(": ")[1][:42])
        3 Timestamp A2 '22/11/2024 8:00', A4 '23/11/2024 8:00'
    """
    from openpyxl.utils import get_column_letter  # lazy: only a refused file needs it
    at, title = table.meta.get("time_column", (None, "submitted_at"))
    letter = get_column_letter(at + 1) if at is not None else ""

    def cells(mask: np.ndarray) -> str:
        pos = np.flatnonzero(mask)
        at = f"{letter}{{}}" if letter else "baris {}"  # a cell as Excel names it, else its row
        shown = ", ".join(f"{at.format(table.first_row + p)} '{written.iloc[p]}'" for p in pos[:3])
        return shown + (f" (+{len(pos) - 3})" if len(pos) > 3 else "")
    day, month = cells(order.day_only), cells(order.month_only)
    # the fewer kind is most likely the odd one out: its first cell is the row named
    odd = order.month_only if order.month_only.sum() <= order.day_only.sum() else order.day_only
    raise EvalToolsError(
        f"tanggal di kolom waktu kirim bertentangan: {day} hanya dapat dibaca hari/bulan/tahun, "
        f"sedangkan {month} hanya dapat dibaca bulan/hari/tahun",
        file=table.name, row=table.first_row + int(np.argmax(odd)), column=title,
        fix="samakan urutan tanggal di kolom itu (ketik ulang sel yang salah, atau di Excel pilih "
            "kolom lalu Format Cells > Date dengan satu lokal), atau ekspor ulang jawaban dari alat "
            "pengumpul data; evaltools tidak menukar hari dan bulan diam-diam",
        problem_en=f"the dates in the submission time column contradict each other: {day} can only "
                   f"be day/month/year, while {month} can only be month/day/year",
        fix_en="make the column use one date order (retype the wrong cells, or select the column in "
               "Excel and use Format Cells > Date with one locale), or export the responses again; "
               "evaltools never swaps day and month silently")


# each date order in words (Indonesian, English), as ``validate`` and the ledger say it
ORDER_WORDS = {"day_first": ("hari/bulan/tahun", "day/month/year"),
               "month_first": ("bulan/hari/tahun", "month/day/year"),
               "year_first": ("tahun/bulan/hari", "year/month/day"),
               "": ("-", "-")}  # no times, or none with day and month in numbers


def _likert_points(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole points 1-5 held as floats (NaN = missing) as a nullable Int8
    array (two bytes a cell: a million answers of eleven items take 22 MB);
    built directly because pd.array(..., dtype="Int8") checks every value in
    Python."""
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype("int8"), missing)
