"""Results as short sentences for managers, in Bahasa Indonesia (English with
``lang="en"``): what a number means, not only the number.

Example:
    >>> attrition_sentence({"n_dropouts": 0, "n_pre": 40}, 5, lang="en")
    'All pre-test takers took the post-test.'
"""

from __future__ import annotations


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
    head = (f"{n} of {n_pre} pre-test takers did not take the post-test" if en else
            f"{n} dari {n_pre} peserta pre-test tidak mengikuti post-test")
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


def num(x: float, digits: int = 1, lang: str = "id") -> str:
    """A number as a manager reads it: rounded half up (62.5 -> 63, not
    Python's half-to-even 62), decimal comma in Indonesian.

    Example:
        >>> num(15.7407), num(15.7407, lang="en"), num(-1.346, 2), num(62.5, 0)
        ('15,7', '15.7', '-1,35', '63')
    """
    from decimal import ROUND_HALF_UP, Decimal
    text = str(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP))
    return text.replace(".", ",") if lang == "id" else text


_MONTHS = {"id": "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November "
                  "Desember".split(),
           "en": "January February March April May June July August September October November "
                 "December".split()}


def date_text(value, lang: str = "id") -> str:
    """An ISO date as a manager reads it; anything else is returned as written.

    Example:
        >>> date_text("2024-11-22"), date_text("2024-11-22", "en"), date_text("akhir Nov")
        ('22 November 2024', '22 November 2024', 'akhir Nov')
    """
    import datetime as dt
    try:
        d = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{d.day} {_MONTHS[lang][d.month - 1]} {d.year}"


def p_text(p: float, lang: str = "id") -> str:
    """"p < 0,001" or "p = 0,03"."""
    if p < 0.001:
        return "p < " + num(0.001, 3, lang)
    return "p = " + num(p, 3 if p < 0.01 else 2, lang)


def _points(x: float, lang: str) -> str:
    """A gain in points: whole points, one decimal when under 1.5 (never "+0")."""
    return ("+" if x > 0 else "") + num(x, 1 if abs(x) < 1.5 else 0, lang)


def _gain(s, lang: str) -> str:
    en = lang == "en"
    pre, post, gain = num(s["mean_pre"], 0, lang), num(s["mean_post"], 0, lang), s["mean_gain"]
    ci = f"95% CI {num(s['ci_low'], 0, lang)}–{num(s['ci_high'], 0, lang)}"
    from .stats import cohen_label
    effect = (f"{cohen_label(s['d_z'], lang)} effect, d_z = {num(s['d_z'], 2, lang)}" if en else
              f"efek {cohen_label(s['d_z'], lang)}, d_z = {num(s['d_z'], 2, lang)}")
    if s["p_t"] != s["p_t"]:  # every participant changed by the same amount: no test
        return (f"Every participant's score changed by the same {_points(gain, lang)} points "
                f"({pre}% before, {post}% after); no test can be computed." if en else
                f"Skor setiap peserta berubah sama besar, {_points(gain, lang)} poin ({pre}% "
                f"sebelum, {post}% sesudah); uji statistik tidak dapat dihitung.")
    if not s["p_t"] < 0.05:
        return (f"Average understanding did not change clearly: {pre}% before, {post}% after "
                f"({_points(gain, lang)} points; {ci}; {p_text(s['p_t'], lang)})." if en else
                f"Rata-rata pemahaman peserta tidak berubah nyata: {pre}% sebelum, {post}% sesudah "
                f"({_points(gain, lang)} poin; {ci}; {p_text(s['p_t'], lang)}).")
    up = gain > 0
    return (f"Average understanding {'rose' if up else 'fell'} from {pre}% to {post}% "
            f"({_points(gain, lang)} points; {ci}; {effect})." if en else
            f"Rata-rata pemahaman peserta {'naik' if up else 'turun'} dari {pre}% menjadi {post}% "
            f"({_points(gain, lang)} poin; {ci}; {effect}).")


def _unpaired(u, lang: str) -> str:
    clear = u["p_welch"] < 0.05
    ci = f"95% CI {num(u['ci_low'], 0, lang)}–{num(u['ci_high'], 0, lang)}"
    pre, post = num(u["mean_pre"], 0, lang), num(u["mean_post"], 0, lang)
    if lang == "en":
        how = (f"went {'up' if u['diff'] > 0 else 'down'} from {pre}%" if clear else
               f"did not differ clearly: {pre}%")
        return (f"The average score {how} ({int(u['n_pre'])} pre-test takers) "
                f"{'to' if clear else 'and'} {post}% ({int(u['n_post'])} post-test takers); "
                f"{_points(u['diff'], lang)} points, {ci}. Participants could not be matched, "
                "so this is weaker evidence than a paired comparison.")
    how = (f"{'naik' if u['diff'] > 0 else 'turun'} dari {pre}%" if clear else
           f"tidak berbeda nyata: {pre}%")
    return (f"Skor rata-rata {how} ({int(u['n_pre'])} peserta pre-test) "
            f"{'menjadi' if clear else 'dan'} {post}% ({int(u['n_post'])} peserta post-test); "
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
        >>> session_findings(ev)[0]  # doctest: +SKIP
        'Rata-rata pemahaman peserta naik dari 55% menjadi 71% (+16 poin; 95% CI 12–19; efek besar, d_z = 1,35).'
    """
    en = lang == "en"
    s = ev.summary.iloc[0]
    u = ev.pairs.unmatched
    n_all = int(s["n"]) + len(u[u["reason"].isin(["no_post", "no_pre"])]) + len(u[u["reason"] == "ambiguous"])
    if bool(s["suppressed"]):
        u = ev.unpaired().iloc[0]
        if not bool(u["suppressed"]):  # anonymous forms: the unpaired result, said to be weaker
            return [_unpaired(u, lang)]
        return [f"Too few matched participants (n = {int(s['n'])}) to draw conclusions." if en else
                f"Peserta yang mengikuti kedua tes terlalu sedikit (n = {int(s['n'])}) untuk "
                "disimpulkan."]
    out = [_gain(s, lang),
           (f"{int(s['n'])} of {n_all} participants took both tests." if en else
            f"{int(s['n'])} dari {n_all} peserta mengikuti kedua tes.")]
    kkm = num(ev.instrument.passing_score, 0, lang)
    out.append(f"Participants reaching the pass mark ({kkm}) went from {num(s['pass_pre'], 0, lang)}% "
               f"to {num(s['pass_post'], 0, lang)}%." if en else
               f"Peserta yang mencapai KKM {kkm}: {num(s['pass_pre'], 0, lang)}% sebelum, "
               f"{num(s['pass_post'], 0, lang)}% sesudah.")
    topics = ev.topics()
    low = topics.loc[topics["mean_post"].idxmin()]
    label = ev.instrument.topic_label(low["topic"], lang)
    fell = low["mean_post"] < low["mean_pre"]
    before = num(low["mean_pre"], 0, lang)
    out.append(f"Topic '{label}' is the weakest after the session ({num(low['mean_post'], 0, lang)}% "
               f"correct{f', down from {before}%' if fell else ''})." if en else
               f"Topik '{label}' terendah sesudah sosialisasi ({num(low['mean_post'], 0, lang)}% "
               f"benar{f', turun dari {before}%' if fell else ''}).")
    out.append(attrition_sentence(ev.attrition().iloc[0], ev.min_n, lang))
    att = ev.attitudes()
    # a scale or the reaction answered by fewer than min_n: no sentence (it would be their values)
    for _, r in att[att["item"].str.startswith("skala_") & (att["n"] >= ev.min_n)].iterrows():
        scale = next(x for x in ev.instrument.scales if x.id == r["scale"])
        name = scale.label_en if en else scale.label
        moved = r["p"] < 0.05
        out.append(
            f"{name} (1–5 scale) went from {num(r['mean_pre'], 2, lang)} to "
            f"{num(r['mean_post'], 2, lang)} ({p_text(r['p'], lang)}"
            f"{'' if moved else '; no clear change'})." if en else
            f"{name} (skala 1–5): {num(r['mean_pre'], 2, lang)} sebelum, "
            f"{num(r['mean_post'], 2, lang)} sesudah ({p_text(r['p'], lang)}"
            f"{'' if moved else '; tidak berubah nyata'}).")
    rea = ev.reaction()
    if len(rea) and rea["n"].max() >= ev.min_n:
        agree = 100 * (rea[["n_4", "n_5"]].sum().sum()) / rea["n"].sum()
        out.append(f"{num(agree, 0, lang)}% of the ratings of the session agree or strongly agree." if en
                   else f"{num(agree, 0, lang)}% penilaian peserta atas penyelenggaraan: setuju atau "
                   "sangat setuju.")
    return out


def quality_sentence(ev, lang: str = "id") -> str:
    """The data-quality line of the one-page summary: rows read, used,
    excluded and repaired, and who took only one test.

    Example:
        >>> quality_sentence(ev)  # doctest: +SKIP
        'Kualitas data: 114 baris dibaca, 108 dipakai, 6 dikeluarkan, 19 diperbaiki; ...'
    """
    q = ev.quality().set_index("description")["n"]
    amb = int(q["not matched: ambiguous"])
    text = _QUALITY[lang][0].format(read=q["rows read"], kept=q["rows kept"],
                                    excl=q["rows excluded"], rep=q["repairs"],
                                    pre=q["pre-test only"], post=q["post-test only"])
    return text + (_QUALITY[lang][1].format(amb=amb) if amb else ".") + _QUALITY[lang][2]


_QUALITY = {
    "id": ("Kualitas data: {read} baris dibaca, {kept} dipakai, {excl} dikeluarkan, {rep} diperbaiki; "
           "{pre} hanya pre-test, {post} hanya post-test", ", {amb} tidak dapat dicocokkan dengan pasti.",
           " Rincian: ringkasan.xlsx, lembar Kualitas Data."),
    "en": ("Data quality: {read} rows read, {kept} used, {excl} excluded, {rep} repaired; "
           "{pre} took only the pre-test, {post} only the post-test", ", {amb} could not be matched safely.",
           " Details: ringkasan.xlsx, sheet Kualitas Data."),
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
    import datetime as dt
    try:
        days = (dt.date.fromisoformat(r["date_followup"]) - dt.date.fromisoformat(r["date_session"])).days
        when = f"{days} days after" if en else f"{days} hari setelah"
    except (TypeError, ValueError):
        when = "after" if en else "setelah"
    if bool(r["suppressed"]):
        return (f"Too few participants took all three tests (n = {int(r['n'])}) to judge what was kept."
                if en else f"Peserta yang mengisi ketiga tes terlalu sedikit (n = {int(r['n'])}) untuk "
                "menilai retensi.")
    scores = " → ".join(num(r[k], 0, lang) for k in ("mean_pre", "mean_post", "mean_followup"))
    head = (f"At the follow-up survey {when} session {r['session']}, the {int(r['n'])} participants "
            "who took all three tests" if en else
            f"Pada survei tindak lanjut {when} sesi {r['session']}, {int(r['n'])} peserta yang mengisi "
            "ketiga tes")
    kept = r["kept_pct"]
    if kept != kept:  # no gain in the session: nothing to keep
        return head + (f" had shown no gain at the session (score {scores})." if en else
                       f" tidak menunjukkan kenaikan pada sesi itu (skor {scores}).")
    moved = r["p_t"] < 0.05
    trend = ("down from" if r["mean_followup"] < r["mean_post"] else "up from") if moved else \
        "no clear change from"
    trend_id = ("turun dari" if r["mean_followup"] < r["mean_post"] else "naik dari") if moved else \
        "tidak berubah nyata dari"
    if en:
        what = "all of their gain" if kept >= 100 else f"{num(kept, 0, lang)}% of their gain"
        return head + f" kept {what} (score {scores}; {trend} the post-test, {p_text(r['p_t'], lang)})."
    what = "seluruh kenaikannya" if kept >= 100 else f"{num(kept, 0, lang)}% dari kenaikannya"
    return head + f" masih menyimpan {what} (skor {scores}; {trend_id} post-test, {p_text(r['p_t'], lang)})."
