"""evaltools.pages.page_policy: numpy's huge-page request off inside, as it
was after; glibc's malloc keeping freed memory inside, returning it after."""

import os
import resource
import threading
from pathlib import Path

import numpy as np
import pytest

from evaltools.pages import _glibc, _switch, page_policy

from conftest import LOA_JANAN

setter = _switch()
pytestmark = pytest.mark.skipif(setter is None, reason="this numpy has no _set_madvise_hugepage")


def current() -> bool:
    """numpy's setting now (the setter returns the previous value)."""
    now = setter(True)
    setter(now)
    return now


def recording(states: list):
    """A wrapper maker: each wrapped call first notes numpy's setting in ``states``."""
    def spy(real):
        def called(*args, **kwargs):
            states.append(current())
            return real(*args, **kwargs)
        return called
    return spy


@pytest.fixture
def restore():
    before = current()
    yield
    setter(before)


@pytest.mark.parametrize("before", [True, False])
def test_off_inside_and_as_it_was_after(restore, before):
    setter(before)
    with page_policy():
        assert current() is False
        assert int(np.ones(600_000).sum()) == 600_000  # an array of 4.8 MB: over numpy's 4 MB
    assert current() is before


def test_nested_blocks_restore_once_the_last_ends(restore):
    setter(True)
    with page_policy():
        with page_policy():
            assert current() is False
        assert current() is False  # the outer block still runs
    assert current() is True


def test_two_threads_overlapping(restore):
    """Thread A enters, B enters, A leaves (B still inside: still off), B leaves (back on)."""
    setter(True)
    a_in, b_in, a_out, seen = threading.Event(), threading.Event(), threading.Event(), {}

    def a():
        with page_policy():
            a_in.set()
            b_in.wait(5)
        a_out.set()

    def b():
        a_in.wait(5)
        with page_policy():
            b_in.set()
            a_out.wait(5)
            seen["after_a_left"] = current()

    ta, tb = threading.Thread(target=a), threading.Thread(target=b)
    ta.start(), tb.start()
    ta.join(10), tb.join(10)
    assert seen == {"after_a_left": False}
    assert current() is True


def test_an_error_inside_restores(restore):
    setter(True)
    with pytest.raises(ZeroDivisionError):
        with page_policy():
            1 / 0
    assert current() is True


def test_evaluate_and_read_responses_run_inside(restore, monkeypatch, inst):
    """The read and the scoring run with the request off; after them it is as it was."""
    import importlib
    import sys

    import evaltools as et
    from evaltools.read import read_responses
    setter(True)
    module = importlib.import_module("evaltools.evaluate")
    states = []
    spy = recording(states)

    monkeypatch.setattr(module, "mark", spy(module.mark))
    monkeypatch.setattr("evaltools.read.read_one", spy(sys.modules["evaltools.read"].read_one))
    ev = et.evaluate(LOA_JANAN, inst)
    assert states == [False, False, False]  # two files read, then marked
    assert current() is True
    read_responses(LOA_JANAN, inst)
    assert states[3:] == [False, False] and current() is True
    assert len(ev.pairs.matched) == 52


def test_score_mark_and_pair_called_alone_run_inside(restore, monkeypatch, ev_loa):
    """A caller of ``mark``, ``score`` or ``pair`` without ``evaluate`` (the
    benchmark's in-process steps, a notebook) gets ordinary pages too."""
    import importlib
    score_module = importlib.import_module("evaltools.score")
    pair_module = importlib.import_module("evaltools.pair")
    setter(True)
    states = []
    spy = recording(states)

    monkeypatch.setattr(score_module, "_data", spy(score_module._data))
    monkeypatch.setattr(pair_module, "_metrics", spy(pair_module._metrics))
    marks = score_module.mark(ev_loa.responses, ev_loa.instrument)
    scores = score_module.score(ev_loa.responses, ev_loa.instrument, marks=marks)
    pairs = pair_module.pair(scores)
    assert states == [False, False, False]
    assert current() is True
    assert len(pairs.matched) == 52


PAGE = resource.getpagesize()
THP = Path("/sys/kernel/mm/transparent_hugepage/enabled")
THP_ALWAYS = THP.exists() and "[always]" in THP.read_text()
glibc_only = pytest.mark.skipif(
    _glibc() is None or THP_ALWAYS,
    reason="glibc's malloc only (Linux), counted in ordinary pages (not with huge pages always on)")


def faults_writing(blocks: list) -> int:
    """Page faults this thread takes to write one byte in every page of ``blocks``."""
    before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
    for block in blocks:
        block[::PAGE] = 1
    return resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before


def faults_touching(nbytes: int) -> int:
    """Page faults this thread takes to write every page of a new array of
    ``nbytes`` (freed again after)."""
    return faults_writing([np.empty(nbytes, np.uint8)])


def assert_mapped_apart(nbytes: int) -> None:
    """An array of ``nbytes`` made twice is faulted in anew each time: glibc
    gives it pages of its own and takes them back."""
    assert faults_touching(nbytes) > nbytes // PAGE * 0.9
    assert faults_touching(nbytes) > nbytes // PAGE * 0.9


@pytest.fixture
def small_heap(restore, monkeypatch):
    """Ordinary pages throughout (one fault per page), no malloc tuning in
    the environment, and the heap's free memory given back (an empty block
    trims), whatever the tests before left."""
    for name in [k for k in os.environ if k.startswith("MALLOC_") or k == "GLIBC_TUNABLES"]:
        monkeypatch.delenv(name)
    setter(False)
    with page_policy():
        pass


@glibc_only
def test_freed_memory_reused_inside(small_heap):
    """A 64 MB array freed and made again: glibc hands the same pages back
    inside (no new faults), where it would map fresh ones."""
    size = 64 << 20
    with page_policy():
        first = faults_touching(size)
        again = faults_touching(size)
    assert first > size // PAGE * 0.9  # (the heap grew: each page faulted once)
    assert again < size // PAGE // 50


@glibc_only
def test_after_blocks_over_32_mb_get_pages_of_their_own_again(small_heap):
    """After the block a 40 MB array is mapped apart each time, as glibc's
    default does (M_MMAP_MAX and the threshold put back): faulted in anew."""
    with page_policy():
        faults_touching(64 << 20)
    assert_mapped_apart(40 << 20)


@glibc_only
def test_after_the_heap_is_trimmed_over_64_mb(small_heap):
    """After the block, 90 MB freed at the top of the heap (three 30 MB
    arrays, each under the 32 MB threshold) is given back: made again, the
    arrays are faulted in anew; inside the block the same is kept."""
    n = 30 << 20

    def faults_of_three() -> int:
        blocks = [np.ones(n, np.uint8) for _ in range(3)]
        del blocks
        return faults_writing([np.empty(n, np.uint8) for _ in range(3)])

    with page_policy():
        kept = faults_of_three()
    after = faults_of_three()
    assert kept < 3 * n // PAGE // 50
    assert after > 3 * n // PAGE * 0.5


@glibc_only
def test_malloc_tuned_by_the_user_is_left_alone(small_heap, monkeypatch):
    """With a MALLOC_..._ variable set, a 64 MB array is mapped apart inside
    the block too: glibc's settings are the user's."""
    monkeypatch.setenv("MALLOC_TOP_PAD_", "131072")
    with page_policy():
        assert_mapped_apart(64 << 20)
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=131072")
    monkeypatch.delenv("MALLOC_TOP_PAD_")
    with page_policy():
        assert_mapped_apart(64 << 20)


@glibc_only
def test_a_failing_numpy_setter_still_puts_malloc_back(small_heap, monkeypatch):
    """numpy's setter failing as the block ends: the error reaches the
    caller, and malloc is put back all the same (and the next block starts afresh)."""
    import evaltools.pages as pages
    calls = []

    def failing(enabled):
        calls.append(enabled)
        if len(calls) == 2:
            raise RuntimeError("setter failed")
        return True

    monkeypatch.setattr(pages, "_switch", lambda: failing)
    with pytest.raises(RuntimeError, match="setter failed"):
        with page_policy():
            pass
    assert_mapped_apart(40 << 20)
    assert pages._state["depth"] == 0 and calls == [False, True]
