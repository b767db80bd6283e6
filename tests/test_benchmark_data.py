"""The benchmark's data generator makes data evaltools reads in full (no
timing here: benchmarks run on demand, ``make bench``)."""

import evaltools as et
from benchmarks import data


def test_generated_sessions_read_score_and_pair_in_full(inst, tmp_path):
    frames = data.simulate(300, 4, inst, seed=3)
    assert [len(f) for f in frames.values()] == [300, 300]
    assert frames["pre"]["nip"].str.fullmatch(r"\d{18}").all() and frames["pre"]["nip"].is_unique
    paths = data.write(frames, tmp_path / data.SESSION)
    ev = et.evaluate([paths["pre_csv"], paths["post_csv"]], inst, session=data.SESSION,
                     registry=data.registry(4), meta={})
    assert ev.responses.n_input_rows == len(ev.responses.data) == 600  # nothing excluded
    assert ev.responses.ledger.empty and len(ev.pairs.matched) == 300
    by = ev.by("opd")
    assert by["opd"].tolist() == [f"OPD Uji {i:04d}" for i in range(4)] and by["n"].sum() == 300
    assert ev.summary["mean_gain"].iloc[0] > 5  # the simulated session teaches something


def test_large_csv_benchmark_reads_what_it_simulates(capsys):
    """``python -m benchmarks.large_csv`` (here 2 MB, not 500): both readers
    read every simulated row (2,000,000 // 185 bytes per participant)."""
    from benchmarks import large_csv
    large_csv.main(["--mb", "2"])
    out = capsys.readouterr().out
    assert "pre.csv: 2 MB, 10,810 rows" in out
    assert out.count(" s  peak +") == 2 and "ratios evaltools / pyarrow: time" in out
