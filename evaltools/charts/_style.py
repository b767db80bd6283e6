"""Palette, labels (Indonesian and English) and the shared frame of every chart."""


from __future__ import annotations

from ..findings import num as _num  # noqa: F401  (decimal comma in Indonesian charts)

PRE = "#8C8C8C"      # light grey: reads as light in grayscale too
POST = "#0072B2"     # Okabe-Ito blue: dark in grayscale
ACCENT = "#D55E00"   # Okabe-Ito vermillion, for what needs attention
KKM_COLOR = "#009E73"

_T = {
    "id": {"pre": "Pre-test", "post": "Post-test", "score": "Skor (% benar)",
           "kkm": "KKM {kkm:g}", "slopes": "Skor peserta sebelum dan sesudah sosialisasi",
           "mean": "rata-rata", "pass": "lulus KKM: {a:.0f}% → {b:.0f}%",
           "topics": "Persentase jawaban benar per topik", "pct": "% jawaban benar",
           "weakest": "terlemah", "forest": "Kenaikan skor rata-rata per OPD (IK 95%)",
           "gain": "Kenaikan skor (poin persen)", "overall": "seluruh sesi",
           "raw": "kenaikan OPD (IK 95%)", "pooled": "dipadukan (partial pooling)",
           "suppressed": "n < 5 (disembunyikan)", "synthetic": "data contoh (sintetis)",
           "suppressed2": "disembunyikan (lindungi n < 5)",
           "empty": "Tidak ada peserta yang mengisi pre-test dan post-test",
           "itemmap": "Kesukaran dan daya beda butir ({wave}, n = {n})",
           "difficulty": "Tingkat kesukaran (proporsi benar)",
           "discrimination": "Daya beda (27% atas − 27% bawah)", "revise": "perlu direvisi",
           "ok": "baik",
           "items": "Persentase benar per butir, sebelum → sesudah (n = {n})",
           "signif": "berubah nyata (McNemar, p BH < 0,05)", "not_signif": "tidak berubah nyata",
           "reaction": "Penilaian peserta atas penyelenggaraan (n = {n})",
           "agree_share": "% jawaban",
           "likert_mean": "Rata-rata (1 = sangat tidak setuju, 5 = sangat setuju)",
           "attitude": "Sikap netralitas (n = {n})",
           "reversed": "dibalik",
           "passrate": "Peserta lulus KKM {kkm:g}, sebelum dan sesudah", "passed": "% peserta lulus",
           "distractor": "Butir {item}: jawaban yang dipilih",
           "share": "% peserta memilih (pre n = {n_pre}, post n = {n_post})", "key": "kunci", "blank": "(kosong)",
           "trend": "Skor rata-rata per sesi, sebelum dan sesudah", "mean_score": "Skor rata-rata (% benar)",
           "hidden": "Tidak ditampilkan: kurang dari {min_n} peserta\n(privasi, dan angkanya terlalu tidak pasti)",
           "no_answers": "Belum ada jawaban untuk bagian ini"},
    "en": {"pre": "Pre-test", "post": "Post-test", "score": "Score (% correct)",
           "kkm": "Pass mark {kkm:g}", "slopes": "Participants' scores before and after the session",
           "mean": "mean", "pass": "passed: {a:.0f}% → {b:.0f}%",
           "topics": "Percent correct per topic", "pct": "% correct",
           "weakest": "weakest", "forest": "Mean score gain per work unit (95% CI)",
           "gain": "Score gain (percentage points)", "overall": "whole session",
           "raw": "unit's gain (95% CI)", "pooled": "partially pooled",
           "suppressed": "n < 5 (suppressed)", "synthetic": "sample data (synthetic)",
           "suppressed2": "suppressed (protects n < 5)",
           "empty": "No participant took both the pre-test and the post-test",
           "itemmap": "Item difficulty and discrimination ({wave}, n = {n})",
           "difficulty": "Difficulty (share correct)",
           "discrimination": "Discrimination (upper 27% − lower 27%)", "revise": "to revise",
           "ok": "fine",
           "items": "Percent correct per item, before → after (n = {n})",
           "signif": "changed (McNemar, BH p < 0.05)", "not_signif": "no clear change",
           "reaction": "Participants' rating of the session (n = {n})",
           "agree_share": "% of answers",
           "likert_mean": "Mean (1 = strongly disagree, 5 = strongly agree)",
           "attitude": "Neutrality attitude (n = {n})",
           "reversed": "reversed",
           "passrate": "Participants reaching the pass mark {kkm:g}, before and after",
           "passed": "% of participants passing",
           "distractor": "Item {item}: answers chosen",
           "share": "% of participants choosing (pre n = {n_pre}, post n = {n_post})", "key": "key", "blank": "(blank)",
           "trend": "Mean score per session, before and after", "mean_score": "Mean score (% correct)",
           "hidden": "Not shown: fewer than {min_n} participants\n(privacy, and too uncertain)",
           "no_answers": "No answers for this part yet"},
}


def _axes(ax, size):
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _finish(ax, title, synthetic, lang):
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold", pad=16 if synthetic else 6)
    ax.spines[["top", "right"]].set_visible(False)
    if synthetic:
        # a line of its own under the title, so it is never hidden by data
        ax.annotate(_T[lang]["synthetic"], (0, 1), xycoords="axes fraction", xytext=(0, 4),
                    textcoords="offset points", ha="left", va="bottom", fontsize=8,
                    style="italic", color="#555555")
    return ax


def _empty(ax, title, synthetic, lang, why: str = "empty", min_n: int = 5):
    """An honest empty chart: says why there is nothing to show."""
    ax.text(0.5, 0.5, _T[lang][why].format(min_n=min_n), transform=ax.transAxes, ha="center", va="center",
            fontsize=10, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])
    ax = _finish(ax, title, synthetic, lang)
    ax.spines[["left", "bottom"]].set_visible(False)
    return ax


def _pre_post_handles(t):
    from matplotlib.lines import Line2D
    return [Line2D([], [], ls="", marker="o", mfc="white", mec=PRE, mew=1.5, label=t["pre"]),
            Line2D([], [], ls="", marker="s", color=POST, label=t["post"])]


def _legend_below(ax, handles, *, ncol: int = 2, fontsize: float = 8, x: float = 0.5):
    """A legend under the x-axis label, whatever the chart's height: anchored
    at the axes' bottom and moved down by a fixed distance in points."""
    from matplotlib.transforms import offset_copy
    below = 36 if ax.get_xlabel() else 22
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(x, 0), ncol=ncol,
              frameon=False, fontsize=fontsize,
              bbox_transform=offset_copy(ax.transAxes, fig=ax.figure, y=-below, units="points"))


def placeholder(ax, title: str, *, min_n: int = 5, lang: str = "id", synthetic: bool = False):
    """The chart a manager gets where its group is under ``min_n``: the title
    and why nothing is drawn (no number, not even the exact n).

    Example:
        >>> ax = placeholder(ax, "Skor peserta sebelum dan sesudah sosialisasi")  # doctest: +SKIP
    """
    return _empty(_axes(ax, (6.4, 3.0)), title, synthetic, lang, "hidden", min_n)
