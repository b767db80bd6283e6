"""An anonymous session: nobody can be paired, so pre and post are compared
as independent groups and labelled weaker evidence.

Reference values: Rscript tests/r/unpaired_anonymous.R.
"""

from pathlib import Path

import pandas as pd
import pytest

import evaltools as et
from evaltools.errors import EvalToolsError

TOL = 1e-9
MATCHING = Path(__file__).parents[1] / "fixtures" / "read" / "matching"


@pytest.fixture
def anonymous_folder(tmp_path):
    for src in sorted(MATCHING.glob("*.csv")):
        df = pd.read_csv(src, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        df.drop(columns=["nama", "nip", "kode_peserta"]).to_csv(tmp_path / src.name, index=False)
    return tmp_path


def test_anonymous_form_needs_the_option(anonymous_folder, inst):
    with pytest.raises(EvalToolsError, match="tidak ada kolom pengenal peserta"):
        et.read_responses(anonymous_folder, inst)


def test_anonymous_session_unpaired(anonymous_folder, inst):
    ev = et.evaluate(anonymous_folder, inst, anonymous=True, meta={})
    assert len(ev.responses.data) == 19 and ev.responses.n_excluded == 0
    assert len(ev.pairs.matched) == 0
    u = ev.unpaired().iloc[0]
    assert (u["n_pre"], u["n_post"]) == (10, 9)
    # t.test(post * 100 / 27, pre * 100 / 27)  (Welch)
    assert u["t"] == pytest.approx(4.7537843317872257, abs=TOL)
    assert u["df"] == pytest.approx(12.957953931437492, abs=TOL)
    assert u["p_welch"] == pytest.approx(0.00038019837642160422, abs=TOL)
    assert u["ci_low"] == pytest.approx(6.3293062325275722, abs=TOL)
    assert u["ci_high"] == pytest.approx(16.880570310682273, abs=TOL)
    # wilcox.test(post, pre): W = 88
    assert u["W"] == 88 and u["p_mw"] == pytest.approx(0.00040645635586120311, abs=TOL)
    # effectsize::hedges_g(post * 100 / 27, pre * 100 / 27)
    assert u["g_s"] == pytest.approx(2.0122929880226548, abs=TOL)
    assert u["g_s_ci_low"] == pytest.approx(0.90295943038714821, abs=TOL)
    assert u["g_s_ci_high"] == pytest.approx(3.0848066223232742, abs=TOL)
    assert u["evidence"].startswith("lebih lemah")
    f = ev.findings()
    assert f[0] == ("Skor rata-rata naik dari 82% (10 peserta pre-test) menjadi 94% "
                    "(9 peserta post-test); +12 poin, 95% CI 6–17. Peserta tidak dapat "
                    "dipasangkan, jadi ini bukti yang lebih lemah daripada perbandingan berpasangan.")
