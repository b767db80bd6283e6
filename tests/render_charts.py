"""Render every chart of tests/chart_cases.py to PNG and print its problems:
``python tests/render_charts.py /tmp/charts``."""

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]
from chart_cases import cases  # noqa: E402
from chart_overlap import problems  # noqa: E402



def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for lang in ("id", "en"):
        for name, fig in cases(lang):
            found = problems(fig)
            fig.savefig(out / f"{name}.png", dpi=100)
            print(("OK  " if not found else "BAD ") + name)
            for p in found:
                print("     ", p)


if __name__ == "__main__":  # imported by pytest --doctest-modules: nothing is drawn then
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/charts"))
