"""``evaltools forms`` and ``evaltools simulate``: files made from the instrument."""

from __future__ import annotations

from ..disk import folder_lock
from ..forms import write_forms
from ..instrument import load_instrument
from ..simulate import write_sample
from .common import DEFAULT_INSTRUMENT, overwrite_option


def _simulate(args) -> int:
    inst = load_instrument(args.instrument)
    with folder_lock(args.out):
        paths = write_sample(args.out, inst, overwrite=args.overwrite)
    for p in paths:
        print(p)
    return 0


def _forms(args) -> int:
    inst = load_instrument(args.instrument)
    with folder_lock(args.out):
        paths = write_forms(inst, args.out, session=args.session, registry=args.registry,
                            overwrite=args.overwrite)
    print(f"{len(paths)} formulir ditulis ke {args.out}/:")
    for p in paths:
        print(f"  {p}")
    return 0


def register(sub) -> None:
    """Add ``forms`` and ``simulate`` to the parser."""
    f = sub.add_parser("forms", help="buat semua formulir dari instrumen / write every form")
    f.add_argument("instrument", nargs="?", default=DEFAULT_INSTRUMENT, help="berkas instrumen YAML")
    f.add_argument("--out", default="survey/forms", help="folder hasil (default survey/forms)")
    f.add_argument("--session", default=None, help="id sesi yang dicantumkan tetap di formulir")
    f.add_argument("--registry", default="data/opd.csv", help="daftar OPD untuk pilihan OPD")
    overwrite_option(f)
    f.set_defaults(func=_forms)
    s = sub.add_parser("simulate", help="buat data contoh sintetis / write synthetic samples")
    s.add_argument("--out", default="data/sample")
    s.add_argument("--instrument", default=DEFAULT_INSTRUMENT)
    overwrite_option(s)
    s.set_defaults(func=_simulate)
