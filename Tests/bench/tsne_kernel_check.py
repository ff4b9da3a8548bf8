#!/usr/bin/env python3
"""`%tsne` of a 49,586-word space through the kernel (issue 18): live progress, the same map for
the same seed, and an interrupt that keeps the partial map.

Input: the 49,586 Finnish floret vectors of `floret_vectors.py` written once as a word2vec
binary file (bench-results/tsne-floret/floret49586.bin), loaded with `%load vectors`. The
kernel is the installed `xling` kernelspec (`make kernelspec`), driven by jupyter_client.

1. `%tsne fi top=49586 iters=ITERS threads=2 seed=5` twice: each run must show a live progress
   display (a `display_data` with an `xling-progress-` display id and `update_display_data`
   messages naming t-SNE), end with a map of 49,586 dots and a summary naming the approximate
   neighbours and FFT interpolation; both runs' SVGs must be identical.
2. The same with `iters=100000`, interrupted once the progress reports an early-exaggeration
   iteration: the
   reply must be `KeyboardInterrupt`, and the partial map (49,586 dots) must be shown.
Prints one line per check and a JSON summary; exits 1 when a check fails.

    .venv/bin/python Tests/bench/tsne_kernel_check.py [--iters 300]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
for sub in ("Tests/python", "Tests/bench", "Tests/reference"):
    sys.path.insert(0, str(REPO / sub))
import floret_vectors  # noqa: E402
import kernel_helpers as kh  # noqa: E402
import tsne_reference as TR  # noqa: E402

N = 49_586


def binary_vectors() -> Path:
    """floret49586 as a word2vec binary file (written once)."""
    out = floret_vectors.WORK / f"floret{N}.bin"
    if out.exists():
        return out
    matrix = floret_vectors.build(N)
    x = TR.read_matrix(str(matrix)).astype("<f4")
    words = Path(str(matrix).replace(".f32", ".words.txt")).read_text(encoding="utf-8").split("\n")[:N]
    tmp = out.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        f.write(f"{x.shape[0]} {x.shape[1]}\n".encode())
        for word, row in zip(words, x):
            f.write(word.encode("utf-8") + b" " + row.tobytes() + b"\n")
    tmp.rename(out)
    return out


def progress_of(iopub: list) -> tuple[int, list[str]]:
    """How many progress updates arrived, and their texts."""
    texts = []
    for m in iopub:
        if m["msg_type"] in ("display_data", "update_display_data"):
            transient = m["content"].get("transient", {}).get("display_id", "")
            if str(transient).startswith("xling-progress-"):
                texts.append(m["content"]["data"].get("text/plain", ""))
    return len(texts), texts


def svg_of(iopub: list) -> str:
    maps = [m for m in iopub if m["msg_type"] == "display_data" and "image/svg+xml" in m["content"]["data"]]
    return maps[-1]["content"]["data"]["image/svg+xml"] if maps else ""


def summary_of(iopub: list) -> str:
    results = [m for m in iopub if m["msg_type"] == "execute_result"]
    return results[-1]["content"]["data"].get("text/plain", "") if results else ""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--iters", type=int, default=300)
    args = parser.parse_args()
    path = binary_vectors()
    checks: dict[str, bool] = {}
    report: dict = {"n": N, "iters": args.iters}
    km, kc = kh.start_kernel("xling", quiet=True, env={"OPENBLAS_NUM_THREADS": "2"})
    try:
        reply, _ = kh.execute(kc, f"%load vectors fi path={path} lang=fi format=bin", timeout=300)
        checks["load"] = reply["content"]["status"] == "ok"
        code = f"%tsne fi top={N} iters={args.iters} threads=2 seed=5"
        svgs = []
        for run in (1, 2):
            start = time.perf_counter()
            reply, iopub = kh.execute(kc, code, timeout=3600)
            seconds = time.perf_counter() - start
            count, texts = progress_of(iopub)
            svg = svg_of(iopub)
            summary = summary_of(iopub)
            svgs.append(svg)
            report[f"run{run}"] = {"seconds": seconds, "progress_messages": count, "last_progress": texts[-1] if texts else "",
                                   "dots": svg.count("<circle "), "summary": summary[:400]}
            checks[f"run{run} ok"] = reply["content"]["status"] == "ok"
            checks[f"run{run} live progress"] = count >= 3 and any("t-SNE" in t for t in texts)
            checks[f"run{run} {N} dots"] = svg.count("<circle ") == N
            print(f"run {run}: {seconds:.1f} s, {count} progress messages (last: {texts[-1] if texts else '-'!r}), "
                  f"{svg.count('<circle ')} dots; summary: {summary[:200]!r}", flush=True)
        checks["same seed, same map"] = bool(svgs[0]) and svgs[0] == svgs[1]
        # Interrupt once a t-SNE iteration has been reported.
        msg_id = kc.execute(f"%tsne fi top={N} iters=100000 threads=2 seed=5")
        iopub, interrupted_at = [], None
        deadline = time.monotonic() + 3600
        while time.monotonic() < deadline:
            msg = kc.get_iopub_msg(timeout=600)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            iopub.append(msg)
            _, texts = progress_of([msg])
            if interrupted_at is None and texts and "exaggeration" in texts[-1]:
                interrupted_at = texts[-1]
                km.interrupt_kernel()
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        reply = kh.get_reply(kc, msg_id, timeout=60)
        partial = svg_of(iopub)
        report["interrupt"] = {"at": interrupted_at, "ename": reply["content"].get("ename"), "dots": partial.count("<circle ")}
        checks["interrupt → KeyboardInterrupt"] = reply["content"].get("ename") == "KeyboardInterrupt"
        checks["interrupt keeps the partial map"] = partial.count("<circle ") == N
        print(f"interrupt at {interrupted_at!r}: reply {reply['content'].get('ename')}, partial map {partial.count('<circle ')} dots",
              flush=True)
        reply, _ = kh.execute(kc, "%set seed=7", timeout=60)
        checks["session intact"] = reply["content"]["status"] == "ok"
    finally:
        kh.stop_kernel(km, kc)
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    report["checks"] = checks
    out = REPO / "bench-results" / "tsne_kernel.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
