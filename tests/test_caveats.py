"""Caveats where the numbers are weak (issue 19, point 8): a session with
fewer than 20 matched participants says its estimate is rough; an attitude
scale with alpha under 0.6 is not judged, and its sentence says so (no bare
"p < 0,001")."""

import shutil

import numpy as np
import pytest
from openpyxl import load_workbook

import evaltools as et
from evaltools.findings import ALPHA_MIN, ROUGH_N, caveats

BALIKPAPAN = "data/sample/kesbangpol-balikpapan-2023-10-20"


@pytest.fixture(scope="module")
def ev_weak(inst, tmp_path_factory):
    """Balikpapan cut to its first 15 participants, the attitude answers
    replaced by unrelated random ones (seed 19): few people, a scale that
    does not hang together."""
    folder = tmp_path_factory.mktemp("weak") / "balikpapan-kecil-2023-10-20"
    shutil.copytree(BALIKPAPAN, folder)
    rng = np.random.default_rng(19)
    keep = None
    for wave in ("pre", "post"):
        path = folder / f"{wave}-entri-kertas-sintetis.xlsx"
        wb = load_workbook(path)
        ws = wb["Jawaban"]
        head = [c.value for c in ws[1]]
        nip = head.index("nip")
        if keep is None:  # the first 15 pre-test takers (row 2 holds the column labels)
            keep = {r[nip] for r in ws.iter_rows(min_row=3, max_row=17, values_only=True)}
        for i in range(ws.max_row, 2, -1):  # bottom up: deleting keeps the rows above in place
            if ws.cell(i, nip + 1).value not in keep:
                ws.delete_rows(i)
        for row in ws.iter_rows(min_row=3):
            for cell, name in zip(row, head):
                if str(name).startswith("sikap_"):
                    cell.value = int(rng.integers(1, 6))
        wb.save(path)
    return et.evaluate(folder, inst)


def test_a_small_session_says_its_estimate_is_rough(ev_weak):
    n = int(ev_weak.summary["n"].iloc[0])
    assert 5 <= n < ROUGH_N == 20
    rough = f"Hanya {n} peserta mengikuti kedua tes (kurang dari 20): angka-angka ini perkiraan kasar."
    assert rough in caveats(ev_weak) and ev_weak.findings()[1] == rough
    assert caveats(ev_weak, "en")[0].startswith(f"Only {n} participants took both tests")


def test_an_unreliable_scale_is_not_judged(ev_weak):
    att = ev_weak.attitudes()
    scale = att[att["item"] == "skala_sikap_netralitas"].iloc[0]
    low = min(scale["alpha_pre"], scale["alpha_post"])
    assert low < ALPHA_MIN == 0.6
    a = et.fmt.num(low, 2)
    said = [f for f in ev_weak.findings() if f.startswith("Sikap netralitas")]
    assert said == [f"Sikap netralitas (skala 1–5): pernyataannya belum cukup andal untuk dinilai "
                    f"(alpha {a}, di bawah 0,6), jadi perubahannya tidak disimpulkan."]
    assert f"Skala 'Sikap netralitas' belum cukup andal untuk dinilai (alpha {a}, di bawah 0,6)." \
        in caveats(ev_weak)


def test_a_sound_session_has_no_caveat(ev_loa):
    assert caveats(ev_loa) == [] and caveats(ev_loa, "en") == []
    assert any(f.startswith("Sikap netralitas (skala 1–5): 3,69") for f in ev_loa.findings())
