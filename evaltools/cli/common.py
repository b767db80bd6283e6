"""What the commands share: the default paths and the options every command takes."""

from __future__ import annotations

import pandas as pd

from ..read.options import REVIEW

DEFAULT_INSTRUMENT = "survey/netralitas-asn-pilkada-2024.yaml"


def say(lang: str, id_text: str, en_text: str) -> str:
    """The text in the user's language.

    Example:
        >>> say("en", "selesai", "done")
        'done'
    """
    return en_text if lang == "en" else id_text


def table(df, columns) -> str:
    """A DataFrame as plain text for the terminal, every row and column."""
    if df.empty:
        return "  (tidak ada / none)"
    with pd.option_context("display.max_rows", None, "display.max_columns", None,
                           "display.width", 200, "display.max_colwidth", 70):
        return df[columns].to_string(index=False)


def notebook_options(p, notebook: str, out_help: str):
    p.add_argument("--data", default="data/sample",
                   help="folder berisi satu folder per sesi / folder of session folders")
    p.add_argument("--out", default="reports", help=out_help)
    p.add_argument("--instrument", default=DEFAULT_INSTRUMENT, help="berkas instrumen / instrument")
    p.add_argument("--notebook", default=notebook)
    p.add_argument("--lang", default="id", choices=["id", "en"], help="bahasa / language")
    overwrite_option(p)
    review_option(p)


def review_option(p):
    p.add_argument("--review", default="exclude", choices=list(REVIEW),
                   help="status periksa Kobo/ODK Central: exclude = kiriman ditolak (Not Approved, "
                        "rejected) dikeluarkan, ditahan (On Hold, hasIssues) ditandai; flag = "
                        "keduanya dipakai dan ditandai; ignore = diabaikan / review status: exclude "
                        "rejected submissions, flag them, or ignore the status (default exclude)")


def overwrite_option(p):
    p.add_argument("--timpa", "--overwrite", dest="overwrite", action="store_true",
                   help="timpa juga berkas hasil yang tidak ditulis evaltools atau sudah diubah / "
                        "also replace output files evaltools did not write or that were changed")


