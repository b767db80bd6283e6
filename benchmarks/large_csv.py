"""One large responses CSV (500 MB by default): time and memory of
``read_responses`` beside ``pyarrow.csv.read_csv`` of the same file.

``python -m benchmarks.large_csv --mb 500`` simulates a pre-test of enough
participants (``benchmarks.data``; about 185 bytes each) into a temporary
folder, unless ``--csv`` names one, then reads it in two fresh interpreters:
evaltools (``read_responses``: streamed in blocks, every row checked) and the
peer (pyarrow reading every column as text, nothing checked). Printed: time,
growth of the peak resident size over the interpreter before reading, the
size of the kept table, and how often the progress bar moved.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BYTES_PER_PARTICIPANT = 185  # a pre-test row of benchmarks.data's CSV

_MEASURE = r"""
import json, sys, time
from pathlib import Path
from benchmarks.memory import peak_bytes as peak  # this process's own, not its parent's
path, who = Path(sys.argv[1]), sys.argv[2]
if who == "evaltools":
    import evaltools as et
    from benchmarks import data
    inst = et.load_instrument("survey/netralitas-asn-pilkada-2024.yaml")
    reg = data.registry(1000)
    import pyarrow.csv, tqdm.auto  # noqa: F401 (loaded before measuring, as the peer's are)
    before, start = peak(), time.perf_counter()
    r = et.read_responses(path, inst, wave="pre", session=data.SESSION, registry=reg)
    seconds = time.perf_counter() - start
    out = {"rows": len(r.data), "excluded": r.n_excluded,
           "kept_bytes": int(r.data.memory_usage(deep=True).sum())}
else:
    import pyarrow as pa, pyarrow.csv as pacsv
    before, start = peak(), time.perf_counter()
    with open(path, encoding="utf-8") as fh:
        names = fh.readline().strip().split(",")
    table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        column_types={c: pa.string() for c in names}),
        parse_options=pacsv.ParseOptions(newlines_in_values=True))
    seconds = time.perf_counter() - start
    out = {"rows": table.num_rows, "kept_bytes": table.nbytes}
out.update(seconds=seconds, peak_growth=peak() - before)
print(json.dumps(out))
"""


def measure(path: Path, who: str) -> dict:
    """Read ``path`` as ``who`` ("evaltools" or "pyarrow") in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(path), who], cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    # tqdm redraws with a carriage return: one drawing per move of the bar
    figures["bar_drawings"] = done.stderr.count("membaca jawaban")
    return figures


def simulate(mb: int, folder: Path) -> Path:
    """A pre-test CSV of about ``mb`` megabytes in ``folder``."""
    sys.path.insert(0, str(ROOT))
    import evaltools as et
    from benchmarks import data
    inst = et.load_instrument(ROOT / "survey" / "netralitas-asn-pilkada-2024.yaml")
    n = mb * 1_000_000 // BYTES_PER_PARTICIPANT
    path = folder / "pre.csv"
    data.simulate(n, 1000, inst)["pre"].to_csv(path, index=False)
    return path


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=int, default=500, help="size of the simulated CSV")
    ap.add_argument("--csv", type=Path, help="read this CSV instead of simulating one")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.csv or simulate(args.mb, Path(tmp))
        size = path.stat().st_size
        ours, peer = measure(path, "evaltools"), measure(path, "pyarrow")
    print(f"{path.name}: {size / 1e6:,.0f} MB, {ours['rows']:,} rows")
    for who, f in (("evaltools read_responses", ours), ("pyarrow.csv.read_csv (text)", peer)):
        print(f"  {who:28s} {f['seconds']:6.1f} s  peak +{f['peak_growth'] / 1e9:.2f} GB "
              f"({f['peak_growth'] / size:.1f}x the file)  table {f['kept_bytes'] / 1e9:.2f} GB")
    # a small file may not raise the peer's peak at all
    peak = ours["peak_growth"] / peer["peak_growth"] if peer["peak_growth"] else float("nan")
    print(f"  ratios evaltools / pyarrow: time {ours['seconds'] / peer['seconds']:.1f}x, "
          f"peak {peak:.1f}x; "
          f"progress bar drawn {ours['bar_drawings']} times")


if __name__ == "__main__":
    main()
