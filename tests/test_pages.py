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


# The fault counts below depend on the heap's layout, so each runs in a fresh interpreter.
# In a long-lived process (a test worker after other tests) a large chunk freed in the middle
# of the heap stays in glibc's free lists: after the block a 40 MB array is cut from it
# instead of being mapped apart, faulted in once (malloc_trim dropped its pages) and then
# reused without faults. That is glibc's own behaviour, not the setting under test; one such
# run failed four of these tests (2026-12-08).
FRESH = """
import json, os, resource, sys
import numpy as np
from evaltools.pages import _switch, page_policy
PAGE = resource.getpagesize()
_switch()(False)  # ordinary pages: one fault per page
def faults_writing(blocks):
    before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
    for block in blocks:
        block[::PAGE] = 1
    return resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before
def faults_touching(nbytes):
    return faults_writing([np.empty(nbytes, np.uint8)])
out = {}
"""


def fresh(body: str, **env) -> dict:
    """Run ``body`` after ``FRESH`` in a new interpreter, without malloc tuning in its
    environment but ``env``; what it put in ``out``."""
    import json
    import subprocess
    import sys
    clean = {k: v for k, v in os.environ.items() if not (k.startswith("MALLOC_") or k == "GLIBC_TUNABLES")}
    done = subprocess.run([sys.executable, "-c", FRESH + body + "\nprint(json.dumps(out))"],
                          env={**clean, **env}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def mapped_apart(out: dict, nbytes: int) -> bool:
    """Both arrays of ``nbytes`` (``out["a"]``, ``out["b"]``) faulted in anew:
    glibc gave each pages of its own and took them back."""
    return out["a"] > nbytes // PAGE * 0.9 and out["b"] > nbytes // PAGE * 0.9


TWICE = """
out["a"] = faults_touching({n})
out["b"] = faults_touching({n})
"""


@glibc_only
def test_freed_memory_reused_inside():
    """A 64 MB array freed and made again: glibc hands the same pages back
    inside (no new faults), where it would map fresh ones."""
    size = 64 << 20
    out = fresh(f"with page_policy():\n    out['first'] = faults_touching({size})\n"
                f"    out['again'] = faults_touching({size})")
    assert out["first"] > size // PAGE * 0.9  # (the heap grew: each page faulted once)
    assert out["again"] < size // PAGE // 50


@glibc_only
def test_after_blocks_over_32_mb_get_pages_of_their_own_again():
    """After the block a 40 MB array is mapped apart each time, as glibc's
    default does (M_MMAP_MAX and the threshold put back): faulted in anew."""
    out = fresh(f"with page_policy():\n    faults_touching({64 << 20})\n" + TWICE.format(n=40 << 20))
    assert mapped_apart(out, 40 << 20), out


@glibc_only
def test_after_the_heap_is_trimmed_over_64_mb():
    """After the block, 90 MB freed at the top of the heap (three 30 MB
    arrays, each under the 32 MB threshold) is given back: made again, the
    arrays are faulted in anew; inside the block the same is kept."""
    n = 30 << 20
    out = fresh(f"""
def faults_of_three():
    blocks = [np.ones({n}, np.uint8) for _ in range(3)]
    del blocks
    return faults_writing([np.empty({n}, np.uint8) for _ in range(3)])
with page_policy():
    out["kept"] = faults_of_three()
out["after"] = faults_of_three()
""")
    assert out["kept"] < 3 * n // PAGE // 50, out
    assert out["after"] > 3 * n // PAGE * 0.5, out


@glibc_only
@pytest.mark.parametrize("env", [{"MALLOC_TOP_PAD_": "131072"},
                                 {"GLIBC_TUNABLES": "glibc.malloc.trim_threshold=131072"}])
def test_malloc_tuned_by_the_user_is_left_alone(env):
    """With a MALLOC_..._ variable set, or glibc's malloc tunables, a 64 MB
    array is mapped apart inside the block too: glibc's settings are the user's."""
    out = fresh("with page_policy():\n" + "".join("    " + line + "\n" for line in
                                                    TWICE.format(n=64 << 20).strip().splitlines()), **env)
    assert mapped_apart(out, 64 << 20), out


@glibc_only
def test_a_failing_numpy_setter_still_puts_malloc_back():
    """numpy's setter failing as the block ends: the error reaches the
    caller, and malloc is put back all the same (and the next block starts afresh)."""
    out = fresh(f"""
import evaltools.pages as pages
calls = []
def failing(enabled):
    calls.append(enabled)
    if len(calls) == 2:
        raise RuntimeError("setter failed")
    return True
pages._switch = lambda: failing
try:
    with page_policy():
        faults_touching({64 << 20})
except RuntimeError as e:
    out["error"] = str(e)
out["depth"], out["calls"] = pages._state["depth"], calls
""" + TWICE.format(n=40 << 20))
    assert out["error"] == "setter failed" and out["depth"] == 0 and out["calls"] == [False, True]
    assert mapped_apart(out, 40 << 20), out
