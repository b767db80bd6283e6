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
    if n < min_n or a.get("p_welch") is None or a["p_welch"] != a["p_welch"]:
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
