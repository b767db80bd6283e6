"""The row accounting of a read: every input row is kept or excluded with a
reason, and every repair or flag of a kept row is written down.

A :class:`Ledger` collects :class:`Entry` objects: one per check and file,
covering all the rows that check concerns (a column of a million answers
with ten bad ones is one entry of ten rows, not ten Python objects per
million). :meth:`Ledger.file` gives the :class:`FileLedger` one file's
checks write to (``exclude``, ``repair``, ``flag``); it knows which rows
are still kept. :meth:`Ledger.frame` gives ``Responses.ledger``.

The reasons, their actions and their texts are those of ``reasons.REASONS``.

Example:
    >>> ledger = Ledger()
    >>> rows = ledger.file("pre.csv", 2, 3)  # Excel rows 2, 3 and 4
    >>> rows.exclude(pd.Series([False, True, False]), "empty_row")
    >>> rows.repair(pd.Series([True, True, False]), "nip", "nip_cleaned")  # row 3 is gone
    >>> rows.close()
    >>> ledger.frame()[["row", "reason", "action"]].values.tolist()
    [[2, 'nip_cleaned', 'repaired'], [3, 'empty_row', 'excluded']]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .reasons import REASONS, detail as reason_detail

LEDGER_COLUMNS = ["source", "row", "column", "reason", "detail", "action"]


@dataclass(frozen=True)
class Entry:
    """One check's verdict on some rows of one file: ``rows`` are Excel row
    numbers; ``detail`` is one text for all of them or one per row."""
    source: str
    rows: np.ndarray
    column: str
    reason: str
    detail: str | np.ndarray
    action: str

    def without(self, drop: np.ndarray) -> Entry:
        """This entry without the rows where ``drop`` (one flag per row) is true."""
        keep = ~drop
        text = self.detail if isinstance(self.detail, str) else self.detail[keep]
        return Entry(self.source, self.rows[keep], self.column, self.reason, text, self.action)


class Ledger:
    """The accounting of every file of one read, in the order it was written."""

    def __init__(self):
        self.entries: list[Entry] = []

    def file(self, source: str, first_row: int, n: int) -> FileLedger:
        """The ledger of one file of ``n`` rows, the first at Excel row ``first_row``."""
        return FileLedger(self, source, first_row, n)

    def add(self, entry: Entry) -> None:
        """Keep ``entry`` (an entry of no row is no entry)."""
        if len(entry.rows):
            self.entries.append(entry)

    def exclude_rows(self, source: str, rows, reason: str, details) -> None:
        """Exclude rows given by number (a row dropped after its file was read:
        a duplicate submission), each with its own detail."""
        _check_action(reason, "excluded")
        self.add(Entry(source, np.asarray(rows, dtype=np.int64), "", reason,
                       np.asarray(details, dtype=object), "excluded"))

    def forget(self, source: pd.Series, rows: pd.Series) -> None:
        """Drop the repairs and flags of these kept rows, which are then
        excluded (their exclusion is all the ledger says about them)."""
        gone = pd.Series(rows.to_numpy(dtype=np.int64)).groupby(source.to_numpy(dtype=object)).unique()
        kept = []
        for e in self.entries:
            if e.action != "excluded" and e.source in gone.index:
                e = e.without(np.isin(e.rows, gone[e.source]))
            if len(e.rows):
                kept.append(e)
        self.entries = kept

    def frame(self) -> pd.DataFrame:
        """The ledger as ``Responses.ledger``: one row per input row and
        reason, sorted by file and row (a row's entries in the order written)."""
        if not self.entries:
            return pd.DataFrame(columns=LEDGER_COLUMNS)
        sizes = [len(e.rows) for e in self.entries]

        def each(attr):
            return np.repeat(np.array([getattr(e, attr) for e in self.entries], dtype=object), sizes)
        details = np.concatenate([np.full(len(e.rows), e.detail, dtype=object)
                                  if isinstance(e.detail, str) else e.detail for e in self.entries])
        led = pd.DataFrame({"source": each("source"),
                            "row": np.concatenate([e.rows for e in self.entries]).astype(np.int64),
                            "column": each("column"), "reason": each("reason"), "detail": details,
                            "action": each("action")})
        return led.sort_values(["source", "row"], kind="stable").reset_index(drop=True)


class FileLedger:
    """The ledger of one file whose ``n`` rows start at Excel row
    ``first_row``: which rows are still kept, and the entries its checks
    write. Exclusions go to the :class:`Ledger` at once; repairs and flags
    wait for :meth:`close`, which keeps those of rows still kept (a row
    excluded later in the checks is accounted for by its exclusion only).
    ``keep`` is True for each row still kept; the masks the checks give are
    Series on the same index (0 to n - 1)."""

    def __init__(self, ledger: Ledger, source: str, first_row: int, n: int):
        self.ledger, self.source, self.first_row = ledger, source, first_row
        self.keep = pd.Series(True, index=pd.RangeIndex(n))
        self._pending: list[Entry] = []

    def exclude(self, mask: pd.Series, reason: str, column: str = "", detail=None, **facts) -> None:
        """Exclude the rows of ``mask`` still kept, for ``reason``. ``detail``:
        one text per row (an array or Series as long as ``mask``), else the
        reason's text filled with ``facts``."""
        mask = mask & self.keep
        self.ledger.add(self._entry(mask, column, reason, detail, facts, "excluded"))
        self.keep[mask] = False

    def repair(self, mask: pd.Series, column: str, reason: str, detail=None, **facts) -> None:
        """A value of ``column`` changed in the rows of ``mask`` (see ``exclude``)."""
        self._pending.append(self._entry(mask & self.keep, column, reason, detail, facts, "repaired"))

    def flag(self, mask: pd.Series, column: str, reason: str, detail=None, **facts) -> None:
        """Rows of ``mask`` kept as they are but worth a look (see ``exclude``)."""
        self._pending.append(self._entry(mask & self.keep, column, reason, detail, facts, "flagged"))

    def _entry(self, mask: pd.Series, column: str, reason: str, detail, facts: dict, action: str) -> Entry:
        _check_action(reason, action)
        at = np.flatnonzero(mask.to_numpy(dtype=bool))
        text = reason_detail(reason, **facts) if detail is None else _at(detail, at)
        return Entry(self.source, (at + self.first_row).astype(np.int64), column, reason, text, action)

    def close(self) -> None:
        """Write the repairs and flags of the rows kept to the end."""
        gone = ~self.keep.to_numpy(dtype=bool)
        for entry in self._pending:
            self.ledger.add(entry.without(gone[entry.rows - self.first_row]))
        self._pending = []


def _at(detail, at: np.ndarray) -> np.ndarray:
    """The texts of ``detail`` (a Series, array or list, one per row) at the
    positions ``at``, as objects: only those converted, not the whole column."""
    if isinstance(detail, pd.Series):
        detail = detail.array
    if isinstance(detail, np.ndarray):
        return np.asarray(detail[at], dtype=object)
    if hasattr(detail, "take"):  # a pandas extension array
        return np.asarray(detail.take(at), dtype=object)
    return np.asarray(detail, dtype=object)[at]


def _check_action(reason: str, action: str) -> None:
    """The catalogue decides what a reason does: a check cannot repair a row
    for a reason that excludes it."""
    if REASONS[reason].action != action:
        raise ValueError(f"ledger reason {reason!r} is {REASONS[reason].action}, not {action}")
