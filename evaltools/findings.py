"""Results as short sentences for managers, in Bahasa Indonesia (English with
``lang="en"``): what a number means, not only the number.

Example:
    >>> attrition_sentence({"n_dropouts": 0, "n_pre": 40}, 5, lang="en")
    'All pre-test takers took the post-test.'
"""

from __future__ import annotations

import datetime as dt
import math

from . import fmt
from .stats import bf_label, cohen_label, hake_label

ALPHA_MIN = 0.6  # an attitude scale under this alpha is not judged
ROUGH_N = 20  # fewer matched participants: the estimate is rough


def attrition_sentence(a, min_n: int, lang: str = "id") -> str:
    """What the dropout comparison means, in one sentence for managers.

    Example:
        >>> attrition_sentence({"n_dropouts": 0, "n_pre": 40}, 5)
        'Semua peserta pre-test mengikuti post-test.'
    """
    en = lang == "en"
    n, n_pre = int(a["n_dropouts"]), int(a["n_pre"])
    if n == 0:
        return "All pre-test takers took the post-test." if en else \
            "Semua peserta pre-test mengikuti post-test."
    n_text, pre_text = fmt.count(n, lang), fmt.count(n_pre, lang)
    head = (f"{n_text} of {pre_text} pre-test takers did not take the post-test" if en else
            f"{n_text} dari {pre_text} peserta pre-test tidak mengikuti post-test")
    if n < min_n or bool(a.get("suppressed", False)) or a.get("p_welch") is None \
            or a["p_welch"] != a["p_welch"]:
        return head + ("; too few to compare their scores." if en else
                       "; terlalu sedikit untuk dibandingkan skornya.")
    if a["p_welch"] < 0.05 or a["p_mw"] < 0.05:
        lower = a["diff"] < 0
        return head + (f"; their pre-test scores were {'lower' if lower else 'higher'} than "
                       f"completers' (p < 0.05): the gain may be {'over' if lower else 'under'}stated."
                       if en else
                       f"; skor pre-test mereka {'lebih rendah' if lower else 'lebih tinggi'} "
                       f"daripada peserta yang lengkap (p < 0,05): kenaikan mungkin "
                       f"{'terlalu tinggi' if lower else 'terlalu rendah'} dibanding seluruh peserta.")
    return head + ("; their pre-test scores did not differ clearly from completers'." if en else
                   "; skor pre-test mereka tidak berbeda jelas dari peserta yang lengkap.")


def _points(x: float, lang: str) -> str:
    """A gain in points, one decimal: as the tile, the charts and the workbook print it."""
    return fmt.points(x, 1, lang)


def why_missing(r, key: str = "p_t") -> str:
    """Why the statistic ``key`` of a result row (``ev.summary``,
    ``ev.topics()``, ``ev.by(...)``) could not be computed, as a key of
    ``fmt.WHY``: fewer than two people, Hake's gain of a pre-test already at
    100%, else every participant changed by the same amount (no spread: no
    test, no d_z).

    Example:
        >>> why_missing({"n": 1}), why_missing({"n": 30, "mean_pre": 100.0}, "g_hake")
        ('too_few', 'at_top')
        >>> fmt.uncomputable(why_missing({"n": 56, "sd_gain": 0.0}, "d_z"))
        'tidak dapat dihitung: semua peserta berubah sama besar'
    """
    n = r.get("n", 2)
    if fmt.missing(n) or n < 2:
        return "too_few"
    if key in ("g_hake", "g_mean") and not fmt.missing(r.get("mean_pre")) and r["mean_pre"] >= 100:
        return "at_top"
    return "same_change"


def _gain(s, lang: str) -> str:
    en = lang == "en"
    pre, post, gain = fmt.pct(s["mean_pre"], 0, lang), fmt.pct(s["mean_post"], 0, lang), s["mean_gain"]
    ci = fmt.ci(s["ci_low"], s["ci_high"], 1, lang)
    d_z = fmt.num(s["d_z"], 2, lang)
    effect = (f"{cohen_label(s['d_z'], lang)} effect, d_z = {d_z}" if en else
              f"efek {cohen_label(s['d_z'], lang)}, d_z = {d_z}")
    if fmt.missing(s["p_t"]):  # every participant changed by the same amount: no test
        why = fmt.uncomputable(why_missing(s), lang)
        return (f"Average understanding: {pre} before, {post} after ({_points(gain, lang)} "
                f"points); the test and d_z {why}." if en else
                f"Rata-rata pemahaman peserta: {pre} sebelum, {post} sesudah ({_points(gain, lang)} "
                f"poin); uji statistik dan d_z {why}.")
    if not s["p_t"] < 0.05:
        return (f"Average understanding did not change clearly: {pre} before, {post} after "
                f"({_points(gain, lang)} points; {ci}; {fmt.p(s['p_t'], lang)})." if en else
                f"Rata-rata pemahaman peserta tidak berubah nyata: {pre} sebelum, {post} sesudah "
                f"({_points(gain, lang)} poin; {ci}; {fmt.p(s['p_t'], lang)}).") + \
            (" " + detectable_sentence(s, lang)).rstrip()
    up = gain > 0
    return (f"Average understanding {'rose' if up else 'fell'} from {pre} to {post} "
            f"({_points(gain, lang)} points; {ci}; {effect})." if en else
            f"Rata-rata pemahaman peserta {'naik' if up else 'turun'} dari {pre} menjadi {post} "
            f"({_points(gain, lang)} poin; {ci}; {effect}).")


def detectable_sentence(r, lang: str = "id") -> str:
    """What a result without a clear change can still say: the smallest gain
    its n could have shown (``min_detectable_gain``, 80% power) and the
    Bayes factor's words (``stats.bf_label``); "" when neither is known.

    Example:
        >>> detectable_sentence({"n": 6, "min_detectable_gain": 16.76, "bf10": 0.42})
        'Dengan 6 peserta, hanya kenaikan di atas 16,8 poin yang dapat terlihat (daya uji 80%); BF10 = 0,42: bukti anekdotal untuk tidak ada perubahan.'
    """
    en = lang == "en"
    parts = []
    if not fmt.missing(r.get("min_detectable_gain")):
        n, x = fmt.count(r["n"], lang), fmt.num(r["min_detectable_gain"], 1, lang)
        parts.append(f"With {n} participants, only gains above {x} points could have shown "
                     "(80% power)" if en else
                     f"Dengan {n} peserta, hanya kenaikan di atas {x} poin yang dapat terlihat "
                     "(daya uji 80%)")
    bf = r.get("bf10")
    if bf is not None and not (isinstance(bf, float) and math.isnan(bf)):
        parts.append(f"BF10 = {fmt.bayes_factor(bf, lang)}: {bf_label(bf, lang)}")
    return "; ".join(parts) + "." if parts else ""


def _unpaired(u, lang: str) -> str:
    clear = u["p_welch"] < 0.05
    ci = fmt.ci(u["ci_low"], u["ci_high"], 1, lang)
    pre, post = fmt.pct(u["mean_pre"], 0, lang), fmt.pct(u["mean_post"], 0, lang)
    n_pre, n_post = fmt.count(u["n_pre"], lang), fmt.count(u["n_post"], lang)
    if lang == "en":
        how = (f"went {'up' if u['diff'] > 0 else 'down'} from {pre}" if clear else
               f"did not differ clearly: {pre}")
        return (f"The average score {how} ({n_pre} pre-test takers) "
                f"{'to' if clear else 'and'} {post} ({n_post} post-test takers); "
                f"{_points(u['diff'], lang)} points, {ci}. Participants could not be matched, "
                "so this is weaker evidence than a paired comparison.")
    how = (f"{'naik' if u['diff'] > 0 else 'turun'} dari {pre}" if clear else
           f"tidak berbeda nyata: {pre}")
    return (f"Skor rata-rata {how} ({n_pre} peserta pre-test) "
            f"{'menjadi' if clear else 'dan'} {post} ({n_post} peserta post-test); "
            f"{_points(u['diff'], lang)} poin, {ci}. Peserta tidak dapat dipasangkan, jadi ini "
            "bukti yang lebih lemah daripada perbandingan berpasangan.")


def session_findings(ev, lang: str = "id") -> list:
    """The session's main results as short sentences for managers.

    ``ev`` is an :class:`~evaltools.evaluate.Evaluation`. Sentences: the gain
    with its CI and effect size, how many took both tests, the pass rate,
    the weakest topic after the session, the dropouts, the attitude scale,
    the reaction. A session with fewer than ``ev.min_n`` matched
    participants gets one sentence saying so, and no figures.

    Example:
        >>> session_findings(ev)[0]
        'Rata-rata pemahaman peserta naik dari 55% menjadi 71% (+15,7 poin; IK 95% 12,5 s.d. 19,0; efek besar, d_z = 1,35).'
        >>> session_findings(ev, "en")[2]
        'Participants reaching the pass mark (70) went from 17% to 56%.'
    """
    s = ev.summary.iloc[0]
    if bool(s["suppressed"]):
        u = ev.unpaired().iloc[0]
        if not bool(u["suppressed"]):  # anonymous forms: the unpaired result, said to be weaker
            return [_unpaired(u, lang)]
        n = fmt.count(s["n"], lang)
        return [f"Too few matched participants (n = {n}) to draw conclusions." if lang == "en" else
                f"Peserta yang mengikuti kedua tes terlalu sedikit (n = {n}) untuk disimpulkan."]
    return [_gain(s, lang), *_rough(ev, lang), _took_both(ev, lang), _passing(ev, lang),
            *filter(None, [hake_sentence(s, lang)]), _weakest_topic(ev, lang),
            attrition_sentence(ev.attrition().iloc[0], ev.min_n, lang), *_attitudes(ev, lang),
            *_reaction(ev, lang)]


def _took_both(ev, lang: str) -> str:
    s, u = ev.summary.iloc[0], ev.pairs.unmatched
    n_all = int(s["n"]) + int(u["reason"].isin(["no_post", "no_pre", "ambiguous"]).sum())
    n, n_all = fmt.count(s["n"], lang), fmt.count(n_all, lang)
    return (f"{n} of {n_all} participants took both tests." if lang == "en" else
            f"{n} dari {n_all} peserta mengikuti kedua tes.")


def _passing(ev, lang: str) -> str:
    s = ev.summary.iloc[0]
    kkm, pre, post = (fmt.plain(ev.instrument.passing_score, lang), fmt.pct(s["pass_pre"], 0, lang),
                      fmt.pct(s["pass_post"], 0, lang))
    return (f"Participants reaching the pass mark ({kkm}) went from {pre} to {post}." if lang == "en"
            else f"Peserta yang mencapai KKM {kkm}: {pre} sebelum, {post} sesudah.")


def _weakest_topic(ev, lang: str) -> str:
    topics = ev.topics()
    low = topics.loc[topics["mean_post"].idxmin()]
    label = ev.instrument.topic_label(low["topic"], lang)
    after, before = fmt.pct(low["mean_post"], 0, lang), fmt.pct(low["mean_pre"], 0, lang)
    en = lang == "en"
    tied = topics.loc[topics["mean_post"] == low["mean_post"], "topic"]
    if len(tied) == len(topics):  # no topic is the weakest (all at 100%, all blank)
        return (f"Every topic: {after} correct after the session." if en else
                f"Semua topik sama: {after} benar sesudah sosialisasi.")
    if len(tied) > 1:  # several share the lowest score: all of them are named
        names = ", ".join(f"'{ev.instrument.topic_label(t, lang)}'" for t in tied)
        return (f"Topics {names} are the weakest after the session ({after} correct)." if en else
                f"Topik {names} terendah sesudah sosialisasi ({after} benar).")
    move = ""
    if after != before:  # a change that shows in the printed numbers: is it significant?
        up, clear = low["mean_post"] > low["mean_pre"], bool(low["p_t"] < 0.05)
        p_text = fmt.p(low["p_t"], lang) if not fmt.missing(low["p_t"]) else \
            ("test " if en else "uji ") + fmt.uncomputable(why_missing(low), lang)
        if en:
            move = (f", clearly {'up' if up else 'down'} from {before}; {p_text}" if clear else
                    f", {'up' if up else 'down'} from {before} but not clearly; {p_text}")
        else:
            move = (f", {'naik' if up else 'turun'} nyata dari {before}; {p_text}" if clear else
                    f", {'naik' if up else 'turun'} dari {before} tetapi tidak nyata; {p_text}")
    if en:
        return f"Topic '{label}' is the weakest after the session ({after} correct{move})."
    return f"Topik '{label}' terendah sesudah sosialisasi ({after} benar{move})."


def _unreliable(r) -> float | None:
    """The lowest alpha of a scale row when it is under ``ALPHA_MIN`` as
    printed (two decimals), else None."""
    alphas = [a for a in (r.get("alpha_pre"), r.get("alpha_post")) if a == a and a is not None]
    low = min(alphas) if alphas else None
    return low if low is not None and fmt.round_half_up(low, 2) < ALPHA_MIN else None


def _attitudes(ev, lang: str) -> list:
    att = ev.attitudes()
    out = []
    # a scale answered by fewer than min_n: no sentence (it would be their values)
    for _, r in att[att["item"].str.startswith("skala_") & (att["n"] >= ev.min_n)].iterrows():
        scale = next(x for x in ev.instrument.scales if x.id == r["scale"])
        name = scale.label_en if lang == "en" else scale.label
        low = _unreliable(r)
        if low is not None:  # the answers do not hang together: no change is read from them
            a = fmt.num(low, 2, lang)
            out.append(f"{name} (1–5 scale): the statements do not measure one thing reliably "
                       f"(alpha {a}, under 0.6), so its change is not judged." if lang == "en" else
                       f"{name} (skala 1–5): pernyataannya belum cukup andal untuk dinilai "
                       f"(alpha {a}, di bawah 0,6), jadi perubahannya tidak disimpulkan.")
            continue
        out.append(_scale_change(name, r, lang))
    return out


def _scale_change(name: str, r, lang: str) -> str:
    """An attitude scale's change in one sentence; a test that cannot be
    computed (every answer the same before and after) says so."""
    pre, post = fmt.num(r["mean_pre"], 2, lang), fmt.num(r["mean_post"], 2, lang)
    if fmt.missing(r["p"]):
        why = fmt.uncomputable("same_change" if r["n"] >= 2 else "too_few", lang)
        return (f"{name} (1–5 scale) went from {pre} to {post} (test {why})." if lang == "en" else
                f"{name} (skala 1–5): {pre} sebelum, {post} sesudah (uji {why}).")
    moved = r["p"] < 0.05
    return (f"{name} (1–5 scale) went from {pre} to {post} ({fmt.p(r['p'], lang)}"
            f"{'' if moved else '; no clear change'})." if lang == "en" else
            f"{name} (skala 1–5): {pre} sebelum, {post} sesudah ({fmt.p(r['p'], lang)}"
            f"{'' if moved else '; tidak berubah nyata'}).")


def caveats(ev, lang: str = "id") -> list:
    """Where the numbers are weak, said in words: a session with fewer than
    ``ROUGH_N`` matched participants (the estimate is rough), an attitude
    scale whose alpha is under ``ALPHA_MIN`` (not reliable enough to judge).
    A session under ``ev.min_n`` gets no caveat: it has no numbers.

    Example:
        >>> caveats(ev)
        []
    """
    out = _rough(ev, lang)
    att = ev.attitudes()
    for _, r in att[att["item"].str.startswith("skala_") & (att["n"] >= ev.min_n)].iterrows():
        low = _unreliable(r)
        if low is None:
            continue
        scale = next(x for x in ev.instrument.scales if x.id == r["scale"])
        a = fmt.num(low, 2, lang)
        out.append(f"The scale '{scale.label_en}' is not reliable enough to judge (alpha {a}, "
                   "under 0.6)." if lang == "en" else
                   f"Skala '{scale.label}' belum cukup andal untuk dinilai (alpha {a}, di bawah 0,6).")
    return out


def _rough(ev, lang: str) -> list:
    s = ev.summary.iloc[0]
    out = []
    if not bool(s["suppressed"]) and int(s["n"]) < ROUGH_N:
        n = fmt.count(s["n"], lang)
        out.append(f"Only {n} participants took both tests (fewer than {ROUGH_N}): the figures "
                   "are a rough estimate." if lang == "en" else
                   f"Hanya {n} peserta mengikuti kedua tes (kurang dari {ROUGH_N}): angka-angka ini "
                   "perkiraan kasar.")
    return out


def hake_sentence(s, lang: str = "id") -> str:
    """Hake's normalised gain in words, saying which gain the band belongs
    to when the class gain (from the mean scores) and the mean of the
    individual gains fall in different bands; "" when they agree or one is missing.

    Example:
        >>> hake_sentence({"g_hake": 0.349, "g_mean": 0.28})
        'Gain ternormalisasi Hake: kelas 0,35 (sedang, dari skor rata-rata); rata-rata gain individu 0,28 (rendah).'
        >>> hake_sentence({"g_hake": 0.349, "g_mean": 0.33})
        ''
    """
    gc, gm = s["g_hake"], s["g_mean"]
    bc, bm = hake_label(gc, lang), hake_label(gm, lang)
    if not bc or not bm or bc == bm:
        return ""
    c, m = fmt.num(gc, 2, lang), fmt.num(gm, 2, lang)
    return (f"Hake's normalised gain: class {c} ({bc}, from the mean scores); mean of the "
            f"individual gains {m} ({bm})." if lang == "en" else
            f"Gain ternormalisasi Hake: kelas {c} ({bc}, dari skor rata-rata); rata-rata gain "
            f"individu {m} ({bm}).")


def _reaction(ev, lang: str) -> list:
    rea = ev.reaction()
    if not len(rea) or rea["n"].max() < ev.min_n:  # answered by fewer than min_n: no sentence
        return []
    agree = fmt.pct(100 * (rea[["n_4", "n_5"]].sum().sum()) / rea["n"].sum(), 0, lang)
    return [f"{agree} of the ratings of the session agree or strongly agree." if lang == "en" else
            f"{agree} penilaian peserta atas penyelenggaraan: setuju atau sangat setuju."]


def quality_sentence(ev, lang: str = "id") -> str:
    """The data-quality line of the one-page summary: rows read, used,
    excluded and repaired, who took only one test, and OPD names that are
    no registry OPD (counted, never charted: docs/opd.md).

    Example:
        >>> quality_sentence(ev)
        'Kualitas data: 114 baris dibaca, 108 dipakai, 6 dikeluarkan, 19 diperbaiki; 3 hanya pre-test, 1 hanya post-test. Rincian: ringkasan.xlsx, lembar Kualitas Data.'
    """
    q = ev.quality().set_index("description")["n"]
    n = {k: fmt.count(q[what], lang) for k, what in (
        ("read", "rows read"), ("kept", "rows kept"), ("excl", "rows excluded"), ("rep", "repairs"),
        ("pre", "pre-test only"), ("post", "post-test only"), ("amb", "not matched: ambiguous"),
        ("names", "OPD names not in the registry"),
        ("outside", "matched without a registry OPD"))}
    words = _QUALITY[lang]
    text = words[0].format(**n)
    if int(q["not matched: ambiguous"]):
        text += words[1].format(**n)
    if int(q["OPD names not in the registry"]):
        text += words[3].format(**n)
    return text + "." + words[2]


_QUALITY = {
    "id": ("Kualitas data: {read} baris dibaca, {kept} dipakai, {excl} dikeluarkan, {rep} diperbaiki; "
           "{pre} hanya pre-test, {post} hanya post-test", ", {amb} tidak dapat dicocokkan dengan pasti",
           " Rincian: ringkasan.xlsx, lembar Kualitas Data.",
           "; {names} nama OPD tidak ada di daftar OPD ({outside} peserta berpasangan tidak dihitung "
           "per OPD)"),
    "en": ("Data quality: {read} rows read, {kept} used, {excl} excluded, {rep} repaired; "
           "{pre} took only the pre-test, {post} only the post-test", ", {amb} could not be matched safely",
           " Details: ringkasan.xlsx, sheet Kualitas Data.",
           "; {names} OPD names not in the registry ({outside} matched participants not counted "
           "per OPD)"),
}


def retention_sentence(r, lang: str = "id") -> str:
    """One row of ``Recap.retention()`` in a sentence for managers.

    Example:
        >>> retention_sentence({"n": 40, "suppressed": False, "mean_pre": 54.8, "mean_post": 70.2,
        ...     "mean_followup": 63.6, "kept_pct": 57.2, "p_t": 0.001, "session": "loa-janan-2024-11-22",
        ...     "date_session": "2024-11-22", "date_followup": "2024-12-20"})
        'Pada survei tindak lanjut 28 hari setelah sesi loa-janan-2024-11-22, 40 peserta yang mengisi ketiga tes masih menyimpan 57% dari kenaikannya (skor 55 → 70 → 64; turun dari post-test, p = 0,001).'
    """
    en = lang == "en"
    try:
        days = (dt.date.fromisoformat(r["date_followup"]) - dt.date.fromisoformat(r["date_session"])).days
        days = fmt.count(days, lang)
        when = f"{days} days after" if en else f"{days} hari setelah"
    except (TypeError, ValueError):
        when = "after" if en else "setelah"
    n = fmt.count(r["n"], lang)
    if bool(r["suppressed"]):
        return (f"Too few participants took all three tests (n = {n}) to judge what was kept."
                if en else f"Peserta yang mengisi ketiga tes terlalu sedikit (n = {n}) untuk "
                "menilai retensi.")
    scores = " → ".join(fmt.num(r[k], 0, lang) for k in ("mean_pre", "mean_post", "mean_followup"))
    head = (f"At the follow-up survey {when} session {r['session']}, the {n} participants "
            "who took all three tests" if en else
            f"Pada survei tindak lanjut {when} sesi {r['session']}, {n} peserta yang mengisi "
            "ketiga tes")
    kept = r["kept_pct"]
    if kept != kept:  # no gain in the session: nothing to keep
        return head + (f" had shown no gain at the session (score {scores})." if en else
                       f" tidak menunjukkan kenaikan pada sesi itu (skor {scores}).")
    if fmt.missing(r["p_t"]):  # every participant kept the same share: no test
        why = fmt.uncomputable("same_change", lang)
        return head + (f" went from score {scores} (test of the change after the session {why})."
                       if en else f" skornya {scores} (uji perubahan sesudah sesi {why}).")
    moved = r["p_t"] < 0.05
    trend = ("down from" if r["mean_followup"] < r["mean_post"] else "up from") if moved else \
        "no clear change from"
    trend_id = ("turun dari" if r["mean_followup"] < r["mean_post"] else "naik dari") if moved else \
        "tidak berubah nyata dari"
    if en:
        what = "all of their gain" if kept >= 100 else f"{fmt.pct(kept, 0, lang)} of their gain"
        return head + f" kept {what} (score {scores}; {trend} the post-test, {fmt.p(r['p_t'], lang)})."
    what = "seluruh kenaikannya" if kept >= 100 else f"{fmt.pct(kept, 0, lang)} dari kenaikannya"
    return head + f" masih menyimpan {what} (skor {scores}; {trend_id} post-test, {fmt.p(r['p_t'], lang)})."
