"""``evaltools plan``: how many participants a session needs to show a
gain of G points (``evaltools.plan``), in one sentence."""

from __future__ import annotations

from .. import fmt
from ..plan import gains_sd, plan, plan_sentence
from .common import instrument_option, lang_option, say


def _plan(args) -> int:
    """Print the participants needed, and where the SD came from."""
    sd, source = args.sd, None
    if sd is None:
        g = gains_sd(args.data, args.instrument)
        sd = g["sd"]
        source = say(args.lang,
                     f"Simpangan baku kenaikan {fmt.num(sd, 1)} poin: dari {fmt.count(g['n'])} "
                     f"peserta berpasangan di {fmt.count(g['sessions'])} sesi ({g['data']}).",
                     f"SD of gains {fmt.num(sd, 1, 'en')} points: from {fmt.count(g['n'], 'en')} "
                     f"matched participants in {fmt.count(g['sessions'], 'en')} sessions "
                     f"({g['data']}).")
    n = plan(args.gain, sd, args.power, args.alpha)
    print(plan_sentence(args.gain, sd, n, args.power, args.alpha, args.lang))
    if source:
        print(source)
    return 0


def register(sub) -> None:
    """Add ``plan`` to the parser."""
    p = sub.add_parser("plan", help="jumlah peserta yang diperlukan / participants needed")
    p.add_argument("--gain", type=float, required=True,
                   help="kenaikan yang ingin dideteksi, poin persen / gain to detect, points")
    p.add_argument("--sd", type=float, default=None,
                   help="simpangan baku kenaikan; default dari sesi di --data / SD of gains; "
                        "default from the sessions in --data")
    p.add_argument("--data", default=None,
                   help="folder sesi untuk simpangan baku (default data/sample) / sessions' folder")
    p.add_argument("--power", type=float, default=0.8, help="daya uji / power")
    p.add_argument("--alpha", type=float, default=0.05, help="alpha dua sisi / two-sided alpha")
    instrument_option(p)
    lang_option(p)
    p.set_defaults(func=_plan)
