"""Training throughput of the multilingual LSTM LM (Wada & Iwata 2018) in xling against the same
model in PyTorch CPU on the same Europarl en-de buckets, at 1 and 2 threads.

xling: `xling-bench mlm` (OPENBLAS_NUM_THREADS=t) trains `MultilingualLM` on length-sorted
buckets of 64 and reports direction-tokens/s (sum of len+1 over every (language, direction) batch
of the timed updates / wall time) after one warm-up bucket index; `--dump` writes those buckets.
PyTorch (torch.set_num_threads(t)): the same model as Tests/reference/mlm_torch_reference.py
(nn.Embedding with a padding row, nn.LSTM forward and backward, bias-free EOS and word
projections, loss sum CE / B, dropout on the top state, clip_grad_norm_ 5, SGD lr 1), one update
per (language, direction) on the dumped buckets in the same order, timed the same way.

Goal (issue 15): xling >= 1.5x PyTorch at (dim, hidden, vocab) = (128, 128, 5k) and (300, 300, 10k).
`vocab` is a cap: the words kept are those with count >= 3 in the first `--lines` lines (4,000
lines: V = 3,047 en, 3,423 de; the whole 20k-line files reach ~7.5k en).
Writes bench-results/mlm.json. Run with a Python that has torch:

    /work/venvs/torch/bin/python Tests/bench/mlm_bench.py [--buckets 5] [--lines 20000] [--sizes 128,128,5000] [--threads 1,2]

The issue's sizes need the whole 20k-line files (`--lines 20000`): (128, 128, 5000) at min count 3
(V = 5,000 each), (300, 300, 10000) at min count 1 (V = 10,000 each; the default `--sizes`).
Each row records the 1-minute load average before and after it, both tools' CPU seconds and their
ratio (PyTorch CPU s / xling CPU s of the timed updates). `--baseline BIN` also runs an earlier
`xling-bench` build on the same buckets (after PyTorch), for before/after figures in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
BENCH = os.path.join(ROOT, ".build", "release", "xling-bench")


def xling(threads, dim, hidden, vocab, buckets, lines, dump, min_count, bench=BENCH, extra=()):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
    cmd = [bench, "mlm", "--dim", str(dim), "--hidden", str(hidden), "--vocab", str(vocab), "--buckets", str(buckets)]
    cmd += ["--lines", str(lines), "--min-count", str(min_count), "--dump", dump, *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    row = json.loads(out.strip().splitlines()[-1])
    # CPU seconds of the whole xling-bench process (reading, warm-up and timed updates).
    row["process_cpu_seconds"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return row


def torch_rate(threads, dim, hidden, vocab_sizes, dump, warmup=1):
    import torch
    from torch import nn

    torch.set_num_threads(threads)
    torch.manual_seed(1)
    batches = []  # (lang, bucket, [sentences]) in dump order
    for line in open(dump, encoding="utf-8"):
        f = line.split()
        lang, k, ids = int(f[0]), int(f[1]), [int(x) for x in f[2:]]
        if not batches or batches[-1][0] != lang or batches[-1][1] != k:
            batches.append((lang, k, []))
        batches[-1][2].append(ids)
    emb = [nn.Embedding(v + 1, dim, padding_idx=v) for v in vocab_sizes]
    out_w = [nn.Linear(hidden, v, bias=False) for v in vocab_sizes]
    bos, eos = nn.Embedding(1, dim), nn.Linear(hidden, 1, bias=False)
    lstm = [nn.LSTM(dim, hidden, batch_first=True), nn.LSTM(dim, hidden, batch_first=True)]
    drop = nn.Dropout(0.3)
    for m in emb + out_w + [bos, eos] + lstm:
        for p in m.parameters():
            nn.init.uniform_(p, -0.1, 0.1)
    ce = nn.CrossEntropyLoss(ignore_index=-1, reduction="sum")

    def update(lang, direction, sents):
        v = vocab_sizes[lang]
        read = sents if direction == 0 else [s[::-1] for s in sents]
        b, t = len(read), max(len(s) for s in read) + 1
        ids = torch.full((b, t - 1), v, dtype=torch.long)
        targets = torch.full((b, t), -1, dtype=torch.long)
        for i, s in enumerate(read):
            ids[i, : len(s)] = torch.tensor(s)
            targets[i, : len(s)] = torch.tensor(s) + 1
            targets[i, len(s)] = 0
        x = torch.cat([bos(torch.zeros(b, 1, dtype=torch.long)), emb[lang](ids)], dim=1)
        h, _ = lstm[direction](x)
        h = drop(h)
        logits = torch.cat([eos(h), out_w[lang](h)], dim=-1)
        loss = ce(logits.reshape(-1, v + 1), targets.reshape(-1)) / b
        params = [p for m in (emb[lang], bos, lstm[direction], eos, out_w[lang]) for p in m.parameters()]
        for p in params:
            p.grad = None
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 5.0)
        with torch.no_grad():
            for p in params:
                p -= 1.0 * p.grad
        return sum(len(s) + 1 for s in read)

    tokens, start, cpu = 0, 0.0, 0.0
    for i, (lang, _, sents) in enumerate(batches):
        if i == 2 * warmup:
            tokens, start, cpu = 0, time.perf_counter(), time.process_time()
        for direction in (0, 1):
            tokens += update(lang, direction, sents)
    wall = time.perf_counter() - start
    return tokens / wall, tokens, wall, time.process_time() - cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--buckets", type=int, default=5)
    ap.add_argument("--lines", type=int, default=4000, help="Europarl lines per language (min-count 3 then sets V)")
    ap.add_argument("--min-count", type=int, default=3, help="min count unless a size gives its own fourth field")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--baseline", help="an earlier xling-bench binary, run on the same buckets after ours (before/after)")
    ap.add_argument("--rows-split", action="store_true",
                    help="at 2 threads also run xling with --data-parallel 0 (softmax rows split only, the earlier path)")
    ap.add_argument("--sizes", default="128,128,5000;300,300,10000,1", help="dim,hidden,vocab[,min_count];...")
    args = ap.parse_args()
    results = []
    print(json.dumps({"load_at_start": os.getloadavg()}), flush=True)
    for size in args.sizes.split(";"):
        fields = [int(x) for x in size.split(",")]
        dim, hidden, vocab = fields[:3]
        min_count = fields[3] if len(fields) > 3 else args.min_count
        for threads in (int(t) for t in args.threads.split(",")):
            with tempfile.TemporaryDirectory() as tmp:
                dump = os.path.join(tmp, "buckets.txt")
                load = os.getloadavg()[0]
                ours = xling(threads, dim, hidden, vocab, args.buckets, args.lines, dump, min_count)
                sizes = [int(x) for x in ours["vocab"].split(",")]
                rate, tokens, wall, cpu = torch_rate(threads, dim, hidden, sizes, dump)
                split = None
                if args.rows_split and threads >= 2:
                    split = xling(threads, dim, hidden, vocab, args.buckets, args.lines, os.path.join(tmp, "s.txt"), min_count,
                                  extra=("--data-parallel", "0"))
                base = None
                if args.baseline:
                    base = xling(threads, dim, hidden, vocab, args.buckets, args.lines, os.path.join(tmp, "b.txt"), min_count, args.baseline)
            row = {
                "dim": dim, "hidden": hidden, "vocab": ours["vocab"], "min_count": min_count, "threads": threads,
                "tokens": ours["tokens"], "xling_tokens_per_s": round(ours["tokens_per_second"], 1),
                "xling_seconds": round(ours["seconds"], 2), "xling_cpu_seconds": round(ours.get("cpu_seconds", float("nan")), 2),
                "xling_process_cpu_seconds": round(ours["process_cpu_seconds"], 2),
                "torch_tokens_per_s": round(rate, 1), "torch_tokens": tokens, "torch_seconds": round(wall, 2),
                "torch_cpu_seconds": round(cpu, 2), "ratio": round(ours["tokens_per_second"] / rate, 3),
                "cpu_ratio": round(cpu / ours.get("cpu_seconds", float("nan")), 3),
                "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2),
            }
            if ours.get("worker_cpu_seconds", 0) > 0:
                # Data-parallel: the wall time an idle machine would give (process CPU − workers' CPU + critical path).
                row["xling_idle_estimate_tokens_per_s"] = round(ours["tokens"] / ours["idle_wall_estimate"], 1)
            if split:
                row["rows_split_tokens_per_s"] = round(split["tokens_per_second"], 1)
                row["rows_split_ratio"] = round(split["tokens_per_second"] / rate, 3)
            if base:
                row["baseline_tokens_per_s"] = round(base["tokens_per_second"], 1)
                row["baseline_cpu_seconds"] = round(base.get("cpu_seconds", float("nan")), 2)
            print(json.dumps(row), flush=True)
            results.append(row)
    os.makedirs(os.path.join(ROOT, "bench-results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench-results", "mlm.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
