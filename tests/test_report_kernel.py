"""The kernel ``evaltools report`` runs its notebook in: ready without
jupyter_client's last 0.2 s wait, the first cell's output not lost, the HTML
made while the kernel stops, the kernel stopped whatever happens."""

from __future__ import annotations

import asyncio
import os
from queue import Empty

import nbformat
import pytest

from evaltools.cli import kernel, report


class _Channel:
    """A channel holding ``pending`` messages; records the timeout of each read."""

    def __init__(self, pending=()):
        self.pending, self.timeouts = list(pending), []

    async def get_msg(self, timeout=None):
        self.timeouts.append(timeout)
        if not self.pending:
            raise Empty
        return self.pending.pop(0)


class _Client:
    """What ``kernel.wait_for_kernel`` uses of a kernel client, over ``_Channel``s."""

    def __init__(self, shell, iopub, alive=True):
        self.shell_channel, self.iopub_channel = shell, iopub
        self.asked, self.handled, self.alive = 0, [], alive

    def kernel_info(self):
        self.asked += 1

    def _handle_kernel_info_reply(self, msg):
        self.handled.append(msg)

    async def is_alive(self):
        return self.alive


REPLY = {"msg_type": "kernel_info_reply"}
STATUS = {"msg_type": "status"}


def test_the_kernel_is_ready_once_iopub_answers_and_iopub_is_emptied_without_waiting():
    """jupyter_client's ``wait_for_ready`` ends by reading IOPub until nothing
    comes for 0.2 s; ``kernel.wait_for_kernel`` waits 0.2 s only for IOPub's first
    message (IOPub subscribed), then takes what has come with timeout 0."""
    kc = _Client(_Channel([REPLY]), _Channel([STATUS, STATUS, STATUS]))
    asyncio.run(kernel.wait_for_kernel(kc, timeout=10))
    assert kc.asked == 1 and kc.handled == [REPLY]
    assert kc.iopub_channel.timeouts == [0.2, 0, 0, 0]  # the last read: nothing left, no wait
    assert kc.iopub_channel.pending == []


def test_the_kernel_is_asked_again_while_iopub_is_not_connected():
    """A reply with nothing on IOPub (subscribed too late: the first cell's
    output would be lost) is not ready: the kernel is asked again."""
    shell, iopub = _Channel([REPLY, REPLY]), _Channel()
    kc = _Client(shell, iopub)

    async def connect_after_first_reply(timeout=None):
        iopub.timeouts.append(timeout)
        if len(iopub.timeouts) == 1:
            raise Empty
        iopub.get_msg = _Channel.get_msg.__get__(iopub)  # connected from now on
        return STATUS
    iopub.get_msg = connect_after_first_reply
    asyncio.run(kernel.wait_for_kernel(kc, timeout=10))
    assert kc.asked == 2 and kc.handled == [REPLY]
    assert iopub.timeouts == [0.2, 0.2, 0]


def test_only_the_kernel_info_reply_makes_the_kernel_ready():
    """Another reply on the shell channel (to an earlier request) is passed over."""
    kc = _Client(_Channel([{"msg_type": "execute_reply"}, REPLY]), _Channel([STATUS]))
    asyncio.run(kernel.wait_for_kernel(kc, timeout=10))
    assert kc.asked == 2 and kc.handled == [REPLY]


def test_a_kernel_that_never_replies_times_out_in_both_languages():
    kc = _Client(_Channel(), _Channel())
    with pytest.raises(RuntimeError) as caught:
        asyncio.run(kernel.wait_for_kernel(kc, timeout=0))
    assert str(caught.value) == (
        "kernel Python tidak menjawab dalam 0 detik. Perbaikan: jalankan lagi saat komputer tidak sibuk\n"
        "(en) the Python kernel did not answer within 0 seconds. Fix: run it again when the computer "
        "is less busy")
    assert kc.shell_channel.timeouts == [1]


def test_a_kernel_that_died_is_said_so_at_once():
    kc = _Client(_Channel(), _Channel(), alive=False)
    with pytest.raises(RuntimeError, match=r"^kernel Python berhenti sebelum siap menjalankan notebook\. "
                                           r"Perbaikan: jalankan lagi; .*\n\(en\) the Python kernel stopped"):
        asyncio.run(kernel.wait_for_kernel(kc, timeout=10))
    assert kc.asked == 1


def test_the_copied_wait_is_still_jupyter_clients_with_its_last_wait():
    """``kernel.wait_for_kernel`` copies jupyter_client 8's ``wait_for_ready`` but
    its last IOPub read: should jupyter_client change it, this fails, so that
    the copy is looked at again (and dropped if the wait is gone)."""
    import inspect

    import jupyter_client
    from jupyter_client.client import KernelClient
    source = inspect.getsource(KernelClient._async_wait_for_ready)
    assert jupyter_client.version_info[0] == 8
    assert source.count("self.iopub_channel.get_msg(timeout=0.2)") == 2  # subscribed?, then the flush
    assert "# Flush IOPub channel" in source


def _notebook(tmp_path, source: str):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return path


def test_the_report_kernel_runs_a_notebook_whose_html_shows_the_first_output(tmp_path, monkeypatch):
    """A real kernel started as ``report`` starts it: papermill's client waits
    for it with ``kernel.wait_for_kernel``, the first cell's output reaches the
    notebook and its HTML, and the kernel is stopped when ``_execute`` returns."""
    waits = []

    async def counted(kc, timeout=None):
        waits.append(type(kc).__name__)
        await wait(kc, timeout)
    wait = kernel.wait_for_kernel
    monkeypatch.setattr(kernel, "wait_for_kernel", counted)
    nb = _notebook(tmp_path, 'print("siap-" + "lapor")')
    km = kernel.start_kernel(nb, tmp_path / "handoff.json", preload=())
    try:
        html = report._execute(nb, tmp_path / "out.ipynb", {}, km)
        assert not km.has_kernel and km.clients == []  # stopped by _execute itself, clients closed
    finally:
        kernel.stop_kernel(km)
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert waits == ["ReadyClient"]
    assert out.cells[-1].outputs[0]["text"] == "siap-lapor\n"
    assert "siap-lapor" in html and "print(" not in html  # the output shown, the code hidden


def test_a_line_the_kernel_flushed_in_pieces_is_one_output_and_nothing_moves(tmp_path):
    """``print("-", kalimat)`` writes "-" first; a flush of the kernel's stdout in
    between (every 0.2 s, sooner under load) sent it as two messages, and the
    report showed "-" and the sentence in two blocks (and ``--jobs 2`` wrote
    another notebook than ``--jobs 1``: tests/test_cli.py). Forced here: the
    flush, then a wait longer than the kernel's flush interval. Only outputs
    that follow each other are joined: text printed after a display (the
    recap prints each session's sentences, then shows its chart) stays after
    it, and stderr where it came."""
    nb = _notebook(tmp_path, 'import sys, time\nfrom IPython.display import display\n'
                             'sys.stdout.write("-"); sys.stdout.flush(); time.sleep(0.3)\n'
                             'print(" kalimat A"); sys.stdout.flush(); display("grafik A")\n'
                             'print("kalimat B"); sys.stdout.flush(); print("dua", file=sys.stderr); '
                             'sys.stderr.flush(); time.sleep(0.3); print("satu")')
    km = kernel.start_kernel(nb, tmp_path / "handoff.json", preload=())
    try:
        html = report._execute(nb, tmp_path / "out.ipynb", {}, km)
    finally:
        kernel.stop_kernel(km)
    outputs = nbformat.read(tmp_path / "out.ipynb", as_version=4).cells[-1].outputs
    assert [(o["output_type"], o.get("name"), o.get("text", o.get("data", {}).get("text/plain")))
            for o in outputs] == [("stream", "stdout", "- kalimat A\n"), ("display_data", None, "'grafik A'"),
                                  ("stream", "stdout", "kalimat B\n"), ("stream", "stderr", "dua\n"),
                                  ("stream", "stdout", "satu\n")]
    assert "- kalimat A" in html and html.index("kalimat A") < html.index("grafik A") < html.index("kalimat B")


def test_a_failing_notebook_stops_the_kernel_and_raises(tmp_path):
    import papermill as pm
    nb = _notebook(tmp_path, "raise ValueError('rusak')")
    km = kernel.start_kernel(nb, tmp_path / "handoff.json", preload=())
    try:
        with pytest.raises(pm.PapermillExecutionError, match="rusak"):
            report._execute(nb, tmp_path / "out.ipynb", {}, km)
        assert not km.has_kernel and km.clients == []
    finally:
        kernel.stop_kernel(km)


def test_a_failing_html_conversion_still_stops_the_kernel_and_raises(tmp_path, monkeypatch):
    def broken(*args):
        raise OSError("template hilang")
    monkeypatch.setattr(report, "_html", broken)
    nb = _notebook(tmp_path, "1 + 1")
    km = kernel.start_kernel(nb, tmp_path / "handoff.json", preload=())
    try:
        with pytest.raises(OSError, match="template hilang"):
            report._execute(nb, tmp_path / "out.ipynb", {}, km)
        assert not km.has_kernel and km.clients == []
        assert nbformat.read(tmp_path / "out.ipynb", as_version=4).cells[-1].outputs[0]["data"] == {
            "text/plain": "2"}  # the notebook itself ran to its end
    finally:
        kernel.stop_kernel(km)


@pytest.mark.parametrize("argv, expected", [
    (["report", "--session", "s1", "--out", "hasil"], ("hasil", "s1")),
    (["report", "--session=s1", "--lang", "en", "--out=hasil"], ("hasil", "s1")),
    (["report", "--data", "data/sample", "--session", "s1"], ("reports", "s1")),  # --out's default
    (["report", "--all"], None),
    (["report", "--session", "s1", "--all"], None),  # refused by the command itself
    (["report", "--session", "s1", "--help"], None),
    (["report", "--session"], None),  # no value: the parser's error, not a guess
    (["report", "--session", "s1", "--notebook", "tidak-ada.ipynb"], None),
    (["recap", "--out", "hasil", "--data", "data/sample"], ("hasil", "rekap-sample")),
    (["recap", "--out", "hasil", "--help"], None),
    (["validate", "data/sample/loa-janan-2024-11-22"], None),
    ([], None),
])
def test_the_early_kernel_is_started_only_for_one_sessions_report(argv, expected, monkeypatch):
    monkeypatch.delenv("EVALTOOLS_ROOT", raising=False)
    target = kernel.early_target(argv)
    if expected is None:
        assert target is None
    else:
        nb, folder, locks, preload = target
        recap = argv[0] == "recap"
        assert nb.name == ("02_rekap_opd.ipynb" if recap else "01_laporan_sesi.ipynb") and nb.is_file()
        assert folder.parts[-2:] == expected
        # the locks the command holds as it starts its own kernel; a recap's loads openpyxl too
        held = [folder] if recap else [folder, folder / "internal"]
        assert locks.split(os.pathsep) == sorted(str((f / ".evaltools.lock").resolve()) for f in held)
        assert preload == (kernel.RECAP_PRELOAD if recap else kernel.PRELOAD)


class _Manager:
    """What ``kernel.stop_kernel`` uses of a kernel manager."""
    clients: list = []
    has_kernel = False


def test_an_early_kernel_started_for_another_report_is_stopped_not_taken(tmp_path, monkeypatch):
    stopped = []
    monkeypatch.setattr(kernel, "stop_kernel", stopped.append)
    nb = tmp_path / "nb.ipynb"
    nb.write_text("{}")
    handoff = kernel.handoff_path(tmp_path / "s1")
    monkeypatch.setenv("EVALTOOLS_LOCKS", "kunci")
    km = _Manager()
    kernel._EARLY.update(km=km, key=(nb.resolve(), handoff, "kunci", kernel.PRELOAD))
    assert kernel.take_early(tmp_path / "lain.ipynb", handoff) is None  # another notebook
    assert stopped == [km] and kernel._EARLY == {}
    kernel._EARLY.update(km=km, key=(nb.resolve(), handoff, "kunci lain", kernel.PRELOAD))
    assert kernel.take_early(nb, handoff) is None  # started under other locks
    kernel._EARLY.update(km=km, key=(nb.resolve(), handoff, "kunci", kernel.PRELOAD))
    assert kernel.take_early(nb, handoff, kernel.RECAP_PRELOAD) is None  # another command's modules
    assert stopped == [km, km, km]
    kernel._EARLY.update(km=km, key=(nb.resolve(), handoff, "kunci", kernel.PRELOAD))
    assert kernel.take_early(nb, handoff) is km and kernel._EARLY == {}
    kernel.drop_early()  # nothing left to stop
    assert stopped == [km, km, km]


def test_a_kernel_whose_start_fails_is_stopped_and_the_report_starts_its_own(tmp_path, monkeypatch):
    stopped = []

    class Failing(_Manager):
        has_kernel = True  # launched, then the start failed (or was interrupted)

        def __init__(self, **kwargs):
            pass

        async def start_kernel(self, **kwargs):
            raise RuntimeError("gagal")

    monkeypatch.setattr(kernel, "kernel_class", lambda: Failing)
    monkeypatch.setattr(kernel, "stop_kernel", stopped.append)
    with pytest.raises(RuntimeError, match="gagal"):
        kernel.start_kernel(tmp_path / "nb.ipynb", tmp_path / "handoff.json")
    assert len(stopped) == 1 and isinstance(stopped[0], Failing)
    kernel.start_early(["report", "--session", "s1", "--out", str(tmp_path)])  # only a head start
    assert len(stopped) == 2 and kernel._EARLY == {}


def test_a_kernel_that_ends_before_it_is_ready_is_started_again_once(tmp_path, monkeypatch):
    """A kernel that ends at its start (as one whose port another kernel starting at the same
    time took: jupyter_client issue 154) is started again, once, as it was started, and the
    notebook runs in the new one; a kernel that ends at every start is said so."""
    lib = tmp_path / "lib"
    lib.mkdir()
    # a module the kernel loads as it starts, ending it while deaths are left
    (lib / "ends_at_start.py").write_text(
        "import os, pathlib\n"
        "left = pathlib.Path(os.environ['ET_TEST_DEATHS'])\n"
        "if int(left.read_text()):\n"
        "    left.write_text(str(int(left.read_text()) - 1))\n"
        "    os._exit(3)\n", encoding="utf-8")
    deaths = tmp_path / "deaths"
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(lib), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("ET_TEST_DEATHS", str(deaths))
    nb = _notebook(tmp_path, 'print("siap-" + "lapor")')
    out = tmp_path / "out"
    out.mkdir()
    started = []
    start = kernel.start_kernel
    monkeypatch.setattr(kernel, "start_kernel", lambda *a, **k: started.append(a) or start(*a, **k))
    deaths.write_text("1")
    km = kernel.start_kernel(nb, kernel.handoff_path(out), ("ends_at_start",))
    report._run_notebook(nb, {"overwrite": False}, out, km)
    assert deaths.read_text() == "0" and len(started) == 2 and started[1] == started[0] + (None,)
    executed = nbformat.read(out / "internal" / "nb.ipynb", as_version=4)
    assert executed.cells[-1].outputs[0]["text"] == "siap-lapor\n"
    assert not km.has_kernel
    deaths.write_text("2")
    km = kernel.start_kernel(nb, kernel.handoff_path(out), ("ends_at_start",))
    with pytest.raises(kernel.KernelStopped, match=r"\(en\) the Python kernel stopped before it was ready"):
        report._run_notebook(nb, {"overwrite": True}, out, km)
    assert deaths.read_text() == "0" and len(started) == 4  # started again once, not more
