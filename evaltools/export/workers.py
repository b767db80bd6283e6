"""Drawing an export's figures on every core: the figures (charts, the one
page) are drawn into bytes by forked worker processes while the calling
process writes the workbook and the slides; the caller then writes every
file itself, through its own claim (``evaltools.overwrite``), in the usual
order. A worker only draws: it never touches a file, a manifest or a claim.

Fork, not spawn: a forked worker starts with the evaluation, the closures
that draw each chart and every module already in memory, so nothing is
pickled on the way in and nothing is imported or computed again. Where fork
is missing or unsafe (Windows, macOS), with one core, or with
``EVALTOOLS_PROCESSES=1``, everything is drawn in the calling process, one
figure after another: the same bytes either way.

:func:`in_parallel` waits for the figures while the caller writes;
:func:`start` only starts them and returns (``results()`` waits), so a
notebook can go on with its cells while the export's figures are drawn.

A task that fails in a worker is run again in the calling process, so its
error is raised there with its own traceback (and a worker's death only
costs the time). So are the tasks left when no figure has come back for
``STALL`` seconds: the workers are then taken as hung (a process forked from
one with threads, a Jupyter kernel's, can inherit a lock held at that moment)
and stopped, instead of the export waiting for ever.

Example:
    >>> in_parallel([lambda: 1, lambda: 2], alongside=lambda: "x", costs=[1, 5])
    ([1, 2], 'x')
"""

from __future__ import annotations

import itertools
import os
import sys
import warnings

ENV = "EVALTOOLS_PROCESSES"  # how many processes an export may draw in (1: no worker)
# seconds without one finished task after which the workers count as hung; a figure takes
# under 2 s even with 1,000 OPDs: far above any real drawing, well below "for ever"
STALL = 120.0
# the tasks of a call by its number, while its workers are forked (they keep their copy)
_TASKS: dict = {}
_CALLS = itertools.count(1)


def processes() -> int:
    """How many processes an export draws in: ``$EVALTOOLS_PROCESSES`` when
    set, else the cores this process may use (at most 2: more workers only
    copy more memory for a dozen figures).

    Example:
        >>> os.environ[ENV] = "1"; processes()
        1
        >>> del os.environ[ENV]
    """
    try:
        wanted = int(os.environ.get(ENV, "0"))
    except ValueError:
        wanted = 0
    if wanted > 0:
        return wanted
    return min(cores(), 2)


def cores() -> int:
    """The cores this process may use.

    Example:
        >>> cores() >= 1
        True
    """
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _can_fork() -> bool:
    # fork is the default and safe enough on Linux; macOS's system libraries are not fork-safe
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def watch_parent(parent: int, every: float = 0.5) -> None:
    """In a worker process, as it starts: leave as soon as ``parent`` (the
    process that forked it) is gone. A parent killed mid-drawing (a script's
    Python taken by the out-of-memory killer or ``kill -9``; a Jupyter
    kernel's manager, ``report`` and JupyterLab alike, signals the kernel's
    whole process group, workers included) cannot send its workers away, and
    they would wait for ever for tasks that never come, each holding a copy
    of its memory. ``report --all --jobs N`` watches its session processes'
    parent the same way (whatever they were writing is left as after any
    kill: temporary names, never a half-written file under a final name).

    Example:
        >>> from concurrent.futures import ProcessPoolExecutor
        >>> with ProcessPoolExecutor(1, initializer=watch_parent, initargs=(os.getpid(),)) as pool:
        ...     pool.submit(sum, [1, 2]).result()
        3
    """
    import threading
    import time

    def watch():
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)  # nobody is left to give a result to
    threading.Thread(target=watch, name="evaltools-parent-watch", daemon=True).start()


def _run(call: int, k: int):
    """One task in a worker: ("ok", result) or ("failed", None) (run again by the caller)."""
    try:
        return "ok", _TASKS[call][k]()
    except BaseException:  # noqa: BLE001 - the caller runs it again and raises the real error
        return "failed", None


class Started:
    """Tasks started by :func:`start`: drawing in forked workers while the
    caller goes on, or (no worker) waiting to run in the caller.
    :meth:`results` gives their results in order; ``redone`` counts the
    tasks a worker could not finish, run again in the caller."""

    def __init__(self, tasks: list, futures: dict | None = None, procs: list = ()):
        self.tasks, self._futures, self._procs, self.redone = list(tasks), futures, list(procs), 0

    def stop(self) -> None:
        """Kill the workers now (a drawing replaced before it was used: the
        cores go to the new one, and a hung worker does not outlive it).
        Workers only draw into memory, so nothing is left half-written;
        ``results()`` afterwards would run every unfinished task here.

        Example:
            >>> started = start([lambda: 1], workers=1)
            >>> started.stop(); started.results()
            [1]
        """
        for proc in self._procs:  # no public way to stop a worker mid-task before Python 3.14
            proc.kill()
        for proc in self._procs:
            proc.join(5)  # reaped

    def results(self, stall: float = STALL) -> list:
        """The tasks' results in order, once all are done; a task that failed
        in a worker (or whose worker died) runs again here, so its own error
        is raised here. When no task has finished for ``stall`` seconds the
        workers are stopped and the tasks left run here too. Without workers,
        every task runs here now."""
        if self._futures is None:
            return [t() for t in self.tasks]
        from concurrent.futures import FIRST_COMPLETED, wait
        waiting = set(self._futures.values())
        while waiting:
            done, waiting = wait(waiting, timeout=stall, return_when=FIRST_COMPLETED)
            if not done:  # hung: stopped, and what they held is drawn here
                self.stop()
                break
        answers = [_result(self._futures[k]) if self._futures[k].done() else ("failed", None)
                   for k in range(len(self.tasks))]
        self.redone = sum(status != "ok" for status, _ in answers)
        return [r if status == "ok" else self.tasks[k]() for k, (status, r) in enumerate(answers)]


def start(tasks: list, workers: int | None = None, costs=None) -> Started:
    """Start the zero-argument callables ``tasks`` in forked workers and
    return at once (:class:`Started`; its ``results()`` waits for them).
    ``costs``: a rough cost per task; the costliest start first, so a big one
    does not start last and keep everyone waiting. With one process (see
    :func:`processes`) or no fork, nothing starts: ``results()`` runs each
    task in the caller, in order.

    Example:
        >>> start([lambda: 2 + 2], workers=1).results()
        [4]
    """
    n = min(len(tasks), workers or processes())
    if n <= 1 or not _can_fork():
        return Started(tasks)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    call = next(_CALLS)
    _TASKS[call] = list(tasks)
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns that forking a process with threads (a Jupyter kernel's) may
            # deadlock; the workers only draw figures and never take the kernel's locks
            warnings.simplefilter("ignore", DeprecationWarning)
            pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork"),
                                       initializer=watch_parent, initargs=(os.getpid(),))
            first = sorted(range(len(tasks)), key=lambda k: -costs[k]) if costs else range(len(tasks))
            futures = {k: pool.submit(_run, call, k) for k in first}
    finally:
        # with fork every worker starts at the first submit, holding its own copy; none is forked
        # later (a worker that dies breaks the pool, and its tasks run again in the caller)
        del _TASKS[call]
    # the pool forgets its workers at shutdown: kept, to stop them (were there none, a stall
    # would still redraw here, only the hung workers would stay)
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False)  # the workers finish the tasks, then leave
    return Started(tasks, futures, procs)


def in_parallel(tasks: list, alongside=None, workers: int | None = None, costs=None) -> tuple:
    """Run the zero-argument callables ``tasks`` in forked workers while
    ``alongside()`` runs in this process; return (the tasks' results in
    order, what ``alongside`` returned); see :func:`start`. With one process
    or no fork: ``alongside()`` first, then each task here, in order.

    Example:
        >>> in_parallel([lambda: 2 + 2], workers=1)
        ([4], None)
    """
    started = start(tasks, workers, costs)
    done = alongside() if alongside else None
    return started.results(), done


def _result(future) -> tuple:
    """A worker's answer; a worker that died counts as a failed task."""
    try:
        return future.result()
    except Exception:  # noqa: BLE001 - BrokenProcessPool and the like: run it here instead
        return "failed", None
