"""Ordinary memory pages for numpy while a session is read and scored.

On Linux numpy asks the kernel for transparent huge pages (2 MB) for every
array of 4 MB or more (``madvise(MADV_HUGEPAGE)``; numpy's "global state"
documentation). Reading a large session makes hundreds of such arrays that
are written once or twice and let go; each huge page the kernel hands out
has to be found (compacting memory where none is free) and cleared whole,
and that cost is not won back by arrays this short-lived. At a million
participants, ``evaluate(...).by("opd")`` spent 1.0-1.5 s of system time
with ordinary pages against 1.4-3.0 s with huge ones, and took 0.2-1.1 s
less (docs/performance.md). ``small_pages`` turns numpy's request off for
the time of a read (``read_responses``, ``evaluate``), and of ``mark``,
``score`` and ``pair`` called on their own, and puts it back after; it
changes no result.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

_LOCK = threading.Lock()
_state = {"depth": 0, "before": None}


def _switch():
    """numpy's setter (``_set_madvise_hugepage(enabled) -> previous``), or
    None where this numpy has none (then nothing is changed)."""
    import numpy as np
    for where in ("_core", "core"):  # numpy 2, numpy 1
        setter = getattr(getattr(getattr(np, where, None), "multiarray", None),
                         "_set_madvise_hugepage", None)
        if setter is not None:
            return setter
    return None


@contextmanager
def small_pages():
    """numpy's arrays on ordinary pages inside the block; numpy's setting
    as it was after the last of any blocks running at once (two threads
    reading at once) ends.

    Example:
        >>> import numpy as np
        >>> with small_pages():
        ...     int(np.ones(1_000_000).sum())
        1000000
    """
    setter = _switch()
    if setter is None:
        yield
        return
    with _LOCK:
        if _state["depth"] == 0:
            _state["before"] = setter(False)
        _state["depth"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _state["depth"] -= 1
            if _state["depth"] == 0:
                setter(_state["before"])
