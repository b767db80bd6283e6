"""Where the reader looks at bytes instead of texts, it must agree with the
texts. The large-file reader codes answers from their bytes, a block at a
time (``columnar._Coder``): every cell must decode to its own text whatever
the blocks hold (one width or several, a cell over 8 bytes, UTF-8 of
several bytes, more texts than a byte's codes), and in every block alike.
Trimming looks at each cell's first and last byte first
(``table._edges_may_be_space``): it must find every cell ``str.strip``
would change. NIPs are told from other texts by their bytes
(``normalize.nip_digits``): exactly the cells the NIP pattern matches."""

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from evaltools import normalize
from evaltools.normalize import NIP_PATTERN
from evaltools.read import columnar, table
from propsettings import budget

# short answers as forms write them, a few that need the sorted keys (no one byte tells
# "ab", "ac" and "bb" apart), UTF-8 of two and three bytes, and cells over 8 bytes
TEXTS = st.one_of(st.sampled_from(["", "a", "b", "c", "d", "benar", "salah", "a c d", "ab", "ac",
                                   "bb", "é", "ü ö", "€", "12345678", "123456789"]),
                  st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\0"),
                          max_size=12))


def _decode(coder, blocks) -> list:
    codes = [coder.codes(b) for b in blocks]
    return [coder.texts[c] for block in codes for c in block.tolist()]


@budget(300)
@given(cells=st.lists(TEXTS, max_size=60), cuts=st.lists(st.integers(0, 60), max_size=5),
       large=st.booleans(), sliced=st.booleans(), nul=st.booleans())
def test_every_cell_decodes_to_its_text(cells, cuts, large, sliced, nul):
    kind = pa.large_string() if large else pa.string()
    bounds = sorted({0, len(cells), *[min(c, len(cells)) for c in cuts]})
    blocks = []
    for a, b in zip(bounds, bounds[1:]):
        if sliced:  # a block that is a slice of a longer array: its offsets do not start at 0
            blocks.append(pa.array(["pad", *cells[a:b], "pad"], kind).slice(1, b - a))
        else:
            blocks.append(pa.array(cells[a:b], kind))
    coder = columnar._Coder(bytes_keys=not nul)
    assert _decode(coder, blocks) == cells
    assert len(coder.texts) == len(set(coder.texts)) == len(set(cells))


def test_the_same_text_keeps_its_code_across_blocks_of_each_kind():
    """A text first met in a block holding a long cell (Arrow's dictionary)
    keeps its code in a later block of short cells (the byte keys), and the
    other way round; the codes widen past 126 texts."""
    coder = columnar._Coder()
    first = coder.codes(pa.array(["salah", "benar", "a much longer answer"], pa.large_string()))
    second = coder.codes(pa.array(["benar", "salah", "x"], pa.large_string()))
    assert first.tolist() == [0, 1, 2] and second.tolist() == [1, 0, 3]
    assert first.dtype == np.int8
    many = [f"{k:03d}" for k in range(200)]
    third = coder.codes(pa.array(many, pa.large_string()))
    assert third.dtype == np.int32 and third.tolist() == list(range(4, 204))
    assert coder.codes(pa.array(["x", "benar"], pa.large_string())).tolist() == [3, 1]


def test_one_byte_cells_take_the_byte_table():
    """a/b/c/d: each cell's byte is its key and the table of 256 gives its code."""
    coder = columnar._Coder()
    codes = coder.codes(pa.array(list("abcdabca"), pa.large_string()))
    assert codes.tolist() == [0, 1, 2, 3, 0, 1, 2, 0] and coder.bytewise
    # a longer text with the same first byte as one before: the table no longer decides alone
    assert coder.codes(pa.array(["a c d", "a"], pa.large_string())).tolist() == [4, 0]
    assert not coder.bytewise
    assert coder.codes(pa.array(list("dcba"), pa.large_string())).tolist() == [3, 2, 1, 0]


@pytest.mark.parametrize("cells, expected", [
    (["", "", ""], [0, 0, 0]),
    (["ab", "ac", "bb", "ab"], [0, 1, 2, 0]),  # no single byte tells them apart: sorted keys
])
def test_empty_cells_and_keys_no_byte_tells_apart(cells, expected):
    coder = columnar._Coder()
    assert coder.codes(pa.array(cells, pa.large_string())).tolist() == expected
    assert coder.codes(pa.array(cells[::-1], pa.large_string())).tolist() == expected[::-1]


SPACES = ["\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1f", " ", "\x85", "\xa0", "\u2003", "\u3000"]


@budget(300)
@given(cells=st.lists(st.one_of(st.none(), TEXTS, st.sampled_from(SPACES),
                                st.tuples(st.sampled_from(SPACES), TEXTS).map("".join),
                                st.tuples(TEXTS, st.sampled_from(SPACES)).map("".join)), max_size=20),
       sliced=st.booleans())
def test_edge_space_found_as_str_strip_finds_it(cells, sliced):
    col = pd.Series(["pad", *cells] if sliced else cells, dtype="str")
    if sliced:  # a column that is a slice of another: its offsets do not start at 0
        col = col.iloc[1:].reset_index(drop=True)
    changed = any(c is not None and c != c.strip() for c in cells)
    assert table._has_edge_space(col) == changed


def test_a_one_byte_cell_is_confirmed_where_a_longer_text_shares_its_byte():
    """Only "a c d" seen so far: its first byte alone tells it apart, but a
    cell "a" is another text, found as such."""
    coder = columnar._Coder()
    assert coder.codes(pa.array(["a c d"], pa.large_string())).tolist() == [0]
    assert not coder.bytewise
    assert coder.codes(pa.array(["a", "b", "a"], pa.large_string())).tolist() == [1, 2, 1]
    assert coder.texts == ["a c d", "a", "b"]


# NIPs and near misses: 18 digits, other widths, a letter or a space among the digits,
# digits of other scripts (not [0-9]), ending in 000, missing cells
NIP_CELLS = st.one_of(
    st.text("0123456789", min_size=18, max_size=18),
    st.text("0123456789", min_size=17, max_size=19),
    st.sampled_from(["198609262015051001", "198609262015051000", "19860926201505100x",
                     "19860926 201505100", "١٩٨٦٠٩٢٦٢٠١٥٠٥١٠٠١", "１９８６０９２６２０１５０５１００１",
                     "", "NIP. 198609262015051001", None]),
    st.text(max_size=20))


def _nip_truth(cells) -> tuple:
    full = [isinstance(c, str) and re.fullmatch(NIP_PATTERN, c) is not None for c in cells]
    return (full, [int(c[:15]) if f else 0 for c, f in zip(cells, full)],
            [int(c[15:]) if f else 0 for c, f in zip(cells, full)])


@budget(300)
@given(cells=st.lists(NIP_CELLS, max_size=40), cut=st.integers(0, 40), how=st.sampled_from(
    ["str", "object", "chunked", "sliced"]), uniform=st.booleans())
def test_nip_digits_agree_with_the_pattern(cells, cut, how, uniform):
    """``normalize.nip_digits`` reads NIPs from their bytes (all 18 digits:
    Arrow's cast; else rows of 18 bytes checked): it must find the cells
    ``NIP_PATTERN`` matches whole, and their digits, in every layout of
    the column pandas may hand it."""
    if uniform:  # every cell 18 bytes (the side-by-side paths), some maybe not digits
        cells = [(c or "").ljust(18, "7")[:18] for c in cells]
    if how == "object":
        values = pd.Series(cells, dtype=object)
    elif how == "str":
        values = pd.Series(cells, dtype="str")
    else:
        arrays = [pa.array(cells[:cut], pa.large_string()), pa.array(cells[cut:], pa.large_string())]
        if how == "sliced":  # offsets not starting at 0
            arrays = [pa.array(["pad", *cells], pa.large_string()).slice(1, len(cells))]
        values = pd.Series(pd.StringDtype("pyarrow", na_value=np.nan).__from_arrow__(pa.chunked_array(
            arrays, pa.large_string())))
    full, head, tail = normalize.nip_digits(values)
    assert (full.tolist(), head.tolist(), tail.tolist()) == _nip_truth(cells)


def test_nip_digits_of_a_column_with_digits_not_ascii():
    """Six cells of 18 bytes, one not all ASCII digits: the side-by-side
    bytes are not all digits, so each row is judged on its own."""
    cells = ["198609262015051001"] * 5 + ["1986092620150510x1"]
    full, head, tail = normalize.nip_digits(pd.Series(cells, dtype="str"))
    assert full.tolist() == [True] * 5 + [False]
    assert head.tolist() == [198609262015051] * 5 + [0] and tail.tolist() == [1] * 5 + [0]


def test_nip_digits_skip_a_missing_cell_whatever_its_slot_holds():
    """Arrow may keep bytes in a missing cell's slot (an array built from
    buffers, a filter's output): that cell is still no NIP."""
    nip = b"198609262015051001"
    offsets = np.array([0, 18, 36], np.int64)
    valid = pa.py_buffer(np.packbits([1, 0, 0, 0, 0, 0, 0, 0], bitorder="little"))
    cells = pa.LargeStringArray.from_buffers(2, pa.py_buffer(offsets), pa.py_buffer(nip * 2), valid)
    values = pd.Series(pd.StringDtype("pyarrow", na_value=np.nan).__from_arrow__(cells))
    assert values.isna().tolist() == [False, True]
    assert normalize.nip_digits(values)[0].tolist() == [True, False]


@budget(300)
@given(codes=st.lists(st.integers(-1, 11), max_size=40), values=st.lists(st.booleans(), min_size=12,
       max_size=20), missing=st.booleans())
@example(codes=[-1, 0, 11], values=[True] * 11 + [False], missing=False)  # more yes than no
@example(codes=[-1, 0, 11], values=[False] * 11 + [True], missing=True)
def test_per_category_of_yes_and_no_is_the_gather(codes, values, missing):
    """``normalize.per_category`` answers a yes/no per category by comparing
    the codes (with the fewer of the yes or the no categories): the rows
    must be those of looking each code up, a missing cell ``missing``."""
    cats = [f"c{k}" for k in range(len(values))]
    col = pd.Series(pd.Categorical.from_codes(codes, cats))
    want = [missing if c < 0 else values[c] for c in codes]
    got = normalize.per_category(col, np.array(values[:len(cats)]), missing)
    assert got.dtype == bool and got.tolist() == want


def _digit_keys_by_text(texts: list):
    """``normalize.digit_keys`` as its docstring says, text by text."""
    if not texts:
        return None
    first = texts[0]
    prefix = first.rstrip("0123456789")
    width = len(first) - len(prefix)
    if not 1 <= width <= 18 or not first.isascii():
        return None
    for t in texts:
        rest = t[len(prefix):]
        if not t.startswith(prefix) or len(rest) != width or any(c not in "0123456789" for c in rest):
            return None
    return [int(t[len(prefix):]) for t in texts]


KEY_TEXTS = st.one_of(
    st.builds(lambda p, d: p + d, st.sampled_from(["nip:", "", "kode:", "nïp:", "nip"]),
              st.text("0123456789", min_size=1, max_size=18)),
    st.sampled_from(["nip:19860926201505100x", "nip:١٩٨٦", " nip:123", "nip:12 ", "nip:+12", "nip:-12", ""]))


@budget(300)
@given(texts=st.lists(KEY_TEXTS, max_size=12), cut=st.integers(0, 12), as_object=st.booleans(),
       same_width=st.booleans())
@example(texts=["nip:198609262015051001", "nip:000000000000000001", "nip:999999999999999999"], cut=1,
         as_object=False, same_width=True)
@example(texts=["nip:12", "nip:1x"], cut=0, as_object=False, same_width=False)
def test_digit_keys_are_the_texts_numbers(texts, cut, as_object, same_width):
    """``digit_keys`` (duplicates and the NIP join as integers): the numbers
    the texts hold where every text is the first one's prefix and as many
    ASCII digits, None otherwise; in one Arrow chunk or two (two files
    joined), or from Python strings."""
    if same_width and texts:  # mostly the keys of one shape, as files hold them
        texts = [t if len(t) == len(texts[0]) else texts[0] for t in texts]
    cut = min(cut, len(texts))
    parts = [pd.Series(texts[:cut], dtype="str"), pd.Series(texts[cut:], dtype="str")]
    values = pd.concat(parts, ignore_index=True) if texts else pd.Series([], dtype="str")
    if as_object:
        values = values.astype(object)
    got = normalize.digit_keys(values)
    want = _digit_keys_by_text(texts)
    assert (None if got is None else got.tolist()) == want
    if got is not None:
        assert got.dtype == np.int64


def test_digit_keys_of_a_missing_cell_or_another_width_are_none():
    assert normalize.digit_keys(pd.Series(["nip:123", None], dtype="str")) is None
    assert normalize.digit_keys(pd.Series(["nip:123", "nip:1234"], dtype="str")) is None
    assert normalize.digit_keys(pd.Series(["nip:123", "kod:123"], dtype="str")) is None
    keys = normalize.digit_keys(pd.Series(["nip:198609262015051001", "nip:000000000000000042"], dtype="str"))
    assert keys.tolist() == [198609262015051001, 42]
