"""evaluate: read -> score -> pair kept on an Evaluation, and what it computes
from them (evaltools.evaluate)."""

import evaltools as et
from evaltools.items import cronbach_alpha, item_stats


def test_evaluate_takes_a_path_to_the_instrument():
    from conftest import INSTRUMENT, LOA_JANAN
    ev = et.evaluate(LOA_JANAN, str(INSTRUMENT))
    assert ev.synthetic and ev.meta["tanggal"] == "2024-11-22"
    assert len(ev.pairs.matched) == 52


def test_matched_item_analyses_are_about_the_matched_people(ev_loa, inst):
    answers, marks = ev_loa.wave_rows("post", matched_only=True)
    assert len(answers) == len(marks) == 52
    assert answers["pid"].tolist() == ev_loa.pairs.audit.query("status == 'matched'")["pid_post"].tolist()
    assert (marks.sum(axis=1).to_numpy() == ev_loa.pairs.matched["n_correct_post"].to_numpy()).all()
    got = ev_loa.item_analysis("post", matched_only=True)
    want = item_stats(marks)
    assert got["item"].tolist() == want["item"].tolist()
    assert got["difficulty"].tolist() == want["difficulty"].tolist()
    d = ev_loa.distractors("post", matched_only=True)
    assert (d["n"] == 52).all()
    everyone = ev_loa.distractors("post")
    assert (everyone["n"] == int((ev_loa.responses.data["wave"] == "post").sum())).all()


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
    assert (q["pre-test only"], q["post-test only"]) == (3, 1)
