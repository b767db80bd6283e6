"""evaltools: measure what a 'Sosialisasi Netralitas ASN' session taught.

    >>> import evaltools as et
    >>> inst = et.load_instrument("survey/netralitas-asn-pilkada-2024.yaml")
    >>> ev = et.evaluate("data/sample/loa-janan-2024-11-22", inst)
    >>> int(ev.summary["n"].iloc[0]), round(float(ev.summary["mean_gain"].iloc[0]), 2)
    (52, 15.74)

The flow is instrument -> read -> score -> pair -> compare -> charts/export;
the heavy libraries under charts and export (matplotlib, openpyxl) load only
when a chart or a file is made.
"""

from .errors import EvalToolsError
from .instrument import Instrument, load_instrument
from .read import ReadOptions, Responses, read_responses
from .score import mark, score
from .pair import Pairs, pair
from .compare import compare, compare_topics
from .evaluate import Evaluation, evaluate
from .recap import Recap, recap
from .sessions_compare import compare_sessions
from .plan import plan

__version__ = "0.1.0"

__all__ = ["EvalToolsError", "Instrument", "load_instrument", "ReadOptions", "Responses",
           "read_responses",
           "mark", "score", "Pairs", "pair", "compare", "compare_topics", "Evaluation",
           "evaluate", "Recap", "recap", "compare_sessions", "plan", "__version__"]
