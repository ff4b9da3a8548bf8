"""Shared helpers for the kernel protocol and fuzz tests.

Everything here is kernel-agnostic: the kernel under test is chosen with the
XLING_KERNEL environment variable (default "xling"), and all code snippets come
from SAMPLES, keyed by kernel name, so the same tests can be validated against
ipykernel (XLING_KERNEL=python3) before xling exists.

No test may hang: every receive here goes through a deadline.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import time
import uuid
from datetime import datetime, timezone

import psutil
import zmq
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_client.manager import KernelManager

KERNEL = os.environ.get("XLING_KERNEL", "xling")

DELIM = b"<IDS|MSG>"

# Per-kernel code samples.  Keys used by the tests:
#   echo          -> stream stdout containing "hello, world"
#   echo_stderr   -> stream stderr containing "oops"
#   sleep         -> ~5 s interruptible wait (progress display)
#   sleep_short   -> ~1 s wait: display_data with transient.display_id, then
#                    >= 1 update_display_data with the same display_id
#   set_seed      -> stores the value SEED_VALUE in the session
#   get_seed      -> execute_result with text/plain == SEED_VALUE
#   confirm       -> asks for input through stdin (input_request); answer "y"
#   bogus         -> error (ename in "bogus_ename")
#   trivial       -> cheapest possible ok cell
#   complete      -> (code, cursor_pos) for complete_request
#   inspect       -> (code, cursor_pos) for inspect_request
#   is_complete   -> code for is_complete_request
_PY_PROGRESS = (
    "import time\n"
    "from IPython.display import display\n"
    "_h = display('0/{n}', display_id=True)\n"
    "for _i in range({n}):\n"
    "    time.sleep(0.1)\n"
    "    _h.update(f'{{_i + 1}}/{n}')\n"
)

SAMPLES: dict[str, dict] = {
    "xling": {
        "echo": "%echo hello, world",
        "echo_stderr": "%echo stream=stderr oops",
        "sleep": "%sleep 5",
        "sleep_short": "%sleep 1",
        "set_seed": "%set seed=7",
        "get_seed": "%set seed",
        "confirm": "%reset",
        "bogus": "%bogus",
        "bogus_ename": "UsageError",
        "trivial": "%set seed=7",
        "complete": ("%ech", 4),
        "inspect": ("%echo", 5),
        "is_complete": "%echo hi",
        # capability flags
        "parent_poller": True,
        "silent_suppresses_streams": True,
    },
    "python3": {
        "echo": "print('hello, world')",
        "echo_stderr": "import sys; print('oops', file=sys.stderr)",
        "sleep": _PY_PROGRESS.format(n=50),
        "sleep_short": _PY_PROGRESS.format(n=10),
        "set_seed": "seed = 7",
        "get_seed": "seed",
        "confirm": "input('really? ')",
        "bogus": "raise NameError('bogus')",
        "bogus_ename": "NameError",
        "trivial": "pass",
        "complete": ("impo", 4),
        "inspect": ("print", 5),
        "is_complete": "x = 1",
        # ipykernel's ParentPollerUnix honours JPY_PARENT_PID
        "parent_poller": True,
        # ipykernel forwards print() output on iopub even for silent=True
        "silent_suppresses_streams": False,
    },
}
SEED_VALUE = "7"


def samples(kernel: str = KERNEL) -> dict:
    if kernel in SAMPLES:
        return SAMPLES[kernel]
    # Unknown Python kernels (e.g. xpython) reuse the ipykernel samples.
    try:
        spec = KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel:
        return SAMPLES["xling"]
    return SAMPLES["python3"] if spec.language.lower() == "python" else SAMPLES["xling"]


def kernel_spec_or_none(name: str):
    try:
        return KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return None


# --------------------------------------------------------------------------
# Kernel start / stop
# --------------------------------------------------------------------------

def start_kernel(kernel: str = KERNEL, startup_timeout: float = 60, quiet: bool = False,
                 log_path: str | None = None, env: dict | None = None):
    """Start a kernel with a KernelManager and return (km, kc) once ready.

    quiet=True / log_path redirect the kernel's stdout+stderr (useful when the
    kernel logs every rejected message, as in the fuzz test); env adds
    environment variables for the kernel process.
    """
    km = KernelManager(kernel_name=kernel)
    kw = {}
    if env:
        kw["env"] = {**os.environ, **env}
    log_file = None
    if log_path is not None:
        log_file = open(log_path, "wb")
        kw.update(stdout=log_file, stderr=log_file)
    elif quiet:
        import subprocess
        kw.update(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    km.start_kernel(**kw)
    if log_file is not None:
        log_file.close()  # the child holds its own descriptor
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=startup_timeout)
    except Exception:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        raise
    return km, kc


def stop_kernel(km, kc):
    try:
        kc.stop_channels()
    finally:
        try:
            km.shutdown_kernel(now=True)
        except Exception:
            pass


def kernel_pid(km) -> int:
    prov = getattr(km, "provisioner", None)
    proc = getattr(prov, "process", None)
    if proc is not None:
        return proc.pid
    return km.kernel.pid  # older jupyter_client


def process_alive(pid: int) -> bool:
    try:
        p = psutil.Process(pid)
        return p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process_alive(pid):
            return True
        time.sleep(0.05)
    return not process_alive(pid)


# --------------------------------------------------------------------------
# Message collection
# --------------------------------------------------------------------------

def drain(channel, quiet_for: float = 0.2, max_time: float = 5.0) -> list:
    """Read and return everything on a client channel until it is quiet."""
    out = []
    deadline = time.monotonic() + max_time
    while time.monotonic() < deadline:
        try:
            out.append(channel.get_msg(timeout=quiet_for))
        except Exception:  # queue.Empty
            break
    return out


def get_reply(kc, msg_id: str, timeout: float = 10.0, channel: str = "shell") -> dict:
    """Return the reply whose parent msg_id matches, skipping others."""
    ch = kc.shell_channel if channel == "shell" else kc.control_channel
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no {channel} reply to {msg_id} within {timeout}s")
        try:
            msg = ch.get_msg(timeout=left)
        except Exception:
            continue
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def collect_iopub(kc, msg_id: str, timeout: float = 10.0) -> list:
    """Return all iopub messages whose parent is msg_id, up to and including
    status idle.  Messages with other parents are dropped."""
    msgs = []
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(
                f"no idle for {msg_id} within {timeout}s; got "
                f"{[m['msg_type'] for m in msgs]}")
        try:
            msg = kc.get_iopub_msg(timeout=left)
        except Exception:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        msgs.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return msgs


def execute(kc, code: str, timeout: float = 15.0, **kw):
    """Execute and return (reply, iopub_msgs_for_this_request)."""
    msg_id = kc.execute(code, **kw)
    reply = get_reply(kc, msg_id, timeout=timeout)
    iopub = collect_iopub(kc, msg_id, timeout=timeout)
    return reply, iopub


def outputs(iopub: list, *types: str) -> list:
    return [m for m in iopub if m["msg_type"] in types]


def text_plain(iopub: list) -> list:
    return [m["content"]["data"].get("text/plain") for m in outputs(iopub, "execute_result")]


# --------------------------------------------------------------------------
# Raw wire messages (pyzmq, bypassing jupyter_client.Session)
# --------------------------------------------------------------------------

def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def make_header(msg_type: str, session: str | None = None) -> dict:
    return {
        "msg_id": uuid.uuid4().hex,
        "session": session or uuid.uuid4().hex,
        "username": "fuzz",
        "date": now_iso(),
        "msg_type": msg_type,
        "version": "5.3",
    }


def sign(key: bytes, parts: list[bytes], scheme: str = "hmac-sha256") -> bytes:
    if not key:
        return b""
    algo = scheme.split("-", 1)[1] if "-" in scheme else "sha256"
    h = hmac.new(key, digestmod=getattr(hashlib, algo))
    for p in parts:
        h.update(p)
    return h.hexdigest().encode("ascii")


def jdump(obj) -> bytes:
    return json.dumps(obj).encode("utf-8")


def build_frames(key: bytes, msg_type: str = "kernel_info_request", content=None,
                 header=None, parent=None, metadata=None, scheme="hmac-sha256",
                 buffers=()) -> list[bytes]:
    """Build a complete signed multipart message (DEALER side: no identities)."""
    header = header if header is not None else make_header(msg_type)
    parts = [jdump(header), jdump(parent if parent is not None else {}),
             jdump(metadata if metadata is not None else {}),
             jdump(content if content is not None else {})]
    return [DELIM, sign(key, parts, scheme), *parts, *buffers]


def connection_key(kc) -> bytes:
    key = kc.session.key
    return key if isinstance(key, bytes) else key.encode()


def dealer(ctx: zmq.Context, kc_or_km, channel: str = "shell") -> zmq.Socket:
    """A DEALER socket connected to the kernel's shell or control port."""
    info = kc_or_km.get_connection_info()
    sock = ctx.socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.SNDTIMEO, 10_000)
    sock.setsockopt(zmq.IDENTITY, uuid.uuid4().hex.encode())
    port = info[f"{channel}_port"]
    if info.get("transport", "tcp") == "tcp":
        sock.connect(f"tcp://{info['ip']}:{port}")
    else:
        sock.connect(f"ipc://{info['ip']}-{port}")
    return sock


def recv_all(sock: zmq.Socket, timeout: float) -> list[list[bytes]]:
    """Receive every multipart message arriving within `timeout` seconds."""
    got = []
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        if sock.poll(int(left * 1000) + 1, zmq.POLLIN):
            got.append(sock.recv_multipart())
        else:
            break
    return got


def parse_reply(frames: list[bytes]) -> dict:
    i = frames.index(DELIM)
    header, parent, metadata, content = (json.loads(f) for f in frames[i + 2:i + 6])
    return {"header": header, "parent_header": parent, "metadata": metadata,
            "content": content, "msg_type": header.get("msg_type")}


def kernel_command(kernel: str, connection_file: str) -> list[str]:
    """The kernelspec argv with {connection_file} substituted (like KernelManager)."""
    spec = KernelSpecManager().get_kernel_spec(kernel)
    argv = [a.replace("{connection_file}", connection_file) for a in spec.argv]
    pyname = {"python", f"python{sys.version_info[0]}",
              f"python{sys.version_info[0]}.{sys.version_info[1]}"}
    if argv and argv[0] in pyname:
        argv[0] = sys.executable
    return argv


def rss_bytes(pid: int) -> int:
    return psutil.Process(pid).memory_info().rss


def kernel_env(kernel: str) -> dict:
    spec = KernelSpecManager().get_kernel_spec(kernel)
    env = dict(os.environ)
    env.update(spec.env or {})
    return env


# A table's machine-readable twin: Table Schema JSON, {"schema": {"fields": [...]}, "data": [rows]}
# (what pandas emits with display.html.table_schema). No xling output carries bare application/json.
TABLE_MIME = "application/vnd.dataresource+json"


def table_rows(data):
    """The row objects of a display bundle's Table Schema twin, or None when it has none."""
    resource = data.get(TABLE_MIME)
    return None if resource is None else resource["data"]
