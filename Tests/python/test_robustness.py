"""A kernel that cannot be stalled by its surroundings.

    cd Tests && python -m pytest -q python/test_robustness.py

Each test is one way the surroundings of a kernel can try to stall or bloat it: a launcher
that never drains the kernel's stderr, a failed cell followed by other requests, unknown
message types, oversized frames, an endless stream of cells for the history, huge cells
for completion and inspection, and cell output that must reach the notebook only.

The xling-specific settings (XLING_MAX_MESSAGE_BYTES, XLING_HISTORY_CELLS, …) are read by
the kernel from its environment; tests that need them are skipped for other kernels.
"""

from __future__ import annotations

import json
import subprocess
import time
import uuid

import pytest
import zmq
from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.connect import write_connection_file

import kernel_helpers as kh
from kernel_helpers import DELIM, KERNEL

S = kh.samples(KERNEL)
MiB = 1024 * 1024

pytestmark = pytest.mark.skipif(
    kh.kernel_spec_or_none(KERNEL) is None,
    reason=f"kernelspec {KERNEL!r} is not installed")
xling_only = pytest.mark.skipif(KERNEL != "xling", reason="uses xling's environment settings")


@pytest.fixture
def zctx():
    ctx = zmq.Context()
    yield ctx
    ctx.destroy(linger=0)


def kernel_info_ok(kc, timeout=10.0):
    msg_id = kc.kernel_info()
    reply = kh.get_reply(kc, msg_id, timeout=timeout)
    assert reply["msg_type"] == "kernel_info_reply"
    assert reply["content"]["status"] == "ok", reply["content"]
    return reply


def control_kernel_info_ok(kc, timeout=10.0):
    msg = kc.session.msg("kernel_info_request")
    kc.control_channel.send(msg)
    reply = kh.get_reply(kc, msg["header"]["msg_id"], timeout=timeout, channel="control")
    assert reply["msg_type"] == "kernel_info_reply" and reply["content"]["status"] == "ok"


def signed(key: bytes, msg_type: str, content=None, header=None) -> list[bytes]:
    return kh.build_frames(key, msg_type, content=content or {}, header=header)


# --------------------------------------------------------------------------
# A launcher that never drains the kernel's stderr
# --------------------------------------------------------------------------

class RawKernel:
    """A kernel process started from its kernelspec argv with chosen stdout/stderr, and a
    client on its connection file (KernelManager always owns the streams itself)."""

    def __init__(self, tmp_path, stdout, stderr, env=None):
        self.cf, _ = write_connection_file(str(tmp_path / f"kernel-{uuid.uuid4().hex[:8]}.json"),
                                           key=uuid.uuid4().hex.encode(), kernel_name=KERNEL)
        environment = kh.kernel_env(KERNEL)
        environment.update(env or {})
        self.proc = subprocess.Popen(kh.kernel_command(KERNEL, self.cf), stdout=stdout, stderr=stderr,
                                     stdin=subprocess.DEVNULL, env=environment)
        self.kc = BlockingKernelClient(connection_file=self.cf)
        self.kc.load_connection_file()
        self.kc.start_channels()
        try:
            self.kc.wait_for_ready(timeout=60)
        except Exception:
            self.close()
            raise

    def close(self):
        try:
            self.kc.shutdown()
            self.proc.wait(5)
        except Exception:
            self.proc.kill()
            self.proc.wait(5)
        finally:
            self.kc.stop_channels()


def test_undrained_stderr_pipe_does_not_stall(tmp_path, zctx):
    """10,000 dropped messages each log a line; nobody reads the kernel's stderr pipe
    (64 KiB), yet shell and control keep answering."""
    kernel = RawKernel(tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        kc = kernel.kc
        key = kh.connection_key(kc)
        socks = [kh.dealer(zctx, kc, "shell"), kh.dealer(zctx, kc, "control")]
        for i in range(10_000):
            parts = [kh.jdump(kh.make_header("kernel_info_request")), b"{}", b"{}", b"{}"]
            variant = i % 3
            if variant == 0:
                frames = [DELIM, b"", *parts]                       # unsigned
            elif variant == 1:
                frames = [DELIM, kh.sign(b"wrong-key", parts), *parts]  # badly signed
            else:
                frames = [b"no delimiter", b"x" * (i % 50)]
            socks[i % 2].send_multipart(frames)
        # signed but unknown types: each distinct type is logged once
        for i in range(300):
            socks[0].send_multipart(signed(key, f"frobnicate_{i}_request"))
        assert all(kh.recv_all(s, 1.0) == [] for s in socks), "kernel replied to garbage"
        kernel_info_ok(kc, timeout=10)
        control_kernel_info_ok(kc, timeout=10)
        reply, _ = kh.execute(kc, S["trivial"], timeout=15)
        assert reply["content"]["status"] == "ok"
        assert kernel.proc.poll() is None
    finally:
        kernel.close()


# --------------------------------------------------------------------------
# Aborts after a failed cell; unknown message types
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shared_kernel():
    km, kc = kh.start_kernel(KERNEL, quiet=True)
    yield km, kc
    kh.stop_kernel(km, kc)


@pytest.fixture
def kc(shared_kernel):
    km, kc = shared_kernel
    assert km.is_alive()
    kh.drain(kc.iopub_channel, quiet_for=0.05)
    kh.drain(kc.shell_channel, quiet_for=0.01)
    return kc


def _execute_msg(kc, code, stop_on_error=True):
    return kc.session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                              "user_expressions": {}, "allow_stdin": False,
                                              "stop_on_error": stop_on_error})


def test_kernel_info_right_after_failed_cell(kc):
    """Only execute_requests queued behind a failed cell are aborted (as in ipykernel)."""
    msgs = [_execute_msg(kc, S["bogus"]), kc.session.msg("kernel_info_request"),
            kc.session.msg("is_complete_request", {"code": S["is_complete"]}),
            _execute_msg(kc, S["get_seed"])]
    for m in msgs:
        kc.shell_channel.send(m)
    replies = [kh.get_reply(kc, m["header"]["msg_id"], timeout=10) for m in msgs]
    assert replies[0]["content"]["status"] == "error"
    assert replies[1]["msg_type"] == "kernel_info_reply"
    assert replies[1]["content"]["status"] == "ok", replies[1]["content"]
    assert replies[1]["content"]["language_info"]["name"]
    assert replies[2]["msg_type"] == "is_complete_reply"
    assert replies[2]["content"]["status"] != "aborted"
    assert replies[3]["content"]["status"] == "aborted"
    kh.drain(kc.iopub_channel, quiet_for=0.3)
    reply, _ = kh.execute(kc, S["get_seed"])
    assert reply["content"]["status"] == "ok"


@pytest.mark.parametrize("after_failure", [False, True])
def test_unknown_message_type_gets_no_reply(kc, zctx, after_failure):
    sock = kh.dealer(zctx, kc, "shell")
    key = kh.connection_key(kc)
    if after_failure:  # inside the abort window of a failed cell
        sock.send_multipart(signed(key, "execute_request", {"code": S["bogus"], "silent": False,
                                                            "stop_on_error": True}))
    sock.send_multipart(signed(key, "bogus_request", {"x": 1}))
    sock.send_multipart(signed(key, "frobnicate", {}))
    got = [kh.parse_reply(f)["msg_type"] for f in kh.recv_all(sock, 1.5)]
    assert got == (["execute_reply"] if after_failure else []), got
    # the kernel still answers, on the same socket too
    sock.send_multipart(signed(key, "kernel_info_request"))
    replies = kh.recv_all(sock, 5.0)
    assert [kh.parse_reply(f)["msg_type"] for f in replies] == ["kernel_info_reply"]
    assert kh.parse_reply(replies[0])["content"]["status"] == "ok"
    sock.close()
    kernel_info_ok(kc)


# --------------------------------------------------------------------------
# Oversized frames
# --------------------------------------------------------------------------

def _send_oversized(zctx, kc, key: bytes, size: int, frames: int = 1):
    """A signed execute_request whose content (or extra buffers) total `size` bytes."""
    sock = kh.dealer(zctx, kc, "shell")
    sock.setsockopt(zmq.SNDTIMEO, 60_000)
    if frames == 1:
        content = b'{"code": "# ' + b"x" * size + b'"}'
        header = kh.jdump(kh.make_header("execute_request"))
        parts = [header, b"{}", b"{}", content]
        sock.send_multipart([DELIM, kh.sign(key, parts), *parts], copy=False)
    else:
        parts = [kh.jdump(kh.make_header("kernel_info_request")), b"{}", b"{}", b"{}"]
        chunk = b"b" * (size // frames)
        sock.send_multipart([DELIM, kh.sign(key, parts), *parts] + [chunk] * frames, copy=False)
    return sock


def _assert_dropped_and_alive(kc, sock, pid, rss_before, allowance):
    assert kh.recv_all(sock, 2.0) == [], "the kernel answered an oversized message"
    sock.close()
    time.sleep(0.3)
    grown = kh.rss_bytes(pid) - rss_before
    assert grown < allowance, f"RSS grew by {grown / MiB:.1f} MiB"
    kernel_info_ok(kc)
    reply, _ = kh.execute(kc, S["trivial"])
    assert reply["content"]["status"] == "ok"


def test_oversized_frame_default_bound(zctx):
    """A 300 MiB frame is above the default 256 MiB bound: libzmq disconnects the peer
    before buffering it."""
    km, kc = kh.start_kernel(KERNEL, quiet=True)
    try:
        pid = kh.kernel_pid(km)
        before = kh.rss_bytes(pid)
        sock = _send_oversized(zctx, kc, kh.connection_key(kc), 300 * MiB)
        _assert_dropped_and_alive(kc, sock, pid, before, 16 * MiB)
    finally:
        kh.stop_kernel(km, kc)


@xling_only
@pytest.mark.parametrize("frames", [1, 16])
def test_oversized_message_configured_bound(zctx, frames):
    """XLING_MAX_MESSAGE_BYTES=1 MiB: one 64 MiB frame, or 16 frames of 4 MiB each (each frame
    above the bound), or 16 frames of 0.75 MiB (each below, 12 MiB in total) are dropped."""
    km, kc = kh.start_kernel(KERNEL, quiet=True, env={"XLING_MAX_MESSAGE_BYTES": str(MiB)})
    try:
        pid = kh.kernel_pid(km)
        key = kh.connection_key(kc)
        before = kh.rss_bytes(pid)
        sock = _send_oversized(zctx, kc, key, 64 * MiB, frames=frames)
        _assert_dropped_and_alive(kc, sock, pid, before, 16 * MiB)
        # many frames that are each under the bound but add up to more than it
        before = kh.rss_bytes(pid)
        sock = _send_oversized(zctx, kc, key, 12 * MiB, frames=16)
        _assert_dropped_and_alive(kc, sock, pid, before, 16 * MiB)
        # a message under the bound still runs
        reply, _ = kh.execute(kc, "# " + "y" * (MiB // 2))
        assert reply["content"]["status"] == "ok"
    finally:
        kh.stop_kernel(km, kc)


# --------------------------------------------------------------------------
# History is bounded
# --------------------------------------------------------------------------

def _history(kc, **kw):
    msg_id = kc.history(**kw)
    reply = kh.get_reply(kc, msg_id)
    assert reply["content"]["status"] == "ok"
    return reply["content"]["history"]


@xling_only
def test_history_is_bounded():
    km, kc = kh.start_kernel(KERNEL, quiet=True,
                             env={"XLING_HISTORY_CELLS": "20", "XLING_HISTORY_BYTES": "8192"})
    try:
        for i in range(50):
            reply, _ = kh.execute(kc, f"%set n={i}")
            assert reply["content"]["status"] == "ok"
        tail = _history(kc, hist_access_type="tail", n=1000, output=False, raw=True)
        assert [row[1] for row in tail] == list(range(31, 51))
        assert tail[-1][2] == "%set n=49"
        assert [row[1] for row in _history(kc, hist_access_type="range", session=0, start=1, stop=0,
                                           output=False, raw=True)] == list(range(31, 51))
        found = _history(kc, hist_access_type="search", pattern="%set n=4?", output=False, raw=True)
        assert [row[1] for row in found] == list(range(41, 51))
        # a cell larger than a quarter of the byte budget is kept cut, the budget holds
        big = "# " + "é" * 5000
        kh.execute(kc, big)
        rows = _history(kc, hist_access_type="tail", n=1000, output=True, raw=True)
        last = rows[-1][2][0]
        assert last.startswith("# éé") and "cut" in last.splitlines()[-1]
        assert len(last.encode()) <= 8192 // 4
        total = sum(len(r[2][0].encode()) + len((r[2][1] or "").encode()) for r in rows)
        assert total <= 8192
    finally:
        kh.stop_kernel(km, kc)


# --------------------------------------------------------------------------
# Completion, inspection and is_complete on a 100 kB cell (correctness; speed is benched)
# --------------------------------------------------------------------------

def _big_cell():
    """~100 kB of valid lines with characters outside the BMP (one code point each,
    two UTF-16 units, four UTF-8 bytes), so offsets must count code points."""
    lines = [f"%echo 𝔘nicode line {i} é 日本" for i in range(3000)]
    return "\n".join(lines)


def _complete(kc, code, pos):
    msg_id = kc.complete(code, pos)
    return kh.get_reply(kc, msg_id)["content"]


@xling_only
def test_completion_on_100kB_cell(kc):
    cell = _big_cell()
    assert len(cell.encode()) > 100_000
    code = cell + "\n%ech"
    content = _complete(kc, code, len(code))
    assert content["status"] == "ok"
    assert "%echo" in content["matches"]
    assert content["cursor_start"] == len(code) - 4 and content["cursor_end"] == len(code)
    # a key in the middle of the cell, after many astral characters
    middle = cell[:50_000].rsplit("\n", 1)[0]
    code = middle + "\n%set se\n" + cell
    pos = len(middle) + len("\n%set se")
    content = _complete(kc, code, pos)
    assert "seed=" in content["matches"], content["matches"]
    assert content["cursor_start"] == pos - 2 and content["cursor_end"] == pos
    # a value after key=
    code = middle + "\n%echo stream=std"
    content = _complete(kc, code, len(code))
    assert sorted(content["matches"]) == ["stderr", "stdout"]
    assert content["cursor_start"] == len(code) - 3
    # a cursor past the end is clamped
    content = _complete(kc, code, len(code) + 10**6)
    assert content["cursor_end"] == len(code)


@xling_only
def test_inspect_and_is_complete_on_100kB_cell(kc):
    cell = _big_cell()
    code = cell + "\n%set seed=1\n" + cell
    pos = len(cell) + len("\n%se")
    msg_id = kc.inspect(code, pos)
    content = kh.get_reply(kc, msg_id)["content"]
    assert content["status"] == "ok" and content["found"] is True
    assert "seed" in content["data"]["text/plain"]
    msg_id = kc.inspect(code, len(cell) // 2)  # on an %echo line
    content = kh.get_reply(kc, msg_id)["content"]
    assert content["found"] is True and "echo" in content["data"]["text/plain"]
    msg_id = kc.is_complete(code)
    assert kh.get_reply(kc, msg_id)["content"]["status"] == "complete"
    msg_id = kc.is_complete(code + "\n%echo more \\")
    assert kh.get_reply(kc, msg_id)["content"]["status"] == "incomplete"
    msg_id = kc.is_complete(cell + "\nnot a magic")
    assert kh.get_reply(kc, msg_id)["content"]["status"] == "invalid"


# --------------------------------------------------------------------------
# What a cell shows belongs to the notebook only
# --------------------------------------------------------------------------

def test_cell_output_stays_off_the_kernel_stdout(tmp_path):
    out_path, err_path = tmp_path / "stdout", tmp_path / "stderr"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        kernel = RawKernel(tmp_path, stdout=out, stderr=err)
    try:
        kc = kernel.kc
        reply, _ = kh.execute(kc, S["set_seed"])
        assert reply["content"]["status"] == "ok"
        reply, iopub = kh.execute(kc, S["get_seed"])
        assert kh.text_plain(iopub) == [kh.SEED_VALUE]
        reply, iopub = kh.execute(kc, S["echo"])
        assert "hello, world" in "".join(m["content"]["text"] for m in kh.outputs(iopub, "stream"))
        reply, iopub = kh.execute(kc, S["echo_stderr"])
        assert "oops" in "".join(m["content"]["text"] for m in kh.outputs(iopub, "stream"))
    finally:
        kernel.close()
    stdout = out_path.read_bytes()
    stderr = err_path.read_bytes()
    assert stdout == b"", f"cell output on the kernel's stdout: {stdout[:200]!r}"
    assert b"hello, world" not in stderr and b"oops" not in stderr, stderr[-500:]
