"""Charts of a session, for evaluators and managers.

Each function takes ``ax=`` (a new figure when omitted) and returns the axes,
like seaborn. Labels are Indonesian by default (``lang="en"`` for English),
written once in ``labels`` (with each chart's title, ``title``); numbers are
written by ``evaltools.fmt``. Colours are the Okabe-Ito colour-blind-safe
set, and pre/post also differ in marker shape and lightness so a grayscale
print still reads (``style``). Charts of synthetic data carry "data contoh
(sintetis)"; n is shown wherever a mean is.

Example:
    >>> from matplotlib.figure import Figure
    >>> ax = score_slopes(ev.pairs.matched, kkm=70, ax=Figure().subplots())
    >>> ax.get_title(loc="left"), ax.texts[-1].get_text()
    ('Skor peserta sebelum dan sesudah sosialisasi', 'lulus KKM: 17% → 56%')
"""

from .items import distractor_bars, item_change, item_map
from .labels import LABELS, TITLES, title
from .retention import retention_chart
from .scales import attitude_dumbbell, reaction_bars
from .scores import group_forest, pass_rates, score_slopes, topic_dumbbell, trend
from .style import ACCENT, KKM_COLOR, POST, PRE, placeholder, rows_height, wrap

__all__ = ["ACCENT", "KKM_COLOR", "LABELS", "POST", "PRE", "TITLES", "attitude_dumbbell",
           "distractor_bars", "group_forest", "item_change", "item_map", "pass_rates", "placeholder",
           "reaction_bars", "retention_chart", "rows_height", "score_slopes", "title", "topic_dumbbell", "trend",
           "wrap"]
