"""The instrument file as YAML data that remembers where each value was written.

:func:`read_source` reads the file with a strict ``SafeLoader``: tags never
run code, a duplicate key is refused (a copy-pasted item id would otherwise
overwrite its twin), a value YAML cannot build (``2024-02-30``) or a nesting
hundreds of levels deep is an error with its line, not a crash. Every mapping
keeps its line, its keys' lines and how the file wrote values YAML 1.1 does
not read as text (``version: 2024.10`` is the float 2024.1, ``on`` is True),
so that :meth:`Source.fail` can say ``items[3] (q04)``, the line, and quote the
author.

Example:
    >>> src = read_source("survey/netralitas-asn-pilkada-2024.yaml")
    >>> src.place(("items", 3, "scored"))
    ('items[3] (q04)', 147)
"""

from __future__ import annotations

import os
import re
import reprlib
from pathlib import Path
from typing import Mapping, NoReturn

import yaml

from ..errors import EvalToolsError

IDENT = re.compile(r"[a-z][a-z0-9_]*")  # an id: q01, sikap_netralitas (used with fullmatch)
_STR_TAG = "tag:yaml.org,2002:str"


class _Map(dict):
    """A YAML mapping with ``line`` (where it starts), ``key_lines`` {key: line},
    and how the file wrote keys and values YAML 1.1 does not read as text:
    ``written_keys[key]``, ``written[key]`` (``on``, ``2024.10``)."""

    def __repr__(self):  # bounded: jsonschema puts repr(instance) in its messages
        return show(self)


class _Seq(list):
    """A YAML sequence with ``lines``, the line of each element, and ``written``
    {position: text} for elements YAML 1.1 does not read as text."""

    def __repr__(self):
        return show(self)


_SHOW = reprlib.Repr()  # repr() cut short: a 1 MB text or a 'billion laughs' list stays one line
_SHOW.maxstring, _SHOW.maxother, _SHOW.maxlevel, _SHOW.maxlist, _SHOW.maxdict = 60, 60, 2, 4, 4
_SHOW.repr__Map, _SHOW.repr__Seq = _SHOW.repr_dict, _SHOW.repr_list  # looked up by type name


def show(value) -> str:
    """``repr(value)`` cut short, for messages.

    Example:
        >>> show("x" * 100)[:12], show(list(range(100)))
        ("'xxxxxxxxxxx", '[0, 1, 2, 3, ...]')
    """
    return _SHOW.repr(value)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that turns a value it cannot build (``2024-02-30``, an integer
    of 5000 digits) into a YAMLError with its line."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            what = show(node.value) if isinstance(node, yaml.ScalarNode) else "it"
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {what} as {node.tag.rsplit(':', 1)[-1]} "
                f"({show(str(exc))[1:-1]})", node.start_mark) from None


def _construct_mapping(loader, node, deep=False):
    seen, written_keys, written = {}, {}, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            first = seen.get(key)
        except TypeError:  # {[a]: 1}: SafeLoader's own message, not a TypeError from 'seen'
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, "found unhashable key",
                key_node.start_mark) from None
        if first is not None:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {show(key)} (first at line {first})",
                key_node.start_mark)
        seen[key] = key_node.start_mark.line + 1
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _STR_TAG:
            written_keys[key] = key_node.value
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag != _STR_TAG:
            written[key] = value_node.value
    mapping = _Map(yaml.SafeLoader.construct_mapping(loader, node, deep=deep))
    mapping.written_keys, mapping.written = written_keys, written
    mapping.line, mapping.key_lines = node.start_mark.line + 1, seen
    return mapping


def _construct_sequence(loader, node):
    seq = _Seq()
    seq.lines = [n.start_mark.line + 1 for n in node.value]
    seq.written = {k: n.value for k, n in enumerate(node.value)
                   if isinstance(n, yaml.ScalarNode) and n.tag != _STR_TAG}
    yield seq  # first, as SafeLoader does, so that an alias inside may point back to it
    seq.extend(loader.construct_sequence(node))


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class Source:
    """An instrument file's YAML data (``doc``) and its name (``path``); a place
    in it is a path of keys and list positions, e.g. ``("items", 3, "scored")``.

    Example:
        >>> src = read_source("survey/netralitas-asn-pilkada-2024.yaml")
        >>> src.value(("items", 30, "key")), src.written(("passing_score",))
        (['a', 'c', 'd'], '70')
    """

    def __init__(self, path: str, doc):
        self.path, self.doc = path, doc

    def value(self, path: tuple):
        """The value at ``path`` (None where the path leads nowhere)."""
        node = self.doc
        for step in path:
            try:
                node = node[step]
            except (LookupError, TypeError):
                return None
        return node

    def written(self, path: tuple) -> str:
        """The value at ``path`` as the file has it (``yes``, ``2024.10``, not True,
        2024.1); ``null`` for an empty value."""
        value, parent = self.value(path), self.value(path[:-1])
        text = getattr(parent, "written", {}).get(path[-1]) if path else None
        return "null" if value is None else show(value) if text is None else show(text)[1:-1]

    def written_key(self, path: tuple, key) -> str:
        """A key of the mapping at ``path``, quoted as the file wrote it (``'on'``, not True)."""
        return show(str(getattr(self.value(path), "written_keys", {}).get(key, key)))

    def place(self, path: tuple, key=None) -> tuple[str | None, int | None]:
        """``(location, line)`` of ``path``: ``items[3] (q04)`` for an item and its
        own keys, ``items[3] (q04).options.a`` deeper, ``likert_points.1`` at the top
        level; the line of the last key (or of ``key`` in the mapping at ``path``)."""
        if not path:
            return None, None
        head, skip = str(path[0]), 1
        if len(path) > 1 and isinstance(self.value(path[:1]), list) and isinstance(path[1], int):
            ident = self.value(path[:2] + ("id",))
            head += f"[{path[1]}]" + (f" ({ident})" if isinstance(ident, str)
                                      and IDENT.fullmatch(ident) else "")
            skip = 2 if len(path) > 3 else len(path)  # the entry's own keys: the message names them
        node, line, where = self.doc, None, [head]
        for n, step in enumerate(path):
            if n >= skip:
                where.append(f"[{step}]" if isinstance(node, list) else f".{step}")
            line, node = _step(node, step, line)
        if key is not None:
            line = getattr(node, "key_lines", {}).get(key, line)
        return "".join(where), line

    def fail(self, path: tuple, problem: str, fix: str, problem_en: str, fix_en: str,
             *, key=None, line: int | None = None) -> NoReturn:
        """Raise the EvalToolsError for ``path``: the file, the line, the place, the
        problem and the fix, in Indonesian and English.

        Example:
            >>> src = read_source("survey/netralitas-asn-pilkada-2024.yaml")
            >>> src.fail(("items", 0, "key"), "kunci salah", "perbaiki key", "wrong key", "fix key")
            Traceback (most recent call last):
            evaltools.errors.EvalToolsError: survey/netralitas-asn-pilkada-2024.yaml, baris 102, items[0] (q01): kunci salah. Perbaikan: perbaiki key
            (en) survey/netralitas-asn-pilkada-2024.yaml, line 102, items[0] (q01): wrong key. Fix: fix key
        """
        location, known = self.place(path, key)
        line = known if line is None else line
        raise EvalToolsError(problem, file=self.path, line=line, location=location, fix=fix,
                             problem_en=problem_en, fix_en=fix_en) from None


def read_source(path: str | os.PathLike) -> Source:
    """Read and parse an instrument file; its top level must be a mapping.

    Raises EvalToolsError naming the file: not found, a folder, not UTF-8,
    invalid YAML (with the line), empty.

    Example:
        >>> sorted(read_source("survey/netralitas-asn-pilkada-2024.yaml").doc)[:3]
        ['id', 'items', 'languages']
    """
    src = Source(os.fspath(path), None)
    doc = _parse(src, _read_text(src))
    if not isinstance(doc, Mapping):
        src.fail((), "berkas instrumen kosong atau bukan pemetaan YAML",
                 "mulai dengan 'id:', 'version:', 'items:' ...",
                 "the instrument file is empty or not a YAML mapping",
                 "start with 'id:', 'version:', 'items:' ...")
    src.doc = doc
    return src


def load_yaml(text: str):
    """YAML text as data with the strict loader of instrument files: tags never
    run code, a duplicate key or a value YAML cannot build (``2024-02-30``) is a
    ``yaml.YAMLError`` with its line; a mapping keeps ``key_lines`` {key: line}.
    For other YAML files evaltools reads (``sesi.yaml``).

    Example:
        >>> doc = load_yaml("nama: Sesi\\ntanggal: '2024-11-22'\\n")
        >>> dict(doc), doc.key_lines
        ({'nama': 'Sesi', 'tanggal': '2024-11-22'}, {'nama': 1, 'tanggal': 2})
    """
    return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass


def _read_text(src: Source) -> str:
    try:
        return Path(src.path).read_text(encoding="utf-8")
    except FileNotFoundError:
        src.fail((), "berkas instrumen tidak ditemukan",
                 "periksa nama dan folder berkas (survey/...yaml)",
                 "instrument file not found", "check the file name and folder")
    except UnicodeDecodeError:
        src.fail((), "berkas instrumen bukan teks UTF-8", "simpan ulang berkas sebagai UTF-8",
                 "instrument file is not UTF-8 text", "save the file again as UTF-8")
    except (OSError, ValueError) as exc:  # a folder, no permission, a NUL in the path
        if os.path.isdir(src.path):
            src.fail((), "berkas instrumen adalah folder", "sebutkan berkas .yaml-nya, mis. "
                     "survey/...yaml", "the instrument file is a folder",
                     "name the .yaml file itself, e.g. survey/...yaml")
        why = getattr(exc, "strerror", None) or exc
        src.fail((), f"berkas instrumen tidak dapat dibaca ({why})",
                 "periksa nama berkas dan izin bacanya", f"instrument file cannot be read ({why})",
                 "check the file name and that it may be read")


def _parse(src: Source, text: str):
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark, why = getattr(exc, "problem_mark", None), getattr(exc, "problem", None) or exc
        line = mark.line + 1 if mark else None
        if isinstance(exc, yaml.reader.ReaderError):  # a control character: no mark, a position
            line, why = text.count("\n", 0, exc.position) + 1, str(exc).split("\n")[0]
        src.fail((), f"YAML tidak sah: {why}",
                 "perbaiki baris itu (indentasi dengan spasi, bukan tab; tanpa kunci ganda)",
                 f"invalid YAML: {why}",
                 "fix that line (indent with spaces, not tabs; no duplicate keys)", line=line)
    except RecursionError:  # '[' * 3000: the parser recurses once per level
        src.fail((), "YAML tidak sah: daftar atau pemetaan bersarang terlalu dalam",
                 "tulis isinya tanpa ratusan tingkat [ ] atau { }",
                 "invalid YAML: lists or mappings nested too deeply",
                 "write it without hundreds of levels of [ ] or { }")


def _step(node, step, line):
    """``(line, node[step])``: the line of a key or of a list element (``line``
    when unknown), and the value there (None when there is none)."""
    if isinstance(node, _Map):
        line = node.key_lines.get(step, line)
    elif isinstance(node, _Seq) and isinstance(step, int) and 0 <= step < len(node):
        line = node.lines[step]
    try:
        return line, node[step]
    except (LookupError, TypeError):
        return line, None
