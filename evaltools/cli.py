"""Command line: ``evaltools report``, ``evaltools forms`` and ``evaltools simulate``.

Example:
    $ evaltools report --session loa-janan-2024-11-22
    $ evaltools forms survey/netralitas-asn-pilkada-2024.yaml --out survey/forms
    $ evaltools simulate --out data/sample
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import EvalToolsError

DEFAULT_INSTRUMENT = "survey/netralitas-asn-pilkada-2024.yaml"
NOTEBOOK = "notebooks/01_laporan_sesi.ipynb"


def _report(args) -> int:
    import papermill as pm  # lazy: papermill is slow to import
    out = Path(args.out) / args.session
    out.mkdir(parents=True, exist_ok=True)
    nb = Path(args.notebook)
    root = Path.cwd()
    # the notebook runs in notebooks/, so paths it receives are relative to there
    rel = lambda p: str(Path("..") / Path(p)) if not Path(p).is_absolute() else str(p)  # noqa: E731
    pm.execute_notebook(
        str(nb), str(out / nb.name), cwd=str(nb.parent),
        parameters={"session": args.session, "data_dir": rel(args.data),
                    "instrument_path": rel(args.instrument), "out_dir": rel(args.out),
                    "lang": args.lang},
        progress_bar=False, kernel_name="python3")
    print(f"Laporan sesi {args.session} ditulis ke {out.relative_to(root) if out.is_absolute() else out}/:")
    for p in sorted(out.iterdir()):
        print(f"  {p}")
    return 0


def _simulate(args) -> int:
    from .instrument import load_instrument
    from .simulate import write_sample
    for p in write_sample(args.out, load_instrument(args.instrument)):
        print(p)
    return 0


def _forms(args) -> int:
    from .forms import write_forms
    from .instrument import load_instrument
    paths = write_forms(load_instrument(args.instrument), args.out, session=args.session,
                        registry=args.registry)
    print(f"{len(paths)} formulir ditulis ke {args.out}/:")
    for p in paths:
        print(f"  {p}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="evaltools",
        description="Evaluasi sosialisasi netralitas ASN (pre-test/post-test). "
                    "Evaluate ASN neutrality sessions.")
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("report", help="laporan satu sesi / report one session")
    r.add_argument("--session", required=True, help="id sesi, nama folder di --data")
    r.add_argument("--data", default="data/sample", help="folder berisi folder sesi")
    r.add_argument("--out", default="reports", help="folder hasil (default reports/)")
    r.add_argument("--instrument", default=DEFAULT_INSTRUMENT)
    r.add_argument("--notebook", default=NOTEBOOK)
    r.add_argument("--lang", default="id", choices=["id", "en"])
    r.set_defaults(func=_report)
    f = sub.add_parser("forms", help="buat semua formulir dari instrumen / write every form")
    f.add_argument("instrument", nargs="?", default=DEFAULT_INSTRUMENT, help="berkas instrumen YAML")
    f.add_argument("--out", default="survey/forms", help="folder hasil (default survey/forms)")
    f.add_argument("--session", default=None, help="id sesi yang dicantumkan tetap di formulir")
    f.add_argument("--registry", default="data/opd.csv", help="daftar OPD untuk pilihan OPD")
    f.set_defaults(func=_forms)
    s = sub.add_parser("simulate", help="buat data contoh sintetis / write synthetic samples")
    s.add_argument("--out", default="data/sample")
    s.add_argument("--instrument", default=DEFAULT_INSTRUMENT)
    s.set_defaults(func=_simulate)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except EvalToolsError as exc:
        print(f"evaltools: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
