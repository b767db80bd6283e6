"""evaltools: measure what a 'Sosialisasi Netralitas ASN' session taught.

    >>> import evaltools as et
    >>> inst = et.load_instrument("survey/netralitas-asn-pilkada-2024.yaml")
    >>> ev = et.evaluate("data/sample/loa-janan-2024-11-22", inst)
    >>> int(ev.summary["n"].iloc[0]), round(float(ev.summary["mean_gain"].iloc[0]), 2)
    (52, 15.74)

The flow is instrument -> read -> score -> pair -> compare -> charts/export;
the heavy libraries under charts and export (matplotlib, openpyxl) load only
when a chart or a file is made. The names below, and the modules (``et.fmt``,
``et.charts``), load when first used (``et.evaluate`` loads pandas,
``import evaltools`` does not): the command line starts a report's kernel
before it loads pandas itself.
"""

from __future__ import annotations

import importlib as _importlib
import importlib.util as _util
import sys as _sys
import types as _types

from .errors import EvalToolsError

__version__ = "0.1.0"

# each public name and the module that defines it, imported at the name's first use
_WHERE = {
    "Instrument": "instrument", "load_instrument": "instrument",
    "ReadOptions": "read", "Responses": "read", "read_responses": "read",
    "mark": "score", "score": "score", "Pairs": "pair", "pair": "pair",
    "compare": "compare", "compare_topics": "compare",
    "Evaluation": "evaluate", "evaluate": "evaluate", "Recap": "recap", "recap": "recap",
    "compare_sessions": "sessions_compare", "plan": "plan",
}

__all__ = ["EvalToolsError", "Instrument", "load_instrument", "ReadOptions", "Responses",
           "read_responses",
           "mark", "score", "Pairs", "pair", "compare", "compare_topics", "Evaluation",
           "evaluate", "Recap", "recap", "compare_sessions", "plan", "__version__"]


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(_importlib.import_module(f".{_WHERE[name]}", __name__), name)
    elif not name.startswith("__") and _util.find_spec(f"{__name__}.{name}") is not None:
        value = _importlib.import_module(f".{name}", __name__)  # a module: et.fmt, et.charts
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    setattr(_sys.modules[__name__], name, value)  # the next use is a plain lookup
    return value


def __dir__() -> list:
    return sorted({*__all__, *(n for n in globals() if not n.startswith("_"))} - {"annotations"})


class _Package(_types.ModuleType):
    """This package: importing ``evaltools.score`` (the module) binds its
    function ``score`` here, not the module, as the package always has
    (``et.score``, ``et.pair``, ``et.evaluate`` ... are functions)."""

    def __setattr__(self, name, value):
        if isinstance(value, _types.ModuleType) and _WHERE.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
