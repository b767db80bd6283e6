"""The floor ``make bench`` prints under the CSV target (benchmarks/floor.py)
does the job it stands for: its per-OPD table is evaluate's on a simulated
session, and it refuses files it would read wrong (no timing here)."""

import numpy as np
import pytest

import evaltools as et
from benchmarks import data, floor


@pytest.fixture(scope="module")
def session(inst, tmp_path_factory):
    frames = data.simulate(2_000, 7, inst, seed=11)
    return frames, data.write(frames, tmp_path_factory.mktemp("floor") / data.SESSION)


def test_the_floor_gives_evaluates_table(inst, session):
    _, paths = session
    csvs = [paths["pre_csv"], paths["post_csv"]]
    ev = et.evaluate(csvs, inst, session=data.SESSION, registry=data.registry(7), meta={})
    ours = ev.by("opd")
    least = floor.minimal_table(csvs, inst)
    assert least["opd"].tolist() == ours["opd"].tolist() == [f"OPD Uji {i:04d}" for i in range(7)]
    assert least["n"].tolist() == ours["n"].tolist() and least["n"].sum() == 2_000
    for col in ("mean_gain", "sd_gain", "t"):
        np.testing.assert_allclose(least[col], ours[col].to_numpy(dtype=float), rtol=1e-12)
    overall = (least["n"] * least["mean_gain"]).sum() / least["n"].sum()
    assert overall == pytest.approx(ev.summary["mean_gain"].iloc[0], rel=1e-12) and overall > 5


@pytest.mark.parametrize("column, value, says", [
    ("nip", "19660101199101100", "not 18 digits"),         # 17 digits
    ("nip", "196613011991011001", "not 18 digits"),        # born in month 13
    ("Timestamp", "26/11/2024 08.44", "not in the layout"),
    ("q05", "", "q05 left unanswered"),
])
def test_the_floor_refuses_what_it_would_read_wrong(inst, session, tmp_path, column, value, says):
    frames, _ = session
    pre = frames["pre"].copy()
    pre.loc[7, column] = value
    paths = data.write({"pre": pre, "post": frames["post"]}, tmp_path)
    with pytest.raises(ValueError, match=f"pre.csv: .*{says}"):
        floor.minimal_table([paths["pre_csv"], paths["post_csv"]], inst)


def test_the_floor_refuses_a_nip_given_twice(inst, session, tmp_path):
    frames, _ = session
    post = frames["post"].copy()
    post.loc[9, "nip"] = post.loc[8, "nip"]
    paths = data.write({"pre": frames["pre"], "post": post}, tmp_path)
    with pytest.raises(ValueError, match="post.csv: a NIP given twice"):
        floor.minimal_table([paths["pre_csv"], paths["post_csv"]], inst)
