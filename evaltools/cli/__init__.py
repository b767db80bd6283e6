"""Command line: ``evaltools report``, ``recap``, ``validate``, ``forms`` and ``simulate``.

Example:
    $ evaltools report --session loa-janan-2024-11-22
    $ evaltools report --all --data data/sample --lang en
    $ evaltools report --all --timpa   # also replace files evaltools did not write
    $ evaltools recap
    $ evaltools validate data/sample/loa-janan-2024-11-22
    $ evaltools forms --out survey/forms
    $ evaltools simulate --out data/sample

One module per command (``report`` also runs ``recap``); each adds its own
sub-command to the parser with ``register``; ``common`` holds the options and
texts they share. Every path option defaults to the repository's own folders
(``evaltools.project.paths()``), so the commands work from any working
directory. ``--lang en`` makes a command speak English, its errors included:
an ``EvalToolsError`` is printed in English only; without it, in Indonesian
followed by its English line.
"""

from __future__ import annotations

import argparse
import logging
import sys

from ..errors import EvalToolsError
from . import kernel

EPILOG = """\
Rutin evaluator / the evaluator's routine:
  evaltools init <sesi>                     buat folder sesi + sesi.yaml / start a session
  evaltools pull <sesi>                     ambil jawaban dari Kobo/ODK Central / fetch answers
  evaltools validate data/<sesi>            periksa berkas / check the files
  evaltools report --session <sesi>         laporan satu sesi di data/ / one session in data/
  evaltools report --all                    semua sesi di data/ / every session in data/
  evaltools recap                           rekap per OPD / recap by OPD
  evaltools report --all --data data/sample contoh sintetis / the synthetic samples
Kirim ke pimpinan hanya reports/<sesi>/kirim/; sisanya untuk evaluator.
Send managers only reports/<session>/kirim/; the rest stays with you.
Tambahkan --lang en untuk bahasa Inggris / add --lang en for English.
Bantuan tiap perintah / help on a command: evaltools <perintah> --help"""


# Ctrl+C, in the form of evaltools' messages: in Indonesian with its English line, or
# (--lang en) in English only
_STOP = EvalToolsError("dihentikan (Ctrl+C); berkas yang sedang ditulis tidak menggantikan yang lama "
                       "(berkas lama tetap utuh)", fix="jalankan lagi perintah yang sama",
                       problem_en="stopped (Ctrl+C); the files being written did not replace the old "
                                  "ones (the old files are whole)", fix_en="run the same command again")
STOPPED = (str(_STOP), _STOP.message_en)


def parser() -> argparse.ArgumentParser:
    """The parser of every command (each sub-command's options say their defaults).

    Example:
        >>> from pathlib import Path
        >>> args = parser().parse_args(["recap", "--lang", "en"])
        >>> args.lang, Path(args.data).name, Path(args.out).name
        ('en', 'data', 'reports')
    """
    from . import generate, init, plan, pull, report, validate  # pandas and the rest: after start_early
    from .common import HelpFormatter, Parser
    top = Parser(prog="evaltools", formatter_class=HelpFormatter, epilog=EPILOG,
                 description="Evaluasi sosialisasi netralitas ASN (pre-test/post-test).\n"
                             "Evaluate ASN neutrality sessions (pre-test/post-test).")
    sub = top.add_subparsers(dest="command", required=True, parser_class=Parser)
    for command in (init, pull, validate, report, generate, plan):
        command.register(sub)
    return top


def _readable(stream) -> None:
    # a Windows console or pipe in cp1252 cannot print every character of a message
    # (a participant's name, an arrow): replace what it cannot print instead of failing
    if hasattr(stream, "reconfigure"):
        stream.reconfigure(errors="replace")


def main(argv=None) -> int:
    for stream in (sys.stdout, sys.stderr):
        _readable(stream)
    argv = sys.argv[1:] if argv is None else list(argv)
    args = None
    try:
        # a session report's kernel boots on the other core while this process loads pandas
        kernel.start_early(argv)
        args = parser().parse_args(argv)
        try:
            return args.func(args)
        except EvalToolsError as exc:
            english = getattr(args, "lang", "id") == "en"
            print(f"evaltools: {exc.message_en if english else exc}", file=sys.stderr)
            return 2
    except KeyboardInterrupt:
        # what each writer does on the way out (temporary names removed, kernels stopped) is done;
        # the cell papermill was waiting for ends as "kernel died", which asyncio would log on exit
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        print(f"\nevaltools: {STOPPED[getattr(args, 'lang', 'id') == 'en']}", file=sys.stderr)
        return 130  # as a shell reports a command stopped by Ctrl+C
    finally:
        kernel.drop_early()  # not taken: the command refused or failed before its notebook ran


if __name__ == "__main__":
    sys.exit(main())
