"""``evaltools forms`` and ``evaltools simulate``: files made from the instrument."""

from __future__ import annotations

from ..disk import folder_lock
from ..forms import write_forms
from ..instrument import load_instrument
from ..simulate import write_sample
from .common import DEFAULT_INSTRUMENT, defaults, instrument_option, lang_option, overwrite_option, say


def _written(args, paths: list, what: str, what_en: str) -> int:
    """Say how many files were written where, then each of them."""
    print(say(args.lang, f"{len(paths)} {what} ditulis ke {args.out}/:",
              f"{len(paths)} {what_en} written to {args.out}/:"))
    for p in paths:
        print(f"  {p}")
    return 0


def _simulate(args) -> int:
    inst = load_instrument(args.instrument)
    with folder_lock(args.out):
        paths = write_sample(args.out, inst, overwrite=args.overwrite)
    return _written(args, paths, "berkas contoh sintetis", "synthetic sample files")


def _forms(args) -> int:
    inst = load_instrument(args.instrument)
    with folder_lock(args.out):
        paths = write_forms(inst, args.out, session=args.session, registry=args.registry,
                            overwrite=args.overwrite)
    return _written(args, paths, "formulir", "forms")


def register(sub) -> None:
    """Add ``forms`` and ``simulate`` to the parser."""
    found = defaults()
    f = sub.add_parser("forms", help="buat semua formulir dari instrumen / write every form",
                       description="Formulir Kobo/ODK (XLSForm), templat entri Excel, formulir kertas "
                                   "(PDF/HTML) dan skrip Google Forms dari instrumen.\nKobo/ODK forms, "
                                   "the Excel entry template, paper forms and the Google Forms script.")
    f.add_argument("instrument", nargs="?", default=DEFAULT_INSTRUMENT,
                   help="berkas instrumen YAML / instrument file")
    f.add_argument("--out", default=found["forms"], help="folder hasil / output folder")
    f.add_argument("--session", default=None,
                   help="id sesi yang dicantumkan tetap di formulir (bawaan: tidak ada, peserta tidak "
                        "mengisinya) / a session id fixed in the forms (default: none)")
    f.add_argument("--registry", default=found["registry"],
                   help="daftar OPD untuk pilihan OPD / OPD registry for the OPD choices")
    lang_option(f)
    overwrite_option(f)
    f.set_defaults(func=_forms)
    s = sub.add_parser("simulate", help="buat data contoh sintetis / write synthetic samples",
                       description="Sesi contoh sintetis (ber-seed: sama setiap kali), seperti diekspor "
                                   "setiap alat.\nThe seeded synthetic sample sessions, as each tool "
                                   "exports them.")
    s.add_argument("--out", default=found["sample"], help="folder hasil / output folder")
    instrument_option(s)
    lang_option(s)
    overwrite_option(s)
    s.set_defaults(func=_simulate)
