"""Charts of a session, for evaluators and managers.

Each function takes ``ax=`` (a new figure when omitted) and returns the axes,
like seaborn. Labels are Indonesian by default (``lang="en"`` for English);
colours are the Okabe-Ito colour-blind-safe set, and pre/post also differ in
marker shape and lightness so a grayscale print still reads. Charts of
synthetic data carry "data contoh (sintetis)"; n is shown wherever a mean is.

Example:
    >>> ax = score_slopes(ev.pairs.matched, kkm=70)   # doctest: +SKIP
    >>> ax.figure.savefig("skor.png", dpi=200)          # doctest: +SKIP
"""

from ._style import ACCENT, KKM_COLOR, POST, PRE, placeholder
from .items import distractor_bars, item_change, item_map
from .scales import attitude_dumbbell, reaction_bars
from .scores import group_forest, pass_rates, score_slopes, topic_dumbbell, trend

__all__ = ["ACCENT", "KKM_COLOR", "POST", "PRE", "attitude_dumbbell", "distractor_bars",
           "group_forest", "item_change", "item_map", "pass_rates", "placeholder", "reaction_bars", "score_slopes",
           "topic_dumbbell", "trend"]
