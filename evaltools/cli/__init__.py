"""Command line: ``evaltools report``, ``recap``, ``validate``, ``forms`` and ``simulate``.

Example:
    $ evaltools report --session loa-janan-2024-11-22
    $ evaltools report --all
    $ evaltools report --all --timpa   # also replace files evaltools did not write
    $ evaltools recap
    $ evaltools validate data/sample/loa-janan-2024-11-22 --instrument survey/netralitas-asn-pilkada-2024.yaml
    $ evaltools forms survey/netralitas-asn-pilkada-2024.yaml --out survey/forms
    $ evaltools simulate --out data/sample

One module per command (``report`` also runs ``recap``); each adds its own
sub-command to the parser with ``register``; ``common`` holds the options and
texts they share.
"""

from __future__ import annotations

import argparse
import sys

from ..errors import EvalToolsError
from . import generate, init, report, validate


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="evaltools", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Evaluasi sosialisasi netralitas ASN (pre-test/post-test).\n"
                    "Evaluate ASN neutrality sessions (pre-test/post-test).",
        epilog="Rutin evaluator / the evaluator's routine:\n"
               "  evaltools validate data/<sesi>                 periksa berkas / check the files\n"
               "  evaltools report --session <sesi> --data data  laporan satu sesi / one session\n"
               "  evaltools report --all --data data             semua sesi / every session\n"
               "  evaltools recap --data data                    rekap per OPD / recap by OPD\n"
               "Kirim ke pimpinan hanya reports/<sesi>/kirim/; sisanya untuk evaluator / "
               "send managers only reports/<session>/kirim/; the rest stays with you.\n"
               "Bantuan tiap perintah / help on a command: evaltools <perintah> --help")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in (report, validate, generate, init):
        command.register(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except EvalToolsError as exc:
        print(f"evaltools: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
