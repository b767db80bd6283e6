"""The Google Forms Apps Script: valid JavaScript, builds exactly the quiz
model (checked by running it under node against a recording FormApp), and
the model says what the instrument says."""

import json
import re
import shutil
import subprocess

import pytest

from evaltools.forms import FormSpec
from evaltools.forms.gforms import model_from_script, quiz_model, write_apps_script
from evaltools.read.opd import load_opd_registry

from conftest import ROOT

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed: cannot check the .gs")

# A stand-in for Google's FormApp that records every call, so the test sees
# the form the script would build. Unknown methods fail loudly (Proxy).
FAKE_FORMAPP = r"""
const built = {settings: {}, items: []};
function strict(obj, what) {
  return new Proxy(obj, {get(t, k) {
    if (k in t || typeof k === 'symbol') return t[k];
    throw new Error(what + ' has no method ' + String(k));
  }});
}
function makeItem(kind) {
  const rec = {kind: kind, title: null, help: null, required: false, points: null,
               choices: null, validation: null};
  built.items.push(rec);
  const self = strict({
    setTitle(v) { rec.title = v; return self; },
    setHelpText(v) { rec.help = v; return self; },
    setRequired(v) { rec.required = v; return self; },
    setPoints(v) { rec.points = v; return self; },
    setValidation(v) { rec.validation = v; return self; },
    createChoice(value, correct) {
      if (arguments.length !== 2) throw new Error('createChoice needs (value, isCorrect)');
      return {value: value, correct: correct};
    },
    setChoices(cs) { rec.choices = cs; return self; },
  }, kind);
  return self;
}
const form = strict({
  setDescription(v) { built.settings.description = v; return form; },
  setIsQuiz(v) { built.settings.quiz = v; return form; },
  setCollectEmail(v) { built.settings.collectEmail = v; return form; },
  setAllowResponseEdits(v) { built.settings.edits = v; return form; },
  setShowLinkToRespondAgain(v) { built.settings.again = v; return form; },
  setProgressBar(v) { built.settings.progress = v; return form; },
  setConfirmationMessage(v) { built.settings.confirmation = v; return form; },
  addPageBreakItem() { return makeItem('section'); },
  addTextItem() { return makeItem('text'); },
  addParagraphTextItem() { return makeItem('paragraph'); },
  addListItem() { return makeItem('dropdown'); },
  addMultipleChoiceItem() { return makeItem('choice'); },
  addCheckboxItem() { return makeItem('checkbox'); },
  getPublishedUrl() { return 'https://docs.google.com/forms/d/e/x/viewform'; },
  getEditUrl() { return 'https://docs.google.com/forms/d/x/edit'; },
}, 'Form');
const FormApp = {
  create(title) { built.title = title; return form; },
  createTextValidation() {
    const v = {};
    const b = strict({
      setHelpText(m) { v.message = m; return b; },
      requireTextMatchesPattern(p) { v.pattern = p; return b; },
      build() { return v; },
    }, 'TextValidationBuilder');
    return b;
  },
};
const logged = [];
const Logger = {log(m) { logged.push(m); }};
"""


@pytest.fixture(scope="module")
def specs(inst):
    reg = load_opd_registry(ROOT / "data" / "opd.csv")
    return {w: FormSpec(inst, w, None, tuple(reg["singkatan"]), tuple(reg["kode"]))
            for w in ("pre", "post")}


@needs_node
@pytest.mark.parametrize("wave", ["pre", "post"])
def test_node_accepts_the_script(specs, tmp_path, wave):
    gs = write_apps_script(specs[wave], tmp_path / "form.gs")
    js = tmp_path / "form.js"  # Apps Script is plain JavaScript; node wants a .js name
    shutil.copy(gs, js)
    done = subprocess.run([NODE, "--check", str(js)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@needs_node
@pytest.mark.parametrize("wave", ["pre", "post"])
def test_script_builds_the_model(specs, tmp_path, wave):
    gs = write_apps_script(specs[wave], tmp_path / "form.gs")
    run = tmp_path / "run.js"
    run.write_text(FAKE_FORMAPP + gs.read_text(encoding="utf-8")
                   + "\nbuatFormulir();\nconsole.log(JSON.stringify({built, logged}));\n",
                   encoding="utf-8")
    done = subprocess.run([NODE, str(run)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    built, model = got["built"], quiz_model(specs[wave])
    assert built["title"] == model["title"]
    assert built["settings"] == {"description": model["description"], "quiz": True,
                                 "collectEmail": False, "edits": False, "again": False,
                                 "progress": True, "confirmation": model["confirmation"]}
    assert len(built["items"]) == len(model["questions"])
    for rec, q in zip(built["items"], model["questions"]):
        assert rec["kind"] == q["kind"] and rec["title"] == q["title"] and rec["help"] == q["help"]
        if q["kind"] == "section":
            continue
        assert rec["required"] == q["required"], q["id"]
        if q["kind"] in ("dropdown", "choice", "checkbox"):
            assert rec["choices"] == q["choices"] and rec["points"] == q["points"], q["id"]
        assert rec["validation"] == q["validation"], q["id"]
    assert got["logged"][0] == "Formulir dibuat: https://docs.google.com/forms/d/e/x/viewform"


@needs_node
def test_nip_pattern_means_18_digits_in_javascript(specs):
    nip = next(q for q in quiz_model(specs["pre"])["questions"] if q["id"] == "nip")
    pattern = nip["validation"]["pattern"]
    tries = ["198609262015051001", "19860926201505100", "1986 0926 2015 05 1 001",
             "19860926201505100a", "1986092620150510011"]
    code = f"const re = new RegExp({json.dumps(pattern)}); " \
           f"console.log(JSON.stringify({json.dumps(tries)}.map(s => re.test(s))));"
    done = subprocess.run([NODE, "-e", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [True, False, False, False, False]


def test_model_follows_the_instrument(inst, specs):
    pre, post = quiz_model(specs["pre"]), quiz_model(specs["post"])
    assert pre["title"].endswith("[netralitas-asn-pilkada-2024 v2024.1 pre]")
    assert "[netralitas-asn-pilkada-2024 v2024.1 pre]" in pre["description"]
    by_id = {q["id"]: q for q in pre["questions"]}
    # participant fields: the instrument's labels as titles, its required flags
    for f in inst.participant_fields:
        assert by_id[f.id]["title"] == f.label and by_id[f.id]["required"] == f.required
    assert [k for k, q in by_id.items() if q["required"]] == ["nama", "opd", "jenis_pegawai"]
    opd = by_id["opd"]
    assert opd["kind"] == "dropdown" and len(opd["choices"]) == 50 + 1
    assert opd["choices"][0]["value"] == "Kesbangpol Prov. Kaltim" and opd["choices"][-1]["value"] == "Lainnya"
    # items: numbered titles, option texts, key marked correct, 1 point if scored
    for n, item in enumerate(inst.items, start=1):
        q = by_id[item.id]
        assert q["title"] == f"{n}. {item.text}"
        assert q["kind"] == ("checkbox" if item.type == "multi" else "choice")
        assert [c["value"] for c in q["choices"]] == list(item.options.values())
        correct = {oid for oid, c in zip(item.options, q["choices"]) if c["correct"]}
        key = set(item.key) if item.type == "multi" else {item.key}
        assert correct == (key if item.scored else set()), item.id
        assert q["points"] == (1 if item.scored else 0)
    assert sum(q["points"] for q in pre["questions"]) == 27
    assert [q["id"] for q in pre["questions"] if q["kind"] == "checkbox"] == ["q31"]
    assert by_id["q04"]["points"] == 0 and not any(c["correct"] for c in by_id["q04"]["choices"])
    # likert: five labelled points; reaction items and suggestions only after the session
    assert [c["value"] for c in by_id["sikap_1"]["choices"]] == [
        "1 - Sangat tidak setuju", "2 - Tidak setuju", "3 - Ragu-ragu", "4 - Setuju",
        "5 - Sangat setuju"]
    post_ids = [q["id"] for q in post["questions"]]
    assert "reaksi_1" in post_ids and "saran" in post_ids and "_reaksi" in post_ids
    assert not any(re.match(r"reaksi_|saran|_reaksi", k) for k in by_id)


def test_script_is_deterministic_and_carries_its_model(specs, tmp_path):
    a = write_apps_script(specs["post"], tmp_path / "a.gs").read_bytes()
    b = write_apps_script(specs["post"], tmp_path / "b.gs").read_bytes()
    assert a == b
    assert model_from_script(tmp_path / "a.gs") == quiz_model(specs["post"])
    text = a.decode("utf-8")
    assert "function buatFormulir()" in text and "Cara memakai" in text
