"""What a file says about where its rows come from: the instrument and
version it was made for, the wave (pre, post, follow-up) and the session,
read from its columns, the form's stamp (a Google Forms title, the entry
template's sheet Petunjuk) or its file and folder names.
"""

from __future__ import annotations

import re

import pandas as pd

from ..errors import EvalToolsError
from ..instrument import Instrument
from ..layout import parse_stamp
from .table import Table

WAVE_WORDS = {
    "pre": ("pre", "pretest", "pre_test", "pre-test", "awal", "tes_awal"),
    "post": ("post", "posttest", "post_test", "post-test", "akhir", "tes_akhir"),
    "followup": ("followup", "follow_up", "follow-up", "tindak_lanjut", "lanjutan"),
}
WAVE_OF = {w: k for k, words in WAVE_WORDS.items() for w in words}


def stamp_from(table: Table) -> dict:
    """What the file says about its instrument, version, wave and session:
    the entry template's Petunjuk sheet, or a Google Forms title stamp
    ("... [netralitas-asn-pilkada-2024 v2024.1 pre]") kept in the file name.

    Example:
        >>> stamp_from(Table(pd.DataFrame(), "Tes [netralitas-asn-pilkada-2024 v2024.1 pre].csv", None))
        {'instrument': 'netralitas-asn-pilkada-2024', 'instrument_version': '2024.1', 'wave': 'pre', 'session': ''}
    """
    m = table.meta
    if m.get("format") == "template":
        return {"instrument": m.get("instrumen", ""), "instrument_version": m.get("versi", ""),
                "wave": m.get("gelombang", ""), "session": m.get("sesi", "")}
    return parse_stamp(table.name) or parse_stamp(table.meta.get("member", ""))


def check_instrument(values: pd.Series, versions: pd.Series, inst: Instrument, table: Table,
                     rows: pd.Series, keep: pd.Series) -> pd.Series:
    """Rows made with another instrument or version: their key differs.

    Returns the mask of such rows when only some are (a Kobo "all versions"
    export mixes form versions: those rows are excluded); refuses the file
    when every row that says so is.

    Example:
        >>> t = Table(pd.DataFrame(), "pre.csv", None)
        >>> got, keep = pd.Series([inst.id, "lama-2023"]), pd.Series([True, True])
        >>> check_instrument(got, pd.Series(["", ""]), inst, t, pd.Series([2, 3]), keep).tolist()
        [False, True]
    """
    bad = pd.Series(False, index=values.index)
    for col, got, want in (("instrument", values, inst.id),
                           ("instrument_version", versions, inst.version)):
        wrong = keep & (got != "") & (got != want)
        if wrong.any() and wrong.sum() == (keep & (got != "")).sum():
            first = wrong.idxmax()
            raise EvalToolsError(
                f"formulir untuk {col} '{got[first]}', bukan '{want}' (kunci jawaban berbeda)",
                file=table.name, row=int(rows[first]), column=col,
                fix=f"baca berkas ini dengan instrumen {got[first]}, atau kumpulkan ulang "
                    f"dengan formulir dari instrumen {inst.id} versi {inst.version}",
                problem_en=f"form made for {col} '{got[first]}', not '{want}' (different key)",
                fix_en="read it with its own instrument, or collect again with this one")
        bad |= wrong
    return bad


_SESSION_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-\d{4}-\d{2}-\d{2}")


def session_from_name(text: str) -> str | None:
    """A session id in a file or folder name: a slug ending in its date
    ("loa-janan-2024-11-22"), with a wave word around it allowed
    ("pre-loa-janan-2024-11-22"); an export name with a date in it is not one.

    Example:
        >>> session_from_name("post_loa-janan-2024-11-22"), session_from_name("Downloads")
        ('loa-janan-2024-11-22', None)
    """
    tokens = [t for t in re.split(r"[-_ ]+", text.lower()) if t]
    while tokens and (tokens[0] in WAVE_OF or tokens[0] in ("test", "tes")):
        tokens = tokens[1:]
    while tokens and (tokens[-1] in WAVE_OF or tokens[-1] in ("test", "tes")):
        tokens = tokens[:-1]
    slug = "-".join(tokens)
    return slug if _SESSION_ID.fullmatch(slug) else None


def wave_from_name(text: str) -> str | None:
    """The one wave a file name names ("pre", "Post-test", "tes_akhir"), or
    None when it names none or two.

    Example:
        >>> wave_from_name("Tes Awal - Responses"), wave_from_name("pre-post.csv")
        ('pre', None)
    """
    tokens = re.split(r"[^a-z0-9]+", text.lower())
    found = {WAVE_OF[t] for t in tokens if t in WAVE_OF}
    found |= {WAVE_OF[a + "_" + b] for a, b in zip(tokens, tokens[1:]) if a + "_" + b in WAVE_OF}
    return found.pop() if len(found) == 1 else None


