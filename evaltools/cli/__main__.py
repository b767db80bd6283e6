"""``python -m evaltools.cli``: the same as the ``evaltools`` command."""

import sys

from . import main

sys.exit(main())
