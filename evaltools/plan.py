"""How many participants a session needs to show a gain of G points.

``plan`` solves the paired t-test's power for n (R ``pwr::pwr.t.test(d = G /
sd, power = 0.8, type = "paired")$n``, rounded up); the SD of the gains is
given, or taken from the matched participants of the sessions in a data
folder (the bundled samples by default).

Example:
    >>> plan(gain=10, sd=15)
    20
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import fmt, stats
from .errors import EvalToolsError
from .instrument import load_instrument
from .project import paths
from .recap import recap


@lru_cache(maxsize=4)
def _gains_sd(data: str, instrument: str) -> tuple:
    r = recap(data, load_instrument(instrument))
    gains = [e.pairs.matched["pct_post"].to_numpy(float) - e.pairs.matched["pct_pre"].to_numpy(float)
             for e in r.sessions_only.values()]
    d = np.concatenate(gains) if gains else np.array([])
    d = d[~np.isnan(d)]
    return (float(np.std(d, ddof=1)) if len(d) > 1 else math.nan), len(d), len(gains)


def gains_sd(data=None, instrument=None) -> dict:
    """The SD of the score gains (post - pre, points) of every matched
    participant of the sessions in ``data`` (default: the bundled samples),
    follow-up surveys left out.

    Returns
    -------
    dict
        ``sd``, ``n`` (participants), ``sessions``, ``data`` (the folder).

    Example:
        >>> r = gains_sd()
        >>> round(r["sd"], 2), r["n"], r["sessions"]
        (11.65, 346, 3)
    """
    where = Path(data) if data is not None else paths()["sample"]
    sd, n, k = _gains_sd(str(where.resolve()), str(instrument or paths()["instrument"]))
    return {"sd": sd, "n": n, "sessions": k, "data": where}


def plan(gain: float, sd: float | None = None, power: float = 0.8, alpha: float = 0.05, *,
         data=None, instrument=None) -> int:
    """Participants (matched pairs) needed to detect a mean gain of ``gain``
    points with ``power`` at two-sided ``alpha``.

    Parameters
    ----------
    gain : float
        The gain to detect, in percentage points (> 0).
    sd : float, optional
        SD of the participants' gains; default: that of the sessions in
        ``data`` (``gains_sd``).
    power, alpha : float
        Default 0.8 and 0.05.
    data, instrument : path, optional
        Where the default SD comes from (default the bundled samples and
        the project's instrument).

    Returns
    -------
    int
        ceil(n), n the root of pwr's power equation (``stats.sample_size``),
        the same as ``ceiling(pwr.t.test(d = gain / sd, power = 0.8,
        type = "paired")$n)``. Plan for dropouts on top of it.

    Examples
    --------
    >>> plan(gain=5, sd=15), plan(gain=10, sd=15, power=0.9)
    (73, 26)
    """
    _check(gain, "gain", "--gain")
    if sd is None:
        sd = gains_sd(data, instrument)["sd"]
    _check(sd, "sd", "--sd")
    return stats.sample_size(gain / sd, power, alpha)["n"]


def _check(value, name: str, option: str) -> None:
    if value is None or not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
        raise EvalToolsError(f"{name} harus angka lebih dari 0, bukan {value!r}",
                             column=name, fix=f"beri {option} dengan angka positif, misalnya 10",
                             problem_en=f"{name} must be a number above 0, not {value!r}",
                             fix_en=f"give {option} a positive number, e.g. 10")


def plan_sentence(gain: float, sd: float, n: int, power: float = 0.8, alpha: float = 0.05,
                  lang: str = "id") -> str:
    """The answer of ``plan`` as one sentence.

    Example:
        >>> plan_sentence(10, 15, 20)
        'Untuk mendeteksi kenaikan 10,0 poin (simpangan baku kenaikan 15,0 poin) dengan daya uji 80% dan alpha 0,05 (dua sisi), sesi memerlukan 20 peserta yang mengikuti pre-test dan post-test, belum termasuk yang tidak ikut post-test.'
    """
    g, s = fmt.num(gain, 1, lang), fmt.num(sd, 1, lang)
    pw, a, k = fmt.pct(100 * power, 0, lang), fmt.num(alpha, 2, lang), fmt.count(n, lang)
    if lang == "en":
        return (f"To detect a gain of {g} points (SD of gains {s} points) with {pw} power at "
                f"alpha {a} (two-sided), a session needs {k} participants taking both the "
                "pre-test and the post-test, before allowing for dropouts.")
    return (f"Untuk mendeteksi kenaikan {g} poin (simpangan baku kenaikan {s} poin) dengan daya "
            f"uji {pw} dan alpha {a} (dua sisi), sesi memerlukan {k} peserta yang mengikuti "
            "pre-test dan post-test, belum termasuk yang tidak ikut post-test.")
