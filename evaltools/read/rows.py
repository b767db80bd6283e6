"""Row level: every input row is kept or ledgered, repairs are ledgered too.

Runs on a table already in canonical columns (see ``formats``)."""

from __future__ import annotations

import re

import pandas as pd

from ..errors import EvalToolsError
from ..instrument import Instrument
from . import formats
from .files import HEADER_ROW, Table

_NIP_JUNK = re.compile(r"[\s.\-]")


def clean_nip(value: str) -> tuple[str, str | None]:
    """Return (nip, repair reason or None): spaces, dots and dashes removed;
    a value Excel already turned into scientific notation is unrecoverable.

    Example:
        >>> clean_nip("19860926 201505 1 001")
        ('198609262015051001', 'nip_cleaned')
        >>> clean_nip("1.98609262015051E+17")
        ('', 'nip_mangled')
    """
    v = (value or "").strip()
    if not v:
        return "", None
    if re.fullmatch(r"\d([.,]\d+)?[eE]\+?\d+", v):
        return "", "nip_mangled"
    cleaned = _NIP_JUNK.sub("", v)
    if not cleaned.isdigit() or len(cleaned) != 18:
        return cleaned, "nip_invalid"
    return cleaned, ("nip_cleaned" if cleaned != v else None)


def participant_key(nip: str, kode: str) -> str:
    """The identity used for duplicates and matching: the NIP if it has 18
    digits, else the participant code, else empty.

    Example:
        >>> participant_key("198609262015051001", ""), participant_key("", "as2208")
        ('nip:198609262015051001', 'kode:AS2208')
    """
    if nip and len(nip) == 18 and nip.isdigit():
        return f"nip:{nip}"
    if kode:
        return f"kode:{kode.strip().upper()}"
    if nip:
        return f"nip:{nip}"
    return ""


def read_one(table: Table, inst: Instrument, wave, session, columns, ledger: list,
             opd_codes: dict) -> tuple[pd.DataFrame, dict]:
    """Canonical rows of one file that are kept, and the file's accounting."""
    raw = table.df
    df, ignored = formats.map_columns(table, inst, columns)
    name = table.name
    n = len(df)
    rows = pd.Series(range(n), dtype="int64") + table.first_row

    missing = [i.id for i in inst.scored_items if i.id not in df.columns]
    if missing:
        raise EvalToolsError(
            f"kolom butir {', '.join(missing)} tidak ada",
            file=name, row=HEADER_ROW, column=missing[0],
            fix=f"tambahkan kolom {missing[0]} (id butir dari instrumen {inst.id}) atau "
                "petakan judul kolomnya dengan columns={'Judul kolom': '" + missing[0] + "'}",
            problem_en=f"item column(s) {', '.join(missing)} missing",
            fix_en=f"add column {missing[0]} or map its header with columns={{...}}")
    if "nip" not in df.columns and "kode_peserta" not in df.columns:
        raise EvalToolsError("tidak ada kolom pengenal peserta (nip atau kode_peserta)",
                             file=name, row=HEADER_ROW,
                             fix="tambahkan kolom nip atau kode_peserta",
                             problem_en="no participant identifier column (nip or kode_peserta)",
                             fix_en="add a nip or kode_peserta column")
    for col in ("session", "wave", "submitted_at", "instrument", "instrument_version",
                "opd_lainnya", *inst.field_ids):
        if col not in df.columns:
            df[col] = ""
    df = df.apply(lambda s: s.str.strip())

    stamp = formats.stamp_from(table)
    for col in ("instrument", "instrument_version"):
        if stamp.get(col):
            df[col] = df[col].mask(df[col] == "", stamp[col])
    formats.check_instrument(df["instrument"], df["instrument_version"], inst, table, rows)

    # wave: from the data, else the argument, else the form's stamp or the file name
    file_wave = wave or stamp.get("wave") or formats.wave_from_name(table.path.stem)
    w = df["wave"].str.lower().map(
        lambda v: formats.WAVE_OF.get(v.replace(" ", "_"), "?" if v else ""))
    if (w == "").any():
        if not file_wave:
            raise EvalToolsError("gelombang tes (pre/post) tidak diketahui", file=name,
                                 column="wave",
                                 fix="isi kolom wave dengan pre atau post, beri nama berkas "
                                     "yang memuat 'pre'/'post', atau panggil dengan wave='pre'",
                                 problem_en="test wave (pre/post) unknown",
                                 fix_en="fill a wave column, name the file pre/post, or pass wave=")
        w = w.mask(w == "", file_wave)
    df["wave"] = w
    file_session = session or stamp.get("session") or table.path.parent.name
    df["session"] = df["session"].mask(df["session"] == "", file_session)

    keep = pd.Series(True, index=df.index)

    def exclude(mask, reason, detail, column=""):
        mask = mask & keep
        for r in rows[mask]:
            ledger.append((name, int(r), column, reason, detail, "excluded"))
        keep[mask] = False

    def repair(mask, column, reason, detail):
        for r in rows[mask & keep]:
            ledger.append((name, int(r), column, reason, detail, "repaired"))

    exclude((raw.apply(lambda s: s.str.strip()) == "").all(axis=1), "empty_row", "baris kosong")
    exclude(df["wave"] == "?", "unknown_wave", "isi kolom wave bukan pre/post/followup", "wave")
    if session is not None:
        exclude(df["session"] != session, "unknown_session", f"sesi berbeda dari '{session}'",
                "session")

    nip = df["nip"].map(clean_nip)
    df["nip"] = nip.str[0]
    for reason, detail in (("nip_cleaned", "spasi/titik/tanda hubung dihapus"),
                           ("nip_mangled", "NIP berbentuk notasi ilmiah (digit hilang di Excel); "
                                           "dikosongkan"),
                           ("nip_invalid", "NIP bukan 18 digit; dipakai apa adanya")):
        repair(nip.str[1] == reason, "nip", reason, detail)
    df["kode_peserta"] = df["kode_peserta"].str.upper()
    df["pid"] = [participant_key(a, b) for a, b in zip(df["nip"], df["kode_peserta"])]
    exclude(df["pid"] == "", "no_identifier", "tidak ada NIP maupun kode peserta", "nip")

    # OPD: a Kobo choice name (opd_<kode>) becomes the registry name; "lainnya" its text
    opd = df["opd"].map(lambda v: opd_codes.get(v.lower(), v))
    other = opd.str.lower() == "lainnya"
    df["opd"] = opd.mask(other, df["opd_lainnya"])
    for f in inst.participant_fields:
        if f.type == "select" and f.options:
            parsed = df[f.id].map(lambda v, o=f.options: parse_field(v, o))
            repair(parsed.isna() & (df[f.id] != ""), f.id, "invalid_choice",
                   f"bukan salah satu pilihan ({', '.join(f.options)}); dikosongkan")
            df[f.id] = parsed.fillna("")

    for item in inst.items:
        if item.id not in df.columns:
            df[item.id] = ""
            continue
        if item.type == "multi":
            parsed = df[item.id].map(lambda v, o=dict(item.options): formats.parse_multi(v, o))
        else:
            look = formats._option_lookup(dict(item.options))
            parsed = df[item.id].map(
                lambda v, o=dict(item.options), lk=look: formats.parse_choice(v, o, lk))
        repair(parsed.str[1].astype(bool), item.id, "invalid_answer",
               f"jawaban bukan salah satu pilihan ({', '.join(item.options)}); dianggap kosong")
        df[item.id] = parsed.str[0]
    for li in inst.likert_items:
        if li.id not in df.columns:
            df[li.id] = pd.NA
            continue
        val = df[li.id].map(formats.parse_likert)
        bad = (df[li.id] != "") & ~val.isin([1, 2, 3, 4, 5])
        repair(bad, li.id, "invalid_likert", "nilai skala bukan 1-5; dianggap kosong")
        df[li.id] = pd.array(val.where(~bad).astype("float64"), dtype="Int64")
    for oi in inst.open_items:
        if oi.id not in df.columns:
            df[oi.id] = ""

    df["submitted_at"] = formats.parse_times(df["submitted_at"])
    df["source"] = name
    df["row"] = rows.values
    info = {"source": name, "rows": n, "kept": int(keep.sum()), "excluded": int((~keep).sum()),
            "ignored_columns": ", ".join(ignored)}
    return df[keep], info


def parse_field(value: str, options) -> str | None:
    """A select participant field by id or label ('PNS' -> 'pns'); None if neither."""
    if not value:
        return ""
    v = formats.norm_text(value)
    for oid, label in options.items():
        if v in (formats.norm_text(oid), formats.norm_text(label)):
            return oid
    return None


def drop_duplicates(data: pd.DataFrame, ledger: list) -> pd.DataFrame:
    """Keep each participant's latest submission per session and wave."""
    # undated rows count as earliest; among equals the later row in the file wins
    order = data.assign(_o=range(len(data))).sort_values(
        ["submitted_at", "_o"], kind="stable", na_position="first")
    dup = order.duplicated(["session", "wave", "pid"], keep="last")
    latest = order[~dup].set_index(["session", "wave", "pid"])
    for _, r in order[dup].iterrows():
        winner = latest.loc[(r["session"], r["wave"], r["pid"])]
        ledger.append((r["source"], int(r["row"]), "", "duplicate_submission",
                       f"peserta sama mengisi lagi; dipakai baris {winner['row']} "
                       f"({winner['source']})", "excluded"))
    return order[~dup].sort_values("_o").drop(columns=["_o"])
