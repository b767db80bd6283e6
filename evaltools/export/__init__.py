"""Files for managers: charts, ``ringkasan.xlsx``, the one-page
``ringkasan.pdf`` and the slides ``ringkasan.pptx`` of a session
(``session``, ``onepage``, ``slides``), and the recap's charts and
``rekap.xlsx`` (``recap``); aggregates only. What managers get is written
into the report folder's ``kirim/``; the rest stays with the evaluator.

No names, NIPs or codes leave through here; groups under the minimum size
are blanked with "n < 5"; every text cell is guarded against formula
injection (OWASP: a leading = + - @ tab CR LF gets an apostrophe). What the
modules share (the chart writer, the column specs, the table writer) is in
``common``; chart titles are the charts' own (``evaltools.charts.title``);
numbers in texts are written by ``evaltools.fmt``.

Example:
    >>> safe_text("=1+1"), [c.name for c in session_charts(ev)][-2:]
    ("'=1+1", ['lulus_kkm', 'pengecoh'])
"""

from __future__ import annotations

from .common import FORMATS, safe_text
from .onepage import write_onepage
from .recap import export_recap, write_recap_workbook
from .session import export_session, prepare_export, session_charts
from .slides import write_slides
from .workbook import pseudonym, write_workbook

__all__ = ["FORMATS", "export_recap", "export_session", "prepare_export", "pseudonym", "safe_text", "session_charts",
           "write_onepage", "write_recap_workbook", "write_slides", "write_workbook"]
