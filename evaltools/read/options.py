"""What a read is told beyond the files: the read options shared by
``read_responses`` and ``evaluate``, checked once when they are made.

Example:
    >>> opts = ReadOptions(wave="pre", columns={"Asal Instansi": "opd"})
    >>> opts.wave, dict(opts.columns)
    ('pre', {'Asal Instansi': 'opd'})
    >>> ReadOptions.of(opts, session="loa-janan-2024-11-22").session
    'loa-janan-2024-11-22'
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from ..errors import EvalToolsError
from .formats import FORMATS
from .provenance import WAVE_WORDS

# what a review status does: "exclude" rejected rows (on-hold ones flagged),
# "flag" both and keep them, "ignore" it
REVIEW = ("exclude", "flag", "ignore")


@dataclass(frozen=True)
class ReadOptions:
    """The read options (see ``read_responses``).

    ``wave`` and ``session`` fill in what the data does not say; ``columns``
    maps other headers to canonical ids (``None`` leaves a column out);
    ``registry`` is the OPD registry (a path or a DataFrame; None: data/opd.csv);
    ``anonymous=True`` reads a form that asked no name, NIP or code;
    ``format`` forces the tool that wrote the files (else detected per file);
    ``review`` says what a Kobo or ODK Central review status does (``REVIEW``):
    "exclude" (default: rejected rows out, on-hold rows flagged), "flag"
    (both kept and flagged) or "ignore".

    Each value is checked when the options are made, with the fix: an
    unknown wave or format, ``columns`` that is no mapping of headers to ids.

    Example:
        >>> try:
        ...     ReadOptions(wave="tengah")
        ... except EvalToolsError as err:
        ...     print(err.problem_en)
        unknown wave 'tengah'
    """
    wave: str | None = None
    session: str | None = None
    columns: Mapping[str, str | None] | None = None
    registry: str | os.PathLike | pd.DataFrame | None = field(default=None, compare=False)
    anonymous: bool = False
    format: str | None = None
    review: str = "exclude"

    def __post_init__(self):
        if self.wave is not None and self.wave not in WAVE_WORDS:
            raise EvalToolsError(f"gelombang {self.wave!r} tidak dikenal",
                                 fix="pakai pre, post atau followup",
                                 problem_en=f"unknown wave {self.wave!r}",
                                 fix_en="use pre, post or followup")
        if self.format is not None and self.format not in FORMATS:
            raise EvalToolsError(f"format {self.format!r} tidak dikenal",
                                 fix=f"pakai {', '.join(FORMATS)}",
                                 problem_en=f"unknown format {self.format!r}",
                                 fix_en=f"use {', '.join(FORMATS)}")
        if self.review not in REVIEW:
            raise EvalToolsError(f"review={self.review!r} tidak dikenal",
                                 fix=f"pakai {', '.join(REVIEW)}",
                                 problem_en=f"unknown review={self.review!r}",
                                 fix_en=f"use {', '.join(REVIEW)}")
        _check_type("session", self.session, str, "mis. session='loa-janan-2024-11-22'",
                    "e.g. session='loa-janan-2024-11-22'")
        _check_type("anonymous", self.anonymous, bool, "pakai True atau False", "use True or False")
        _check_type("registry", self.registry, (str, os.PathLike, pd.DataFrame),
                    "beri path berkas (mis. 'data/opd.csv') atau DataFrame",
                    "give a file path (e.g. 'data/opd.csv') or a DataFrame")
        if self.columns is not None:
            object.__setattr__(self, "columns", _frozen_columns(self.columns))

    @classmethod
    def of(cls, options: ReadOptions | None = None, **keywords) -> ReadOptions:
        """``options`` (default: none) with the keywords that were given put
        in; a keyword left at None (or ``anonymous=False``) changes nothing.

        Example:
            >>> opts = ReadOptions.of(None, wave="post", anonymous=False, review=None)
            >>> opts.wave, opts.anonymous, opts.review
            ('post', False, 'exclude')
        """
        given = {k: v for k, v in keywords.items() if v is not None and v is not False}
        if options is None:
            return cls(**given)
        if not isinstance(options, ReadOptions):
            raise EvalToolsError(f"options harus ReadOptions, bukan {type(options).__name__}",
                                 fix="mis. options=ReadOptions(wave='pre'), atau pakai kata kunci "
                                     "wave=..., session=...",
                                 problem_en=f"options must be ReadOptions, not {type(options).__name__}",
                                 fix_en="e.g. options=ReadOptions(wave='pre'), or use the keywords")
        return dataclasses.replace(options, **given) if given else options


def _check_type(name: str, value, kinds, fix: str, fix_en: str) -> None:
    if value is not None and not isinstance(value, kinds):
        raise EvalToolsError(f"{name}={value!r} tidak sah ({type(value).__name__})", fix=fix,
                             problem_en=f"{name}={value!r} is not valid ({type(value).__name__})",
                             fix_en=fix_en)


def _frozen_columns(columns) -> Mapping:
    """``columns`` as a read-only mapping of header text to a column id or None."""
    bad = None if isinstance(columns, Mapping) else columns
    if bad is None:
        bad = next(({k: v} for k, v in columns.items()
                    if not isinstance(k, str) or not (v is None or isinstance(v, str))), None)
    if bad is not None:
        raise EvalToolsError(
            f"columns={bad!r} tidak sah: harus berupa {{judul kolom: id kolom atau None}}",
            column=None, fix="mis. columns={'Asal Instansi': 'opd', 'TTD': None}",
            problem_en=f"columns={bad!r} is not valid: it must map a header to a column id or None",
            fix_en="e.g. columns={'Asal Instansi': 'opd', 'TTD': None}")
    return MappingProxyType(dict(columns))
