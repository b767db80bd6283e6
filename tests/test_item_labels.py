"""Questions, not ids (issue 19): items are shown by the number printed on
the paper form and a short form of their question; true/false options read
"Benar"/"Salah" once."""

import pandas as pd
from matplotlib.figure import Figure

from evaltools import charts
from evaltools.export.session import session_charts
from evaltools.instrument.model import short_text


def _drawn_text(ax) -> str:
    fig = ax.figure
    fig.canvas.draw()  # tick labels exist only once drawn
    texts = [ax.get_title(loc="left"), ax.get_title(), *[t.get_text() for t in ax.texts],
             *[t.get_text() for t in ax.get_yticklabels()], *[t.get_text() for t in ax.get_xticklabels()]]
    return "\n".join(texts)


def test_item_number_is_the_place_on_the_paper_form(inst):
    # forms/paper.py numbers the items with enumerate(inst.items, 1)
    assert [inst.item_number(i.id) for i in inst.items] == list(range(1, len(inst.items) + 1))
    assert inst.item_number("q21") == 21


def test_item_label_cuts_at_a_word_with_an_ellipsis(inst):
    label = inst.item_label("q04")
    assert label == "4. Pegawai ASN harus bebas dari…"
    assert len(label) <= 40 and inst.item("q04").text.startswith(label[3:-1])
    assert inst.item_label("q02", width=80) == "2. Yang BUKAN termasuk nilai dasar BerAKHLAK adalah:"
    assert inst.item_label("q02", "en", 80) == "2. Which of the following is NOT one of the BerAKHLAK core values?"
    assert short_text("satu dua tiga", 9) == "satu dua…" and short_text("abcdefghijkl", 6) == "abcde…"


def test_true_false_options_read_once(inst):
    assert (inst.option_label("q04", "benar"), inst.option_label("q04", "salah")) == ("Benar", "Salah")
    assert inst.option_label("q04", "benar", "en") == "True"
    assert inst.option_label("q02", "b") == "B. Adaptif"


def test_distractor_chart_of_a_true_false_item(inst):
    share = pd.DataFrame({"item": ["q04", "q04"], "option": ["benar", "salah"], "is_key": [True, False],
                          "share_all": [0.7, 0.3], "n": [40, 40]})
    ax = charts.distractor_bars(share, share, item="q04", instrument=inst, ax=Figure().subplots())
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == ["Salah", "Benar  ✓ kunci"]  # not "benar. Benar", not "salah. Salah"
    assert ax.get_title(loc="left").startswith("Jawaban yang dipilih: butir 4. Pegawai ASN harus")
    assert "q04" not in _drawn_text(ax)


def test_every_item_chart_shows_the_questions(ev_loa, inst):
    shown = {c.name: c for c in session_charts(ev_loa)}
    # per_butir: every item by number and question
    ax = shown["per_butir"].draw(Figure(figsize=(6.4, 8)).subplots())
    text = _drawn_text(ax)
    scored = ev_loa.items()["item"]  # the scored items
    assert len(scored) == 27
    for item in scored:
        assert inst.item_label(item, "id", 40) in text
    assert "q29" not in text and "q03" not in text
    # peta_butir: the items to revise, by number and question
    ax = shown["peta_butir"].draw(Figure().subplots())
    text = _drawn_text(ax)
    table = ev_loa.item_analysis("pre", matched_only=True)
    weak = table[(table["discrimination"] < 0.2) | (table["r_drop"] < 0.2)]["item"]
    assert len(weak) and all(inst.item_label(i, "id", 60) in text for i in weak)
    # pengecoh: titled with the question of the hardest item
    worst = ev_loa.hardest_item()
    ax = shown["pengecoh"].draw(Figure().subplots())
    assert inst.item_label(worst, "id", 50) in ax.get_title(loc="left").replace("\n", " ")  # titles wrap
    assert worst not in _drawn_text(ax)


def test_per_butir_sheet_has_the_question(ev_loa, tmp_path):
    from openpyxl import load_workbook

    from evaltools.export import write_workbook
    ws = load_workbook(write_workbook(ev_loa, tmp_path / "r.xlsx"))["Per Butir"]
    assert [c.value for c in ws[1]][:4] == ["No.", "Pertanyaan", "Topik", "Kode butir"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[3]]  # not the note under it
    assert len(rows) == len(ev_loa.items()) == 27
    assert all(r[1] == ev_loa.instrument.item(r[3]).text for r in rows)
