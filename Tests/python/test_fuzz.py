"""Wire-level fuzzing of a live kernel's shell and control sockets.

    cd Tests && XLING_KERNEL=python3 python -m pytest -q -s python/test_fuzz.py   # ipykernel
    cd Tests && python -m pytest -q -s python/test_fuzz.py                        # xling

Sends >= 10,000 random / mutated multipart messages over raw pyzmq DEALER
sockets.  None of them carries a valid HMAC signature, so none may be answered.
A handful of correctly signed but semantically bad messages is interleaved on a
separate socket (a reply is allowed there); the kernel must survive all of it
and still answer valid requests.

Environment: FUZZ_SEED (default: time based, printed), FUZZ_N (default 10000).
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
import uuid

import pytest
import zmq

import kernel_helpers as kh
from kernel_helpers import DELIM, KERNEL

N_MESSAGES = int(os.environ.get("FUZZ_N", "10000"))
TIME_LIMIT = 60.0
MB = 1024 * 1024

pytestmark = pytest.mark.skipif(
    kh.kernel_spec_or_none(KERNEL) is None,
    reason=f"kernelspec {KERNEL!r} is not installed")

MSG_TYPES = ["kernel_info_request", "execute_request", "complete_request",
             "inspect_request", "is_complete_request", "history_request",
             "comm_info_request", "shutdown_request", "interrupt_request"]


class Fuzzer:
    """Produces multipart messages that no correct kernel may answer."""

    def __init__(self, rng: random.Random, key: bytes):
        self.rng = rng
        self.key = key
        self.kinds = [
            ("bad_signature", 12, self.bad_signature),
            ("truncated", 10, self.truncated),
            ("missing_delimiter", 8, self.missing_delimiter),
            ("invalid_json", 10, self.invalid_json),
            ("wrong_json_types", 10, self.wrong_types),
            ("invalid_utf8", 8, self.invalid_utf8),
            ("random_bytes", 10, self.random_bytes),
            ("unsigned_valid_json", 10, self.unsigned),
            ("flipped_after_signing", 20, self.flipped),
            ("huge_field", 0.3, self.huge),
        ]
        self.weights = [w for _, w, _ in self.kinds]

    # -- building blocks ---------------------------------------------------
    def content_for(self, msg_type):
        r = self.rng
        return {
            "execute_request": {"code": r.choice(["1+1", "%set seed", "pass"]),
                                "silent": False, "store_history": True,
                                "user_expressions": {}, "allow_stdin": False,
                                "stop_on_error": True},
            "complete_request": {"code": "pri", "cursor_pos": 3},
            "inspect_request": {"code": "print", "cursor_pos": 5, "detail_level": 0},
            "is_complete_request": {"code": "x = 1"},
            "history_request": {"hist_access_type": "tail", "n": 3,
                                "output": False, "raw": True},
            "shutdown_request": {"restart": False},
        }.get(msg_type, {})

    def valid_parts(self):
        mt = self.rng.choice(MSG_TYPES)
        return [kh.jdump(kh.make_header(mt)), b"{}", b"{}", kh.jdump(self.content_for(mt))]

    def wrong_key(self):
        k = bytes(self.rng.getrandbits(8) for _ in range(self.rng.choice([0, 8, 36, 64])))
        return k if k != self.key else b"x" + k

    def bad_sig_for(self, parts):
        """A signature that is certainly wrong for parts."""
        r = self.rng.random()
        if r < 0.5:
            k = self.wrong_key()
            sig = kh.sign(k, parts) if k else b""
        elif r < 0.7:
            sig = bytes(self.rng.choice(b"0123456789abcdef") for _ in range(64))
        elif r < 0.8:
            sig = kh.sign(self.key, parts)[:-1]  # truncated correct digest
        elif r < 0.9:
            sig = kh.sign(self.key, parts) + b"0"  # extended correct digest
        else:
            sig = self.rand_bytes(0, 80)
        if sig == kh.sign(self.key, parts):
            sig = b""
        return sig

    def rand_bytes(self, lo, hi):
        return bytes(self.rng.getrandbits(8) for _ in range(self.rng.randint(lo, hi)))

    # -- generators (all unsigned / wrongly signed) -------------------------
    def bad_signature(self):
        parts = self.valid_parts()
        return [DELIM, self.bad_sig_for(parts), *parts]

    def truncated(self):
        parts = self.valid_parts()
        frames = [DELIM, kh.sign(self.key, parts), *parts]
        n = self.rng.randint(0, 5)
        return frames[:n] or [b""]

    def missing_delimiter(self):
        parts = self.valid_parts()
        sig = kh.sign(self.key, parts)
        variant = self.rng.randint(0, 3)
        if variant == 0:
            return [sig, *parts]
        if variant == 1:
            return [b"<IDS|MSG", sig, *parts]
        if variant == 2:
            return [b"<ids|msg>", sig, *parts]
        return [b"", sig, *parts]

    def invalid_json(self):
        parts = self.valid_parts()
        i = self.rng.randrange(4)
        parts[i] = self.rng.choice([b"{", b"{'a': 1}", b"[1, 2", b"nul", b"",
                                    b'{"msg_id": }', parts[i][:-1], b"\x00" * 8])
        return [DELIM, self.bad_sig_for(parts), *parts]

    def wrong_types(self):
        header = kh.make_header(self.rng.choice(MSG_TYPES))
        content = self.content_for(header["msg_type"])
        v = self.rng.randint(0, 5)
        if v == 0:
            h = kh.jdump(list(header.values()))  # header as a list
        elif v == 1:
            header["msg_type"] = self.rng.randint(-5, 10**6)
            h = kh.jdump(header)
        elif v == 2:
            header["msg_id"] = None
            h = kh.jdump(header)
        else:
            h = kh.jdump(header)
        c = {3: kh.jdump("content as a string"), 4: kh.jdump(42),
             5: kh.jdump([content])}.get(v, kh.jdump(content))
        parts = [h, kh.jdump(self.rng.choice([{}, [], "", 0, None])), b"{}", c]
        return [DELIM, self.bad_sig_for(parts), *parts]

    def invalid_utf8(self):
        parts = self.valid_parts()
        i = self.rng.randrange(4)
        bad = self.rng.choice([b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\x80", b"\xf8\x88\x80\x80\x80"])
        pos = self.rng.randrange(len(parts[i]) + 1)
        parts[i] = parts[i][:pos] + bad + parts[i][pos:]
        return [DELIM, self.bad_sig_for(parts), *parts]

    def random_bytes(self):
        n = self.rng.randint(1, 8)
        frames = [self.rand_bytes(0, 200) for _ in range(n)]
        if self.rng.random() < 0.3 and n >= 2:
            frames[self.rng.randrange(n)] = DELIM
        return frames

    def unsigned(self):
        parts = self.valid_parts()
        return [DELIM, b"", *parts]

    def flipped(self):
        parts = self.valid_parts()
        frames = [DELIM, kh.sign(self.key, parts), *parts]
        i = self.rng.randrange(len(frames))
        f = bytearray(frames[i])
        pos = self.rng.randrange(len(f))
        mask = self.rng.randint(1, 255)
        if i == 1 and mask == 0x20:  # never just swap the case of a hex digit
            mask = 0x01
        f[pos] ^= mask
        frames[i] = bytes(f)
        return frames

    def huge(self):
        header = kh.make_header("execute_request")
        content = {"code": "#" + "x" * MB, "silent": False}
        target = self.rng.randrange(3)
        if target == 1:
            header["username"] = "u" * MB
            content = {"code": "1"}
        parts = [kh.jdump(header), b"{}", kh.jdump({"blob": "m" * MB} if target == 2 else {}),
                 kh.jdump(content)]
        return [DELIM, self.bad_sig_for(parts), *parts]

    def next(self):
        name, _, fn = self.rng.choices(self.kinds, weights=self.weights)[0]
        return name, fn()


def semantic_messages(rng: random.Random, key: bytes) -> list[list[bytes]]:
    """Correctly signed messages with bad semantics (a reply is optional)."""
    msgs = []

    def signed(msg_type, content, header=None, raw_content=None, raw_header=None):
        h = header or kh.make_header(msg_type)
        parts = [raw_header if raw_header is not None else kh.jdump(h), b"{}", b"{}",
                 raw_content if raw_content is not None else kh.jdump(content)]
        return [DELIM, kh.sign(key, parts), *parts]

    msgs.append(signed("no_such_request", {}))
    msgs.append(signed("frobnicate_request", {"code": "1"}))
    msgs.append(signed("execute_request", {"silent": False}))  # missing code
    msgs.append(signed("execute_request", {"code": 123, "silent": "yes",
                                           "store_history": [], "user_expressions": 5,
                                           "allow_stdin": "no", "stop_on_error": False}))
    msgs.append(signed("execute_request", {"code": None, "stop_on_error": False}))
    msgs.append(signed("complete_request", {"code": "pri", "cursor_pos": 10**9}))
    msgs.append(signed("complete_request", {"code": "pri", "cursor_pos": -3}))
    msgs.append(signed("complete_request", {"code": ["x"], "cursor_pos": "3"}))
    msgs.append(signed("inspect_request", {"code": 7, "cursor_pos": None}))
    msgs.append(signed("is_complete_request", {"code": {"a": 1}}))
    msgs.append(signed("history_request", {"hist_access_type": "nonsense", "n": "many"}))
    msgs.append(signed("comm_info_request", {"target_name": 5}))
    msgs.append(signed("comm_msg", {"comm_id": uuid.uuid4().hex, "data": {}}))
    msgs.append(signed("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "no.such.target",
                                     "data": {}}))
    msgs.append(signed("comm_close", {"comm_id": uuid.uuid4().hex}))
    msgs.append(signed("kernel_info_request", None, raw_content=b'"content as a string"'))
    msgs.append(signed("kernel_info_request", None, raw_content=b"[]"))
    msgs.append(signed("kernel_info_request", None, raw_content=b"{not json"))
    msgs.append(signed("kernel_info_request", None, raw_content=b'{"a": "\xff\xfe"}'))
    h = kh.make_header("kernel_info_request")
    msgs.append(signed("", {}, raw_header=kh.jdump(list(h.values()))))  # header as list
    h = kh.make_header("kernel_info_request")
    h["msg_type"] = 42
    msgs.append(signed("", {}, header=h))
    h = kh.make_header("kernel_info_request")
    del h["msg_id"]
    msgs.append(signed("", {}, header=h))
    h = kh.make_header("kernel_info_request")
    h["date"] = "not a date"
    h["version"] = "99.0"
    msgs.append(signed("", {}, header=h))
    msgs.append(signed("no_such_request", {"blob": "z" * MB}))
    rng.shuffle(msgs)
    return msgs


def _valid_request(kc, timeout=20):
    """kernel_info via the real client; returns the reply (status ok or aborted)."""
    msg_id = kc.kernel_info()
    return kh.get_reply(kc, msg_id, timeout=timeout)


def _settle_execute(kc, code, tries=3):
    for _ in range(tries):
        msg_id = kc.execute(code, stop_on_error=False)
        reply = kh.get_reply(kc, msg_id, timeout=20)
        if reply["content"]["status"] != "aborted":
            return reply
        time.sleep(0.2)
    return reply


def test_fuzz_wire(tmp_path):
    seed = int(os.environ.get("FUZZ_SEED", str(int(time.time() * 1000) % 2**32)))
    print(f"\nFUZZ_SEED={seed} kernel={KERNEL} messages={N_MESSAGES}")
    rng = random.Random(seed)
    log = tmp_path / "kernel.log"
    km, kc = kh.start_kernel(KERNEL, log_path=str(log))
    ctx = zmq.Context()
    t_start = time.monotonic()
    try:
        pid = kh.kernel_pid(km)
        key = kh.connection_key(kc)
        fz = Fuzzer(rng, key)
        bad_socks = [kh.dealer(ctx, kc, "shell") for _ in range(3)] + \
                    [kh.dealer(ctx, kc, "control") for _ in range(2)]
        for s in bad_socks:
            s.setsockopt(zmq.SNDTIMEO, 30_000)
        sem_socks = [kh.dealer(ctx, kc, "shell"), kh.dealer(ctx, kc, "control")]
        semantic = semantic_messages(rng, key)
        sem_every = max(1, N_MESSAGES // (len(semantic) + 1))

        unexpected = []  # (socket index, frames)
        counts: dict[str, int] = {}
        sem_replies = 0
        sent = 0
        for i in range(N_MESSAGES):
            kind, frames = fz.next()
            counts[kind] = counts.get(kind, 0) + 1
            si = rng.randrange(len(bad_socks))
            bad_socks[si].send_multipart(frames, copy=len(frames[-1]) < 65536)
            sent += 1
            if i % sem_every == sem_every - 1 and semantic:
                rng.choice(sem_socks).send_multipart(semantic.pop())
            if i % 500 == 499:
                for j, s in enumerate(bad_socks):
                    unexpected += [(j, f) for f in kh.recv_all(s, 0)]
                for s in sem_socks:
                    sem_replies += len(kh.recv_all(s, 0))
            if i % 2500 == 2499:
                assert km.is_alive(), f"kernel died after {sent} messages ({counts})"
                _valid_request(kc)
            assert time.monotonic() - t_start < TIME_LIMIT, \
                f"fuzz too slow: {sent} messages in {TIME_LIMIT}s"
        for m in semantic:
            rng.choice(sem_socks).send_multipart(m)
        t_sent = time.monotonic() - t_start

        # Synchronise each fuzz socket: a valid signed kernel_info queued behind
        # the garbage; once it is answered everything before it was processed.
        sync_ids = {}
        for j, s in enumerate(bad_socks):
            frames = kh.build_frames(key, "kernel_info_request")
            sync_ids[j] = json.loads(frames[2])["msg_id"]
            s.send_multipart(frames)
        for j, s in enumerate(bad_socks):
            deadline = time.monotonic() + 30
            synced = False
            while time.monotonic() < deadline and not synced:
                for f in kh.recv_all(s, 0.5):
                    try:
                        parent = kh.parse_reply(f)["parent_header"].get("msg_id")
                    except Exception:
                        parent = None
                    if parent == sync_ids[j]:
                        synced = True
                    else:
                        unexpected.append((j, f))
            assert synced, f"fuzz socket {j} never got its sync reply (kernel stuck?)"
        for j, s in enumerate(bad_socks):  # anything straggling
            unexpected += [(j, f) for f in kh.recv_all(s, 0.2)]
        for s in sem_socks:
            sem_replies += len(kh.recv_all(s, 0.5))

        elapsed = time.monotonic() - t_start
        print(f"sent {sent} bad messages in {t_sent:.1f}s, synced at {elapsed:.1f}s; "
              f"kinds={counts}; semantic replies={sem_replies}")
        assert not unexpected, (
            f"{len(unexpected)} replies to unsigned/badly signed messages, first: "
            f"{unexpected[0][1][:6]!r}")
        assert km.is_alive() and kh.process_alive(pid), "kernel process died"
        reply = _valid_request(kc)
        assert reply["msg_type"] == "kernel_info_reply"
        reply = _settle_execute(kc, kh.samples(KERNEL)["trivial"])
        assert reply["content"]["status"] == "ok", reply["content"]
        assert sent >= 10_000 or "FUZZ_N" in os.environ
        assert elapsed < TIME_LIMIT, f"fuzz took {elapsed:.1f}s (limit {TIME_LIMIT}s)"
    except BaseException:
        try:
            tail = log.read_bytes()[-3000:].decode("utf-8", "replace")
            print(f"--- kernel log tail (seed {seed}) ---\n{tail}")
        except OSError:
            pass
        raise
    finally:
        ctx.destroy(linger=0)
        kh.stop_kernel(km, kc)
