#!/usr/bin/env python3
"""Kernel start-up, execute round-trip and memory benchmark (jupyter_client).

    python Tests/bench/kernel_bench.py                       # xling, python3, xpython (raw)
    python Tests/bench/kernel_bench.py --kernels python3,xpython --subject xpython
    python Tests/bench/kernel_bench.py --runs 200 --json /tmp/k.json

Measures per kernel:
  start   KernelManager.start_kernel() call -> first kernel_info_reply on shell
          (one kernel_info_request sent right after start; ZMQ queues it until
          the kernel binds).  Median and min of --starts runs.
  exec    kc.execute(code) send -> iopub status idle whose parent is that
          request; --runs runs after --warmup warm-ups; p50/p95/p99/mean in ms.
  rss     RSS of the kernel process itself after ready (idle) and the growth
          after the execute runs.
Prints a table, the subject/ipykernel and subject/xpython ratios, and PASS/FAIL
for the goals; writes JSON (default <repo>/bench-results/kernel.json).  Always
exits 0 unless the harness itself breaks: it is a report.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import zmq
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_client.manager import KernelManager

REPO_ROOT = Path(__file__).resolve().parents[2]
MiB = 1024 * 1024

# Trivial cell per kernel label, and optional one-off setup code.
# Trivial cell per kernel label. `%set seed=7` is xling's analogue of `pass` (sets a value,
# no output); "xling-value" measures `%set seed`, which also returns a value (one more iopub
# message, an execute_result, for the client to read).
EXEC_CODE = {"xling": "%set seed=7", "xling-value": "%set seed", "python3": "pass", "xpython": "pass"}
# Labels measured on another label's kernelspec.
SPEC_OF = {"xling-value": "xling"}
SETUP_CODE = {"xling-value": "%set seed=7"}
DEFAULT_KERNELS = ["xling", "xling-value", "python3", "xpython"]
RAW_FLAGS = ("--raw", "-r")
RECONNECT_IVL_MS = 2

GOALS_TEXT = [
    ("start", "start median <= 0.25x ipykernel and < xpython"),
    ("p50", "execute p50 <= 0.25x ipykernel and < xpython"),
    ("idle_rss", "idle RSS <= 30 MiB"),
    ("growth", "RSS growth after executes < 5 MiB"),
]


def resolve_spec(label: str, tmpdir: str) -> str | None:
    """Map a label to an installed kernelspec name; xpython is forced into raw mode."""
    ksm = KernelSpecManager()
    try:
        spec = ksm.get_kernel_spec(SPEC_OF.get(label, label))
    except NoSuchKernel:
        return None
    if label != "xpython" or any(a in RAW_FLAGS for a in spec.argv):
        return SPEC_OF.get(label, label)
    # Stock xpython spec is not raw: write a temporary spec with --raw appended
    # and put it first on JUPYTER_PATH.
    name = "xpython-bench-raw"
    d = Path(tmpdir) / "kernels" / name
    d.mkdir(parents=True, exist_ok=True)
    data = spec.to_dict()
    data["argv"] = list(spec.argv) + ["--raw"]
    data["display_name"] = "xpython (raw, bench)"
    (d / "kernel.json").write_text(json.dumps(data, indent=1))
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [tmpdir] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p])
    KernelSpecManager().get_kernel_spec(name)  # fails loudly if not found
    return name


def kernel_pid(km) -> int:
    proc = getattr(getattr(km, "provisioner", None), "process", None)
    return proc.pid if proc is not None else km.kernel.pid


def rss(pid: int) -> int:
    return psutil.Process(pid).memory_info().rss


def wait_reply(channel, msg_id, timeout):
    deadline = time.perf_counter() + timeout
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError(f"no reply to {msg_id}")
        msg = channel.get_msg(timeout=left)
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def wait_idle(kc, msg_id, timeout):
    deadline = time.perf_counter() + timeout
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError(f"no idle for {msg_id}")
        msg = kc.get_iopub_msg(timeout=left)
        if (msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"
                and msg["parent_header"].get("msg_id") == msg_id):
            return msg


def client_context() -> zmq.Context:
    """A zmq context whose sockets retry refused connects every 2 ms.

    The client connects before the kernel has bound its ports; with libzmq's
    default 100 ms reconnect interval the measured start time of a fast kernel
    would be quantised to ~100 ms steps."""
    ctx = zmq.Context()
    ctx.setsockopt(zmq.RECONNECT_IVL, RECONNECT_IVL_MS)
    return ctx


def start_once(spec_name: str, timeout: float = 60.0):
    km = KernelManager(kernel_name=spec_name)
    ctx = client_context()
    t0 = time.perf_counter()
    # kernel banners/logs go to /dev/null so they do not garble the report
    km.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kc = km.client(context=ctx)
    kc.start_channels(hb=False)
    msg_id = kc.kernel_info()
    try:
        wait_reply(kc.shell_channel, msg_id, timeout)
    except BaseException:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        raise
    dt = time.perf_counter() - t0
    return km, kc, dt


def stop(km, kc):
    try:
        kc.stop_channels()
    finally:
        km.shutdown_kernel(now=True)
        kc.context.destroy(linger=0)


def percentile(sorted_vals, p):
    if not sorted_vals:
        return float("nan")
    k = (len(sorted_vals) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(sorted_vals) - 1)
    return sorted_vals[lo] + (sorted_vals[hi] - sorted_vals[lo]) * (k - lo)


def bench_kernel(label, spec_name, args):
    code = EXEC_CODE.get(label, "pass")
    starts = []
    km = kc = None
    for i in range(args.starts):
        km, kc, dt = start_once(spec_name)
        starts.append(dt)
        if i < args.starts - 1:
            stop(km, kc)
    # the last kernel stays up for the memory and execute measurements
    try:
        pid = kernel_pid(km)
        time.sleep(args.settle)
        idle_rss = rss(pid)
        setup = SETUP_CODE.get(label)
        if setup:
            mid = kc.execute(setup)
            wait_reply(kc.shell_channel, mid, 30)
            wait_idle(kc, mid, 30)
        lat = []
        errors = 0
        for i in range(args.warmup + args.runs):
            t0 = time.perf_counter()
            mid = kc.execute(code)
            wait_idle(kc, mid, 30)
            t1 = time.perf_counter()
            reply = wait_reply(kc.shell_channel, mid, 30)
            if reply["content"].get("status") != "ok":
                errors += 1
            if i == args.warmup - 1:
                rss_after_warmup = rss(pid)
            if i >= args.warmup:
                lat.append((t1 - t0) * 1000.0)
        if args.warmup == 0:
            rss_after_warmup = idle_rss
        time.sleep(args.settle)
        rss_after = rss(pid)
    finally:
        stop(km, kc)
    s = sorted(lat)
    return {
        "kernelspec": spec_name,
        "exec_code": code,
        "start_s": {"median": statistics.median(starts), "min": min(starts), "runs": starts},
        "exec_ms": {"p50": percentile(s, 50), "p95": percentile(s, 95),
                    "p99": percentile(s, 99), "mean": statistics.fmean(s),
                    "runs": len(s), "warmup": args.warmup, "non_ok_replies": errors},
        "rss_mib": {"idle": idle_rss / MiB, "after_warmup": rss_after_warmup / MiB,
                    "after_runs": rss_after / MiB,
                    "growth": (rss_after - idle_rss) / MiB,
                    "growth_since_warmup": (rss_after - rss_after_warmup) / MiB},
    }


METRICS = [
    ("start median (s)", lambda r: r["start_s"]["median"], "{:.3f}"),
    ("start min (s)", lambda r: r["start_s"]["min"], "{:.3f}"),
    ("exec p50 (ms)", lambda r: r["exec_ms"]["p50"], "{:.3f}"),
    ("exec p95 (ms)", lambda r: r["exec_ms"]["p95"], "{:.3f}"),
    ("exec p99 (ms)", lambda r: r["exec_ms"]["p99"], "{:.3f}"),
    ("exec mean (ms)", lambda r: r["exec_ms"]["mean"], "{:.3f}"),
    ("idle RSS (MiB)", lambda r: r["rss_mib"]["idle"], "{:.1f}"),
    ("RSS after runs (MiB)", lambda r: r["rss_mib"]["after_runs"], "{:.1f}"),
    ("RSS growth (MiB)", lambda r: r["rss_mib"]["growth"], "{:.2f}"),
]


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def print_report(results, subject, labels):
    measured = [l for l in labels if l in results]
    cols = measured[:]
    refs = [r for r in ("python3", "xpython") if r in results and r != subject]
    ratio_cols = [f"{subject}/{ 'ipykernel' if r == 'python3' else r}" for r in refs] \
        if subject in results else []
    head = ["metric"] + cols + ratio_cols
    rows = []
    for name, get, fmt in METRICS:
        row = [name] + [fmt.format(get(results[l])) for l in cols]
        if subject in results:
            for r in refs:
                q = ratio(get(results[subject]), get(results[r]))
                row.append("-" if q is None else f"{q:.2f}x")
        rows.append(row)
    widths = [max(len(str(x[i])) for x in [head] + rows) for i in range(len(head))]
    line = lambda r: "  ".join(str(v).rjust(w) if i else str(v).ljust(w)
                               for i, (v, w) in enumerate(zip(r, widths)))
    print()
    print(line(head))
    print(line(["-" * w for w in widths]))
    for r in rows:
        print(line(r))
    print()


def evaluate_goals(results, subject):
    goals = {}
    sub = results.get(subject)
    ipk = results.get("python3") if subject != "python3" else None
    xpy = results.get("xpython") if subject != "xpython" else None

    def rel(metric, get):
        if sub is None:
            return None, f"n/a ({subject} not measured)"
        v = get(sub)
        checks, parts = [], []
        if ipk is not None:
            checks.append(v <= 0.25 * get(ipk))
            parts.append(f"{v / get(ipk):.2f}x ipykernel (<= 0.25x)")
        else:
            parts.append("ipykernel not measured")
        if xpy is not None:
            checks.append(v < get(xpy))
            parts.append(f"{v / get(xpy):.2f}x xpython (< 1x)")
        else:
            parts.append("xpython not measured")
        if ipk is None or xpy is None:
            return None, "n/a (reference missing): " + "; ".join(parts)
        return all(checks), "; ".join(parts)

    goals["start"] = rel("start", lambda r: r["start_s"]["median"])
    goals["p50"] = rel("p50", lambda r: r["exec_ms"]["p50"])
    if sub is None:
        goals["idle_rss"] = (None, f"n/a ({subject} not measured)")
        goals["growth"] = (None, f"n/a ({subject} not measured)")
    else:
        v = sub["rss_mib"]["idle"]
        goals["idle_rss"] = (v <= 30.0, f"{v:.1f} MiB (<= 30 MiB)")
        g = sub["rss_mib"]["growth"]
        goals["growth"] = (g < 5.0, f"{g:.2f} MiB (< 5 MiB)")
    print(f"Goals for {subject}:")
    for key, text in GOALS_TEXT:
        ok, detail = goals[key]
        verdict = "n/a " if ok is None else ("PASS" if ok else "FAIL")
        print(f"  [{verdict}] {text}: {detail}")
    return {k: {"pass": v[0], "detail": v[1],
                "goal": dict(GOALS_TEXT)[k]} for k, v in goals.items()}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kernels", default=",".join(DEFAULT_KERNELS),
                    help="comma-separated labels: xling, python3, xpython (raw), or any kernelspec")
    ap.add_argument("--subject", default="xling",
                    help="kernel whose ratios/goals are reported (default xling)")
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--settle", type=float, default=0.5,
                    help="seconds to wait before RSS samples")
    ap.add_argument("--json", default=str(REPO_ROOT / "bench-results" / "kernel.json"))
    args = ap.parse_args(argv)

    labels = [k.strip() for k in args.kernels.split(",") if k.strip()]
    tmpdir = tempfile.mkdtemp(prefix="xling-bench-specs-")
    # The thousands of benchmark cells must not fill the user's history store (nor its start-up read).
    os.environ.setdefault("XLING_HISTORY_FILE", os.path.join(tmpdir, "history.jsonl"))
    results, skipped = {}, {}
    t_all = time.perf_counter()
    for label in labels:
        spec = resolve_spec(label, tmpdir)
        if spec is None:
            print(f"NOTE: kernelspec for {label!r} not found - skipped")
            skipped[label] = "kernelspec not found"
            continue
        print(f"benchmarking {label} (kernelspec {spec}) ...", flush=True)
        t = time.perf_counter()
        try:
            results[label] = bench_kernel(label, spec, args)
        except Exception as e:  # a broken kernel is reported, not fatal
            print(f"ERROR: {label}: {type(e).__name__}: {e}")
            skipped[label] = f"error: {type(e).__name__}: {e}"
            continue
        print(f"  done in {time.perf_counter() - t:.1f}s", flush=True)

    print_report(results, args.subject, labels)
    for label, r in results.items():
        bad = r["exec_ms"]["non_ok_replies"]
        if bad:
            print(f"WARNING: {label}: {bad} execute replies were not status ok "
                  f"(code {r['exec_code']!r}) - latencies measure an error path")
    goals = evaluate_goals(results, args.subject)
    total = time.perf_counter() - t_all
    out = {
        "subject": args.subject,
        "kernels": results,
        "skipped": skipped,
        "goals": goals,
        "ratios": {
            f"{args.subject}/{'ipykernel' if ref == 'python3' else ref}": {name: ratio(get(results[args.subject]), get(results[ref]))
                                      for name, get, _ in METRICS}
            for ref in ("python3", "xpython")
            if args.subject in results and ref in results and ref != args.subject
        },
        "config": {"starts": args.starts, "runs": args.runs, "warmup": args.warmup,
                   "exec_code": {l: EXEC_CODE.get(l, "pass") for l in labels}},
        "host": {"python": sys.version.split()[0], "platform": platform.platform(),
                 "cpus": os.cpu_count()},
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "total_s": total,
    }
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2))
    print(f"\nwrote {path} (total {total:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
