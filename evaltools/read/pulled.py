"""Where a file fetched by ``evaltools pull`` came from: the server, the form,
the time of the pull and the number of submissions, kept beside the files in
the session folder's ``.evaltools-pull.json`` (hidden: readers skip dotfiles)
as {file name: record}. The reader puts them in ``Responses.sources``
(columns ``PULL_COLUMNS``, "" for a file that was not pulled).
"""

from __future__ import annotations

import json
from pathlib import Path

PULL_RECORD = ".evaltools-pull.json"
# the sources table's columns of a pulled file, and the record's keys behind them
PULL_COLUMNS = {"server": "server", "form": "form", "pulled_at": "pulled_at",
                "submissions": "submissions"}


def read_pull_records(folder) -> dict:
    """{file name: record} of the files pulled into ``folder``; {} when there
    are none or the record cannot be read (a damaged record loses only the
    provenance, never a file's rows).

    Example:
        >>> read_pull_records("data/sample/loa-janan-2024-11-22")
        {}
    """
    try:
        data = json.loads((Path(folder) / PULL_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # (json: a record nested thousands deep)
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, dict)}


def pull_columns(path, records: dict | None = None) -> dict:
    """The provenance columns of one file for the sources table: the server,
    form, time of the pull and number of submissions from its folder's
    record, each "" for a file that was not pulled. ``records`` is the
    folder's :func:`read_pull_records` when already read.

    Example:
        >>> pull_columns("kobo-aBcD1234-pre.csv", {"kobo-aBcD1234-pre.csv": {
        ...     "server": "https://kf.kobotoolbox.org", "form": "kobo aBcD1234",
        ...     "pulled_at": "2024-11-22T10:05:11+00:00", "submissions": 35}})["submissions"]
        '35'
        >>> pull_columns("data/sample/loa-janan-2024-11-22/post-entri-kertas-sintetis.xlsx")["server"]
        ''
    """
    path = Path(path)
    if records is None:
        records = read_pull_records(path.parent)
    record = records.get(path.name, {})
    return {col: str(record.get(key, "")) for col, key in PULL_COLUMNS.items()}
