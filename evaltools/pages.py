"""How a session's read, scoring and pairing use memory pages.

Reading a large session makes hundreds of large arrays that are written once
or twice and let go. Two defaults make each of them cost more than its work:

- On Linux numpy asks the kernel for transparent huge pages (2 MB) for every
  array of 4 MB or more (``madvise(MADV_HUGEPAGE)``; numpy's "global state"
  documentation). Each huge page has to be found (compacting memory where
  none is free) and cleared whole, a cost these short-lived arrays do not
  win back. At a million participants ``evaluate(...).by("opd")`` spent 1.0-1.5
  s of system time with ordinary pages against 1.4-3.0 s with huge ones.
- glibc's ``malloc`` gives every block above 32 MB (a column of 4.3 million
  numbers is 34 MB) pages of its own from the kernel and hands them back when
  it is freed, so the next such array is faulted in and cleared again, page by
  page. At 4.3 million participants that was 3.4 million page faults and
  10-17 s of system time.

``page_policy`` turns numpy's request off and has glibc keep freed memory for
the next block (``mallopt``: no blocks on pages of their own, no trimming
under 2 GB; in a thread's own arena glibc still maps blocks over 64 MB apart)
for the time of ``read_responses``, ``evaluate``, and ``mark``, ``score`` and
``pair`` called on their own. The peak memory is about 5-10% higher. When the
last such call ends, numpy's setting is put back, glibc returns what it kept
(``malloc_trim``) and is set to the ceiling of its own dynamic rule (blocks
over 32 MB on pages of their own, trimming over 64 MB): glibc cannot say what
its settings were, and once set they no longer move by that rule. Where a
user has tuned malloc (``GLIBC_TUNABLES`` with ``glibc.malloc.``, or a
``MALLOC_..._`` variable), it is left alone. It changes no result
(docs/performance.md has the measurements).
"""

from __future__ import annotations

import functools
import os
import threading
from contextlib import contextmanager

_LOCK = threading.Lock()
_state = {"depth": 0, "before": None}

# mallopt's parameters (glibc's malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_MMAP_MAX = -1, -3, -4
_KEEP = {_M_MMAP_MAX: 0, _M_TRIM_THRESHOLD: 2**31 - 1}  # (mallopt takes a C int)
# after: glibc's default count of own-page blocks, and the ceiling of its dynamic rule
# for large blocks (DEFAULT_MMAP_THRESHOLD_MAX on 64-bit, and twice that for trimming)
_AFTER = {_M_MMAP_MAX: 65536, _M_MMAP_THRESHOLD: 32 << 20, _M_TRIM_THRESHOLD: 64 << 20}


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


@functools.cache
def _glibc():
    """glibc's C library, or None elsewhere (macOS, Windows, musl): there
    ``malloc`` is left as it is."""
    import platform
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    import ctypes
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


def _user_tuned() -> bool:
    """Whether malloc was tuned for this process: its settings are the user's."""
    return "glibc.malloc." in os.environ.get("GLIBC_TUNABLES", "") or \
        any(k.startswith("MALLOC_") and k.endswith("_") for k in os.environ)


def _malloc_keeps(keep: bool) -> None:
    """glibc keeps freed memory for reuse (``keep``), or returns it and
    takes the settings after (module docstring)."""
    libc = _glibc()
    if libc is None or _user_tuned():
        return
    for param, value in (_KEEP if keep else _AFTER).items():
        libc.mallopt(param, value)
    if not keep:
        libc.malloc_trim(0)


@contextmanager
def page_policy():
    """numpy's arrays on ordinary pages and freed memory kept for reuse
    inside the block; numpy's setting as it was, and the memory returned,
    after the last of any blocks running at once (two threads reading at
    once) ends.

    Example:
        >>> import numpy as np
        >>> with page_policy():
        ...     int(np.ones(1_000_000).sum())
        1000000
    """
    setter = _switch()
    with _LOCK:
        if _state["depth"] == 0:
            _state["before"], keeping = None, False
            try:  # a failure (Ctrl+C) part way: what was changed is put back
                if setter is not None:
                    _state["before"] = setter(False)
                keeping = True
                _malloc_keeps(True)
            except BaseException:
                if _state["before"] is not None:
                    setter(_state["before"])
                if keeping:
                    _malloc_keeps(False)
                raise
        _state["depth"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _state["depth"] -= 1
            if _state["depth"] == 0:
                try:
                    if setter is not None:
                        setter(_state["before"])
                finally:  # malloc is put back even where numpy's setter failed
                    _malloc_keeps(False)
