"""The Jupyter kernel a report's notebook runs in: started before the command
loads its own libraries, ready without jupyter_client's idle 0.2 s, and
stopped with the clients papermill opened.

``evaltools report --session X`` and ``evaltools recap`` start it first
thing (:func:`start_early`, called by ``cli.main`` before it imports pandas):
it boots on one core while the command loads and checks on the other. The
command then takes it (:func:`take_early`) only if it was started for the
same notebook, hand-off file, locks and preloaded modules as it would start
its own; otherwise, and when the command refuses or fails first, it is
stopped (:func:`drop_early`). This module loads nothing heavy:
jupyter_client is imported where a kernel starts.

Example:
    >>> early_target(["report", "--session", "s1", "--out", "hasil"])[1].parts[-2:]
    ('hasil', 's1')
    >>> early_target(["recap", "--data", "data/sample", "--out", "hasil"])[1].as_posix()
    'hasil/rekap-sample'
    >>> early_target(["report", "--all"]) is None
    True
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from ..disk import INHERITED, LOCK, temp_path
from ..errors import EvalToolsError
from ..overwrite import HANDOFF
from ..project import paths, recap_folder, root

NOTEBOOK = "notebooks/01_laporan_sesi.ipynb"
RECAP_NOTEBOOK = "notebooks/02_rekap_opd.ipynb"

# What the notebooks import, loaded by the kernel as it starts (while the command gets
# papermill ready): the same modules the cells would import, only earlier. Nothing that
# draws or shows (pyplot stays the notebook's own import); openpyxl and pptx neither: a session
# report's export loads them while its figures are drawn (0.3 s off the kernel's start).
PRELOAD = ("evaltools", "evaltools.evaluate", "evaltools.export", "evaltools.charts", "evaltools.recap",
           "scipy.stats", "matplotlib.figure", "matplotlib.backends.backend_agg",
           "matplotlib.backends.backend_pdf", "matplotlib.backends.backend_svg", "fontTools.subset")
# the recap's export writes its workbook with nothing drawing meanwhile: openpyxl loads at the start
RECAP_PRELOAD = PRELOAD + ("openpyxl",)
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL",  # its transport warning stays off the screen
               "--HistoryManager.hist_file=:memory:"]  # as papermill starts a kernel: no history file

_EARLY: dict = {}  # the kernel start_early started, until the report takes it or it is dropped


def handoff_path(out: Path) -> Path:
    """The hand-off file of the exports the notebook writes into ``out``
    (``overwrite.take_over``); absolute, because the kernel runs in notebooks/.

    Example:
        >>> handoff_path(Path("hasil")).name == f".handoff.evaltools-tmp-{os.getpid()}.json"
        True
    """
    return temp_path(Path(out).resolve() / "handoff.json")


def start_kernel(nb: Path, handoff: Path, preload: tuple = PRELOAD, locks: str | None = None):
    """Start the notebook's kernel now, in ``nb``'s folder, with the hand-off
    file in its environment and the locks it works under (``locks``; by
    default this process's, see ``disk.folder_lock``), importing ``preload``
    (names prefixed ``_et_`` and deleted: the notebook's namespace stays as
    papermill's own kernel would have it). Papermill then runs the notebook
    in it (``km=``) instead of starting one of its own."""
    from jupyter_core.utils import run_sync
    lines = ["import importlib as _et_imp", f"for _et_m in {preload!r}: _et_imp.import_module(_et_m)",
             "del _et_imp, _et_m"]
    env = {**os.environ, HANDOFF: str(handoff)}
    if locks is not None:
        env[INHERITED] = locks
    km = kernel_class()(kernel_name="python3")
    km.started_as = (nb, handoff, preload, locks)  # for restart_kernel
    try:
        run_sync(km.start_kernel)(extra_arguments=[*KERNEL_ARGS, f"--IPKernelApp.exec_lines={lines!r}"],
                                  cwd=str(nb.parent), env=env)
    except BaseException:
        stop_kernel(km)  # launched, then the start failed or was interrupted: not left running
        raise
    return km


def restart_kernel(km):
    """Stop ``km`` and start a new kernel as it was started (:func:`start_kernel`).

    For a kernel that ended before it was ready (:class:`KernelStopped`):
    jupyter_client picks free ports, writes them down and only then starts
    the kernel, which binds them; a kernel starting at the same time (another
    report of ``--jobs``, any other Jupyter) can take one first, and this
    kernel ends with "Address already in use" (jupyter_client issue 154).
    Nothing of the notebook ran in it."""
    stop_kernel(km)
    return start_kernel(*km.started_as)


class KernelStopped(RuntimeError):
    """The kernel ended before it was ready to run the notebook."""


def stop_kernel(km) -> None:
    """Stop the kernel at once (its work is done or failed), and the clients papermill opened."""
    from jupyter_core.utils import run_sync
    while km.clients:
        km.clients.pop().stop_channels()
    if km.has_kernel:
        run_sync(km.shutdown_kernel)(now=True)


class _Refused(Exception):
    pass


class _Quiet(argparse.ArgumentParser):
    # a guess at the options, never an error of its own: the real parser speaks
    def error(self, message):
        raise _Refused(message)


def early_target(argv) -> tuple | None:
    """(notebook, report folder, locks, preload) of the kernel that
    ``evaltools report --session X`` or ``evaltools recap`` as ``argv`` gives
    them will start, or None: another command, ``--all``, ``--help``, options
    it cannot read, or no such notebook. Only a guess (the parser decides):
    :func:`take_early` checks it against what the command uses. The locks
    are those the command holds when it starts its own kernel: the report
    folder's, and for a session report internal/'s too (``report._run_notebook``)."""
    argv = list(argv or [])
    command = argv[0] if argv else None
    if command not in ("report", "recap"):
        return None
    p = _Quiet(add_help=False)
    p.add_argument("-h", "--help", action="store_true")
    p.add_argument("--out", default=str(paths()["reports"]))
    p.add_argument("--data", default=str(paths()["data"]))
    p.add_argument("--session")
    p.add_argument("--all", action="store_true")
    p.add_argument("--notebook", default=str(root() / (NOTEBOOK if command == "report" else RECAP_NOTEBOOK)))
    try:
        a, _ = p.parse_known_args(argv[1:])
    except _Refused:
        return None
    nb = Path(os.path.abspath(a.notebook))  # not resolved: a link's own folder, as the command's kernel
    if a.help or not nb.is_file() or (command == "report" and (a.all or not a.session)):
        return None
    if command == "recap":
        folder = recap_folder(a.out, a.data)
        return nb, folder, str((folder / LOCK).resolve()), RECAP_PRELOAD
    folder = Path(a.out) / a.session
    locks = os.pathsep.join(sorted(str((f / LOCK).resolve()) for f in (folder, folder / "internal")))
    return nb, folder, locks, PRELOAD


def start_early(argv) -> None:
    """Start the kernel of the report or recap ``argv`` asks for
    (:func:`early_target`), before the command loads and checks anything;
    nothing for other commands. A kernel that cannot start here is left to
    the command to start (and to report its error)."""
    target = early_target(argv)
    if target is None:
        return
    nb, folder, locks, preload = target
    handoff = handoff_path(folder)
    try:
        km = start_kernel(nb, handoff, preload, locks=locks)
    except Exception:  # noqa: BLE001 - only a head start: the command starts its own and says why
        return
    _EARLY.update(km=km, key=(nb, handoff, locks, preload))


def take_early(nb: Path, handoff: Path, preload: tuple = PRELOAD):
    """The kernel :func:`start_early` started, if it was for this notebook,
    hand-off file and ``preload`` under this process's locks (as
    :func:`start_kernel` would start it now); else it is stopped, and None."""
    if not _EARLY:
        return None
    if _EARLY["key"] == (Path(os.path.abspath(nb)), handoff, os.environ.get(INHERITED, ""), preload):
        km = _EARLY.pop("km")
        _EARLY.clear()
        return km
    drop_early()
    return None


def drop_early() -> None:
    """Stop the early kernel if nothing took it (the command refused, failed or ended)."""
    km = _EARLY.pop("km", None)
    _EARLY.clear()
    if km is not None:
        stop_kernel(km)


def kernel_class():
    """jupyter_client's asynchronous kernel manager, keeping the clients it
    makes (to close them with the kernel), which are ``ReadyClient``s."""
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ReadyClient(AsyncKernelClient):
        """jupyter_client's client, ready 0.2 s sooner: its ``wait_for_ready``
        ends by reading IOPub until nothing comes for 0.2 s, a wait on every
        report's path; here IOPub is emptied of what has come, without waiting
        (nbclient reads only the messages of its own requests)."""

        async def wait_for_ready(self, timeout=None):
            await wait_for_kernel(self, timeout)

    class Kernel(AsyncKernelManager):
        """A kernel manager that keeps the clients it made, to close them with
        the kernel; they are ``ReadyClient``s."""
        def client(self, **kwargs):
            kc = super().client(**kwargs)
            self.clients.append(kc)
            return kc

        @property
        def clients(self) -> list:
            return self.__dict__.setdefault("_et_clients", [])

        @default("client_factory")
        def _client_factory_default(self):
            return ReadyClient
    return Kernel


async def wait_for_kernel(kc, timeout=None) -> None:
    """As jupyter_client's ``wait_for_ready`` (8.x): ask for the kernel's info
    until it replies on the shell channel and something arrives on IOPub
    (subscribed, so the first cell's output cannot be lost), then empty IOPub
    of what has arrived, without the 0.2 s it waits there for more."""
    from queue import Empty
    deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
    while True:
        kc.kernel_info()
        try:
            msg = await kc.shell_channel.get_msg(timeout=1)
        except Empty:
            msg = None
        if msg is not None and msg["msg_type"] == "kernel_info_reply":
            try:
                await kc.iopub_channel.get_msg(timeout=0.2)
            except Empty:
                pass  # IOPub not connected yet: ask again
            else:
                kc._handle_kernel_info_reply(msg)  # adapts to an older kernel's protocol
                break
        if not await kc.is_alive():
            raise KernelStopped(kernel_message(
                "kernel Python berhenti sebelum siap menjalankan notebook",
                "the Python kernel stopped before it was ready to run the notebook",
                "jalankan lagi; bila terulang, pasang ulang lingkungan evaltools seperti di README "
                "(bagian Memasang)", "run it again; if it happens again, reinstall evaltools' "
                "environment as the README says (Setting up)"))
        if time.monotonic() > deadline:
            raise RuntimeError(kernel_message(
                f"kernel Python tidak menjawab dalam {timeout:.0f} detik",
                f"the Python kernel did not answer within {timeout:.0f} seconds",
                "jalankan lagi saat komputer tidak sibuk", "run it again when the computer is less busy"))
    while True:
        try:
            await kc.iopub_channel.get_msg(timeout=0)
        except Empty:
            return


def kernel_message(problem: str, problem_en: str, fix: str, fix_en: str) -> str:
    """A kernel failure in the form of evaltools' messages (Indonesian, then
    the English line the report's failure line also shows).

    Example:
        >>> print(kernel_message("a", "b", "c", "d"))
        a. Perbaikan: c
        (en) b. Fix: d
    """
    return str(EvalToolsError(problem, fix=fix, problem_en=problem_en, fix_en=fix_en))
