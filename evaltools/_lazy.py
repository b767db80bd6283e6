"""A module imported on first use, so ``import evaltools`` stays fast
(scipy.stats alone takes half a second to import).

Example:
    >>> st = lazy("scipy.stats")
    >>> float(st.norm.cdf(0))
    0.5
"""

from __future__ import annotations

import importlib


class _Lazy:
    def __init__(self, name: str):
        self._name = name
        self._module = None

    def __getattr__(self, attr):
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)


def lazy(name: str) -> _Lazy:
    """A stand-in for module ``name`` that imports it at the first attribute."""
    return _Lazy(name)
