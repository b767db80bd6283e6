"""What the commands share: the default paths, the parser every sub-command
gets (each option's help ends with its default), the options several commands
take, and the user's language.

The defaults come from ``evaltools.project.paths()``: absolute, found from the
repository root whatever the working directory, so ``evaltools report`` run
from ``C:\\Users\\...\\Documents`` reads the same instrument and writes to the
same ``reports/`` as one run in the repository.
"""

from __future__ import annotations

import argparse
import textwrap

import pandas as pd

from ..project import paths, root
from ..read.options import REVIEW

DEFAULT_INSTRUMENT = str(paths()["instrument"])


def defaults() -> dict:
    """The default paths of the command options, as text: ``instrument``,
    ``registry``, ``data`` (the user's sessions), ``sample``, ``reports``,
    ``forms`` and ``notebooks``.

    Example:
        >>> from pathlib import Path
        >>> Path(defaults()["data"]).name, Path(defaults()["forms"]).parts[-2:]
        ('data', ('survey', 'forms'))
    """
    top = root()
    found = {k: str(v) for k, v in paths().items()}
    return {**found, "forms": str(top / "survey" / "forms"), "notebooks": str(top / "notebooks")}


def say(lang: str, id_text: str, en_text: str) -> str:
    """The text in the user's language.

    Example:
        >>> say("en", "selesai", "done")
        'done'
    """
    return en_text if lang == "en" else id_text


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Help where every option that has a default says it, in both languages
    ("(bawaan / default: reports)"); descriptions and epilogs keep their line
    breaks, each line wrapped to the terminal.

    Example:
        >>> p = Parser(prog="x")
        >>> _ = p.add_argument("--out", default="reports", help="folder hasil / output folder")
        >>> "folder hasil / output folder (bawaan / default: reports)" in " ".join(p.format_help().split())
        True
    """

    def _split_lines(self, text, width):
        # a path is never broken, at its hyphens or anywhere (".../netralitas-asn-pilkada-2024.yaml")
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False,
                             break_long_words=False)

    def _fill_text(self, text, width, indent):
        # each line wrapped on its own; an indented line (a table of commands) kept as it is
        return "\n".join(line if line[:1].isspace() or not line else textwrap.fill(
            line, width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False,
            break_long_words=False)
            for line in text.splitlines())

    def _get_help_string(self, action):
        text = action.help or ""
        # a help that names its default itself ("(default id)") is not told it twice
        if ("default" in text.lower() or action.default in (None, False, argparse.SUPPRESS)
                or (not action.option_strings and action.nargs not in ("?", "*"))):
            return text
        return text + " (bawaan / default: %(default)s)"


class Parser(argparse.ArgumentParser):
    """The parser of ``evaltools`` and of each sub-command: ``HelpFormatter`` unless told otherwise."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


def table(df, columns, lang: str | None = None) -> str:
    """A DataFrame as plain text for the terminal, every row and column (an
    empty one: "(tidak ada)", "(none)", or both without ``lang``)."""
    if df.empty:
        return "  " + (say(lang, "(tidak ada)", "(none)") if lang else "(tidak ada / none)")
    with pd.option_context("display.max_rows", None, "display.max_columns", None,
                           "display.width", 200, "display.max_colwidth", 70):
        return df[columns].to_string(index=False)


def lang_option(p) -> None:
    """``--lang``: the language of the command's own messages and of its output.

    Example:
        >>> p = Parser(prog="x")
        >>> lang_option(p)
        >>> p.parse_args([]).lang, p.parse_args(["--lang", "en"]).lang
        ('id', 'en')
    """
    p.add_argument("--lang", default="id", choices=["id", "en"],
                   help="bahasa pesan dan hasil: id = Bahasa Indonesia, en = English / language of "
                        "the messages and output")


def instrument_option(p) -> None:
    p.add_argument("--instrument", default=DEFAULT_INSTRUMENT,
                   help="berkas instrumen YAML (soal, kunci, KKM) / instrument file")


def notebook_options(p, notebook: str, out_help: str):
    """The options of ``report`` and ``recap``: where the sessions are, where
    the reports go, the instrument, the notebook, the language, ``--timpa`` and ``--review``."""
    found = defaults()
    p.add_argument("--data", default=found["data"],
                   help="folder berisi satu folder per sesi (sesi Anda; contoh: --data data/sample) / "
                        "folder of session folders (your sessions; the samples: --data data/sample)")
    p.add_argument("--out", default=found["reports"], help=out_help)
    instrument_option(p)
    p.add_argument("--notebook", default=str(root() / notebook),
                   help="notebook yang dijalankan papermill / the notebook papermill runs")
    lang_option(p)
    overwrite_option(p)
    review_option(p)


def review_option(p):
    p.add_argument("--review", default="exclude", choices=list(REVIEW),
                   help="status periksa Kobo/ODK Central: exclude = kiriman ditolak (Not Approved, "
                        "rejected) dikeluarkan, ditahan (On Hold, hasIssues) ditandai; flag = "
                        "keduanya dipakai dan ditandai; ignore = diabaikan / review status: exclude "
                        "rejected submissions, flag them, or ignore the status")


def overwrite_option(p):
    p.add_argument("--timpa", "--overwrite", dest="overwrite", action="store_true",
                   help="timpa juga berkas hasil yang tidak ditulis evaltools atau sudah diubah "
                        "(bawaan: tidak) / also replace output files evaltools did not write or that "
                        "were changed (default: no)")
