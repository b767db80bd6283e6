"""The one error type the toolkit raises on bad input.

Every message names where the problem is (file, row as the user sees it
in Excel with the header as row 1, column) and what to do about it, in
Bahasa Indonesia, followed by an English line "(en) ..." (also ``message_en``).
"""

from __future__ import annotations

import os


class EvalToolsError(ValueError):
    """Bad input: a file, row or value the toolkit cannot use as it is.

    Attributes ``file``, ``row``, ``column``, ``line``, ``location``, ``problem`` and ``fix``
    hold the parts of the message; ``message_en`` is the English message. ``row`` is a
    row as a spreadsheet shows it ("baris 3" / "row 3"), ``line`` a line of a text
    file such as a YAML file ("baris 3" / "line 3").

    Example:
        >>> err = EvalToolsError("kolom butir tidak ada", file="pre.csv", row=1,
        ...                      column="q07", fix="tambahkan kolom q07",
        ...                      problem_en="item column missing", fix_en="add column q07")
        >>> print(err)
        pre.csv, baris 1, kolom q07: kolom butir tidak ada. Perbaikan: tambahkan kolom q07
        (en) pre.csv, row 1, column q07: item column missing. Fix: add column q07
    """

    def __init__(self, problem: str, *, file=None, row=None, column=None, line=None,
                 location: str | None = None, fix: str | None = None, problem_en: str | None = None,
                 fix_en: str | None = None):
        self.problem = problem
        self.file = os.fspath(file) if file is not None else None
        self.row = row
        self.column = column
        self.line = line
        self.location = location  # a place that is not a cell, e.g. "items[3] (q04)"
        self.fix = fix
        self.problem_en = problem_en or problem
        self.fix_en = fix_en or fix
        text = self._compose("id")
        if problem_en and self.message_en != text:  # the English line, for readers without Indonesian
            text += "\n(en) " + self.message_en
        super().__init__(text)

    def _where(self, lang: str) -> str:
        words = {"id": ("baris", "kolom", "baris"), "en": ("row", "column", "line")}[lang]
        parts = []
        if self.file is not None:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"{words[0]} {self.row}")
        if self.line is not None:
            parts.append(f"{words[2]} {self.line}")
        if self.column is not None:
            parts.append(f"{words[1]} {self.column}")
        if self.location is not None:
            parts.append(self.location)
        return ", ".join(parts)

    def _compose(self, lang: str) -> str:
        problem, fix = ((self.problem, self.fix) if lang == "id"
                        else (self.problem_en, self.fix_en))
        where = self._where(lang)
        text = f"{where}: {problem}" if where else problem
        if fix:
            text += (". Perbaikan: " if lang == "id" else ". Fix: ") + fix
        return text

    @property
    def message_en(self) -> str:
        """The same message in English."""
        return self._compose("en")
