"""The words of every chart, in Bahasa Indonesia and English, and each
chart's title, written once: the charts draw them, and ``export`` puts the
same title on the placeholder of a chart whose group is too small to show.

Titles are keyed by the name of the file ``export`` writes the chart to.

Example:
    >>> title("sikap", n=52), title("lulus_kkm", "en", kkm=70)
    ('Sikap netralitas (n = 52)', 'Pass mark 70 reached, before and after')
    >>> LABELS["id"]["pre"], LABELS["en"]["weakest"]
    ('Pre-test', 'weakest')
"""

from __future__ import annotations

from .. import fmt

TITLES = {
    "id": {"skor_pre_post": "Skor peserta sebelum dan sesudah sosialisasi",
           "per_topik": "Persentase jawaban benar per topik",
           "per_opd": "Kenaikan skor rata-rata per OPD (IK 95%)",
           "per_butir": "Persentase benar per butir, sebelum → sesudah",
           "peta_butir": "Kesukaran dan daya beda butir",
           "sikap": "Sikap netralitas",
           "reaksi": "Penilaian peserta atas penyelenggaraan",
           "lulus_kkm": "Peserta lulus KKM {kkm}, sebelum dan sesudah",
           "pengecoh": "Jawaban yang dipilih: butir {item}",
           "tren_sesi": "Skor rata-rata per sesi, sebelum dan sesudah",
           "retensi": "Skor dari pre-test sampai survei tindak lanjut"},
    "en": {"skor_pre_post": "Participants' scores before and after the session",
           "per_topik": "Percent correct per topic",
           "per_opd": "Mean score gain per work unit (95% CI)",
           "per_butir": "Percent correct per item, before → after",
           "peta_butir": "Item difficulty and discrimination",
           "sikap": "Neutrality attitude",
           "reaksi": "Participants' rating of the session",
           "lulus_kkm": "Pass mark {kkm} reached, before and after",
           "pengecoh": "Answers chosen: item {item}",
           "tren_sesi": "Mean score per session, before and after",
           "retensi": "Score from the pre-test to the follow-up surveys"},
}

LABELS = {
    "id": {"pre": "Pre-test", "post": "Post-test", "score": "Skor (% benar)",
           "kkm": "KKM {kkm}", "mean": "rata-rata", "pass": "lulus KKM: {a} → {b}",
           "pct": "% jawaban benar", "weakest": "terlemah",
           "gain": "Kenaikan skor (poin persen)", "overall": "seluruh sesi",
           "raw": "kenaikan OPD (IK 95%)", "pooled": "dipadukan (partial pooling)",
           "suppressed": "n < 5 (disembunyikan)", "synthetic": "data contoh (sintetis)",
           "suppressed2": "disembunyikan (lindungi n < 5)",
           "empty": "Tidak ada peserta yang mengisi pre-test dan post-test",
           "no_opd": "OPD peserta tidak ada di daftar OPD: tidak ada yang dapat dihitung per OPD",
           "difficulty": "Tingkat kesukaran (proporsi benar)",
           "discrimination": "Daya beda (27% atas − 27% bawah)", "revise": "perlu direvisi",
           "ok": "baik", "items": "{n} butir",
           "signif": "berubah nyata (McNemar, p BH < {alpha})", "not_signif": "tidak berubah nyata",
           "agree_share": "% jawaban",
           "likert_mean": "Rata-rata (1 = sangat tidak setuju, 5 = sangat setuju)",
           "likert": ["sangat tidak setuju", "tidak setuju", "ragu-ragu", "setuju", "sangat setuju"],
           "reversed": "dibalik", "passed": "% peserta lulus",
           "share": "% peserta memilih (pre n = {n_pre}, post n = {n_post})", "key": "kunci",
           "blank": "(kosong)", "mean_score": "Skor rata-rata (% benar)",
           "hidden": "Tidak ditampilkan: kurang dari {min_n} peserta\n(privasi, dan angkanya terlalu "
                     "tidak pasti)",
           "no_answers": "Belum ada jawaban untuk bagian ini",
           "complete": "rata-rata {n} peserta yang mengisi semua tes (IK 95%)",
           "no_line": "Kurang dari {min_n} peserta mengisi semua tes:\nlintasan bersama tidak ditampilkan",
           "vs_post": "{change} poin dari post-test\n(n = {n}, {p})",
           "session_of": "Sesi {session} ({date}) dan survei tindak lanjutnya"},
    "en": {"pre": "Pre-test", "post": "Post-test", "score": "Score (% correct)",
           "kkm": "Pass mark {kkm}", "mean": "mean", "pass": "passed: {a} → {b}",
           "pct": "% correct", "weakest": "weakest",
           "gain": "Score gain (percentage points)", "overall": "whole session",
           "raw": "unit's gain (95% CI)", "pooled": "partially pooled",
           "suppressed": "n < 5 (suppressed)", "synthetic": "sample data (synthetic)",
           "suppressed2": "suppressed (protects n < 5)",
           "empty": "No participant took both the pre-test and the post-test",
           "no_opd": "The participants' OPDs are not in the OPD registry: nothing to count per OPD",
           "difficulty": "Difficulty (share correct)",
           "discrimination": "Discrimination (upper 27% − lower 27%)", "revise": "to revise",
           "ok": "fine", "items": "{n} items",
           "signif": "changed (McNemar, BH p < {alpha})", "not_signif": "no clear change",
           "agree_share": "% of answers",
           "likert_mean": "Mean (1 = strongly disagree, 5 = strongly agree)",
           "likert": ["strongly disagree", "disagree", "neutral", "agree", "strongly agree"],
           "reversed": "reversed", "passed": "% of participants passing",
           "share": "% of participants choosing (pre n = {n_pre}, post n = {n_post})", "key": "key",
           "blank": "(blank)", "mean_score": "Mean score (% correct)",
           "hidden": "Not shown: fewer than {min_n} participants\n(privacy, and too uncertain)",
           "no_answers": "No answers for this part yet",
           "complete": "mean of the {n} participants who took every test (95% CI)",
           "no_line": "Fewer than {min_n} participants took every test:\nno common line is shown",
           "vs_post": "{change} points from the post-test\n(n = {n}, {p})",
           "session_of": "Session {session} ({date}) and its follow-up surveys"},
}


def title(chart: str, lang: str = "id", *, n: int | None = None, wave: str | None = None,
          kkm: float | None = None, item: str | None = None) -> str:
    """The title of ``chart`` (the name its file gets), with the pass mark
    or item it is about, and ``wave`` and ``n`` in brackets where given; a
    placeholder leaves out ``n``, which is too small to show.

    Example:
        >>> title("peta_butir", n=52, wave="pre")
        'Kesukaran dan daya beda butir (Pre-test, n = 52)'
        >>> title("pengecoh", "en", item="q13"), title("per_opd")
        ('Answers chosen: item q13', 'Kenaikan skor rata-rata per OPD (IK 95%)')
    """
    text = TITLES[lang][chart].format(kkm=fmt.plain(kkm, lang), item=item)
    detail = [LABELS[lang].get(wave, wave)] if wave else []
    detail += [f"n = {fmt.count(n, lang)}"] if n is not None else []
    return f"{text} ({', '.join(detail)})" if detail else text
