"""Which kind of sosialisasi teaches more: the post-test of the matched
participants of several sessions compared between sessions, or between the
values of a ``sesi.yaml`` key such as ``format`` (luring, daring, hibrida),
adjusted for the pre-test (one-way ANCOVA, ``evaltools.stats.ancova``), with
the assumption checks and the gain-score comparison (Welch) beside it, and
sentences for people in Bahasa Indonesia or English.

Example:
    >>> rc = et.recap("data/sample", inst)
    >>> c = compare_sessions(rc.evaluations, by="format")
    >>> c.means["group"].tolist(), c.n, len(c.pairs)
    (['hibrida', 'luring'], 346, 1)
    >>> c.sentences("en")[0][:47]
    'Adjusted for the pre-test score, hybrid session'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import fmt
from .compare import MIN_N
from .stats.ancova import ALPHA_CHECKS, ancova

DATA_COLUMNS = ["session", "group", "pct_pre", "pct_post"]
# the words for a format in English (sesi.yaml keeps the Indonesian value)
FORMAT_EN = {"luring": "in-person", "daring": "online", "hibrida": "hybrid"}


def by_word(by: str, lang: str = "id") -> str:
    """What is compared, as a word in a sentence ("sesi" for ``by="session"``).

    Example:
        >>> by_word("session"), by_word("session", "en"), by_word("format")
        ('sesi', 'session', 'format')
    """
    return "sesi" if by == "session" and lang != "en" else by


@dataclass(frozen=True)
class SessionComparison:
    """The comparison :func:`compare_sessions` returns: ``by``, the
    participants used (``data``: session, group, pct_pre, pct_post), the
    tidy frames of :func:`evaltools.stats.ancova.ancova` (``table``,
    ``means``, ``pairs``, ``checks``, ``gain``), the groups left out
    (``excluded``: under ``min_n``, names only) and the sessions without a
    value for ``by`` (``unlabelled``), and ``why`` no model could be fitted
    (None when it was)."""
    by: str
    data: pd.DataFrame
    table: pd.DataFrame
    means: pd.DataFrame
    pairs: pd.DataFrame
    checks: pd.DataFrame
    gain: pd.DataFrame
    excluded: tuple
    unlabelled: tuple
    why: str | None
    min_n: int = MIN_N

    @property
    def n(self) -> int:
        """Participants in the model (groups under ``min_n`` left out)."""
        return int(self.means["n"].sum()) if len(self.means) else 0

    def sentences(self, lang: str = "id") -> list:
        """The comparison for people: the adjusted difference, each failed
        assumption check with what it means, the gain comparison, and the
        groups left out.

        Example:
            >>> compare_sessions({"loa-janan-2024-11-22": ev}).sentences("en")
            ['No comparison by session: fewer than two groups with at least 5 matched participants.']
        """
        if self.why is not None:
            return [self._why(lang)] + self._left_out(lang)
        out = [self._headline(lang)]
        out += [check_sentence(r, self.by, lang) for r in self.checks.itertuples() if not r.passed]
        out.append(self._gain_sentence(lang))
        return out + self._left_out(lang)

    def _name(self, group: str, lang: str) -> str:
        if self.by == "format":
            return FORMAT_EN.get(group, group) if lang == "en" else group
        return group

    def _phrase(self, group: str, lang: str) -> str:
        """A group in a sentence: "sesi hibrida", "hybrid sessions", "session <id>"."""
        if lang != "en":
            return f"sesi {group}"
        return f"{self._name(group, lang)} sessions" if self.by == "format" else f"session {group}"

    def _headline(self, lang: str) -> str:
        en = lang == "en"
        m = self.means.sort_values("adj_mean", ascending=False)
        hi, lo = m.iloc[0], m.iloc[-1]
        both = [hi.group, lo.group]
        pair = self.pairs[self.pairs["group_a"].isin(both) & self.pairs["group_b"].isin(both)].iloc[0]
        diff = hi.adj_mean - lo.adj_mean
        eta = self.table.set_index("term").loc["group", "eta2_partial"]
        p_text = fmt.p(pair.p_holm, lang) + (" (Holm)" if len(self.pairs) > 1 else "")
        a, b = self._phrase(hi.group, lang), self._phrase(lo.group, lang)
        top = ((f"Adjusted for the pre-test score, {a} reached a mean post-test of "
                f"{fmt.num(hi.adj_mean, 1, lang)}, {fmt.num(diff, 1, lang)} points above {b} "
                f"({fmt.num(lo.adj_mean, 1, lang)}; {p_text}; partial eta squared "
                f"{fmt.num(eta, 2, lang)})") if en else
               (f"Setelah disesuaikan dengan skor pre-test, rata-rata post-test {a} "
                f"{fmt.num(hi.adj_mean, 1, lang)}, {fmt.num(diff, 1, lang)} poin lebih tinggi "
                f"daripada {b} ({fmt.num(lo.adj_mean, 1, lang)}; {p_text}; eta kuadrat "
                f"parsial {fmt.num(eta, 2, lang)})"))
        slopes = self.checks.set_index("check").loc["slopes", "passed"]
        if pair.p_holm < ALPHA_CHECKS and not slopes:
            return top + (": real by the ANCOVA, but its conditions do not hold (see below)." if en
                          else ": nyata menurut ANCOVA, tetapi syaratnya tidak terpenuhi (lihat di bawah).")
        if pair.p_holm < ALPHA_CHECKS:
            return top + (": a real difference." if en else ": perbedaan yang nyata.")
        return top + (": the difference is not clear (it may be chance)." if en else
                      ": perbedaannya tidak nyata (bisa karena kebetulan).")

    def _gain_sentence(self, lang: str) -> str:
        en = lang == "en"
        g = self.gain.iloc[0]
        if fmt.missing(g.p):
            return ("The gains cannot be compared by Welch's test: in a group every participant "
                    "gained the same." if en else "Kenaikan skor tidak dapat dibandingkan dengan uji "
                    "Welch: di satu kelompok semua peserta naik sama besar.")
        sure = g.p < ALPHA_CHECKS
        if g.test == "welch_t":
            a, b = (self._phrase(g, lang) for g in self.means["group"].iloc[:2])
            what = (f"the gain of {a} minus that of {b} is "
                    f"{fmt.points(g.estimate, 1, lang)} points ({fmt.ci(g.ci_low, g.ci_high, 1, lang)}; "
                    f"{fmt.p(g.p, lang)})" if en else
                    f"kenaikan {a} dikurangi kenaikan {b} {fmt.points(g.estimate, 1, lang)} "
                    f"poin ({fmt.ci(g.ci_low, g.ci_high, 1, lang)}; {fmt.p(g.p, lang)})")
        else:
            what = (f"Welch's F = {fmt.num(g.statistic, 2, lang)}, {fmt.p(g.p, lang)}" if en else
                    f"F Welch = {fmt.num(g.statistic, 2, lang)}, {fmt.p(g.p, lang)}")
        if en:
            return (f"Compared on the gains (post - pre, Welch, without assuming equal variances): "
                    f"{what}; {'the gains differ' if sure else 'no clear difference in gains'}.")
        return (f"Dibandingkan pada kenaikan skor (post - pre, uji Welch, tanpa asumsi ragam sama): "
                f"{what}; {'kenaikannya berbeda nyata' if sure else 'kenaikannya tidak berbeda nyata'}.")

    def _why(self, lang: str) -> str:
        k, by = fmt.count(self.min_n, lang), by_word(self.by, lang)
        if self.why == "groups":
            return (f"No comparison by {by}: fewer than two groups with at least {k} matched "
                    "participants." if lang == "en" else
                    f"Tidak ada perbandingan menurut {by}: kurang dari dua kelompok dengan "
                    f"sedikitnya {k} peserta berpasangan.")
        return (f"No comparison by {by}: too few participants, post-test scores all equal, or a "
                "group whose participants all had the same pre-test score." if lang == "en" else
                f"Tidak ada perbandingan menurut {by}: peserta terlalu sedikit, skor post-test "
                "semuanya sama, atau satu kelompok yang skor pre-test pesertanya sama semua.")

    def _left_out(self, lang: str) -> list:
        out = []
        if self.excluded:
            names = ", ".join(self._name(g, lang) for g in self.excluded)
            k = fmt.count(self.min_n, lang)
            out.append(f"Left out (fewer than {k} matched participants): {names}." if lang == "en" else
                       f"Tidak dibandingkan (kurang dari {k} peserta berpasangan): {names}.")
        if self.unlabelled:
            names = ", ".join(self.unlabelled)
            out.append(f"Sessions without '{self.by}' in sesi.yaml, left out: {names}." if lang == "en"
                       else f"Sesi tanpa '{self.by}' di sesi.yaml, tidak dibandingkan: {names}.")
        return out


def check_sentence(row, by: str, lang: str = "id") -> str:
    """What a failed assumption check of the ANCOVA means, in one sentence
    (``row``: a row of ``SessionComparison.checks``).

    Example:
        >>> row = pd.Series({"check": "levene", "statistic": 4.2, "p": 0.02})
        >>> check_sentence(row, "format", "en")[:44]
        'The spread of the residuals differs between '
    """
    p, by = fmt.p(row.p, lang), by_word(by, lang)
    if row.check == "slopes":
        return (f"The pre-test predicts the post-test differently in each {by} (slopes differ, {p}): "
                "the adjusted means are doubtful; rely on the gain comparison." if lang == "en" else
                f"Hubungan pre-test dengan post-test berbeda antar-{by} (kemiringan berbeda, {p}): "
                "rata-rata yang disesuaikan meragukan; pakai perbandingan kenaikan skor.")
    if row.check == "levene":
        return (f"The spread of the residuals differs between groups (Levene, {p}): the F test may "
                "mislead when group sizes differ much; see the gain comparison (Welch)." if lang == "en"
                else f"Sebaran residu berbeda antar-kelompok (Levene, {p}): uji F bisa menyesatkan bila "
                "ukuran kelompok jauh berbeda; lihat perbandingan kenaikan skor (Welch).")
    return (f"The residuals are not normally distributed (Shapiro-Wilk, {p}); with many participants "
            "the ANCOVA holds up, but check the gain comparison." if lang == "en" else
            f"Residu tidak berdistribusi normal (Shapiro-Wilk, {p}); dengan banyak peserta ANCOVA "
            "tetap cukup kuat, tetapi periksa perbandingan kenaikan skor.")


def session_scores(evaluations, by: str = "session") -> tuple:
    """The matched participants of every session (follow-up surveys and
    sessions without matched pairs skipped), one row each: session, group
    (the session id, or its ``sesi.yaml`` value of ``by``), pct_pre,
    pct_post; and the sessions without a value for ``by``.

    Example:
        >>> d, missing = session_scores({"loa-janan-2024-11-22": ev}, by="format")
        >>> d.groupby("group").size().to_dict(), missing
        ({'luring': 52}, ())
    """
    evaluations = getattr(evaluations, "evaluations", evaluations)
    frames, missing = [], []
    for sid, ev in evaluations.items():
        if ev.meta.get("tindak_lanjut_dari") or not len(ev.pairs.matched):
            continue
        group = sid if by == "session" else ev.meta.get(by)
        if group is None or str(group).strip() == "":
            missing.append(sid)
            continue
        m = ev.pairs.matched
        frames.append(pd.DataFrame({"session": sid, "group": str(group),
                                    "pct_pre": m["pct_pre"].to_numpy(float),
                                    "pct_post": m["pct_post"].to_numpy(float)}))
    data = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=DATA_COLUMNS)
    return data[DATA_COLUMNS], tuple(missing)


def compared_by(evaluations, key: str = "format") -> str:
    """What to compare sessions by: ``key`` (``format``) when at least two
    sessions with matched participants have different values of it in
    ``sesi.yaml``, else ``"session"`` (each session its own group).

    Example:
        >>> compared_by({"loa-janan-2024-11-22": ev})
        'session'
    """
    data, _ = session_scores(evaluations, key)
    return key if data["group"].nunique() >= 2 else "session"


def compare_sessions(evaluations, by: str = "session", *, min_n: int = MIN_N) -> SessionComparison:
    """Compare sessions (``by="session"``) or the values of a ``sesi.yaml``
    key (``by="format"``) on the post-test adjusted for the pre-test: R
    ``lm(pct_post ~ pct_pre + group)`` with ``car::Anova(type = 2)``,
    ``emmeans`` and Holm-adjusted pairs, the assumption checks and Welch on
    the gains (``evaltools.stats.ancova``; docs/statistics.md). Groups under
    ``min_n`` matched participants are left out and named.

    ``evaluations``: {session id: Evaluation}, e.g. ``recap(...).evaluations``
    (follow-up surveys are skipped), or the Recap itself.

    Example:
        >>> c = compare_sessions({"loa-janan-2024-11-22": ev}, by="session")
        >>> c.why, c.n
        ('groups', 0)
    """
    data, missing = session_scores(evaluations, by)
    r = ancova(data["pct_pre"], data["pct_post"], data["group"], min_n=min_n)
    kept = data[~data["group"].isin(r["excluded"])].reset_index(drop=True)
    return SessionComparison(by=by, data=kept, table=r["table"], means=r["means"], pairs=r["pairs"],
                             checks=r["checks"], gain=r["gain"], excluded=tuple(r["excluded"]),
                             unlabelled=missing, why=r["why"], min_n=min_n)
