"""The kernel ``evaltools report`` runs its notebook in: ready without
jupyter_client's last 0.2 s wait, the first cell's output not lost, the HTML
made while the kernel stops, the kernel stopped whatever happens."""

from __future__ import annotations

import asyncio
from queue import Empty

import nbformat
import pytest

from evaltools.cli import report


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
    """What ``_wait_for_kernel`` uses of a kernel client, over ``_Channel``s."""

    def __init__(self, shell, iopub):
        self.shell_channel, self.iopub_channel = shell, iopub
        self.asked, self.handled = 0, []

    def kernel_info(self):
        self.asked += 1

    def _handle_kernel_info_reply(self, msg):
        self.handled.append(msg)

    async def is_alive(self):
        return True


REPLY = {"msg_type": "kernel_info_reply"}
STATUS = {"msg_type": "status"}


def test_the_kernel_is_ready_once_iopub_answers_and_iopub_is_emptied_without_waiting():
    """jupyter_client's ``wait_for_ready`` ends by reading IOPub until nothing
    comes for 0.2 s; ``_wait_for_kernel`` waits 0.2 s only for IOPub's first
    message (IOPub subscribed), then takes what has come with timeout 0."""
    kc = _Client(_Channel([REPLY]), _Channel([STATUS, STATUS, STATUS]))
    asyncio.run(report._wait_for_kernel(kc, timeout=10))
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
    asyncio.run(report._wait_for_kernel(kc, timeout=10))
    assert kc.asked == 2 and kc.handled == [REPLY]
    assert iopub.timeouts == [0.2, 0.2, 0]


def test_a_kernel_that_never_replies_times_out():
    kc = _Client(_Channel(), _Channel())
    with pytest.raises(RuntimeError, match="didn't respond in 0 seconds"):
        asyncio.run(report._wait_for_kernel(kc, timeout=0))
    assert kc.shell_channel.timeouts == [1]


def _notebook(tmp_path, source: str):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return path


def test_the_report_kernel_runs_a_notebook_whose_html_shows_the_first_output(tmp_path):
    """A real kernel started as ``report`` starts it: its client is the
    ``ReadyClient``, the first cell's output reaches the notebook and its
    HTML, and the kernel is stopped when ``_execute`` returns."""
    nb = _notebook(tmp_path, 'print("siap-" + "lapor")')
    km = report._start_kernel(nb, tmp_path / "handoff.json", preload=())
    assert km.client_factory.__name__ == "ReadyClient"  # papermill's client is made by km.client()
    try:
        html = report._execute(nb, tmp_path / "out.ipynb", {}, km)
        assert not km.has_kernel and km.clients == []  # stopped by _execute itself, clients closed
    finally:
        report._stop_kernel(km)
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert out.cells[-1].outputs[0]["text"] == "siap-lapor\n"
    assert "siap-lapor" in html and "print(" not in html  # the output shown, the code hidden


def test_a_failing_notebook_stops_the_kernel_and_raises(tmp_path):
    import papermill as pm
    nb = _notebook(tmp_path, "raise ValueError('rusak')")
    km = report._start_kernel(nb, tmp_path / "handoff.json", preload=())
    with pytest.raises(pm.PapermillExecutionError, match="rusak"):
        report._execute(nb, tmp_path / "out.ipynb", {}, km)
    assert not km.has_kernel
