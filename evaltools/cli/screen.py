"""Text for a terminal 100 columns wide: long file names, details and advice
wrap under their first word instead of running off the screen."""

from __future__ import annotations

import textwrap
from pathlib import Path

WIDTH = 100


def wrap(text: str, first: str = "", rest: str | None = None, width: int = WIDTH) -> str:
    """``text`` wrapped to ``width`` columns, the first line starting with
    ``first`` and the others with ``rest`` (spaces as wide as ``first`` by
    default); a word longer than a line (a file name) is cut across lines.

    Example:
        >>> print(wrap("satu dua tiga empat", "[1] ", width=14))
        [1] satu dua
            tiga empat
    """
    rest = " " * len(first) if rest is None else rest
    return textwrap.fill(text, width=width, initial_indent=first, subsequent_indent=rest,
                         break_long_words=True, break_on_hyphens=False) or first.rstrip()


def shown(path) -> str:
    """A path as a person would type it: relative to the working directory
    when it is inside it, else absolute.

    Example:
        >>> shown(Path.cwd() / "data")
        'data'
    """
    p = Path(path).absolute()
    try:
        return str(p.relative_to(Path.cwd().absolute()))
    except ValueError:
        return str(p)
