"""evaltools.pages.page_policy: numpy's huge-page request off inside, as it
was after; glibc's malloc keeping freed memory inside, returning it after."""

import resource
import threading

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


def faults_touching(nbytes: int) -> int:
    """Page faults this process takes to write one byte in every page of a
    new array of ``nbytes`` (freed again after)."""
    block = np.empty(nbytes, np.uint8)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    block[::resource.getpagesize()] = 1
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
    del block
    return faults


@pytest.mark.skipif(_glibc() is None, reason="glibc's malloc only (Linux)")
def test_freed_memory_reused_inside_and_own_pages_after(restore):
    """A 64 MB array freed and made again: glibc hands the same pages back
    inside (no new faults); after the block it takes pages of its own again
    (one fault per page), as glibc does for blocks over 32 MB."""
    setter(False)  # ordinary pages throughout: one fault per page
    size = 64 << 20
    pages = size // resource.getpagesize()
    with page_policy():
        first = faults_touching(size)
        again = faults_touching(size)
    after = faults_touching(size)
    assert first > pages * 0.9  # (the heap grew: each page faulted once)
    assert again < pages // 50
    assert after > pages * 0.9


@pytest.mark.skipif(_glibc() is None, reason="glibc's malloc only (Linux)")
def test_after_the_block_blocks_under_32_mb_are_reused(restore):
    """The settings after (glibc's dynamic rule's): a 16 MB array freed
    and made again reuses its pages, not faulting them in a second time."""
    setter(False)
    with page_policy():
        pass
    faults_touching(16 << 20)
    assert faults_touching(16 << 20) < (16 << 20) // resource.getpagesize() // 50
