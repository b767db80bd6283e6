"""Property tests of the header matcher: ``formats.map_columns`` and
``detect_format`` are blind to order, case, surrounding spaces and punctuation
of the real headers, and junk headers are ignored (or refused with an
EvalToolsError)."""

from __future__ import annotations

import random
import re

from hypothesis import given
from hypothesis import strategies as st

from propsettings import budget
from read_strategies import (BASELINE, EvalToolsError, FAMILIES, FAMILY_NAMES, GOOGLE_CONTROLS,
                             PADS, classify)

# --------------------------------------------------------------------------
# Header matcher
# --------------------------------------------------------------------------

_ACCENT = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ü", "A": "Á", "E": "È"}
_TITLE_RUNS = [" ", "  ", "-", " - ", ", ", ". ", "_", ": ", "\t", " (", ") "]
_NUMBERED = re.compile(r"^(\d+)\.\s")


def header_kind(fam: str, h: str) -> str:
    """How a header is compared: "id" (norm_header: case, surrounding spaces,
    '_' = space), "score" (Google's '... [Score]': case and surrounding
    spaces only) or "title" (norm_text: also punctuation, accents and a
    leading question number)."""
    if h.rstrip().endswith("]"):
        return "score"
    if h in GOOGLE_CONTROLS or fam in ("canonical", "kobo-xml", "briefcase"):
        return "id"
    if h == h.lower() and " " not in h:
        return "id"
    return "title"


def _case(s: str, mode: str) -> str:
    return {"same": s, "lower": s.lower(), "upper": s.upper(), "swap": s.swapcase(),
            "title": s.title()}[mode]


def vary_header(h: str, kind: str, case: str, pad: tuple, seed: int) -> str:
    rnd = random.Random(seed)
    if kind == "id":
        # a run of spaces/underscores between two letters or digits: "_", " ", "  "
        h = re.sub(r"(?<=[A-Za-z0-9])[ _]+(?=[A-Za-z0-9])",
                   lambda m: rnd.choice(["_", " ", "  ", "\t"]) if seed else m.group(), h)
    elif kind == "title" and seed:
        def vary(part: str) -> str:
            num, prefix = _NUMBERED.match(part), ""
            if num:  # "7. " -> "7) ", "7.", "7 . " or nothing
                prefix = rnd.choice([f"{num[1]}. ", f"{num[1]}) ", f"{num[1]}.", f"{num[1]} . ", ""])
                part = part[num.end():]

            # ASCII punctuation/space between words: another such run; at the ends: any or none
            def run(m):
                if not m.group().isascii():
                    return m.group()
                inner = m.start() > 0 and m.end() < len(m.string)
                return rnd.choice(_TITLE_RUNS) if inner else rnd.choice(["", ":", "?", " :", "."])
            part = re.sub(r"[^A-Za-z0-9]+", run, part)
            return prefix + "".join(_ACCENT.get(c, c) if rnd.random() < 0.2 else c for c in part)
        # '/' stays where it is (a Kobo group path separator) and is never added
        h = "/".join(vary(p) for p in h.split("/"))
    return pad[0] + _case(h, case) + pad[1]


@st.composite
def varied_families(draw):
    """(family, varied headers in a new order, their original positions)."""
    fam = draw(st.sampled_from(FAMILY_NAMES))
    heads = FAMILIES[fam]
    varied = [vary_header(h, header_kind(fam, h), draw(st.sampled_from(["same", "lower", "upper",
                                                                       "swap", "title"])),
                          draw(PADS), draw(st.integers(0, 2**16)))
              for h in heads]
    order = draw(st.permutations(range(len(heads))))
    return fam, [varied[i] for i in order], list(order)


def check_variation(fam: str, varied: list, order: list) -> None:
    if len(set(varied)) < len(varied):
        return  # two variants collided into one title: not a table pandas can hold
    base, base_fmt = BASELINE[fam]
    try:
        cls, fmt = classify(varied)
    except EvalToolsError as err:
        raise AssertionError(f"a variant of the real headers was refused: {err}") from None
    assert fmt == base_fmt
    for pos, orig in enumerate(order):
        assert cls[pos] == base[orig], (FAMILIES[fam][orig], varied[pos], cls[pos], base[orig])


@budget(100)
@given(case=varied_families())
def test_header_variants_map_to_the_same_ids(case):
    check_variation(*case)


JUNK_HEADERS = st.one_of(
    st.text(max_size=25),
    st.sampled_from(["", " ", "x", "x.1", "Score", "Skor", "keterangan", "_notes", "No", "No.",
                     "Kolom1", "Nilai", "Q01", "q01 ", "nip", "NIP", "Nama", "kode", "waktu", "tes",
                     "pengetahuan/q31/z", "x/q31/a", "a/b/c", "sep=;", "=A1", "1", "0.0", "nan",
                     "\ufeffnama", "Nama lengkap ", "1. Undang-undang", "[Score]", "q31/a"]),
    st.builds(lambda h, s: h + s, st.sampled_from(sorted({h for hs in FAMILIES.values() for h in hs})),
              st.text(max_size=6)))


@st.composite
def junk_families(draw):
    fam = draw(st.sampled_from(FAMILY_NAMES))
    heads = list(FAMILIES[fam])
    junk = draw(st.lists(JUNK_HEADERS, min_size=1, max_size=5, unique=True))
    junk = [j for j in junk if j not in heads]
    spots = [draw(st.integers(0, len(heads) + k)) for k in range(len(junk))]
    return fam, junk, spots


def check_junk(fam: str, junk: list, spots: list) -> None:
    heads = list(FAMILIES[fam])
    origin = list(range(len(heads)))  # position -> original index (or -1: junk)
    for j, at in zip(junk, spots):
        heads.insert(at, j)
        origin.insert(at, -1)
    base, base_fmt = BASELINE[fam]
    try:
        cls, fmt = classify(heads)
    except EvalToolsError as err:
        assert err.file == "x.csv" and err.column in heads, str(err)
        return
    taken = {c[1] for c in base.values() if c[0] == "col"}
    for pos, orig in enumerate(origin):
        if orig >= 0 and fmt == base_fmt:  # junk like "_id" may turn a Google file into Kobo's
            assert cls[pos] == base[orig], (heads[pos], cls[pos], base[orig])
        elif orig < 0:
            # ignored, or a header that does mean something and was free
            assert cls[pos][0] in ("ignored", "choice") or cls[pos][1] not in taken, \
                (heads[pos], cls[pos])
            if cls[pos][0] == "choice":
                assert "/" in heads[pos] or (fmt == "briefcase" and "-" in heads[pos])


@budget(150)
@given(case=junk_families())
def test_junk_headers_are_ignored_or_refused(case):
    check_junk(*case)


