"""Retention over one or more follow-up surveys of a session: the paired
trajectory pre -> post -> each follow-up, and its sentences.

The participants are a session's matched pairs (pre and post) found in each
follow-up survey (``Recap.triples``: NIP, code within the OPD, then name
within the OPD). Two sets of them are used, and both n are reported:

- the trajectory (``mean``, ``sd``, ``ci_low``, ``ci_high`` of each wave) is
  on the complete cases, ``n_complete``: the participants present at every
  wave, so the line joins the same people and a drop is forgetting, not a
  change in who answered;
- each follow-up is compared with the post-test on every participant
  present in both (``n_pair``, all available pairs): the paired t-test
  (R ``t.test(fu, post, paired = TRUE)``), the change with its 95% CI and
  d_z, and p Holm-adjusted across the follow-ups of the session
  (``p.adjust(p, "holm")``).

``n_available`` is how many of the session's participants answered each wave.
A trajectory of fewer than ``min_n`` complete cases is ``suppressed``; a
comparison of fewer than ``min_n`` pairs is ``suppressed_pair`` and left out
of the Holm family. The trajectory is also ``suppressed`` when a shown
comparison has 1 to ``min_n - 1`` more pairs than the complete cases: the
two sets of means side by side would give away those few people's scores.

Example:
    >>> w = pd.DataFrame({"pre": [50, 55, 60, 40, 45, 70.0], "post": [70, 75, 80, 60, 65, 85.0],
    ...                   "a": [65, 70, 72, 58, 60, 80.0], "b": [60, np.nan, 70, 50, 55, 78.0]})
    >>> t = trajectory(w, {"post": "2024-11-22", "a": "2024-12-20", "b": "2025-02-21"})
    >>> t[["wave", "days", "n_available", "n_complete", "n_pair"]].values.tolist()
    [['pre', 0, 6, 5, nan], ['post', 0, 6, 5, nan], ['a', 28, 6, 5, 6.0], ['b', 91, 5, 5, 5.0]]
    >>> t["change"].round(2).tolist()[2:], t["p_holm"].round(4).tolist()[2:]
    ([-5.0, -9.4], [0.0013, 0.0002])
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from . import fmt, stats
from ._lazy import lazy
from .compare import MIN_N

st = lazy("scipy.stats")

COLUMNS = ["session", "wave", "date", "days", "n_available", "n_complete", "mean", "sd",
           "ci_low", "ci_high", "kept_pct", "n_pair", "mean_post_pair", "mean_pair", "change",
           "change_ci_low", "change_ci_high", "t", "df", "p_t", "p_holm", "d_z", "suppressed",
           "suppressed_pair"]
SESSION_WAVES = ("pre", "post")


def wave_summary(x, *, confidence: float = 0.95) -> dict:
    """n, mean, SD and the t interval of the mean of ``x`` (NaN left out), as
    R ``mean(x)``, ``sd(x)``, ``t.test(x)$conf.int``.

    Example:
        >>> r = wave_summary([60, 70, 80, np.nan])
        >>> r["n"], r["mean"], r["sd"], round(r["ci_low"], 4), round(r["ci_high"], 4)
        (3, 70.0, 10.0, 45.1586, 94.8414)
    """
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    out = {"n": n, "mean": float(x.mean()) if n else math.nan,
           "sd": float(x.std(ddof=1)) if n > 1 else math.nan, "ci_low": math.nan,
           "ci_high": math.nan}
    if n > 1:
        half = float(st.t.ppf(0.5 + confidence / 2, n - 1)) * out["sd"] / math.sqrt(n)
        out.update(ci_low=out["mean"] - half, ci_high=out["mean"] + half)
    return out


def versus_post(post, later) -> dict:
    """A follow-up ``later`` against the post-test on the participants with
    both (NaN marks an absent one): the pairs' two means, the paired t-test
    of later - post (R ``t.test(later, post, paired = TRUE)``) and d_z.

    Example:
        >>> r = versus_post([70, 75, 80, 60, np.nan], [65, 70, 72, 61, 50])
        >>> r["n_pair"], r["mean_post_pair"], r["change"], round(r["p_t"], 4), round(r["d_z"], 3)
        (4, 71.25, -4.25, 0.1098, -1.126)
    """
    post, later = np.asarray(post, dtype=float), np.asarray(later, dtype=float)
    both = ~np.isnan(post) & ~np.isnan(later)
    t = stats.paired_ttest(post[both], later[both])
    n = int(both.sum())
    return {"n_pair": n, "mean_post_pair": float(post[both].mean()) if n else math.nan,
            "mean_pair": float(later[both].mean()) if n else math.nan, "change": t["mean_diff"],
            "change_ci_low": t["ci_low"], "change_ci_high": t["ci_high"], "t": t["t"],
            "df": t["df"], "p_t": t["p"], "d_z": stats.cohen_dz(post[both], later[both])["d_z"]}


def days_between(start, end) -> float:
    """Days from ``start`` to ``end`` (ISO dates), NaN when either is not a date.

    Example:
        >>> days_between("2024-11-22", "2025-02-21"), days_between("2024-11-22", "akhir Februari")
        (91, nan)
    """
    try:
        return (dt.date.fromisoformat(str(end)) - dt.date.fromisoformat(str(start))).days
    except ValueError:
        return math.nan


def trajectory(wide: pd.DataFrame, dates: dict, *, session: str = "",
               min_n: int = MIN_N) -> pd.DataFrame:
    """The trajectory of one session's participants: ``wide`` has one row per
    participant and the columns ``pre``, ``post`` and one per follow-up in
    date order (percent correct, NaN where absent); ``dates`` the ISO date of
    ``post`` (the session) and of each follow-up. One row per wave with the
    columns ``COLUMNS`` (module docstring); ``kept_pct`` is the share of the
    session's gain still there at a follow-up, on the complete cases:
    100 (follow-up - pre) / (post - pre), NaN without a gain.

    Example:
        >>> w = pd.DataFrame({"pre": [50.0] * 4, "post": [70, 72, 74, 76.0], "a": [60, 65, 66, 70.0]})
        >>> t = trajectory(w, {"post": "2024-11-22", "a": "2024-12-20"})
        >>> t[["n_complete", "suppressed"]].values.tolist()[0], round(float(t["kept_pct"].iloc[2]), 1)
        ([4, True], 66.3)
    """
    complete = wide.dropna()
    rows = []
    for wave in wide.columns:
        s = wave_summary(complete[wave])
        row = {"session": session, "wave": wave, "date": str(dates.get(wave, dates.get("post", ""))),
               "days": 0 if wave in SESSION_WAVES else days_between(dates.get("post"), dates.get(wave)),
               "n_available": int(wide[wave].notna().sum()), "n_complete": len(complete),
               **{k: s[k] for k in ("mean", "sd", "ci_low", "ci_high")}}
        if wave not in SESSION_WAVES:
            row |= versus_post(wide["post"], wide[wave])
        rows.append(row)
    out = pd.DataFrame(rows, columns=COLUMNS)
    later = ~out["wave"].isin(SESSION_WAVES)
    pre, post = out["mean"].iloc[0], out["mean"].iloc[1]  # the columns start with pre, post
    out["kept_pct"] = 100 * (out["mean"] - pre) / (post - pre) if post > pre else math.nan
    out.loc[~later, "kept_pct"] = math.nan
    out["suppressed_pair"] = later & (out["n_pair"].fillna(0) < min_n)
    gap = out.loc[later & ~out["suppressed_pair"], "n_pair"] - len(complete)
    out["suppressed"] = (len(complete) < min_n) or bool(((gap > 0) & (gap < min_n)).any())
    family = later & ~out["suppressed_pair"] & out["p_t"].notna()
    out["p_holm"] = math.nan
    out.loc[family, "p_holm"] = stats.adjust_p(out.loc[family, "p_t"].to_numpy(float), "holm")
    out["days"] = out["days"].astype(float if out["days"].isna().any() else int)
    return out


def _change_sentence(r, lang: str, holm: bool) -> str:
    """One follow-up against the post-test, as a manager reads it (``holm``:
    the p is Holm's, the session having more than one follow-up shown)."""
    en = lang == "en"
    when = fmt.duration(r["days"], lang, words=True)
    head = (f"{when} after the session ({fmt.date(r['date'], lang)})" if en else
            f"{when} setelah sosialisasi ({fmt.date(r['date'], lang)})") if when != fmt.MISSING \
        else (f"At the follow-up survey {survey_name(r, lang)}" if en else
              f"Pada survei tindak lanjut {survey_name(r, lang)}")
    head = head[0].upper() + head[1:]
    n = fmt.count(r["n_pair"], lang)
    means = f"{fmt.num(r['mean_post_pair'], 0, lang)} → {fmt.num(r['mean_pair'], 0, lang)}"
    if fmt.missing(r["p_holm"]):  # every participant changed by the same amount: no test
        why = fmt.uncomputable("same_change", lang)
        return (f"{head}, the score of {n} participants changed by "
                f"{fmt.points(r['change'], 1, lang)} points from the post-test ({means}; test {why})."
                if en else f"{head}, skor {n} peserta berubah {fmt.points(r['change'], 1, lang)} "
                f"poin dari post-test ({means}; uji {why}).")
    detail = f"{means}; {fmt.ci(r['change_ci_low'], r['change_ci_high'], 1, lang)}; " \
        + holm_p(r["p_holm"], lang, family=2 if holm else 1)
    size = fmt.num(abs(r["change"]), 1, lang)
    if r["p_holm"] >= 0.05:
        return (f"{head}, the score of {n} participants showed no clear change from the post-test "
                f"({detail})." if en else
                f"{head}, skor {n} peserta tidak berubah nyata dari post-test ({detail}).")
    if en:
        word = "lower" if r["change"] < 0 else "higher"
        return f"{head}, the score of {n} participants was {size} points {word} than at the post-test ({detail})."
    word = "turun" if r["change"] < 0 else "naik"
    return f"{head}, skor {n} peserta {word} {size} poin dari post-test ({detail})."


def trajectory_sentences(rows: pd.DataFrame, lang: str = "id", *, min_n: int = MIN_N) -> list:
    """One session's ``trajectory`` in sentences for managers: each
    follow-up against the post-test, then the line of the complete cases.
    Groups under ``min_n`` are named without numbers.

    Example:
        >>> w = pd.DataFrame({"pre": [50, 55, 60, 40, 45, 70.0], "post": [70, 75, 80, 60, 65, 85.0],
        ...                   "a": [65, 70, 72, 58, 60, 80.0], "b": [60, np.nan, 70, 50, 55, 78.0]})
        >>> t = trajectory(w, {"post": "2024-11-22", "a": "2024-12-20", "b": "2025-02-21"})
        >>> print("\\n".join(trajectory_sentences(t)))
        Satu bulan setelah sosialisasi (20 Desember 2024), skor 6 peserta turun 5,0 poin dari post-test (73 → 68; IK 95% -7,0 s.d. -3,0; p Holm = 0,001).
        Tiga bulan setelah sosialisasi (21 Februari 2025), skor 5 peserta turun 9,4 poin dari post-test (72 → 63; IK 95% -11,1 s.d. -7,7; p Holm < 0,001).
        Lintasan bersama tidak ditampilkan: bedanya dengan perbandingan di atas kurang dari 5 peserta, sehingga skor mereka dapat dihitung.
    """
    en = lang == "en"
    later = rows[~rows["wave"].isin(SESSION_WAVES)]
    holm = int(later["p_holm"].notna().sum()) > 1
    out = []
    for _, r in later.iterrows():
        if r["suppressed_pair"]:
            out.append(f"Fewer than {min_n} participants took the post-test and the follow-up survey "
                       f"{survey_name(r, lang)}: not shown." if en else
                       f"Kurang dari {min_n} peserta mengisi post-test dan survei tindak lanjut "
                       f"{survey_name(r, lang)}: tidak ditampilkan.")
        else:
            out.append(_change_sentence(r, lang, holm))
    if len(later) > 1:  # with one follow-up the line is the comparison above
        out.append(_line_sentence(rows, lang, min_n))
    return out


def _line_sentence(rows: pd.DataFrame, lang: str, min_n: int) -> str:
    """The complete cases' means, wave by wave."""
    en = lang == "en"
    if rows["suppressed"].iloc[0] and rows["n_complete"].iloc[0] >= min_n:
        return ("The common line is not shown: it differs from the comparisons above by fewer than "
                f"{min_n} participants, whose scores it would give away." if en else
                "Lintasan bersama tidak ditampilkan: bedanya dengan perbandingan di atas kurang dari "
                f"{min_n} peserta, sehingga skor mereka dapat dihitung.")
    if rows["suppressed"].iloc[0]:
        return (f"Fewer than {min_n} participants took every test: no common line is shown."
                if en else f"Kurang dari {min_n} peserta mengisi semua tes: lintasan bersama "
                "tidak ditampilkan.")
    means = " → ".join(fmt.num(m, 0, lang) for m in rows["mean"])
    names = ", ".join(wave_label(r, lang) for _, r in rows.iterrows())
    n = fmt.count(rows["n_complete"].iloc[0], lang)
    return (f"Among the {n} participants who took every test, the mean score went {means} ({names})."
            if en else f"Di antara {n} peserta yang mengisi semua tes, skor rata-rata {means} ({names}).")


def holm_p(value, lang: str = "id", *, family: int = 2) -> str:
    """A Holm-adjusted p in a sentence: "p Holm = 0,018", "Holm p < 0.001";
    a family of one is the plain p ("p = 0,018").

    Example:
        >>> holm_p(0.0183), holm_p(0.0002, "en"), holm_p(0.0183, family=1)
        ('p Holm = 0,018', 'Holm p < 0.001', 'p = 0,018')
    """
    text = fmt.p(value, lang)
    if family < 2:
        return text
    return "Holm " + text if lang == "en" else "p Holm" + text[1:]


def wave_label(r, lang: str = "id") -> str:
    """A wave's short name: "pre-test", "post-test", or the time after the
    session ("3 bulan"), else the follow-up's date.

    Example:
        >>> wave_label({"wave": "post", "days": 0}), wave_label({"wave": "x", "days": 91}, "en")
        ('post-test', '3 months')
    """
    if r["wave"] in SESSION_WAVES:
        return f"{r['wave']}-test"
    when = fmt.duration(r["days"], lang)
    return when if when != fmt.MISSING else survey_name(r, lang)


def survey_name(r, lang: str = "id") -> str:
    """A follow-up survey as a sentence names it: its date, or its folder
    id where ``sesi.yaml`` gives no date.

    Example:
        >>> survey_name({"wave": "tl-2025", "date": "2025-02-21"}), survey_name({"wave": "tl-2025", "date": ""})
        ('21 Februari 2025', 'tl-2025')
    """
    return fmt.date(r["date"], lang) if str(r.get("date", "")).strip() else str(r["wave"])
