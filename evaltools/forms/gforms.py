"""Google Forms quiz, as an Apps Script the evaluator runs once.

``quiz_model`` describes the quiz as plain data (title, description,
questions with choices, correct answers and points); ``write_apps_script``
embeds that model in a short script whose ``buatFormulir()`` builds the form
with ``FormApp``. The question titles are what Google writes as headers in
the responses CSV, so the reader maps them straight back to item ids; the
form title carries the stamp ``[<id> v<version> <wave>]``, which Google
keeps in the download's file name.

Example:
    >>> m = quiz_model(FormSpec(inst, "pre", None, ("Kesbangpol Prov. Kaltim", "BKD Prov. Kaltim")))
    >>> m["questions"][1]["title"], m["title"][-42:]
    ('Nama lengkap', ' [netralitas-asn-pilkada-2024 v2024.1 pre]')
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path

from ..overwrite import atomic_path, write_text
from .spec import WAVE_LABEL, FormSpec

OTHER_OPD = "Lainnya"  # the reader takes this choice to mean "see the next question"
OTHER_OPD_TITLE = "Nama OPD / unit kerja lainnya"
NIP_PATTERN = "^[0-9]{18}$"
_MARK = "var MODEL = "


def _likert_choices(inst) -> list[dict]:
    return [{"value": f"{k} - {v}", "correct": False} for k, v in sorted(inst.likert_points.items())]


def quiz_model(spec: FormSpec) -> dict:
    """The quiz for ``spec.wave`` as plain data: what the Apps Script builds.

    Question kinds: ``section`` (page break), ``text``, ``paragraph``,
    ``dropdown``, ``choice`` (one answer) and ``checkbox`` (several).
    Scored items are worth 1 point with their key marked correct; items the
    instrument does not score are worth 0 and mark no answer as correct.

    Example:
        >>> m = quiz_model(FormSpec(inst, "pre", None, ("Kesbangpol Prov. Kaltim", "BKD Prov. Kaltim")))
        >>> [q["points"] for q in m["questions"] if q["id"] == "q01"]
        [1]
    """
    inst = spec.instrument
    stamp = f"[{spec.stamp}]"
    # no ":" in the title: Google names the download after it, and Windows
    # cannot hold ":" in a file name
    title = f"{inst.title.replace(': ', ' - ')} - {WAVE_LABEL[spec.wave][0]} {stamp}"
    description = (
        f"{WAVE_LABEL[spec.wave][0]}. Isi data diri Anda, lalu jawab setiap soal sendiri "
        f"tanpa melihat catatan. NIP ditulis 18 angka tanpa spasi; peserta tanpa NIP mengisi "
        f"kode peserta. Kode formulir: {stamp}")
    qs: list[dict] = []

    def q(id_, kind, title, *, help_="", required=False, choices=(), points=0, validation=None):
        qs.append({"id": id_, "kind": kind, "title": title, "help": help_, "required": required,
                   "choices": list(choices), "points": points, "validation": validation})

    q("_peserta", "section", "Data peserta")
    for f in inst.participant_fields:
        if f.type == "opd":
            q(f.id, "dropdown", f.label, help_="Pilih OPD Anda; bila tidak ada, pilih "
              f"'{OTHER_OPD}' dan tulis namanya di pertanyaan berikut.", required=f.required,
              choices=[{"value": n, "correct": False} for n in (*spec.opds, OTHER_OPD)])
            q(f"{f.id}_lainnya", "text", OTHER_OPD_TITLE,
              help_=f"Hanya bila Anda memilih '{OTHER_OPD}' di atas.")
        elif f.type == "select":
            # long lists as a dropdown, short ones as radio buttons
            q(f.id, "dropdown" if len(f.options) > 5 else "choice", f.label, help_=f.hint,
              required=f.required, choices=[{"value": v, "correct": False} for v in f.options.values()])
        else:
            validation = None
            if f.type == "nip":
                validation = {"pattern": NIP_PATTERN, "message": "NIP harus 18 angka tanpa spasi"}
            q(f.id, "text", f.label, help_=f.hint, required=f.required, validation=validation)

    q("_pengetahuan", "section", "Tes pengetahuan",
      help_="Pilih satu jawaban, kecuali soal yang meminta semua jawaban yang benar.")
    for n, item in enumerate(inst.items, start=1):
        key = item.key if isinstance(item.key, frozenset) else {item.key}
        q(item.id, "checkbox" if item.type == "multi" else "choice", f"{n}. {item.text}",
          help_="Pilih semua yang benar." if item.type == "multi" else "",
          choices=[{"value": text, "correct": item.scored and oid in key}
                   for oid, text in item.options.items()],
          points=1 if item.scored else 0)

    likert = spec.likert_items()
    for kind, section in (("attitude", "_sikap"), ("reaction", "_reaksi")):
        scales = [s for s in inst.scales if s.kind == kind and s.id in {i.scale for i in likert}]
        if scales:
            ids = {s.id for s in scales}
            q(section, "section", "; ".join(s.label for s in scales),
              help_="Seberapa setuju Anda dengan pernyataan berikut?")
            for i in likert:
                if i.scale in ids:
                    q(i.id, "choice", i.text, choices=_likert_choices(inst))
    for o in spec.open_items():
        q(o.id, "paragraph", o.text)
    return {"title": title, "description": description, "stamp": spec.stamp,
            "confirmation": "Terima kasih. Jawaban Anda sudah tercatat.", "questions": qs}


_SCRIPT = """\
/*
 * {title}
 * Dibuat oleh evaltools dari instrumen {stamp}. Jangan diubah tangan:
 * buat ulang dengan `evaltools forms` bila instrumen berubah.
 *
 * Cara memakai (sekali saja, di akun Google penyelenggara):
 *  1. Buka https://script.google.com, klik "Proyek baru".
 *  2. Hapus isi Code.gs, tempel seluruh berkas ini, simpan.
 *  3. Pilih fungsi buatFormulir lalu klik "Jalankan"; izinkan akses Google Forms.
 *  4. Tautan formulir muncul di "Log eksekusi". Judul formulir memuat kode
 *     [{stamp}]: jangan dihapus, evaltools membacanya dari nama berkas unduhan.
 *  5. Untuk pre-test, di Setelan > Kuis pilih "Nanti, setelah peninjauan manual"
 *     dan matikan "Jawaban yang benar", agar kunci tidak bocor sebelum post-test.
 *  6. Setelah sesi: tab Respons > Unduh respons (.csv), lalu baca dengan evaltools.
 *
 * English: run buatFormulir() once in Apps Script; it creates the quiz and logs
 * its links. Keep the [code] in the title; download responses as CSV.
 */

{mark}{model};

function buatFormulir() {{
  var form = FormApp.create(MODEL.title);
  form.setDescription(MODEL.description);
  form.setIsQuiz(true);
  form.setCollectEmail(false);
  form.setAllowResponseEdits(false);
  form.setShowLinkToRespondAgain(false);
  form.setProgressBar(true);
  form.setConfirmationMessage(MODEL.confirmation);
  MODEL.questions.forEach(function (q) {{ tambahPertanyaan(form, q); }});
  Logger.log('Formulir dibuat: ' + form.getPublishedUrl());
  Logger.log('Sunting formulir: ' + form.getEditUrl());
  return form;
}}

function tambahPertanyaan(form, q) {{
  var item;
  if (q.kind === 'section') {{
    form.addPageBreakItem().setTitle(q.title).setHelpText(q.help);
    return null;
  }}
  if (q.kind === 'text' || q.kind === 'paragraph') {{
    item = q.kind === 'text' ? form.addTextItem() : form.addParagraphTextItem();
    if (q.validation) {{
      item.setValidation(FormApp.createTextValidation()
        .setHelpText(q.validation.message)
        .requireTextMatchesPattern(q.validation.pattern)
        .build());
    }}
  }} else {{
    item = q.kind === 'dropdown' ? form.addListItem()
      : q.kind === 'checkbox' ? form.addCheckboxItem() : form.addMultipleChoiceItem();
    item.setChoices(q.choices.map(function (c) {{ return item.createChoice(c.value, c.correct); }}));
    item.setPoints(q.points);
  }}
  item.setTitle(q.title).setHelpText(q.help).setRequired(q.required);
  return item;
}}

// Nama lain, bila editor memilih fungsi pertama secara bawaan.
function main() {{
  return buatFormulir();
}}
"""


def write_apps_script(spec: FormSpec, path) -> Path:
    """Write the Apps Script (.gs) that creates the quiz; return its path.

    Example:
        >>> import tempfile
        >>> spec = FormSpec(inst, "pre", None, ("Kesbangpol Prov. Kaltim", "BKD Prov. Kaltim"))
        >>> path = write_apps_script(spec, Path(tempfile.mkdtemp()) / "x-pre-google-forms.gs")
        >>> "function buatFormulir()" in path.read_text()
        True
    """
    model = quiz_model(spec)
    text = _SCRIPT.format(title=model["title"], stamp=spec.stamp, mark=_MARK,
                          model=json.dumps(model, ensure_ascii=False, indent=1))
    return write_text(path, text, newline="\n")


def model_from_script(path) -> dict:
    """The quiz model embedded in a script written by ``write_apps_script``.

    Example:
        >>> model_from_script("survey/forms/netralitas-asn-pilkada-2024-pre-google-forms.gs")["stamp"]
        'netralitas-asn-pilkada-2024 v2024.1 pre'
    """
    text = Path(path).read_text(encoding="utf-8")
    start = text.index(_MARK) + len(_MARK)
    model, _ = json.JSONDecoder().raw_decode(text, start)
    return model


def _google_time(value, n: int) -> str:
    """Google's CSV timestamp: '2024/11/22 10:01:00 AM GMT+8'."""
    when = (datetime.fromisoformat(str(value)) if value
            else datetime(2024, 11, 22, 9, 15, 2) + timedelta(minutes=3 * (n - 1)))
    hour = when.hour % 12 or 12
    ampm = "AM" if when.hour < 12 else "PM"
    return f"{when:%Y/%m/%d} {hour}:{when:%M:%S} {ampm} GMT+8"


def google_export_csv(spec: FormSpec, answers: list[dict], path) -> Path:
    """Write ``answers`` as Google Forms exports the quiz's responses (the CSV
    from the Responses tab); return the path.

    For round-trip tests only: it stands in for a real Google download.
    Answers use ids as in the canonical layout ("b", "a c", 4); the CSV holds
    what Google writes: option texts, checkbox texts joined with ";", the
    Likert choice text and the quiz score "x / 27".

    Example:
        >>> import tempfile
        >>> spec = FormSpec(inst, "post", None, ("Kesbangpol Prov. Kaltim", "BKD Prov. Kaltim"))
        >>> path = google_export_csv(spec, [{"nama": "Ani", "opd": "BKD Prov. Kaltim", "q01": "b"}],
        ...                          Path(tempfile.mkdtemp()) / "responses.csv")
        >>> path.read_text().splitlines()[1][:60]
        '2024/11/22 9:15:02 AM GMT+8,1 / 27,Ani,,,BKD Prov. Kaltim,,,'
    """
    inst = spec.instrument
    model = quiz_model(spec)
    questions = [q for q in model["questions"] if q["kind"] != "section"]
    fields = {f.id: f for f in inst.participant_fields}
    items = {i.id: i for i in inst.items}
    likert = {i.id for i in spec.likert_items()}
    total = sum(q["points"] for q in questions)
    path = Path(path)
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        out.writerow(["Timestamp", "Score", *(q["title"] for q in questions)])
        for n, ans in enumerate(answers, start=1):
            values = {k: "" if v is None else str(v).strip() for k, v in ans.items()}
            opd = values.get("opd", "")
            if opd and opd not in spec.opds:  # not in the dropdown: "Lainnya" plus its name
                values["opd"], values["opd_lainnya"] = OTHER_OPD, values.get("opd_lainnya") or opd
            line, points = [], 0
            for q in questions:
                v = values.get(q["id"], "")
                if q["id"] in items and v:
                    item = items[q["id"]]
                    chosen = set(v.split())
                    texts = [c["value"] for oid, c in zip(item.options, q["choices"]) if oid in chosen]
                    correct = {c["value"] for c in q["choices"] if c["correct"]}
                    points += q["points"] if set(texts) == correct else 0
                    v = ";".join(texts)
                elif q["id"] in likert and v:
                    v = f"{int(float(v))} - {inst.likert_points[int(float(v))]}"
                elif q["id"] in fields and fields[q["id"]].type == "select" and v:
                    v = fields[q["id"]].options[v]
                line.append(v)
            out.writerow([_google_time(ans.get("submitted_at"), n), f"{points} / {total}", *line])
    return path
