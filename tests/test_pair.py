"""pair: each participant's pre-test matched to their post-test (evaltools.pair)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evaltools as et
from propsettings import budget


def test_pairing_accounts_for_everyone(ev_loa):
    p = ev_loa.pairs
    s = ev_loa.scores
    n_pre_post = int(s["wave"].isin(["pre", "post"]).sum())
    assert 2 * len(p.matched) + len(p.unmatched) == n_pre_post
    assert len(p.matched) == 52
    assert p.unmatched["reason"].value_counts().to_dict() == {"no_post": 3, "no_pre": 1}
    assert set(p.audit["status"]) == {"matched", "no_post", "no_pre"}
    assert len(p.audit) == len(p.matched) + len(p.unmatched)
    by = p.matched["match_by"].value_counts().to_dict()
    # village heads by code; the typist's post-test lost 6 NIPs to Excel, and
    # those people are found again by name within their OPD
    assert by == {"nip": 33, "kode_peserta": 13, "nama_opd": 6}
    # pandas text, as every other text column, and each pair's rule as the audit gives it
    assert p.matched["match_by"].dtype == "str"
    assert p.matched["match_by"].tolist() == p.audit.loc[p.audit["status"] == "matched", "match_by"].tolist()
    named = p.audit[p.audit["match_by"] == "nama_opd"]
    assert (named["score"] >= 90).all() and named["row_post"].str.startswith("post-entri").all()
    np.testing.assert_allclose(p.matched["gain"], p.matched["pct_post"] - p.matched["pct_pre"])


def test_pair_matches_nip_then_code(inst):
    base = {f: "" for f in inst.field_ids}
    rows = [
        {**base, "session": "s", "wave": "pre", "pid": "nip:1", "nip": "198609262015051001", "kode_peserta": "AB0101", "pct": 40.0},
        {**base, "session": "s", "wave": "post", "pid": "kode:AB0101", "nip": "", "kode_peserta": "AB0101", "pct": 80.0},
        {**base, "session": "s", "wave": "pre", "pid": "nip:2", "nip": "199001012019032002", "kode_peserta": "", "pct": 50.0},
        {**base, "session": "s", "wave": "post", "pid": "nip:2", "nip": "199001012019032002", "kode_peserta": "", "pct": 60.0},
        {**base, "session": "s", "wave": "post", "pid": "kode:ZZ", "nip": "", "kode_peserta": "ZZ", "pct": 90.0},
    ]
    scores = pd.DataFrame(rows).assign(n_correct=0, passed=False)
    p = et.pair(scores)
    got = p.matched.set_index("pid")[["match_by", "pct_pre", "pct_post"]].to_dict("index")
    assert got == {"nip:2": {"match_by": "nip", "pct_pre": 50.0, "pct_post": 60.0},
                   "nip:1": {"match_by": "kode_peserta", "pct_pre": 40.0, "pct_post": 80.0}}
    assert p.unmatched[["pid", "reason"]].values.tolist() == [["kode:ZZ", "no_pre"]]


def _people(inst, rows):
    base = {f: "" for f in inst.field_ids}
    out = []
    for wave, nama, nip, opd, pct in rows:
        out.append({**base, "session": "s", "wave": wave, "pid": f"{wave}:{nama}", "nama": nama,
                    "nip": nip, "opd": opd, "pct": pct})
    return pd.DataFrame(out).assign(n_correct=0, passed=False)


def test_pair_by_name_within_opd_and_never_on_ambiguity(inst):
    kec, desa = "Kecamatan Loa Janan", "Pemerintah Desa se-Kecamatan Loa Janan"
    scores = _people(inst, [
        ("pre", "Hj. Siti Rahmawati, S.Pd.", "198609262015052001", kec, 40.0),
        ("post", "siti rahmawati", "", kec, 70.0),                   # NIP left empty: by name
        ("pre", "Muhammad Rizki", "", desa, 30.0),
        ("pre", "Muhammad Rizky", "", desa, 35.0),
        ("post", "M. Rizki", "", desa, 60.0),                        # two fit: nobody matched
        ("pre", "Ahmad Yani", "198001012005011001", kec, 50.0),
        ("post", "Ahmad Yani", "197505052000031002", kec, 55.0),     # NIPs differ: two people
        ("pre", "Rudi Hakim", "", kec, 45.0),
        ("post", "Rudi Hakim", "", desa, 65.0),                      # other OPD: not the same
    ])
    p = et.pair(scores)
    assert p.matched[["pid", "match_by"]].values.tolist() == [
        ["pre:Hj. Siti Rahmawati, S.Pd.", "nama_opd"]]
    a = p.audit.set_index("pid_pre")
    assert a.loc["pre:Hj. Siti Rahmawati, S.Pd.", "score"] == 100.0
    for who in ("pre:Muhammad Rizki", "pre:Muhammad Rizky"):
        assert a.loc[who, "status"] == "ambiguous"
        assert a.loc[who, "detail"] == "lebih dari satu calon: Muhammad Rizki (100); Muhammad Rizky (93)"
    post = p.audit[p.audit["pid_post"] == "post:M. Rizki"].iloc[0]
    assert post["status"] == "ambiguous"
    assert post["detail"] == "lebih dari satu calon: Muhammad Rizki (100); Muhammad Rizky (93)"
    assert p.unmatched["reason"].value_counts().to_dict() == {"ambiguous": 3, "no_post": 2,
                                                               "no_pre": 2}


def test_the_pairs_point_at_the_rows_they_pair(ev_loa):
    p, scores, data = ev_loa.pairs, ev_loa.scores, ev_loa.responses.data
    assert list(p.rows.columns) == ["pre", "post"] and len(p.rows) == len(p.matched)
    pre, post = p.aligned(scores)
    # row k of both sides is matched participant k: the same scores, the right waves
    assert (pre["wave"] == "pre").all() and (post["wave"] == "post").all()
    np.testing.assert_array_equal(pre["pct"], p.matched["pct_pre"])
    np.testing.assert_array_equal(post["pct"], p.matched["pct_post"])
    # the responses share the score table's rows: their pids are the audit's pairs
    a_pre, a_post = p.aligned(data)
    link = p.audit[p.audit["status"] == "matched"]
    assert a_pre["pid"].tolist() == link["pid_pre"].tolist() == p.matched["pid"].tolist()
    assert a_post["pid"].tolist() == link["pid_post"].tolist()
    # a person matched by name has two pids; the link still joins their two rows
    named = p.matched["match_by"].eq("nama_opd").to_numpy()
    assert named.sum() == 6 and (a_pre["pid"][named] != a_post["pid"][named]).all()


def test_no_pairs_gives_empty_aligned_frames(inst):
    scores = pd.DataFrame({"session": ["s"], "wave": ["pre"], "pid": ["kode:A"], "nama": ["A"],
                           "opd": [""], "nip": [""], "kode_peserta": ["A"], "pct": [50.0],
                           "n_correct": [1], "passed": [False]})
    p = et.pair(scores)
    pre, post = p.aligned(scores)
    assert len(p.matched) == len(pre) == len(post) == 0
    assert p.unmatched["reason"].tolist() == ["no_post"]


def test_pairs_without_row_links_refuse_to_align(ev_loa):
    from evaltools.pair import Pairs
    bare = Pairs(ev_loa.pairs.matched, ev_loa.pairs.unmatched, ev_loa.pairs.audit)
    with pytest.raises(ValueError, match="no links"):
        bare.aligned(ev_loa.marks)


def test_rows_in_the_same_order_in_both_waves_pair_as_shuffled_ones(ev_loa):
    """The matched participants' rows, both waves in one order (each wave's
    paired rows then a run: read as a slice), pair exactly as when the
    post-test's rows are shuffled (read row by row)."""
    from evaltools.pair import _Rows
    s, rows = ev_loa.scores, ev_loa.pairs.rows
    ordered = pd.concat([s.iloc[rows["pre"]], s.iloc[rows["post"]]], ignore_index=True)
    # shuffled between the first and the last: the run's ends and length as the ordered one's
    post = ordered.iloc[len(rows):]
    post = pd.concat([post.iloc[:1], post.iloc[1:-1].sample(frac=1, random_state=7), post.iloc[-1:]])
    shuffled = pd.concat([ordered.iloc[:len(rows)], post], ignore_index=True)
    a, b = et.pair(ordered), et.pair(shuffled)
    # the ordered table's post rows are positions 52-103 in order: a slice; the shuffled ones not
    assert len(rows) == 52 and a.rows["post"].tolist() == list(range(52, 104))
    assert _Rows(ordered, a.rows["post"].to_numpy()).at == slice(52, 104)
    moved = b.rows["post"].to_numpy()
    assert (moved[0], moved[-1]) == (52, 103) and isinstance(_Rows(shuffled, moved).at, np.ndarray)
    assert a.matched["match_by"].value_counts().to_dict() == {"nip": 33, "kode_peserta": 13, "nama_opd": 6}
    key = ["match_by", "pid"]
    pd.testing.assert_frame_equal(a.matched.sort_values(key, ignore_index=True),
                                  b.matched.sort_values(key, ignore_index=True))
    audit = a.audit.columns.drop(["row_post"])
    pd.testing.assert_frame_equal(a.audit[audit].sort_values(["match_by", "pid_pre"], ignore_index=True),
                                  b.audit[audit].sort_values(["match_by", "pid_pre"], ignore_index=True))


@st.composite
def _key_waves(draw):
    """Two waves' key columns as pairing reads them: NIPs (18 digits) or
    participant keys of one shape or of several, empty keys, a key given
    twice, one session or two."""
    pool = draw(st.sampled_from([
        [f"19900101201903{k:04d}" for k in range(8)],          # NIPs: digits of one width
        [f"nip:0{k}" for k in range(8)],                         # a prefix, a leading zero
        ["0123", "123", "00123", "1234", "12x4", "", "+123", "９９"],  # other shapes
    ]))
    sessions = draw(st.sampled_from([["s"], ["s", "t"]]))

    def wave(tag):
        keys = draw(st.lists(st.sampled_from(pool), unique=True, max_size=8))
        if keys and draw(st.integers(0, 4)) == 0:  # now and then a key given twice
            keys.append(keys[0])
        return pd.DataFrame({"session": pd.array([draw(st.sampled_from(sessions)) for _ in keys],
                                                 dtype="str"),
                             "nip": pd.array(keys, dtype="str"), tag: np.arange(len(keys))})
    return wave("_i"), wave("_j")


@given(waves=_key_waves())
@budget(200)
def test_key_links_by_integers_are_the_merges(waves):
    """NIPs joined as integers (``pair._digit_join``) link exactly what the
    merge on texts links, in the same order; shapes it cannot take go to the merge."""
    import importlib
    pair_module = importlib.import_module("evaltools.pair")
    a, b = waves

    def links(join):
        with pytest.MonkeyPatch.context() as m:
            if join is None:
                m.setattr(pair_module, "_digit_join", lambda *args: None)
            used_a, used_b = np.zeros(len(a), bool), np.zeros(len(b), bool)
            found = pair_module._key_links(a, b, used_a, used_b)
            return pd.concat(found)[["_i", "_j"]].to_numpy().tolist(), used_a.tolist(), used_b.tolist()
    assert links("integers") == links(None)


def test_nips_are_joined_as_integers():
    """Both waves' NIPs of one session: the integer join answers, not the merge."""
    import importlib
    pair_module = importlib.import_module("evaltools.pair")
    a = pd.DataFrame({"session": "s", "nip": ["199001012019032002", "198609262015051001"], "_i": [0, 1]})
    b = pd.DataFrame({"session": "s", "nip": ["198609262015051001", "199001012019032003"], "_j": [0, 1]})
    i, j = pair_module._digit_join(a, b, "nip")
    assert i.tolist() == [1] and j.tolist() == [0]
    assert pair_module._digit_join(a.assign(session=["s", "t"]), b, "nip") is None
    assert pair_module._digit_join(a, b.assign(nip=["1986", "1990"]), "nip") is None


def test_the_audit_is_built_when_first_read_and_before_pickling(inst):
    """``pair`` leaves the audit as work to do: ``evaluate(...).by("opd")``
    never builds it; the first read builds it once (the same table every
    read), and a pickled Pairs carries it built."""
    import importlib
    import pickle
    pair_module = importlib.import_module("evaltools.pair")
    ev = et.evaluate("data/sample/loa-janan-2024-11-22", inst)
    ev.by("opd")
    assert isinstance(object.__getattribute__(ev.pairs, "audit"), pair_module._Later)
    shared = ev.pairs.sharing_audit(ev.pairs.matched.head(3))
    audit = ev.pairs.audit
    assert audit is ev.pairs.audit and len(audit) == 56
    assert audit["match_by"].value_counts().to_dict() == {"nip": 33, "kode_peserta": 13, "nama_opd": 6, "": 4}
    assert shared.audit.equals(audit) and len(shared.matched) == 3
    assert shared.audit is audit  # built once for both
    fresh = et.pair(ev.scores)
    copied = pickle.loads(pickle.dumps(fresh))
    assert isinstance(object.__getattribute__(copied, "audit"), pd.DataFrame)
    pd.testing.assert_frame_equal(copied.audit, audit)
    # the score table changed after pairing (a notebook's edit): the audit is of the pairing
    scores = ev.scores.copy()
    later = et.pair(scores)
    scores.loc[:, "nama"] = "DIUBAH"
    scores["source"] = "lain.csv"
    pd.testing.assert_frame_equal(later.audit, audit)


def test_a_field_only_the_post_test_holds_comes_from_it(inst):
    """Where the pre-test left a field empty in every pair, the matched
    table takes the post-test's column (shared, not masked): the same
    values a cell-by-cell fill gives, in the same dtype."""
    base = {f: "" for f in inst.field_ids}
    rows = [{**base, "session": "s", "wave": w, "pid": f"nip:{k}", "nip": f"19860926201505100{k}",
             "jenis_pegawai": "" if w == "pre" else ["pns", "pppk"][k % 2], "pct": 50.0}
            for k in range(2) for w in ("pre", "post")]
    scores = pd.DataFrame(rows).astype({"jenis_pegawai": "str"}).assign(n_correct=0, passed=False)
    matched = et.pair(scores).matched
    assert matched["jenis_pegawai"].tolist() == ["pns", "pppk"] and matched["jenis_pegawai"].dtype == "str"
    half = scores.assign(jenis_pegawai=["pns", "pns", "", "pppk"])  # one filled pre-test: masked
    assert et.pair(half).matched["jenis_pegawai"].tolist() == ["pns", "pppk"]
