"""The previous session of the same organiser and instrument, within the same
data folder: "dibanding sesi sebelumnya ...".

A session's previous one is the latest session folder beside it (follow-up
surveys left out) whose ``sesi.yaml`` names the same ``penyelenggara`` and
``instrumen`` and an earlier ``tanggal``. None of the four samples has one
(each has its own organiser).

Example:
    >>> previous_folder("data/sample/loa-janan-2024-11-22") is None
    True
"""

from __future__ import annotations

from pathlib import Path

from . import fmt
from .read import find_sessions, read_session_meta


def previous_folder(folder, meta: dict | None = None) -> Path | None:
    """The folder of the previous session of the same organiser and
    instrument (by ``tanggal``), or None.

    Example:
        >>> previous_folder("data/sample/kesbangpol-kaltim-2024-10-17") is None
        True
    """
    folder = Path(folder)
    meta = read_session_meta(folder) if meta is None else meta
    org, inst, date = (str(meta.get(k, "")) for k in ("penyelenggara", "instrumen", "tanggal"))
    if not (org and date):
        return None
    best = None
    for sid in find_sessions(folder.parent, kind="session"):
        other = folder.parent / sid
        if other.resolve() == folder.resolve():
            continue
        m = read_session_meta(other)
        same = str(m.get("penyelenggara", "")) == org and str(m.get("instrumen", "")) == inst
        when = str(m.get("tanggal", ""))
        if same and when and when < date and (best is None or when > best[0]):
            best = (when, other)
    return None if best is None else best[1]


def history_sentence(ev, prev, lang: str = "id") -> str:
    """One line comparing a session with its previous one: gain and pass
    rate after the session; no numbers when either is under min_n.

    Example:
        >>> history_sentence(ev, ev)[:30]
        'Dibanding sesi sebelumnya (Sos'
    """
    name = str(prev.meta.get("nama", "")) or prev.meta.get("id", "")
    when = fmt.date(prev.meta.get("tanggal", ""), lang)
    head = (f"Dibanding sesi sebelumnya ({name}, {when})" if lang == "id"
            else f"Compared with the previous session ({name}, {when})")
    now, before = ev.summary.iloc[0], prev.summary.iloc[0]
    if bool(now["suppressed"]) or bool(before["suppressed"]):
        return head + (": terlalu sedikit peserta untuk dibandingkan." if lang == "id"
                       else ": too few participants to compare.")
    gain = (fmt.points(now["mean_gain"], 1, lang), fmt.points(before["mean_gain"], 1, lang))
    passed = (fmt.pct(now["pass_post"], 0, lang), fmt.pct(before["pass_post"], 0, lang))
    if lang == "en":
        return (f"{head}: mean gain {gain[0]} points (then {gain[1]}), reaching the pass mark "
                f"after the session {passed[0]} (then {passed[1]}).")
    return (f"{head}: kenaikan rata-rata {gain[0]} poin (sebelumnya {gain[1]}), lulus KKM "
            f"sesudah sesi {passed[0]} (sebelumnya {passed[1]}).")
