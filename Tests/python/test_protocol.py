"""Jupyter wire-protocol tests against a real kernel process.

    cd Tests && XLING_KERNEL=python3 python -m pytest -q python/test_protocol.py   # validate on ipykernel
    cd Tests && python -m pytest -q python/test_protocol.py                        # xling (default)

The kernel is chosen with XLING_KERNEL (default "xling"); code snippets come
from kernel_helpers.SAMPLES.  Every receive uses an explicit timeout.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
import zmq
from jupyter_client.connect import write_connection_file

import kernel_helpers as kh
from kernel_helpers import KERNEL

S = kh.samples(KERNEL)

pytestmark = pytest.mark.skipif(
    kh.kernel_spec_or_none(KERNEL) is None,
    reason=f"kernelspec {KERNEL!r} is not installed")


class _Shared:
    """One kernel shared by the module; replaced if a test kills it, so one
    crash does not turn every later test into an error."""

    def __init__(self):
        self.km = self.kc = None

    def ensure(self):
        if self.km is None or not self.km.is_alive():
            if self.km is not None:
                kh.stop_kernel(self.km, self.kc)
            self.km, self.kc = kh.start_kernel(KERNEL)
        return self.km, self.kc

    def close(self):
        if self.km is not None:
            kh.stop_kernel(self.km, self.kc)


@pytest.fixture(scope="module")
def shared():
    sh = _Shared()
    yield sh
    sh.close()


@pytest.fixture
def kernel(shared):
    km, kc = shared.ensure()
    # start every test from quiet channels
    kh.drain(kc.iopub_channel, quiet_for=0.05)
    kh.drain(kc.shell_channel, quiet_for=0.01)
    kh.drain(kc.stdin_channel, quiet_for=0.01)
    yield km, kc
    if not km.is_alive():
        pytest.fail("the kernel process died during this test")


@pytest.fixture
def kc(kernel):
    return kernel[1]


@pytest.fixture
def zctx():
    ctx = zmq.Context()
    yield ctx
    ctx.destroy(linger=0)


def kernel_info_ok(kc, timeout=10):
    msg_id = kc.kernel_info()
    reply = kh.get_reply(kc, msg_id, timeout=timeout)
    assert reply["msg_type"] == "kernel_info_reply"
    assert reply["content"]["status"] == "ok"
    kh.collect_iopub(kc, msg_id, timeout=timeout)
    return reply


# --------------------------------------------------------------------------
# a. signatures
# --------------------------------------------------------------------------

def test_bad_signature_is_ignored(kernel, kc, zctx):
    km, _ = kernel
    sock = kh.dealer(zctx, kc, "shell")
    frames = kh.build_frames(b"definitely-not-the-key", "kernel_info_request")
    sock.send_multipart(frames)
    assert kh.recv_all(sock, 1.0) == [], "kernel replied to a badly signed message"
    # tampered signature on an otherwise correct message
    good = kh.build_frames(kh.connection_key(kc), "kernel_info_request")
    good[1] = b"0" * len(good[1])
    sock.send_multipart(good)
    assert kh.recv_all(sock, 1.0) == []
    sock.close()
    assert km.is_alive()
    kernel_info_ok(kc)


def test_replayed_message_is_ignored(kernel, kc, zctx):
    sock = kh.dealer(zctx, kc, "shell")
    frames = kh.build_frames(kh.connection_key(kc), "kernel_info_request")
    sock.send_multipart(frames)
    replies = kh.recv_all(sock, 5.0)
    assert len(replies) == 1, "a correctly signed raw message must be answered"
    reply = kh.parse_reply(replies[0])
    assert reply["msg_type"] == "kernel_info_reply"
    sock.send_multipart(frames)  # exact replay
    assert kh.recv_all(sock, 1.0) == [], "kernel answered a replayed message"
    sock.close()
    kernel_info_ok(kc)


# --------------------------------------------------------------------------
# b. busy / idle around every request
# --------------------------------------------------------------------------

def _shell_requests():
    code_c, pos_c = S["complete"]
    code_i, pos_i = S["inspect"]
    return {
        "execute": lambda kc: kc.execute(S["echo"]),
        "kernel_info": lambda kc: kc.kernel_info(),
        "complete": lambda kc: kc.complete(code_c, pos_c),
        "inspect": lambda kc: kc.inspect(code_i, pos_i),
        "is_complete": lambda kc: kc.is_complete(S["is_complete"]),
        "history": lambda kc: kc.history(hist_access_type="tail", n=5),
        "comm_info": lambda kc: kc.comm_info(),
    }


def _check_busy_idle(kc, msg_id, reply, expect_outputs=False):
    iopub = kh.collect_iopub(kc, msg_id, timeout=10)
    # nothing with this parent may follow idle
    late = [m for m in kh.drain(kc.iopub_channel, quiet_for=0.3)
            if m["parent_header"].get("msg_id") == msg_id]
    assert not late, f"iopub messages after idle: {[m['msg_type'] for m in late]}"
    first, last = iopub[0], iopub[-1]
    assert first["msg_type"] == "status" and first["content"]["execution_state"] == "busy", \
        f"first iopub message for the request is {first['msg_type']} {first['content']}"
    assert last["content"]["execution_state"] == "idle"
    busy = [m for m in iopub if m["msg_type"] == "status"
            and m["content"]["execution_state"] == "busy"]
    assert len(busy) == 1
    # kernel-side ordering: busy is sent before the reply, idle after it
    assert first["header"]["date"] <= reply["header"]["date"] <= last["header"]["date"]
    if expect_outputs:
        assert kh.outputs(iopub, "stream"), "execute produced no stream output"
    return iopub


@pytest.mark.parametrize("request_type", list(_shell_requests()))
def test_busy_idle_shell(kc, request_type):
    msg_id = _shell_requests()[request_type](kc)
    reply = kh.get_reply(kc, msg_id, timeout=10)
    assert reply["msg_type"] == f"{request_type}_reply"
    if request_type == "is_complete":
        assert reply["content"]["status"] == "complete", reply["content"]
    else:
        assert reply["content"]["status"] == "ok", reply["content"]
    _check_busy_idle(kc, msg_id, reply, expect_outputs=request_type == "execute")


def test_busy_idle_control_kernel_info(kc):
    msg = kc.session.msg("kernel_info_request")
    kc.control_channel.send(msg)
    msg_id = msg["header"]["msg_id"]
    reply = kh.get_reply(kc, msg_id, timeout=10, channel="control")
    assert reply["msg_type"] == "kernel_info_reply"
    assert reply["content"]["status"] == "ok"
    _check_busy_idle(kc, msg_id, reply)


def test_stream_stderr(kc):
    reply, iopub = kh.execute(kc, S["echo_stderr"])
    assert reply["content"]["status"] == "ok"
    streams = kh.outputs(iopub, "stream")
    assert any(m["content"]["name"] == "stderr" and "oops" in m["content"]["text"]
               for m in streams), streams
    reply, iopub = kh.execute(kc, S["echo"])
    assert any(m["content"]["name"] == "stdout" and "hello, world" in m["content"]["text"]
               for m in kh.outputs(iopub, "stream"))


# --------------------------------------------------------------------------
# c. interrupt
# --------------------------------------------------------------------------

def test_interrupt_mode_is_message():
    spec = kh.kernel_spec_or_none(KERNEL)
    if KERNEL != "xling":
        pytest.skip(f"{KERNEL}: stock kernelspec uses signal interrupts; only xling must use messages")
    assert spec.interrupt_mode == "message"


def test_interrupt(kernel, kc):
    km, _ = kernel
    reply, _ = kh.execute(kc, S["set_seed"])
    assert reply["content"]["status"] == "ok"
    msg_id = kc.execute(S["sleep"])
    time.sleep(0.5)
    t0 = time.monotonic()
    km.interrupt_kernel()
    iopub = kh.collect_iopub(kc, msg_id, timeout=5)
    dt = time.monotonic() - t0
    assert dt <= 0.5, f"idle arrived {dt:.3f}s after the interrupt (limit 0.5s)"
    reply = kh.get_reply(kc, msg_id, timeout=5)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    errors = kh.outputs(iopub, "error")
    assert errors and errors[-1]["content"]["ename"] == "KeyboardInterrupt"
    # session intact
    reply, iopub = kh.execute(kc, S["get_seed"])
    assert reply["content"]["status"] == "ok"
    assert kh.text_plain(iopub) == [S.get("seed_repr", kh.SEED_VALUE)]


# --------------------------------------------------------------------------
# d. restart (own kernel)
# --------------------------------------------------------------------------

def test_restart():
    km, kc = kh.start_kernel(KERNEL)
    try:
        before = kernel_info_ok(kc)["header"]["session"]
        kh.execute(kc, S["trivial"])
        kh.execute(kc, S["trivial"])
        kc.stop_channels()
        km.restart_kernel(now=False)
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        after = kernel_info_ok(kc)["header"]["session"]
        assert after != before, "kernel session id did not change across restart"
        reply, iopub = kh.execute(kc, S["trivial"])
        assert reply["content"]["status"] == "ok"
        assert reply["content"]["execution_count"] == 1
        for m in iopub:
            assert m["header"]["session"] == after
    finally:
        kh.stop_kernel(km, kc)


# --------------------------------------------------------------------------
# e. stdin
# --------------------------------------------------------------------------

def test_stdin_allowed(kc):
    msg_id = kc.execute(S["confirm"], allow_stdin=True)
    req = kc.get_stdin_msg(timeout=10)
    assert req["msg_type"] == "input_request"
    assert req["parent_header"]["msg_id"] == msg_id
    kc.input("y")
    reply = kh.get_reply(kc, msg_id, timeout=10)
    assert reply["content"]["status"] == "ok", reply["content"]
    kh.collect_iopub(kc, msg_id, timeout=10)


def test_stdin_disallowed(kc):
    msg_id = kc.execute(S["confirm"], allow_stdin=False)
    reply = kh.get_reply(kc, msg_id, timeout=10)
    assert reply["content"]["status"] == "error"
    kh.collect_iopub(kc, msg_id, timeout=10)
    assert kh.drain(kc.stdin_channel, quiet_for=0.5) == [], "input_request sent despite allow_stdin=False"


# --------------------------------------------------------------------------
# f. execution_count
# --------------------------------------------------------------------------

def test_execution_count(kc):
    r1, io1 = kh.execute(kc, S["trivial"])
    n = r1["content"]["execution_count"]
    inputs = kh.outputs(io1, "execute_input")
    assert inputs and inputs[0]["content"]["execution_count"] == n
    r2, _ = kh.execute(kc, S["trivial"])
    assert r2["content"]["execution_count"] == n + 1
    # silent: no count, no execute_input, no execute_result
    r3, io3 = kh.execute(kc, S["get_seed"], silent=True)
    assert r3["content"]["status"] == "ok"
    assert not kh.outputs(io3, "execute_input", "execute_result", "display_data")
    r4, _ = kh.execute(kc, S["trivial"])
    assert r4["content"]["execution_count"] == n + 2
    # store_history=False: not counted
    r5, _ = kh.execute(kc, S["trivial"], store_history=False)
    r6, _ = kh.execute(kc, S["trivial"])
    assert r6["content"]["execution_count"] == n + 3
    # errors count too
    r7, io7 = kh.execute(kc, S["bogus"])
    assert r7["content"]["status"] == "error"
    assert r7["content"]["execution_count"] == n + 4
    assert r7["content"]["ename"] == S["bogus_ename"]
    assert kh.outputs(io7, "error")[0]["content"]["ename"] == S["bogus_ename"]
    r8, _ = kh.execute(kc, S["trivial"])
    assert r8["content"]["execution_count"] == n + 5


def test_silent_streams(kc):
    if not S.get("silent_suppresses_streams", True):
        pytest.skip(f"{KERNEL}: forwards stream output for silent=True (ipykernel does)")
    reply, iopub = kh.execute(kc, S["echo"], silent=True)
    assert reply["content"]["status"] == "ok"
    assert [m["msg_type"] for m in iopub] == ["status", "status"], \
        [m["msg_type"] for m in iopub]


# --------------------------------------------------------------------------
# g. stop_on_error
# --------------------------------------------------------------------------

def _execute_msg(kc, code, stop_on_error=True):
    content = {"code": code, "silent": False, "store_history": True,
               "user_expressions": {}, "allow_stdin": False,
               "stop_on_error": stop_on_error}
    return kc.session.msg("execute_request", content)


@pytest.mark.parametrize("stop_on_error", [True, False])
def test_stop_on_error(kc, stop_on_error):
    kh.execute(kc, S["set_seed"])
    # Build all three first, then send them in one burst, so the 2nd and 3rd
    # are already queued at the kernel when the 1st fails.
    msgs = [_execute_msg(kc, S["bogus"], stop_on_error=stop_on_error),
            _execute_msg(kc, S["get_seed"]),
            _execute_msg(kc, S["get_seed"])]
    for m in msgs:
        kc.shell_channel.send(m)
    ids = [m["header"]["msg_id"] for m in msgs]
    replies = [kh.get_reply(kc, i, timeout=10) for i in ids]
    assert replies[0]["content"]["status"] == "error"
    statuses = [r["content"]["status"] for r in replies[1:]]
    if stop_on_error:
        assert statuses == ["aborted", "aborted"]
    else:
        assert statuses == ["ok", "ok"]
    # iopub for the first request must complete; the rest: drain
    kh.collect_iopub(kc, ids[0], timeout=10)
    kh.drain(kc.iopub_channel, quiet_for=0.3)
    # the kernel accepts new work afterwards
    reply, _ = kh.execute(kc, S["get_seed"])
    assert reply["content"]["status"] == "ok"


# --------------------------------------------------------------------------
# h. update_display_data
# --------------------------------------------------------------------------

def test_update_display_data(kc):
    reply, iopub = kh.execute(kc, S["sleep_short"], timeout=20)
    assert reply["content"]["status"] == "ok"
    types = [m["msg_type"] for m in iopub]
    disp = kh.outputs(iopub, "display_data")
    assert disp, f"no display_data: {types}"
    display_id = disp[0]["content"].get("transient", {}).get("display_id")
    assert display_id, "display_data has no transient.display_id"
    updates = kh.outputs(iopub, "update_display_data")
    assert updates, f"no update_display_data: {types}"
    assert all(u["content"].get("transient", {}).get("display_id") == display_id
               for u in updates), [u["content"] for u in updates]
    assert types.index("display_data") < types.index("update_display_data")
    assert types[-1] == "status"  # collect_iopub stops at idle: everything came before it


# --------------------------------------------------------------------------
# i. kernel exits when its parent dies
# --------------------------------------------------------------------------

_INTERMEDIATE = r"""
import json, os, subprocess, sys, time
argv = json.loads(sys.argv[1])
env = dict(os.environ, JPY_PARENT_PID=str(os.getpid()))
p = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(p.pid, flush=True)
time.sleep(600)
"""


def test_kernel_exits_when_parent_dies(tmp_path):
    if not S.get("parent_poller", False):
        pytest.skip(f"{KERNEL}: no parent-death detection")
    import json
    import psutil
    from jupyter_client.blocking import BlockingKernelClient

    cf, _ = write_connection_file(str(tmp_path / "kernel.json"),
                                  key=uuid.uuid4().hex.encode(), kernel_name=KERNEL)
    argv = kh.kernel_command(KERNEL, cf)
    mid = subprocess.Popen([sys.executable, "-c", _INTERMEDIATE, json.dumps(argv)],
                           stdout=subprocess.PIPE, env=kh.kernel_env(KERNEL))
    kpid = None
    try:
        line = mid.stdout.readline()
        kpid = int(line)
        kc = BlockingKernelClient(connection_file=cf)
        kc.load_connection_file()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)  # the kernel is really up
        finally:
            kc.stop_channels()
        assert kh.process_alive(kpid)
        assert psutil.Process(kpid).ppid() == mid.pid
        mid.send_signal(signal.SIGKILL)
        mid.wait(5)
        assert kh.wait_gone(kpid, 3.0), "kernel still running 3 s after its parent died"
    finally:
        if mid.poll() is None:
            mid.kill()
            mid.wait(5)
        if kpid is not None and kh.process_alive(kpid):
            os.kill(kpid, signal.SIGKILL)
