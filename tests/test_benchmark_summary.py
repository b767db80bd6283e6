"""The summary table ``make bench`` ends with, from fixed figures (no timing
here): each target judged from its own figure, what did not run said so."""

from benchmarks import summary

SIZE_100K = {"participants": 100_000, "groups": 500, "compare_s": 0.031, "pingouin_compare_s": 4.65,
             "ratios": {"pingouin loop / compare(by=opd)": 150.0},
             # no max_rel_diff_p_w_R: a run before the R-rule check existed
             "agreement": {"groups": 500, "max_abs_diff_t": 6e-14, "max_rel_diff_p_t": 4e-13,
                           "max_abs_diff_W": 0.5, "max_rel_diff_p_w": 2e-9}}
SIZE_1M = {"participants": 1_000_000, "groups": 1000, "evaluate_s": 3.3, "pyarrow_fresh_s": 1.2,
           "peak_rss_gb": 2.9, "pyarrow_peak_rss_gb": 0.9,
           "ratios": {"CSV to per-group table / pyarrow read": 2.75, "peak / pyarrow peak": 3.22}}
REPORTS = {"peer": "import pandas, matplotlib.pyplot", "peer_s": 0.8, "repeat": 2,
           "kernel_python": "/elsewhere/bin/python", "skipped_followups": ["kukar-tl"],
           "sessions": {"a": {"seconds": 4.0}, "b": {"error": "exit 1: boom"}}, "jobs": {"jobs": None}}


def test_summary_rows_judge_each_target_from_its_figure():
    rows = summary.rows([SIZE_100K, SIZE_1M], REPORTS, {"import_evaltools_s": 0.4, "import_pandas_s": 0.32,
                                                        "ratio": 1.25})
    got = [(r["measured"], r["holds"]) for r in rows]
    assert got == [
        ("150× (0.031 s vs 4.65 s)", True),
        ("6.0e-14", True), ("4.0e-13", True), ("5.0e-01", False), ("2.0e-09", False),
        ("n/a (not measured)", None),
        ("2.75× (3.30 s vs 1.20 s)", True),
        ("2.90 GB = 3.22× pyarrow's 0.90 GB", False),  # under 8 GB, but over 3x the peer
        ("not run (4300000 not in SIZES)", None), ("not run", None),
        ("4.0 s (5.0× `import pandas, matplotlib.pyplot`, 0.80 s)", True),
        ("failed: exit 1: boom", False),
        ("n/a (no --jobs)", None),
        ("0.400 s (1.2× `import pandas`, 0.320 s)", True)]


def test_summary_markdown_names_the_machine_and_what_was_left_out():
    where = {"date": "2026-12-06 08:00 UTC", "cpu": "Xeon", "cores": 2, "ram_gb": 23.5, "python": "3.11.7",
             "pandas": "3.1.1", "pyarrow": "26.0.1", "pingouin": "0.7.0", "commit": "abc1234", "load_at_start": 2.06}
    text = summary.markdown(summary.rows([], None, None)[:1], where, summary.notes(REPORTS))
    lines = text.splitlines()
    assert lines[0] == ("Measured 2026-12-06 08:00 UTC on Xeon, 2 cores, 23.5 GB RAM; Python 3.11.7, "
                        "pandas 3.1.1, pyarrow 26.0.1, pingouin 0.7.0; evaltools at abc1234; "
                        "load average 2.1 as the run began.")
    assert lines[4] == ("| `compare(pairs, by=\"opd\")` vs pingouin loop, 100,000 / 500 OPDs | "
                        "not run (100000 with peers not in SIZES) | ≥ 100× | – |")
    assert "**The report's kernel runs /elsewhere/bin/python, not the benchmark's Python.**" in text
    assert lines[-1].endswith("leaves out): kukar-tl.")


def test_summary_jobs_row_needs_a_faster_run_with_the_same_files():
    def row(jobs):
        return summary.report_rows({**REPORTS, "sessions": {}, "jobs": jobs})[0]
    both = {"jobs": True, "jobs1_s": 30.0, "jobs2_s": 18.0, "ratio": 0.6, "same_files": True}
    assert (row(both)["measured"], row(both)["holds"]) == ("0.60× (18.0 s vs 30.0 s; same files)", True)
    assert row({**both, "same_files": False})["holds"] is False
    # how often each ran, in the notes (one run of each moves the ratio by several percent)
    note = summary.notes({**REPORTS, "jobs": {**both, "jobs_runs": 2}})[1]
    assert note.endswith("; `report --all` with `--jobs 1` and `--jobs 2` in turn: the best of 2 runs each.")
    assert summary.notes(REPORTS)[1].endswith('fresh `python -c "import pandas, matplotlib.pyplot"`.')


def test_csv_to_table_is_the_best_of_fresh_runs_with_the_highest_peak():
    """One slow minute once timed the peer's read at 2.18 s against its usual
    0.6-1.0 s, and the table printed 4.9x instead of about 11-19x: the figure
    is the fastest run's, the peak the highest of all, the counts in the note."""
    from benchmarks.run import best_run
    ours = best_run("e2e", [{"evaluate_s": 11.6, "peak_rss_gb": 1.64, "matched": 10},
                            {"evaluate_s": 10.8, "peak_rss_gb": 1.66, "matched": 10}])
    peer = best_run("pyarrow", [{"pyarrow_fresh_s": 2.18, "pyarrow_peak_rss_gb": 1.11},
                                {"pyarrow_fresh_s": 0.97, "pyarrow_peak_rss_gb": 1.14},
                                {"pyarrow_fresh_s": 1.03, "pyarrow_peak_rss_gb": 1.12}])
    assert ours == {"evaluate_s": 10.8, "peak_rss_gb": 1.66, "matched": 10, "e2e_runs": 2}
    assert peer == {"pyarrow_fresh_s": 0.97, "pyarrow_peak_rss_gb": 1.14, "pyarrow_runs": 3}
    first = summary.notes(REPORTS, [SIZE_100K, {**SIZE_1M, **ours, **peer}])[0]
    assert ("each ran in fresh processes, taking turns (the peer first): the best of 2 runs "
            "against the peer's best of 3, whose") in first
    assert "(VmHWM, `benchmarks/memory.py`; the highest of the runs)" in first


def test_csv_to_table_and_its_peer_take_turns_the_peer_first():
    """On 2026-12-07 the peer's three runs, one after the other after ours, all fell in one
    slow minute (2.18 s at best against its usual 0.6-1.0 s) and the table printed 4.1x:
    taking turns, a slow minute falls on both sides."""
    from benchmarks.run import in_turn
    assert in_turn(2, 3) == ["pyarrow", "e2e", "pyarrow", "e2e", "pyarrow"]
    assert in_turn(1, 1) == ["pyarrow", "e2e"] and in_turn(3, 1) == ["pyarrow", "e2e", "e2e", "e2e"]
    # as make bench runs them: as many of ours as of the peer's and of the floor's
    # (benchmarks/floor.py), the floor after each of ours
    assert in_turn(3, 3, 3) == ["pyarrow", "e2e", "floor"] * 3
    assert in_turn(2, 3, 2) == ["pyarrow", "e2e", "floor", "pyarrow", "e2e", "floor", "pyarrow"]


def test_each_of_ours_is_also_set_against_the_peers_run_before_it():
    """Two bests hide how far the rounds spread (the peer's read at 4.3 million took 5.3 to
    11.7 s within an hour): each of ours against the peer's run just before it is printed too."""
    from benchmarks.run import best_run, round_ratios
    ours = [{"evaluate_s": 3.9, "peak_rss_gb": 2.9}, {"evaluate_s": 3.3, "peak_rss_gb": 2.9},
            {"evaluate_s": 4.2, "peak_rss_gb": 2.9}]
    peer = [{"pyarrow_fresh_s": 1.3, "pyarrow_peak_rss_gb": 0.9}, {"pyarrow_fresh_s": 1.5, "pyarrow_peak_rss_gb": 0.9},
            {"pyarrow_fresh_s": 1.2, "pyarrow_peak_rss_gb": 0.9}]
    rounds = round_ratios(ours, peer)
    assert rounds == [3.9 / 1.3, 3.3 / 1.5, 4.2 / 1.2]  # 3.0, 2.2, 3.5
    size = {**SIZE_1M, **best_run("e2e", ours), **best_run("pyarrow", peer), "rounds": rounds}
    row = summary.csv_rows([size])[0]
    # the bests (3.3 s and 1.2 s) from different rounds: their ratio lies between the rounds'
    assert row["measured"] == "2.75× (3.30 s vs 1.20 s; round by round 2.20-3.50×)" and row["holds"]


def test_a_figure_near_its_target_is_never_printed_across_it():
    """99.76x was printed "100×" beside "no" (make bench, 2026-12-06 23:37);
    each row prints more digits where rounding would carry its figure across
    the target."""
    just_under = {**SIZE_100K, "ratios": {"pingouin loop / compare(by=opd)": 99.764}}
    row = summary.compare_rows([just_under])[0]
    assert (row["measured"], row["holds"]) == ("99.8× (0.031 s vs 4.65 s)", False)
    at = {**SIZE_1M, "ratios": {"CSV to per-group table / pyarrow read": 3.004,
                                "peak / pyarrow peak": 2.9996}}
    over = {**at, "ratios": {**at["ratios"], "peak / pyarrow peak": 3.004}}
    assert [(r["measured"], r["holds"]) for r in summary.csv_rows([at])[:2]] == [
        ("3.004× (3.30 s vs 1.20 s)", False), ("2.90 GB = 3.00× pyarrow's 0.90 GB", True)]  # 3.00 is <= 3
    assert summary.csv_rows([over])[1]["measured"] == "2.90 GB = 3.004× pyarrow's 0.90 GB"
    near = {**REPORTS, "sessions": {"a": {"seconds": 4.96}},
            "jobs": {"jobs": True, "jobs1_s": 30.0, "jobs2_s": 29.9, "ratio": 0.996, "same_files": True}}
    assert [(r["measured"], r["holds"]) for r in summary.report_rows(near)] == [
        ("4.96 s (6.2× `import pandas, matplotlib.pyplot`, 0.80 s)", True),
        ("0.996× (29.9 s vs 30.0 s; same files)", True)]
    row = summary.import_rows({"import_evaltools_s": 0.4996, "import_pandas_s": 0.4, "ratio": 1.249})[0]
    assert (row["measured"], row["holds"]) == ("0.4996 s (1.2× `import pandas`, 0.400 s)", True)
    lazy = {"import_evaltools_s": 0.021, "first_use_s": 0.5004, "import_pandas_s": 0.4, "ratio": 1.251}
    row = summary.import_rows(lazy)[0]  # loading its modules at first use: both are judged
    assert (row["measured"], row["holds"]) == (
        "0.021 s; every name loaded 0.500 s (1.3× `import pandas`, 0.400 s)", False)
    assert summary._shown(100.0, 0, lambda v: v >= 100) == "100"


def test_the_floor_is_printed_under_the_csv_ratio_with_ours_against_it():
    """The floor, the least work on the same way (benchmarks/floor.py), is a
    figure beside the target, not a target: nothing holds or fails on it."""
    with_floor = {**SIZE_1M, "floor_s": 1.5,
                  "ratios": {**SIZE_1M["ratios"], "floor / pyarrow read": 1.25}}
    rows = summary.csv_rows([with_floor])
    assert [r["measured"] for r in rows[:3]] == [
        "2.75× (3.30 s vs 1.20 s)", "1.25× (1.50 s); evaltools 2.2× the floor",
        "2.90 GB = 3.22× pyarrow's 0.90 GB"]
    assert rows[1]["holds"] is None and rows[1]["figure"].startswith("… the floor: the least work on that way")
    assert [r["measured"] for r in summary.csv_rows([SIZE_1M])[:2]] == [  # a run from before the floor
        "2.75× (3.30 s vs 1.20 s)", "2.90 GB = 3.22× pyarrow's 0.90 GB"]


def test_a_reports_cpu_over_the_cores_is_printed_as_its_least_wall_time():
    """A report of 12 s of CPU on 2 cores cannot take under 6 s however its work
    overlaps: the row says so beside the time (runs from before: the time alone)."""
    reports = {**REPORTS, "sessions": {"a": {"seconds": 6.62, "cpu_s": 12.1, "cores": 2},
                                       "b": {"seconds": 4.0}}}
    rows = summary.report_rows(reports)
    assert [(r["measured"], r["holds"]) for r in rows[:2]] == [
        ("6.6 s (8.3× `import pandas, matplotlib.pyplot`, 0.80 s; CPU 12.1 s, at best 6.05 s on 2 cores)",
         False),
        ("4.0 s (5.0× `import pandas, matplotlib.pyplot`, 0.80 s)", True)]
