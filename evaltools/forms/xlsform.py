"""XLSForm for KoboToolbox / ODK Collect, generated from the instrument.

Sheets ``survey``, ``choices`` and ``settings``; labels in Bahasa Indonesia
(default) and English. Instrument id, version and wave (and the session, when
fixed) are ``calculate`` fields, so every export carries them. The form holds
no answer key: scoring happens in evaltools.

Example:
    >>> rows = xlsform_rows(FormSpec(inst, "pre", "loa-janan-2024-11-22", ("BKD Prov. Kaltim",)))
    >>> [(r["name"], r["calculation"]) for r in rows["survey"] if r["type"] == "calculate"][-1]
    ('session', "'loa-janan-2024-11-22'")
"""

from __future__ import annotations

import csv
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from ..layout import FORM_GROUPS, LIKERT_GROUPS, OTHER_OPD_LABELS, item_form_label
from ..overwrite import atomic_path
from .spec import WAVE_LABEL, FormSpec

ID, EN = "Indonesian (id)", "English (en)"
SURVEY_COLS = ("type", "name", f"label::{ID}", f"label::{EN}", f"hint::{ID}", f"hint::{EN}",
               "required", "constraint", f"constraint_message::{ID}",
               f"constraint_message::{EN}", "relevant", "calculation", "appearance")
CHOICE_COLS = ("list_name", "name", f"label::{ID}", f"label::{EN}")
SETTINGS_COLS = ("form_title", "form_id", "version", "default_language")
NIP_CONSTRAINT = "regex(., '^[0-9]{18}$')"
KOBO_META = ("_id", "_uuid", "_submission_time", "_validation_status", "_notes",
             "_status", "_submitted_by", "_tags", "_index")
_UUID_NS = uuid.uuid5(uuid.NAMESPACE_DNS, "kobo-export.evaltools")  # fixed: deterministic _uuid


def _lit(value: str) -> str:
    """An XPath string literal ("'pre'")."""
    return f'"{value}"' if "'" in value else f"'{value}'"


def _label(ind: str, en: str, kind: str = "label") -> dict:
    return {f"{kind}::{ID}": ind, f"{kind}::{EN}": en or ind}


def opd_choices(spec: FormSpec) -> dict[str, str]:
    """Choice name -> OPD name for the ``opd`` list (registry order), plus "lainnya".

    Example:
        >>> opd_choices(FormSpec(inst, "pre", None, ("Kesbangpol Prov. Kaltim", "BKD Prov. Kaltim")))
        {'opd_001': 'Kesbangpol Prov. Kaltim', 'opd_002': 'BKD Prov. Kaltim', 'lainnya': 'Lainnya (tulis)'}
        >>> opd_choices(FormSpec(inst, "pre", None, ("BKD Prov. Kaltim",), ("6400-003",)))
        {'opd_6400_003': 'BKD Prov. Kaltim', 'lainnya': 'Lainnya (tulis)'}
    """
    # Named by registry code, not position, so adding an OPD to the registry
    # never changes what an older submission's choice name means.
    keys = ([f"opd_{k.replace('-', '_').lower()}" for k in spec.opd_codes] if spec.opd_codes
            else [f"opd_{n:03d}" for n in range(1, len(spec.opds) + 1)])
    names = dict(zip(keys, spec.opds))
    return {**names, "lainnya": "Lainnya (tulis)"}


def _fixed_values(spec) -> dict[str, str]:
    inst = spec.instrument
    fixed = {"instrument": inst.id, "instrument_version": inst.version, "wave": spec.wave}
    return fixed if spec.session is None else {**fixed, "session": spec.session}


def _group(name: str, ind: str, en: str, questions: list) -> list:
    return [{"type": "begin_group", "name": name, **_label(ind, en)}, *questions,
            {"type": "end_group", "name": name}]


def _field_row(f, spec: FormSpec) -> dict:
    """The survey row of one participant field (its choices: ``_field_choices``)."""
    row = {"type": "text", "name": f.id, **_label(f.label, f.label_en),
           "required": "yes" if f.required else ""}
    if f.hint:  # the instrument keeps no English hint yet: fall back to Indonesian
        row.update(_label(f.hint, getattr(f, "hint_en", ""), "hint"))
    if f.type == "nip":
        row.update(constraint=NIP_CONSTRAINT, appearance="numbers", **_label(
            "NIP harus 18 angka tanpa spasi", "NIP must be 18 digits without spaces",
            "constraint_message"))
    elif f.type == "code" and "nip" in spec.instrument.field_ids and not f.required:
        row["required"] = "${nip} = ''"
    elif f.type in ("opd", "select"):
        row["type"] = f"select_one {f.id}"
    return row


def _field_choices(f, spec: FormSpec) -> list:
    if f.type == "opd":
        return [{"list_name": f.id, "name": k, **_label(v, v)} for k, v in opd_choices(spec).items()]
    if f.type == "select":
        options_en = getattr(f, "options_en", {})
        return [{"list_name": f.id, "name": k, **_label(v, options_en.get(k, v))}
                for k, v in f.options.items()]
    return []


def _participant_part(spec: FormSpec) -> tuple[list, list]:
    """The "peserta" group and the choices of its dropdowns; an OPD not in
    the list is written into its own text field."""
    rows, choices = [], []
    for f in spec.instrument.participant_fields:
        rows.append(_field_row(f, spec))
        choices += _field_choices(f, spec)
        if f.type == "opd":
            rows.append({"type": "text", "name": f"{f.id}_lainnya",
                         **_label(*OTHER_OPD_LABELS),
                         "required": "yes" if f.required else "",
                         "relevant": f"${{{f.id}}} = 'lainnya'"})
    return _group("peserta", *FORM_GROUPS["peserta"], rows), choices


def _knowledge_part(spec: FormSpec) -> tuple[list, list]:
    """The "pengetahuan" group, numbered items, and their options."""
    rows, choices = [], []
    for n, item in enumerate(spec.instrument.items, start=1):
        kind = "select_multiple" if item.type == "multi" else "select_one"
        rows.append({"type": f"{kind} {item.id}", "name": item.id,
                     **_label(item_form_label(n, item.text), item_form_label(n, item.text_en))})
        choices += [{"list_name": item.id, "name": k,
                     **_label(v, item.options_en.get(k, v))} for k, v in item.options.items()]
    return _group("pengetahuan", *FORM_GROUPS["pengetahuan"], rows), choices


def _likert_part(spec: FormSpec) -> tuple[list, list]:
    """The "sikap" and "reaksi" groups of the wave, and the 1-5 choices."""
    inst, likert = spec.instrument, spec.likert_items()
    rows = []
    for kind, name in LIKERT_GROUPS.items():
        scales = [s for s in inst.scales if s.kind == kind and s.id in {i.scale for i in likert}]
        if scales:
            ids = {s.id for s in scales}
            rows += _group(name, "; ".join(s.label for s in scales),
                           "; ".join(s.label_en for s in scales),
                           [{"type": "select_one likert5", "name": i.id, **_label(i.text, i.text_en),
                             "appearance": "likert"} for i in likert if i.scale in ids])
    choices = [{"list_name": "likert5", "name": str(k), **_label(v, inst.likert_points_en.get(k, v))}
               for k, v in sorted(inst.likert_points.items())] if likert else []
    return rows, choices


def xlsform_rows(spec: FormSpec) -> dict[str, list[dict]]:
    """Rows (dicts keyed by column name) of the sheets survey, choices, settings.

    Example:
        >>> rows = xlsform_rows(FormSpec(inst, "post", None, ("Kesbangpol Prov. Kaltim",)))
        >>> rows["settings"][0]["form_id"], rows["survey"][2]["calculation"]
        ('netralitas-asn-pilkada-2024-post', "'post'")
    """
    inst = spec.instrument
    survey = [{"type": "calculate", "name": k, "calculation": _lit(v)}
              for k, v in _fixed_values(spec).items()]
    choices: list[dict] = []
    for rows, lists in (_participant_part(spec), _knowledge_part(spec), _likert_part(spec)):
        survey += rows
        choices += lists
    # Open items stay outside any group: plain columns such as "saran" in exports
    survey += [{"type": "text", "name": o.id, **_label(o.text, o.text_en)}
               for o in spec.open_items()]
    settings = [{"form_title": f"{inst.title}: {WAVE_LABEL[spec.wave][0]}",
                 "form_id": spec.basename, "version": inst.version, "default_language": ID}]
    return {"survey": survey, "choices": choices, "settings": settings}


def write_xlsform(spec: FormSpec, path) -> Path:
    """Write the XLSForm (.xlsx) for ``spec.wave``; return its path.

    Example:
        >>> import tempfile
        >>> from openpyxl import load_workbook
        >>> spec = FormSpec(inst, "pre", None, ("Kesbangpol Prov. Kaltim", "BKD Prov. Kaltim"))
        >>> wb = load_workbook(write_xlsform(spec, Path(tempfile.mkdtemp()) / "x-pre-kobo.xlsx"))
        >>> wb.sheetnames, wb["settings"]["B2"].value
        (['survey', 'choices', 'settings'], 'netralitas-asn-pilkada-2024-pre')
    """
    from openpyxl import Workbook
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    sheets = xlsform_rows(spec)
    for name, cols in (("survey", SURVEY_COLS), ("choices", CHOICE_COLS),
                       ("settings", SETTINGS_COLS)):
        ws = wb.create_sheet(name)
        ws.append(cols)
        for row in sheets[name]:
            ws.append([row.get(c, "") or None for c in cols])
        for cells in ws.iter_rows(min_row=2):  # a label starting with "=" stays text
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


def kobo_export_csv(spec: FormSpec, answers: list[dict], path) -> Path:
    """Write ``answers`` as KoboToolbox would export them (CSV, XML values and
    headers, group separator "/"); return the path.

    For round-trip tests only: it stands in for a real Kobo server export.
    Values are choice names ("opd_003", "a c d", "4"); the metadata columns are
    synthetic but deterministic.

    Example:
        >>> import tempfile
        >>> spec = FormSpec(inst, "pre", None, ("Kesbangpol Prov. Kaltim", "BKD Prov. Kaltim"))
        >>> path = kobo_export_csv(spec, [{"nama": "Ani", "nip": "198609262015052001",
        ...       "opd": "BKD Prov. Kaltim", "q01": "b"}], Path(tempfile.mkdtemp()) / "kobo.csv")
        >>> header, row = (line.split(";") for line in path.read_text().splitlines())
        >>> dict(zip(header, row))['"peserta/opd"'], dict(zip(header, row))['"wave"']
        ('"opd_002"', '"pre"')
    """
    rows = xlsform_rows(spec)
    lists: dict[str, list[str]] = {}
    for c in rows["choices"]:
        lists.setdefault(c["list_name"], []).append(c["name"])
    fixed = _fixed_values(spec)
    opd_list = opd_choices(spec)
    opd_name = {v: k for k, v in opd_list.items() if k != "lainnya"}
    columns = []  # (header, name, choices of a select_multiple, one choice or None)
    stack: list[str] = []
    for r in rows["survey"]:
        kind, name = r["type"].split(" ")[0], r["name"]
        if kind in ("begin_group", "end_group"):
            stack.append(name) if kind == "begin_group" else stack.pop()
            continue
        head = "/".join([*stack, name])
        multi = lists[r["type"].split(" ")[1]] if kind == "select_multiple" else None
        columns.append((head, name, multi, None))
        columns += [(f"{head}/{c}", name, multi, c) for c in multi or ()]

    start = datetime(2024, 11, 22, 9, 15, 2)
    path = Path(path)
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        out.writerow([c[0] for c in columns] + list(KOBO_META))
        for n, ans in enumerate(answers, start=1):
            values = {k: "" if v is None else str(v) for k, v in ans.items()}
            opd = values.get("opd", "")
            if opd:  # registry OPDs become choice names, anything else "lainnya"
                values["opd"] = opd_name.get(opd, opd if opd in opd_list else "lainnya")
                if values["opd"] == "lainnya" and opd != "lainnya":  # free text: "tulis" field
                    values["opd_lainnya"] = values.get("opd_lainnya") or opd
            values.update(fixed)
            line = []
            for _, name, multi, choice in columns:
                v = values.get(name, "").strip()
                if choice is not None:  # one 1/0 column per choice, empty if unanswered
                    line.append("" if not v else "1" if choice in v.split() else "0")
                elif multi is not None:  # summary: chosen names in choice order
                    line.append(" ".join(c for c in multi if c in v.split()))
                else:
                    line.append(v)
            when = ans.get("submitted_at") or start + timedelta(minutes=3 * (n - 1))
            when = when.isoformat(timespec="seconds") if isinstance(when, datetime) else str(when)
            out.writerow(line + [str(999 + n), str(uuid.uuid5(_UUID_NS, str(n))), when,
                                 "", "", "", "", "", str(n)])
    return path
