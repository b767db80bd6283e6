"""``python -m evaltools``: the same as the ``evaltools`` command (and ``python -m evaltools.cli``)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
