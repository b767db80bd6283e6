"""The instrument's structure, checked by ``jsonschema`` against schema.json.

schema.json says which keys exist, their types, the fixed vocabularies (item
types, field types, waves), the id pattern, the required keys and the lists
and mappings that may not be empty. :func:`check_structure` reports the first
failure in the file's order as the bilingual EvalToolsError the user reads:
the file, the line, the place (``items[3] (q04)``), the problem and the fix.
The message comes from the failing part's ``x-message`` (or, for a fixed
vocabulary, ``x-what``) in the schema, else from the JSON Schema keyword.

Example:
    >>> from evaltools.instrument.yamlload import read_source
    >>> check_structure(read_source("survey/netralitas-asn-pilkada-2024.yaml")) is None
    True
"""

from __future__ import annotations

import functools
import json
import sys
from importlib import resources

from .yamlload import Source, show

SCHEMA_FILE = "schema.json"


@functools.cache
def json_schema() -> dict:
    """The instrument's JSON Schema (schema.json, installed with the package).

    Example:
        >>> json_schema()["$defs"]["item"]["required"]
        ['id', 'topic', 'type', 'text', 'options', 'key']
    """
    return json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text("utf-8"))


def check_structure(src: Source) -> None:
    """Raise the EvalToolsError for the first structural failure of ``src`` in
    the file's order; None when the structure is sound.

    Example:
        >>> from evaltools.instrument.yamlload import Source
        >>> check_structure(Source("t.yaml", {"id": "t", "title": "T"}))
        Traceback (most recent call last):
        evaltools.errors.EvalToolsError: t.yaml, version: 'version' tidak ada. Perbaikan: tambahkan 'version'
        (en) t.yaml, version: 'version' is missing. Fix: add 'version'
    """
    errors = list(_validator().iter_errors(src.doc))
    if errors:
        err = min(errors, key=lambda e: _position(src, e.absolute_path))
        path = tuple(err.absolute_path)
        if err.validator == "required":
            path += (next(k for k in err.validator_value if k not in err.instance),)
        key = err.instance if "propertyNames" in err.schema_path else None  # a key at path
        src.fail(path, *_message(src, err, path), key=key)


def unknown(what: tuple[str, str], shown: str, choices, fix: tuple[str, str] | None = None):
    """The message for a value outside its vocabulary: ``what`` names it in
    Indonesian and English; the fix lists ``choices`` unless ``fix`` is given.

    Example:
        >>> unknown(("topik", "topic"), "'pemilu'", ["sanksi", "larangan"])[0]
        "topik 'pemilu' tidak dikenal"
    """
    listed = ", ".join(str(c) for c in choices if c is not None)
    fix = fix or (f"pakai salah satu dari {listed}", f"use one of {listed}")
    return f"{what[0]} {shown} tidak dikenal", fix[0], f"unknown {what[1]} {shown}", fix[1]


def _message(src: Source, err, path: tuple) -> tuple[str, str, str, str]:
    """(problem, fix, problem_en, fix_en) for a jsonschema error ``err`` at ``path``."""
    name = next((str(s) for s in reversed(path) if isinstance(s, str)), "")
    kind = err.schema.get("x-message")
    if kind in _BY_PART:
        found = _BY_PART[kind](src, err, path, name)
        if found:
            return found
    if "x-what" in err.schema:
        return unknown(err.schema["x-what"], src.written(path), _choices(src, err))
    return _BY_KEYWORD.get(err.validator, _invalid)(src, err, path, name)


def _not_text(src, err, path, name, problem, fix, problem_en, fix_en):
    """A text the file wrote as something YAML reads otherwise (2024.10, yes) gets
    the quotes it needs; any other bad text gets the message given."""
    parent = src.value(path[:-1])
    if err.instance is not None and path and path[-1] in getattr(parent, "written", {}):
        w = src.written(path)
        return (f"YAML membaca '{name}: {w}' sebagai {show(err.instance)}, bukan teks",
                f'beri tanda kutip: {name}: "{w}"',
                f"YAML reads '{name}: {w}' as {show(err.instance)}, not as text",
                f'put it in quotes: {name}: "{w}"')
    return problem, fix, problem_en, fix_en


def _name(src, err, path, name):
    return _not_text(src, err, path, name, f"'{name}' harus berupa teks yang tidak kosong",
                     f'isi, mis. {name}: "..."', f"'{name}' must be text, not empty",
                     f'fill it in, e.g. {name}: "..."')


def _text(src, err, path, name):
    return _not_text(src, err, path, name, f"'{name}' kosong atau bukan teks",
                     "isi teks, atau {id: ..., en: ...}", f"'{name}' is empty or not text",
                     "write a text, or {id: ..., en: ...}")


def _ident(src, err, path, name):
    w = src.written(path)
    return (f"id {w} tidak sah", "pakai huruf kecil, angka dan garis bawah, diawali huruf",
            f"id {w} is not valid",
            "use lower-case letters, digits and underscores, starting with a letter")


def _flag(src, err, path, name):
    w = src.written(path)
    return (f"'{name}' harus true atau false, bukan {w}",
            f"tulis {name}: true atau {name}: false, tanpa tanda kutip",
            f"'{name}' must be true or false, not {w}",
            f"write {name}: true or {name}: false, without quotes")


def _waves(src, err, path, name):
    w = src.written(path)
    return (f"gelombang (waves) harus berupa daftar, bukan {w}", "mis. waves: [pre, post]",
            f"waves must be a list, not {w}", "e.g. waves: [pre, post]")


def _languages(src, err, path, name):
    w = src.written(("languages",))
    return (f"languages {w} harus daftar kode bahasa", "mis. languages: [id, en]",
            f"languages {w} must list language codes", "e.g. languages: [id, en]")


def _passing_score(src, err, path, name):
    w = src.written(path)
    return (f"passing_score {w} harus angka 1-100", "misalnya passing_score: 70",
            f"passing_score {w} must be a number from 1 to 100", "for example passing_score: 70")


def _likert_key(src, err, path, name):
    w = src.written_key(path, err.instance)
    return (f"kunci likert_points {w} tidak sah", "pakai angka 1 sampai 5, masing-masing sekali",
            f"likert_points key {w} is not valid", "use the numbers 1 to 5, once each")


def _option_id(src, err, path, name):
    w = src.written_key(path, err.instance)
    return (f"id pilihan {w} tidak sah",
            "pakai huruf kecil/angka tanpa spasi; on, off, yes, no dalam tanda kutip",
            f"option id {w} is not valid",
            "use lower-case letters/digits without spaces; quote on, off, yes, no")


def _options(src, err, path, name):
    if err.validator == "minProperties":
        return ("pilihan jawaban (options) kosong", "isi options: a: ..., b: ...",
                "no answer options", "fill in options: a: ..., b: ...")
    return None


def _field_options(src, err, path, name):
    if err.validator == "minProperties":
        return "pilihan kosong", "isi options", "no options", "fill in options"
    return None


def _multi_key(src, err, path, name):
    return ("kunci butir multi harus daftar pilihan", "misalnya key: [a, c, d]",
            "the key of a multi item must be a list of options", "for example key: [a, c, d]")


def _single_key(src, err, path, name):
    w = src.written(path)
    return _not_text(src, err, path, name, f"kunci butir harus satu id pilihan, bukan {w}",
                     "misalnya key: b", f"the key must be one option id, not {w}",
                     "for example key: b")


def _type(src, err, path, name):
    expected = [t for t in _as_list(err.validator_value) if t != "null"]
    w = src.written(path)
    if expected == ["object"] and path and isinstance(path[-1], int):
        return (f"entri ini harus berupa baris 'kunci: nilai', bukan {w}",
                "tulis entri sebagai '- id: ...' dengan kunci lainnya di bawahnya",
                f"this entry must be 'key: value' lines, not {w}",
                "write the entry as '- id: ...' with its other keys below")
    if expected in (["object"], ["array"]):
        ind, en, line, line_en = (("daftar", "a list", "- ...", "- ...") if expected == ["array"]
                                  else ("pemetaan", "a mapping", "kunci: nilai", "key: value"))
        return (f"'{name}' harus berupa {ind}, bukan {w}",
                f"di bawah '{name}:' tulis satu baris '{line}' per entri",
                f"'{name}' must be {en}, not {w}", f"under '{name}:' write one '{line_en}' line per entry")
    return _name(src, err, path, name)


def _missing(src, err, path, name):
    return f"'{name}' tidak ada", f"tambahkan '{name}'", f"'{name}' is missing", f"add '{name}'"


def _empty(src, err, path, name):
    return (f"'{name}' kosong", "tambahkan sedikitnya satu entri", f"'{name}' is empty",
            "add at least one entry")


def _invalid(src, err, path, name):
    w = src.written(path)
    return (f"nilai {w} tidak sah ({err.validator})", "lihat docs/instrument.md",
            f"value {w} is not valid ({err.validator})", "see docs/instrument.md")


_BY_PART = {"name": _name, "text": _text, "ident": _ident, "flag": _flag, "waves": _waves,
            "languages": _languages, "passing_score": _passing_score, "likert_key": _likert_key,
            "option_id": _option_id, "options": _options, "field_options": _field_options,
            "multi_key": _multi_key, "single_key": _single_key}
_BY_KEYWORD = {"required": _missing, "type": _type, "pattern": _name, "minItems": _empty, "minProperties": _empty}


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _choices(src, err) -> list:
    """The vocabulary of an ``x-what`` part: its enum, or the ids the file
    defines for a reference (an item's topic, a likert item's scale)."""
    if "enum" in err.schema:
        return err.schema["enum"]
    section = {"topic": "topics", "scale": "scales"}.get(err.absolute_path[-1], "")
    entries = src.doc.get(section)
    return [e.get("id") for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def _position(src: Source, path) -> list:
    """Where ``path`` is in the file's order: the rank of each key in its mapping
    (as the file wrote them) or the list position."""
    pos, node = [], src.doc
    for step in path:
        if isinstance(node, dict):
            pos.append(next((n for n, k in enumerate(node) if k == step), len(node)))
        else:
            pos.append(step)
        node = node[step]
    return pos


def _jsonschema():
    """jsonschema, imported on first use (0.1 s). Without rfc3987_syntax: when
    installed (jupyter_events needs it), jsonschema's format checker imports it,
    which builds a grammar for a second; the instrument schema checks no format.
    The cost: in a process where evaltools imports jsonschema first, jsonschema
    checks no 'iri' format for anyone."""
    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # import fails, jsonschema goes on without 'iri'
        try:
            import jsonschema
        finally:
            del sys.modules["rfc3987_syntax"]
    import jsonschema
    return jsonschema


@functools.cache
def _validator():
    """A Draft 2020-12 validator of the instrument schema whose integers are
    ints only (JSON Schema also counts 1.0; a likert point written 1.0 is refused)."""
    jsonschema = _jsonschema()
    base = jsonschema.Draft202012Validator
    ints = base.TYPE_CHECKER.redefine(
        "integer", lambda _, x: isinstance(x, int) and not isinstance(x, bool))
    return jsonschema.validators.extend(base, type_checker=ints)(_inlined(json_schema()))


def _inlined(node, defs=None):
    """The schema with each ``{"$ref": "#/$defs/x"}`` replaced by the definition
    itself: the same checks, without a reference lookup per value (a third of
    the validation time)."""
    defs = node["$defs"] if defs is None else defs
    if isinstance(node, dict):
        done = {k: _inlined(v, defs) for k, v in node.items() if k not in ("$ref", "$defs")}
        return {**_inlined(defs[node["$ref"].removeprefix("#/$defs/")], defs), **done} \
            if "$ref" in node else done
    if isinstance(node, list):
        return [_inlined(v, defs) for v in node]
    return node
