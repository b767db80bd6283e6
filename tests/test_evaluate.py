"""evaluate: read -> score -> pair kept on an Evaluation, and what it computes
from them (evaltools.evaluate)."""

import pytest

import evaltools as et
from evaltools.items import cronbach_alpha


def test_evaluate_takes_a_path_to_the_instrument():
    from conftest import INSTRUMENT, LOA_JANAN
    ev = et.evaluate(LOA_JANAN, str(INSTRUMENT))
    assert ev.synthetic and ev.meta["tanggal"] == "2024-11-22"
    assert len(ev.pairs.matched) == 52


def test_matched_item_analyses_are_about_the_matched_people(ev_loa, inst):
    answers, marks = ev_loa.wave_rows("post", matched_only=True)
    assert len(answers) == len(marks) == 52
    # the matched people's post-test rows, in the order of the files
    link = ev_loa.pairs.audit.query("status == 'matched'")
    assert sorted(answers["pid"]) == sorted(link["pid_post"])
    assert answers["row"].is_monotonic_increasing
    assert (marks.sum(axis=1).to_numpy() == answers.join(ev_loa.scores["n_correct"])["n_correct"]
            .to_numpy()).all()
    d = ev_loa.distractors("post", matched_only=True)
    assert (d["n"] == 52).all()
    everyone = ev_loa.distractors("post")
    assert (everyone["n"] == int((ev_loa.responses.data["wave"] == "post").sum())).all()


# Discrimination of the 27 scored items on the matched participants' pre-test, and the
# distractors flagged on their post-test, as evaltools computed them before the pairs
# kept their row links (47fcf84): the upper and lower 27% break ties by file order, so
# the same people in another order would give other values.
DISCRIMINATION_PRE = [0.142857, 0.357143, 0.357143, 0.214286, 0.357143, 0.428571, 0.428571,
                      0.642857, 0.285714, 0.071429, 0.071429, 0.642857, 0.428571, 0.357143,
                      0.214286, 0.357143, 0.428571, 0.285714, 0.5, 0.071429, 0.285714, 0.5,
                      0.214286, 0.714286, 0.142857, 0.357143, 0.642857]


def test_matched_item_analysis_keeps_its_values(ev_loa):
    a = ev_loa.item_analysis("pre", matched_only=True)
    assert a["discrimination"].round(6).tolist() == DISCRIMINATION_PRE
    d = ev_loa.distractors("post", matched_only=True)
    assert d.loc[d["flag"], ["item", "option"]].values.tolist() == [["q11", "d"], ["q27", "a"]]


def test_matched_rows_exist_for_pre_and_post_only(ev_loa):
    with pytest.raises(ValueError, match="not 'followup'"):
        ev_loa.item_analysis("followup", matched_only=True)
    with pytest.raises(ValueError, match="not 'pos'"):
        ev_loa.distractors("pos", matched_only=True)


def test_reliability_per_wave_is_alpha_of_that_waves_marks(ev_loa):
    rel = ev_loa.reliability().set_index("wave")
    for wave in ("pre", "post"):
        _, marks = ev_loa.wave_rows(wave)
        assert rel.loc[wave, "n"] == len(marks)
        assert rel.loc[wave, "alpha"] == cronbach_alpha(marks)["alpha"]


def test_quality_accounts_for_every_row(ev_loa):
    q = ev_loa.quality().set_index("description")["n"]
    assert q["rows read"] == q["rows kept"] + q["rows excluded"]
    assert q["matched participants"] == 52 and q["matched by name + OPD"] == 6
    assert (q["files read"], q["skipped: not a regular file, not opened"]) == (2, 0)
    assert (q["pre-test only"], q["post-test only"]) == (3, 1)
