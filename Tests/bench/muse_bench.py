#!/usr/bin/env python3
"""Whole MUSE runs, xling against the unmodified MUSE `unsupervised.py` (issue 16's MUSE number), one
after the other in one script run, at the same settings and one thread each.

The case: the 16,696 real French vectors (`spacy-fr-300`) against a seeded random rotation of
themselves (numpy QR of a Gaussian, --rotation-seed; both files written here with 6 decimals),
the vectors as loaded (MUSE's default `--normalize_embeddings ""`), the test dictionary 1,500
lower-case words among the 15,000 most frequent mapped to themselves. Budget: `%align muse`'s
defaults (3 epochs x 32,000 rows, a 512-wide discriminator, 10 refinement steps, batches from all
16,696 words) for both programs; `--hidden 2048` gives MUSE's own width.

For each program: wall seconds, CPU seconds (user + sys of the child process, from wait4), peak
RSS, the load average before and after, and P@1 (NN, CSLS) of the kept map (MUSE's by its own
evaluation of its best map; ours by `xling-bench muse`'s BLI). Ratios MUSE / xling of wall and CPU.
MUSE runs on CPU through the launcher of `unsupervised_bench.py` (Python 3.11 / PyTorch 2.6
shims only), with OMP/MKL/OpenBLAS at one thread; ours with `--threads 1` and OpenBLAS at one.

    .venv/bin/python Tests/bench/muse_bench.py [--epochs 3] [--epoch-size 32000] [--hidden 512]
        [--refine 10] [--seed 0] [--rotation-seed 12345] [--skip-muse] [--json bench-results/muse.json]

Exit status 0 even when the goal fails (a report); 2 when the binary is missing.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from unsupervised_bench import FR, MUSE_ANCHOR, MUSE_LAUNCHER, TORCH_PYTHON, muse_p1, require_binary  # noqa: E402

ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


def write_case(tmp: str, rotation_seed: int) -> tuple[str, str, str, int]:
    """fr.vec, its rotated copy and the identity test dictionary; returns paths and the word count."""
    words, rows = [], []
    with gzip.open(FR, "rt", encoding="utf-8") as f:
        _, dim = map(int, f.readline().split())
        for line in f:
            parts = line.rstrip("\n").split(" ")
            words.append(parts[0])
            rows.append(np.array(parts[1:1 + dim], dtype=np.float64))
    x = np.stack(rows)
    rng = np.random.default_rng(rotation_seed)
    q, r = np.linalg.qr(rng.standard_normal((dim, dim)))
    q *= np.sign(np.diag(r))  # a uniformly random orthogonal matrix
    paths = os.path.join(tmp, "fr.vec"), os.path.join(tmp, "fr-rot.vec"), os.path.join(tmp, "fr-fr.id.txt")
    for path, m in ((paths[0], x), (paths[1], x @ q)):
        with open(path, "w", encoding="utf-8") as g:
            g.write(f"{len(words)} {dim}\n")
            for w, row in zip(words, m):
                g.write(w + " " + " ".join(f"{v:.6f}" for v in row) + "\n")
    lower = [i for i, w in enumerate(words) if w == w.lower()][:15000]  # MUSE's evaluation refuses upper case
    with open(paths[2], "w", encoding="utf-8") as g:
        for i in sorted(rng.choice(lower, 1500, replace=False)):
            g.write(f"{words[i]} {words[i]}\n")
    return (*paths, len(words))


def timed(cmd: list[str]) -> dict:
    """Runs cmd at one thread; wall, CPU (user + sys), peak RSS, load average before/after, output."""
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **ONE_THREAD})
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    # communicate() has reaped the child; its rusage is the difference of RUSAGE_CHILDREN.
    return {"wall_seconds": wall, "exit": proc.returncode, "stdout": out, "stderr": err, "load_before": load_before,
            "load_after": os.getloadavg()[0]}


def children_cpu() -> tuple[float, int]:
    import resource
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime, u.ru_maxrss


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench-binary", default=str(REPO / ".build/release/xling-bench"))
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--epoch-size", type=int, default=32000)
    ap.add_argument("--hidden", type=int, default=512)
    ap.add_argument("--refine", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rotation-seed", type=int, default=12345)
    ap.add_argument("--skip-muse", action="store_true")
    ap.add_argument("--json", default=str(REPO / "bench-results/muse.json"))
    args = ap.parse_args()
    binary = require_binary(args.bench_binary)
    report: dict = {"settings": vars(args)}
    with tempfile.TemporaryDirectory() as tmp:
        src, tgt, test, words = write_case(tmp, args.rotation_seed)
        budget = f"{args.epochs} x {args.epoch_size:,} rows, hidden {args.hidden}, {args.refine} refinement steps"
        print(f"rotated French, {words:,} words, {budget}, seed {args.seed}, one thread each", flush=True)

        cpu0, _ = children_cpu()
        ours = timed([str(binary), "muse", src, tgt, "--test", test, "--threads", "1", "--epochs", str(args.epochs),
                      "--epoch-size", str(args.epoch_size), "--hidden", str(args.hidden), "--most-frequent", str(words),
                      "--refine", str(args.refine), "--normalize", "", "--seed", str(args.seed)])
        cpu1, rss = children_cpu()
        if ours["exit"] != 0:
            raise SystemExit(f"xling-bench muse failed: {ours['stderr']}")
        j = json.loads(ours["stdout"].strip().splitlines()[-1])
        ours.update(cpu_seconds=cpu1 - cpu0, peak_rss_mb=j.get("vm_hwm_kib", 0) / 1024, p1_nn=j["p1_nn"], p1_csls=j["p1_csls"],
                    criterion=j["criterion"], kept=j["kept"])
        report["xling"] = {k: v for k, v in ours.items() if k not in ("stdout", "stderr")}
        print(f"xling: {ours['wall_seconds']:.0f} s wall, {ours['cpu_seconds']:.1f} CPU s, P@1 {100 * ours['p1_nn']:.1f} NN "
              f"{100 * ours['p1_csls']:.1f} CSLS (kept: {ours['kept']}), load {ours['load_before']:.1f} -> {ours['load_after']:.1f}",
              flush=True)

        if not args.skip_muse:
            launcher = os.path.join(tmp, "run_muse.py")
            Path(launcher).write_text(MUSE_LAUNCHER)
            cmd = [TORCH_PYTHON, launcher, str(MUSE_ANCHOR), "--src_lang", "fr", "--tgt_lang", "fr", "--src_emb", src,
                   "--tgt_emb", tgt, "--cuda", "False", "--n_epochs", str(args.epochs), "--epoch_size", str(args.epoch_size),
                   "--dis_hid_dim", str(args.hidden), "--n_refinement", str(args.refine), "--dis_most_frequent", str(words),
                   "--dico_eval", test, "--exp_path", os.path.join(tmp, "muse-exp"), "--export", "",
                   "--normalize_embeddings", "", "--seed", str(args.seed)]
            cpu0, _ = children_cpu()
            theirs = timed(cmd)
            cpu1, rss = children_cpu()
            log = theirs["stdout"] + theirs["stderr"]
            theirs["cpu_seconds"] = cpu1 - cpu0
            theirs["peak_rss_mb"] = rss / 1024  # the largest child so far (ours is smaller)
            theirs["p1_nn"], theirs["p1_csls"] = muse_p1(log)
            report["muse"] = {k: v for k, v in theirs.items() if k not in ("stdout", "stderr")}
            report["muse"]["log_tail"] = log.splitlines()[-5:] if theirs["exit"] else []
            print(f"MUSE:  {theirs['wall_seconds']:.0f} s wall, {theirs['cpu_seconds']:.1f} CPU s, P@1 {100 * theirs['p1_nn']:.1f} NN "
                  f"{100 * theirs['p1_csls']:.1f} CSLS (exit {theirs['exit']}), load {theirs['load_before']:.1f} -> "
                  f"{theirs['load_after']:.1f}", flush=True)
            wall_ratio = theirs["wall_seconds"] / ours["wall_seconds"]
            cpu_ratio = theirs["cpu_seconds"] / ours["cpu_seconds"]
            report["ratio_wall"], report["ratio_cpu"] = wall_ratio, cpu_ratio
            report["goal >= 3x (CPU s)"] = cpu_ratio >= 3
            print(f"MUSE / xling: {wall_ratio:.2f}x wall, {cpu_ratio:.2f}x CPU seconds (goal >= 3x: "
                  f"{'met' if cpu_ratio >= 3 else 'NOT met'})")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
