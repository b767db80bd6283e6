"""The instrument YAML: the shipped file, and one clear error for each kind of break."""

import copy
import subprocess
import sys

import pytest
import yaml

import evaltools as et
from evaltools import EvalToolsError

from conftest import INSTRUMENT


@pytest.fixture(scope="module")
def doc():
    return yaml.safe_load(INSTRUMENT.read_text(encoding="utf-8"))


def test_shipped_instrument(inst):
    assert inst.id == "netralitas-asn-pilkada-2024"
    assert inst.version == "2024.1"
    assert inst.passing_score == 70
    assert [t.id for t in inst.topics] == ["dasar_hukum", "nilai_dasar", "larangan", "media_sosial",
                                          "sanksi", "hak_pilih", "pelaporan"]
    assert len(inst.items) == 31
    assert len(inst.scored_items) == 27
    # FLAG items of item-bank.md stay unscored until confirmed
    assert {i.id for i in inst.items if not i.scored} == {"q04", "q23", "q24", "q25"}
    assert {i.topic for i in inst.scored_items} == set(inst.topic_ids)
    assert inst.field_ids == ["nama", "nip", "kode_peserta", "opd", "jenis_pegawai", "jabatan",
                              "jenis_kelamin", "kabupaten_kota"]
    assert inst.participant_fields[0].label == "Nama lengkap"
    q01 = inst.items[0]
    assert (q01.id, q01.topic, q01.type, q01.key) == ("q01", "dasar_hukum", "single", "b")
    assert list(q01.options) == ["a", "b", "c", "d"] and q01.options["b"] == "UU 20/2023"
    q31 = inst.items[-1]
    assert q31.type == "multi" and q31.key == frozenset({"a", "c", "d"})
    assert inst.items[11].type == "truefalse" and inst.items[11].key == "salah"  # q12
    assert len(inst.likert_items) == 11
    assert [li.id for li in inst.likert_items if li.reverse] == ["sikap_6"]
    assert [li.id for li in inst.items_for("pre")] == [f"sikap_{k}" for k in range(1, 7)]
    assert len(inst.items_for("post")) == 11


def _broken(tmp_path, doc, change):
    d = copy.deepcopy(doc)
    change(d)
    path = tmp_path / "rusak.yaml"
    path.write_text(yaml.safe_dump(d, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("change, needle", [
    (lambda d: d["items"][1].update(id="q01"), "'q01' dipakai dua kali"),
    (lambda d: d["items"][0].update(key="e"), "kunci e tidak ada di antara pilihan a, b, c, d"),
    (lambda d: d["items"][0].update(topic="pemilu"), "topik 'pemilu' tidak dikenal"),
    (lambda d: d["items"][0].update(options={}), "pilihan jawaban (options) kosong"),
    (lambda d: d["items"][30].update(key=["a", "z"]), "kunci z tidak ada"),
    (lambda d: d["items"][0].update(type="essay"), "jenis butir 'essay' tidak dikenal"),
    (lambda d: d["items"][0].pop("key"), "'key' tidak ada"),
    (lambda d: d.update(passing_score=170), "passing_score 170"),
    (lambda d: d["likert_items"][0].update(scale="x"), "skala 'x' tidak dikenal"),
    (lambda d: d["participant_fields"][0].update(id="nama_lengkap"), "field peserta 'nama_lengkap'"),
])
def test_broken_instrument_raises_one_clear_error(tmp_path, doc, change, needle):
    path = _broken(tmp_path, doc, change)
    with pytest.raises(EvalToolsError) as info:
        et.load_instrument(path)
    msg = str(info.value)
    assert msg.startswith(str(path))
    assert needle in msg
    assert "Perbaikan:" in msg
    assert info.value.file == str(path)


def test_yaml_duplicate_key_and_tab_name_the_line(tmp_path):
    text = INSTRUMENT.read_text(encoding="utf-8")
    dup = tmp_path / "dup.yaml"
    dup.write_text(text.replace("passing_score: 70", "passing_score: 70\npassing_score: 60"),
                   encoding="utf-8")
    with pytest.raises(EvalToolsError) as info:
        et.load_instrument(dup)
    line = text.splitlines().index("passing_score: 70") + 2
    assert info.value.line == line
    assert f"baris {line}" in str(info.value) and "duplicate key 'passing_score'" in str(info.value)
    tab = tmp_path / "tab.yaml"
    tab.write_text(text.replace("\n  - id: nama", "\n\t- id: nama", 1), encoding="utf-8")
    with pytest.raises(EvalToolsError, match="YAML tidak sah"):
        et.load_instrument(tab)


def test_unsafe_yaml_tag_is_refused(tmp_path):
    bad = tmp_path / "unsafe.yaml"
    bad.write_text("id: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(EvalToolsError, match="YAML tidak sah"):
        et.load_instrument(bad)


def test_missing_file_is_an_evaltools_error(tmp_path):
    with pytest.raises(EvalToolsError, match="tidak ditemukan"):
        et.load_instrument(tmp_path / "nope.yaml")


def test_english_message_is_kept(tmp_path, doc):
    path = _broken(tmp_path, doc, lambda d: d["items"][0].update(topic="pemilu"))
    with pytest.raises(EvalToolsError) as info:
        et.load_instrument(path)
    assert info.value.location == "items[0] (q01)"
    assert "items[0] (q01)" in info.value.message_en


# --------------------------------------------------------------------------
# The structure (schema.json, checked by jsonschema) and the rules between fields
# --------------------------------------------------------------------------

def _edited(tmp_path, old: str, new: str):
    """The shipped file with its first ``old`` replaced by ``new`` as text (so the
    lines stay as the author wrote them), and the line ``new`` starts on."""
    text = INSTRUMENT.read_text(encoding="utf-8")
    assert old in text, old
    edited = text.replace(old, new, 1)
    path = tmp_path / "rusak.yaml"
    path.write_text(edited, encoding="utf-8")
    return path, text[:text.index(old)].count("\n") + 1


@pytest.mark.parametrize("old, new, location, problem, problem_en, offset", [
    # the line of the value (a key's line; the entry's own line for a missing key)
    ("passing_score: 70", "passing_score: 0", "passing_score",
     "passing_score 0 harus angka 1-100", "passing_score 0 must be a number from 1 to 100", 0),
    ("    key: salah\n    basis: \"SKB 2022\"", "    key: no\n    basis: \"SKB 2022\"", "items[11] (q12)",
     "YAML membaca 'key: no' sebagai False, bukan teks", "YAML reads 'key: no' as False", 0),
    ("  - id: dasar_hukum\n    label: {id: Dasar hukum, en: Legal basis}", "  - dasar_hukum",
     "topics[0]", "entri ini harus berupa baris 'kunci: nilai', bukan 'dasar_hukum'",
     "this entry must be 'key: value' lines, not 'dasar_hukum'", 0),
    ("  - id: dasar_hukum\n", '  - id: "dasar_hukum\\n"\n', "topics[0]",
     r"id 'dasar_hukum\n' tidak sah", r"id 'dasar_hukum\n' is not valid", 0),
    ("    kind: reaction\n    waves: [post]", "    kind: reaction\n    waves: post", "scales[1] (reaksi)",
     "gelombang (waves) harus berupa daftar, bukan 'post'", "waves must be a list, not 'post'", 1),
    ("  1: {id: Sangat tidak setuju", "  1.0: {id: Sangat tidak setuju", "likert_points",
     "kunci likert_points '1.0' tidak sah", "likert_points key '1.0' is not valid", 0),
    ("    type: select\n    required: true\n    options:\n", "    type: select\n    required: true\n    pilihan:\n",
     "participant_fields[4] (jenis_pegawai)", "'options' tidak ada", "'options' is missing", -2),
    # rules between fields, in code: the same place and line
    ("  2: {id: Tidak setuju", '  "1": {id: Tidak setuju', "likert_points",
     "kunci likert_points '1' tidak sah", "likert_points key '1' is not valid", 0),
    ('      c: {id: "UU 7/2017", en: "Law 7/2017"}\n      d',
     '      1: {id: "UU 7/2017", en: "Law 7/2017"}\n      "1"', "items[0] (q01)",
     "id pilihan '1' dipakai dua kali", "option id '1' is used twice", 1),
    ("  - id: q02\n", "  - id: q01\n", "items[1] (q01)", "id 'q01' dipakai dua kali",
     "id 'q01' is used twice", 0),
    ("    scale: reaksi\n", "    scale: reaksi_x\n", "likert_items[6] (reaksi_1)",
     "skala 'reaksi_x' tidak dikenal", "unknown scale 'reaksi_x'", 0),
])
def test_structure_error_names_the_place_and_line(tmp_path, old, new, location, problem,
                                                   problem_en, offset):
    path, line = _edited(tmp_path, old, new)
    with pytest.raises(EvalToolsError) as info:
        et.load_instrument(path)
    err = info.value
    assert (err.file, err.location, err.line) == (str(path), location, line + offset), str(err)
    assert problem in err.problem and problem_en in err.problem_en, str(err)
    assert err.fix and err.fix_en and err.fix != err.fix_en


def test_first_failure_in_the_file_order_is_reported(tmp_path):
    """Two problems: the one the author meets first (passing_score, line 16),
    not the one the checker happens to reach first (an item's type)."""
    text = INSTRUMENT.read_text(encoding="utf-8")
    path = tmp_path / "dua.yaml"
    path.write_text(text.replace("passing_score: 70", "passing_score: tujuh puluh")
                    .replace("type: single", "type: essay", 1), encoding="utf-8")
    with pytest.raises(EvalToolsError) as info:
        et.load_instrument(path)
    assert (info.value.location, info.value.line) == ("passing_score", 16)


def test_a_control_character_names_its_line(tmp_path):
    path, line = _edited(tmp_path, 'version: "2024.1"', 'version: "2024\x07.1"')
    with pytest.raises(EvalToolsError, match="YAML tidak sah: unacceptable character #x0007") as info:
        et.load_instrument(path)
    assert info.value.line == line == 11


def test_empty_values_take_their_defaults(tmp_path):
    """A key written empty (null) is the default, as if it were not written."""
    text = INSTRUMENT.read_text(encoding="utf-8")
    path = tmp_path / "kosong.yaml"
    path.write_text(text.replace("passing_score: 70", "passing_score:")
                    .replace("waves: [pre, post, followup]", "waves:")
                    .replace("    type: text\n    required: true", "    type:\n    required:", 1)
                    .replace("    kind: reaction\n    waves: [post]", "    kind: reaction\n    waves:")
                    .replace("    reverse: true", "    reverse:"), encoding="utf-8")
    inst = et.load_instrument(path)
    assert (inst.passing_score, inst.waves) == (70.0, ("pre", "post", "followup"))
    assert (inst.participant_fields[0].type, inst.participant_fields[0].required) == ("text", False)
    assert inst.scales[1].waves == ("post",)
    assert [li.id for li in inst.likert_items if li.reverse] == []


def test_schema_is_standard_json_schema_and_agrees_with_the_model():
    import jsonschema
    from evaltools.instrument import (CANONICAL_FIELDS, FIELD_TYPES, ITEM_TYPES, SCALE_KINDS,
                                      WAVES, json_schema)
    s = json_schema()
    jsonschema.Draft202012Validator.check_schema(s)
    # the shipped file passes any JSON Schema validator, not only evaltools' own
    jsonschema.validate(yaml.safe_load(INSTRUMENT.read_text(encoding="utf-8")), s)
    defs = s["$defs"]
    assert defs["item"]["properties"]["type"]["enum"] == list(ITEM_TYPES)
    assert defs["field"]["properties"]["type"]["enum"] == [*FIELD_TYPES, None]
    assert defs["field"]["properties"]["id"]["enum"] == list(CANONICAL_FIELDS)
    assert defs["scale"]["properties"]["kind"]["enum"] == [*SCALE_KINDS, None]
    assert defs["waves"]["items"]["enum"] == list(WAVES)


def test_jsonschema_is_imported_on_first_load_only_and_without_its_iri_grammar():
    """``import evaltools`` stays light; the first load imports jsonschema but not
    rfc3987_syntax (a second to build its grammar), and leaves no trace of that."""
    code = ("import sys, evaltools as et\n"
            "assert 'jsonschema' not in sys.modules\n"
            f"et.load_instrument({str(INSTRUMENT)!r})\n"
            "assert 'jsonschema' in sys.modules and 'rfc3987_syntax' not in sys.modules\n"
            "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=INSTRUMENT.parents[1], timeout=120)
    assert out.stdout.strip() == "ok", out.stderr


def test_alias_bomb_under_a_checked_key_is_refused_at_once(tmp_path, monkeypatch):
    """A 'billion laughs' list as the languages: jsonschema puts repr(instance) in
    its messages, and the document's lists and mappings repr themselves cut short."""
    bomb = ["lol:", "  a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        bomb.append(f"  {name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(bomb) + "\n" + INSTRUMENT.read_text(encoding="utf-8").replace(
        "languages: [id, en]", "languages: [*i]")
    path = tmp_path / "bom.yaml"
    path.write_text(text, encoding="utf-8")
    from evaltools.instrument import yamlload
    visits = []
    real = yamlload._SHOW.repr1

    def counted(x, level):  # each value repr() looks at; the expansion has 9**9 leaves
        visits.append(1)
        if len(visits) > 100_000:
            raise AssertionError("repr() walks the whole expansion")
        return real(x, level)
    monkeypatch.setattr(yamlload._SHOW, "repr1", counted)
    with pytest.raises(EvalToolsError, match="languages") as info:
        et.load_instrument(path)
    assert 0 < len(visits) <= 2_000 and len(str(info.value)) < 600, len(visits)  # 972 here


def test_the_minimal_example_of_the_docs_loads(tmp_path):
    doc = (INSTRUMENT.parents[1] / "docs" / "instrument.md").read_text(encoding="utf-8")
    example = doc.split("## Minimal example\n\n```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "contoh.yaml"
    path.write_text(example, encoding="utf-8")
    inst = et.load_instrument(path)
    assert (inst.id, inst.version, inst.passing_score, inst.waves) == ("contoh-tes", "2025.1", 70.0,
                                                                       ("pre", "post"))
    assert inst.field_ids == ["nama", "nip"] and inst.participant_fields[1].label_en == "NIP"
    assert [(i.id, i.type, i.key) for i in inst.scored_items] == [("q01", "single", "b"),
                                                                 ("q02", "truefalse", "benar")]
    assert inst.likert_items == () and inst.open_items == ()
