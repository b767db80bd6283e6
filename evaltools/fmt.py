"""How numbers appear to people: one module, so that one value prints one
way in the charts, the findings, the workbook's texts, the one-page PDF, the
recap and the notebooks.

- Rounded half up, as a person rounds: 12.5 -> 13. Python's own formatting
  (``f"{x:.0f}"``) rounds half to even and prints 12; a chart beside a tile
  must not disagree with it.
- Decimal comma in Indonesian (``lang="id"``, the default), point in English.
- A missing value (None, NaN, infinity) prints as "–" in a table cell, never
  as "nan"; in a sentence, a tile or a workbook value, a statistic that
  cannot be computed says why in words (:func:`uncomputable`).

Numbers in the Excel workbooks stay numbers with a number format; only the
texts that show a number come from here (and :func:`p_number_format`).

Example:
    >>> pct(100 * 4 / 32), pct(100 * 4 / 32, lang="en"), f"{100 * 4 / 32:.0f}%"
    ('13%', '13%', '12%')
    >>> points(15.7407), ci(12.4873, 18.9942), p(0.0004), date("2024-11-22")
    ('+15,7', 'IK 95% 12,5 s.d. 19,0', 'p < 0,001', '22 November 2024')
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

MISSING = "–"  # what a missing value prints as (an en dash)

_MONTHS = {"id": "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November "
                 "Desember".split(),
           "en": "January February March April May June July August September October November "
                 "December".split()}


# why a statistic cannot be computed, in words (Indonesian, English): the key
# is found from the data by ``findings.why_missing``
WHY = {"same_change": ("semua peserta berubah sama besar",
                       "every participant changed by the same amount"),
       "too_few": ("terlalu sedikit peserta berpasangan", "too few matched participants"),
       "at_top": ("skor pre-test sudah 100%, tidak ada ruang untuk naik",
                  "the pre-test score is already 100%, no room to rise"),
       "same_answers": ("semua jawaban sama", "every answer is the same"),
       "no_data": ("tidak ada data", "no data")}


def uncomputable(why: str = "", lang: str = "id") -> str:
    """What a statistic that cannot be computed says instead of a number:
    "tidak dapat dihitung" and the reason (a key of ``WHY`` or words).

    Example:
        >>> uncomputable("same_change"), uncomputable("at_top", "en")
        ('tidak dapat dihitung: semua peserta berubah sama besar', 'cannot be computed: the pre-test score is already 100%, no room to rise')
        >>> uncomputable()
        'tidak dapat dihitung'
    """
    head = "cannot be computed" if lang == "en" else "tidak dapat dihitung"
    words = WHY[why][lang == "en"] if why in WHY else why
    return f"{head}: {words}" if words else head


def missing(x) -> bool:
    """Whether ``x`` is no number to print (None, NaN, infinity, not a number).

    Example:
        >>> missing(float("inf")), missing(None), missing("x"), missing(0.0)
        (True, True, True, False)
    """
    return _missing(x)


def _missing(x) -> bool:
    try:
        return x is None or not math.isfinite(float(x))
    except (TypeError, ValueError):
        return True


def _comma(text: str, lang: str) -> str:
    return text.replace(".", ",") if lang == "id" else text


def num(x, digits: int = 1, lang: str = "id") -> str:
    """A number as a manager reads it: ``digits`` decimals, rounded half up
    (62.5 -> 63, not Python's half-to-even 62), decimal comma in Indonesian.

    The shortest text of the float is rounded (``repr``), so 2.675 gives
    2.68 as it reads, although the binary float is a hair below it.

    Example:
        >>> num(15.7407), num(15.7407, lang="en"), num(-1.346, 2), num(62.5, 0), num(2.675, 2)
        ('15,7', '15.7', '-1,35', '63', '2,68')
        >>> num(float("nan")), num(None)
        ('–', '–')
    """
    if _missing(x):
        return MISSING
    text = str(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP))
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]  # -0.04 rounds to 0.0, not to "-0.0"
    return _comma(text, lang)


def round_half_up(x, digits: int = 0) -> float:
    """``x`` rounded as it prints (half up, from its shortest text): the value
    words about a number are decided from (a d_z printed "0,80" is "besar").

    Example:
        >>> round_half_up(0.7996, 2), round_half_up(12.5), round_half_up(0.285, 2)
        (0.8, 13.0, 0.29)
    """
    if _missing(x):
        return float("nan")
    return float(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP))


def plain(x, lang: str = "id") -> str:
    """A number someone chose (a pass mark, a threshold), as written: up to
    two decimals, no trailing zeros.

    Example:
        >>> plain(70), plain(62.5), plain(0.05), plain(62.5, "en")
        ('70', '62,5', '0,05', '62.5')
    """
    text = num(x, 2, lang)
    return text if text == MISSING else text.rstrip("0").rstrip(",.")


def count(n, lang: str = "id") -> str:
    """A count, with the thousands separator of the language.

    Example:
        >>> count(52), count(1234567), count(1234567, "en")
        ('52', '1.234.567', '1,234,567')
    """
    if _missing(n):
        return MISSING
    text = f"{int(n):,}"
    return text.replace(",", ".") if lang == "id" else text


def pct(x, digits: int = 0, lang: str = "id") -> str:
    """A percentage (``x`` already in percent): "13%".

    Example:
        >>> pct(100 * 9 / 52), pct(12.5), pct(54.87, 1)
        ('17%', '13%', '54,9%')
    """
    text = num(x, digits, lang)
    return text if text == MISSING else text + "%"


def points(x, digits: int = 1, lang: str = "id") -> str:
    """A gain or change in points, with its sign: "+15,7", "-8", and "0"
    (no sign) where it rounds to zero.

    Example:
        >>> points(15.7407), points(-8.0, 0, "en"), points(0.04), points(0.4, 0)
        ('+15,7', '-8', '0,0', '0')
    """
    text = num(x, digits, lang)
    if text == MISSING or text.startswith("-") or not text.strip("0,."):
        return text
    return "+" + text


def p_value(value, lang: str = "id") -> str:
    """A p-value's digits: three decimals ("0,018"), "< 0,001" under 0.001,
    and four near 0.05, more where fewer would put it on the other side of
    0.05 than it is (0.0504 prints "0,0504": never "0,05" beside "tidak
    berubah nyata").

    Example:
        >>> p_value(0.0004), p_value(0.0179), p_value(0.0504), p_value(0.0496, "en")
        ('< 0,001', '0,018', '0,0504', '0.0496')
        >>> p_value(0.27), p_value(0.049996)
        ('0,270', '0,049996')
    """
    if _missing(value):
        return MISSING
    value = float(value)
    if value < 0.001:
        return "< " + num(0.001, 3, lang)
    digits = 4 if 0.045 <= value < 0.055 else 3
    while digits < 8 and (round_half_up(value, digits) < 0.05) != (value < 0.05):
        digits += 1
    return num(value, digits, lang)


def p(value, lang: str = "id") -> str:
    """A p-value in a sentence: "p < 0,001", else "p = " and :func:`p_value`.

    Example:
        >>> p(0.0004), p(0.0304, "en"), p(0.0049), p(0.18)
        ('p < 0,001', 'p = 0.030', 'p = 0,005', 'p = 0,180')
    """
    text = p_value(value, lang)
    return "p " + text if text.startswith("<") else "p = " + text


def bayes_factor(value, lang: str = "id") -> str:
    """A Bayes factor BF10: "> 1000" above 1000 (also where it passes
    double precision), "< 0,001" below 0.001, else two decimals under 10,
    one under 100, none up to 1000. One way everywhere (tables, sentences,
    workbook); its words: ``stats.bf_label``.

    Example:
        >>> bayes_factor(17.2589), bayes_factor(2.3e10), bayes_factor(0.3088), bayes_factor(float("inf"), "en")
        ('17,3', '> 1000', '0,31', '> 1000')
        >>> bayes_factor(0.0004), bayes_factor(341.44), bayes_factor(4.6)
        ('< 0,001', '341', '4,60')
    """
    if _missing(value) and not (isinstance(value, float) and value == float("inf")):
        return MISSING
    value = float(value)
    if value > 1000:
        return "> " + num(1000, 0, lang)
    if value < 0.001:
        return "< " + num(0.001, 3, lang)
    return num(value, 2 if value < 10 else 1 if value < 100 else 0, lang)


def excel_format(pattern: str, lang: str = "id") -> str:
    """An Excel number format for a workbook in ``lang``: the pattern is
    written with Excel's "." and "," and the Indonesian locale tag
    ``[$-421]`` makes Excel and LibreOffice show a decimal comma and a
    thousands point (12,5; 1.234), whatever the reader's own settings.

    Example:
        >>> excel_format("0.0"), excel_format("0.0", "en")
        ('[$-421]0.0', '0.0')
    """
    return f"[$-421]{pattern}" if lang == "id" else pattern


def pct_number_format(lang: str = "id") -> str:
    """The Excel format of a percentage kept in percent (12.5): whole
    percent with the sign, rounded half up as :func:`pct` ("13%").

    Example:
        >>> pct_number_format()
        '[$-421]0"%"'
    """
    return excel_format('0"%"', lang)


def p_number_format(lang: str = "id") -> str:
    """The Excel number format of a p-value column: a p under 0.001 shows
    "< 0,001" (a tiny p must not read as zero), the rest three decimals,
    with the decimal comma of the workbook's language (:func:`excel_format`).

    Example:
        >>> p_number_format(), p_number_format("en")
        ('[$-421][<0.001]"< 0,001";0.000', '[<0.001]"< 0.001";0.000')
    """
    return excel_format(f'[<0.001]"< {num(0.001, 3, lang)}";0.000', lang)


def ci_label(lang: str = "id", level: int = 95) -> str:
    """What a confidence interval is called: "IK 95%" (interval kepercayaan)
    or "95% CI".

    Example:
        >>> ci_label(), ci_label("en")
        ('IK 95%', '95% CI')
    """
    return f"IK {level}%" if lang == "id" else f"{level}% CI"


def ci(low, high, digits: int = 1, lang: str = "id", level: int = 95) -> str:
    """A confidence interval with its name: "IK 95% 12,5 s.d. 19,0"; the
    words keep a negative bound readable ("-12 s.d. -4", not "-12–-4").

    Example:
        >>> ci(12.4873, 18.9942), ci(-12, -4, 0, "en")
        ('IK 95% 12,5 s.d. 19,0', '95% CI -12 to -4')
    """
    between = " s.d. " if lang == "id" else " to "
    return f"{ci_label(lang, level)} {num(low, digits, lang)}{between}{num(high, digits, lang)}"


def date(value, lang: str = "id") -> str:
    """An ISO date as a manager reads it; anything else is returned as written.

    Example:
        >>> date("2024-11-22"), date("2024-11-22", "en"), date("akhir Nov")
        ('22 November 2024', '22 November 2024', 'akhir Nov')
    """
    try:
        d = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{d.day} {_MONTHS[lang][d.month - 1]} {d.year}"


_WORDS = {"id": "satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas".split()
          + ["dua belas"],
          "en": "one two three four five six seven eight nine ten eleven twelve".split()}
_SPANS = {"id": (("hari", "hari"), ("minggu", "minggu"), ("bulan", "bulan")),
          "en": (("day", "days"), ("week", "weeks"), ("month", "months"))}


def duration(days, lang: str = "id", *, words: bool = False) -> str:
    """A time after a session as people say it: days under two weeks, weeks
    under 28 days, then months of 30.44 days (rounded half up); ``words``
    writes one to twelve as words. Not a number: the missing mark.

    Example:
        >>> duration(28), duration(91, words=True), duration(10, "en"), duration(14, "en", words=True)
        ('1 bulan', 'tiga bulan', '10 days', 'two weeks')
    """
    if _missing(days):
        return MISSING
    days = int(days)
    unit, k = (0, days) if days < 14 else (1, round_half_up(days / 7)) if days < 28 else \
        (2, max(1.0, round_half_up(days / 30.44)))
    k = int(k)
    name = _SPANS[lang][unit][k != 1]
    number = _WORDS[lang][k - 1] if words and 1 <= k <= 12 else count(k, lang)
    return f"{number} {name}"


_COUNTS = ("n", "b", "c", "V")
_TWO = ("d_z", "g_z", "d_av", "g_s", "g_hake", "g_mean", "r_rb", "r_drop", "alpha", "difficulty",
        "discrimination", "tau2")


def _column_text(name: str, lang: str, digits: dict):
    """How a column of a table prints, from its name."""
    if name in digits:
        return lambda v: num(v, digits[name], lang)
    if name == "bf10":
        return lambda v: bayes_factor(v, lang)
    if name == "p" or name.startswith("p_"):
        return lambda v: p_value(v, lang)
    if name.startswith("pass_"):  # a pass rate: whole percent, as on the tile
        return lambda v: num(v, 0, lang)
    if name in _COUNTS or name.startswith("n_"):
        return lambda v: count(v, lang)
    if name.startswith(_TWO):
        return lambda v: num(v, 2, lang)
    return lambda v: num(v, 1, lang)


def table(df, lang: str = "id", digits: dict | None = None, instrument=None):
    """A table for people to read in a notebook: every number as text by
    the rules of this module, chosen by column name (counts "32", p-values
    :func:`p_value`, effect sizes and alphas two decimals, the rest one;
    ``digits`` overrides a column); yes/no as words; other text as it is.
    With ``instrument``, a table with an ``item`` column gets the item's
    number and short question beside it ("pertanyaan"), and a ``topic``
    column shows the topic's name instead of its id.

    Example:
        >>> t = table(ev.summary[["n", "mean_gain", "p_t", "d_z", "pass_pre"]])
        >>> t.iloc[0].tolist()
        ['52', '15,7', '< 0,001', '1,35', '17']
        >>> table(ev.items()[["item", "p"]], instrument=inst).iloc[0, :2].tolist()
        ['q01', '1. Undang-undang tentang ASN yang berlaku saat ini adalah:']
        >>> table(ev.items()[["item", "topic"]], instrument=inst)["topic"].iloc[0]
        'Dasar hukum'
    """
    digits = digits or {}
    yes_no = ("ya", "tidak") if lang == "id" else ("yes", "no")
    out = df.copy()
    for name in out.columns:
        col = out[name]
        if col.dtype == bool:
            out[name] = col.map(lambda v: yes_no[0] if v else yes_no[1])
        elif col.dtype.kind in "iuf":
            out[name] = col.map(_column_text(str(name), lang, digits))
    if instrument is not None and "topic" in out.columns:  # a topic's name, not its id
        names = {t.id: instrument.topic_label(t.id, lang) for t in instrument.topics}
        out["topic"] = out["topic"].map(lambda t: names.get(t, t))
    if instrument is not None and "item" in out.columns:
        at = list(out.columns).index("item") + 1
        out.insert(at, "pertanyaan" if lang == "id" else "question",
                   out["item"].map(lambda i: instrument.item_label(i, lang, 60)))
    return out


def show_in_full(rows: int = 1_000) -> None:
    """Tables in a notebook (and its HTML) shown whole: every column and
    every text in full, wrapping in its cell, and every row of a table of up
    to ``rows`` rows (pandas would cut a text at 50 characters with "..."
    and keep 10 rows of a table over 60). A longer table, the ledger of a
    session of thousands, shows ``rows`` of its rows, half from its top and
    half from its bottom, and its size: 120,000 ledger rows in full made a
    58 MB notebook and a 22 MB page.

    Example:
        >>> import pandas as pd
        >>> with pd.option_context("display.max_colwidth", 50, "display.max_rows", 60,
        ...                        "display.max_columns", 20, "display.min_rows", 10):
        ...     show_in_full()
        ...     [pd.get_option(o) for o in ("display.max_colwidth", "display.max_rows", "display.min_rows")]
        [None, 1000, 1000]
    """
    import pandas as pd
    for option in ("display.max_colwidth", "display.max_columns"):
        pd.set_option(option, None)
    for option in ("display.max_rows", "display.min_rows"):
        pd.set_option(option, rows)
