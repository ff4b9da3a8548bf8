#!/usr/bin/env python3
"""Large t-SNE maps: xling's `method=auto` (FFT interpolation above 8,000 points) against
openTSNE 1.0.4 (`negative_gradient_method="auto"`, FFT above 10,000 points), one run.

Data: real 300-d floret vectors from the Finnish table behind `spacy-fi-floret-300`
(`floret_vectors.py`): 20,000 and 49,586 Finnish words, and 100,000 words (the Finnish ones
plus foreign words through the same table).

Each size and thread count runs in its own process (peak RSS = the tool's). By default every
process runs alone: the exact P used for scoring is computed first, then for each row ours, then
openTSNE, one after the other, then the scoring and the recall runs. TSNE_FFT_SIDE_BY_SIDE=1 is the
old mode (ours and openTSNE of a row started at the same moment, the exact P and recall runs beside
the first rows, TSNE_FFT_CONCURRENT rows at a time): both tools then share the two cores with each
other and with the scoring, which is what made the 20k one-thread processes wait for a core half of
their wall time. `uptime` is printed at the start, before each tool's run, after the runs and at
the end; each process's voluntary / involuntary context switches (wait4) and its threads' CPU
seconds (sampled from /proc/PID/task every 0.25 s) are recorded.
- ours: `xling-bench tsne X --threads T` (defaults: perplexity 30, neighbours exact by GEMM
  blocks up to 20,000 points and approximate above (`TSNENeighborForest`: max(12, ¼ of the cells)
  probes, one neighbour-of-neighbour round), PCA start, 250 + 500
  iterations, learning rate N/12 then N), OPENBLAS_NUM_THREADS=T;
- openTSNE: `TSNE(n_jobs=T, random_state=1)` with its defaults, run as `fit` runs it but timed
  apart: `prepare_initial` (Annoy approximate kNN + calibration + PCA start), then the two
  `optimize` phases (250 iterations exaggeration 12, 500 without; momentum 0.8 in both, its default);
  OPENBLAS/NUMBA threads = T.
Fit time = affinities + initialisation + optimisation for both (like for like: each tool's own
kNN, ours exact to 20k then approximate, openTSNE's Annoy); the phases are reported apart too.
Recall of our approximate kNN (default settings) against the exact lists (k = 90, as t-SNE uses
at perplexity 30): `xling-bench tsne-knn X --threads 2 --sample 2000` at the sizes in
TSNE_FFT_RECALL (default 49586,100000): the exact lists of 2,000 evenly spaced query rows by
direct distances (TSNE_FFT_RECALL_SAMPLE), against their approximate lists.
KL: one exact formula (exact Z, O(N²)) over the same P for both maps: the exact-kNN P
(`xling-bench tsne-p`, perplexity 30, neither tool's approximate neighbours; the goal's figure)
and openTSNE's own P (which favours openTSNE's map, optimised on it), computed by
`xling-bench tsne-gradient --method exact` (the same formula as `tsne_reference.exact_kl`,
checked equal in `Tests/reference/test_tsne_fft_opentsne.py`).
CPU seconds (user + system of the whole process, all its threads) are reported beside wall time:
on a machine shared with other jobs a one-thread run's CPU time is the steadier measure.
Goals: one thread ≥ 2× openTSNE at every size, two threads ≥ 2× openTSNE (n_jobs=2) at ~50k and
100k, KL within 5 %. Results: bench-results/tsne_fft.json.

    TSNE_FFT_RUNS="20000:1,49586:1,100000:1,49586:2,100000:2" python Tests/bench/tsne_fft_bench.py
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests" / "reference"))
sys.path.insert(0, str(REPO / "Tests" / "bench"))
BENCH = REPO / ".build" / "release" / "xling-bench"
OUT = REPO / "bench-results"
RECALL = [int(v) for v in os.environ.get("TSNE_FFT_RECALL", "49586,100000").split(",") if v]
RECALL_SAMPLE = int(os.environ.get("TSNE_FFT_RECALL_SAMPLE", "2000"))
SIDE_BY_SIDE = os.environ.get("TSNE_FFT_SIDE_BY_SIDE", "0") == "1"
CONCURRENT = int(os.environ.get("TSNE_FFT_CONCURRENT", "1")) if SIDE_BY_SIDE else 1
RUNS = [tuple(int(v) for v in r.split(":"))
        for r in os.environ.get("TSNE_FFT_RUNS", "20000:1,49586:1,100000:1,49586:2,100000:2").split(",")]


def env(threads: int) -> dict:
    return dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads),
                NUMBA_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))


def opentsne_child(path: str, n: int, threads: int, out: str) -> None:
    """Runs inside a fresh process: openTSNE's default pipeline, phases timed."""
    import numpy as np
    import tsne_reference as TR
    from openTSNE import TSNE

    x = TR.read_matrix(path)[:n].astype(np.float64)
    tsne = TSNE(n_jobs=threads, random_state=1)
    t0 = time.perf_counter()
    embedding = tsne.prepare_initial(x)
    t1 = time.perf_counter()
    embedding.optimize(n_iter=tsne.early_exaggeration_iter, exaggeration=tsne.early_exaggeration,
                       momentum=tsne.initial_momentum, inplace=True)
    embedding.optimize(n_iter=tsne.n_iter, exaggeration=tsne.exaggeration, momentum=tsne.final_momentum, inplace=True)
    t3 = time.perf_counter()
    p = embedding.affinities
    y = np.asarray(embedding, dtype=np.float32)
    TR.write_matrix(out + ".y.f32", y)
    csr = p.P.tocsr()
    csr.indptr.astype("<i8").tofile(out + ".p.indptr")
    csr.indices.astype("<i4").tofile(out + ".p.indices")
    csr.data.astype("<f8").tofile(out + ".p.data")
    report = {"fit_seconds": t3 - t0, "affinity_seconds": t1 - t0, "optimization_seconds": t3 - t1,
              "kl_reported": float(embedding.kl_divergence), "knn": "annoy (approximate)" if n >= 1000 else "exact",
              "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
              "cpu_seconds": resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_SELF).ru_stime}
    Path(out + ".json").write_text(json.dumps(report))


class ThreadSampler:
    """Samples a process's threads (/proc/PID/task/TID/stat: name, utime + stime) every 0.25 s until
    stopped; keeps each thread's last CPU seconds (a thread's final 0.25 s may be missed)."""

    def __init__(self, pid: int):
        self.pid, self.seen, self.done = pid, {}, threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self) -> None:
        while not self.done.wait(0.25):
            try:
                tids = os.listdir(f"/proc/{self.pid}/task")
            except OSError:
                return
            for tid in tids:
                try:
                    stat = Path(f"/proc/{self.pid}/task/{tid}/stat").read_text()
                except OSError:
                    continue
                name = stat[stat.index("(") + 1:stat.rindex(")")]
                fields = stat[stat.rindex(")") + 2:].split()
                self.seen[tid] = (name, (int(fields[11]) + int(fields[12])) / self.tick)

    def stop(self) -> dict:
        self.done.set()
        self.thread.join()
        busiest = sorted(self.seen.values(), key=lambda v: -v[1])
        return {"threads_seen": len(self.seen), "thread_cpu_seconds": [[name, round(cpu, 2)] for name, cpu in busiest[:8]]}


def run_child(command: list, threads: int, stdout=None) -> dict:
    """Runs one benchmark process; its own CPU time and context switches (wait4) and its threads."""
    before = load()
    print(f"  start {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(command[:3]))}…: {before}", flush=True)
    child = subprocess.Popen(command, stdout=stdout, env=env(threads))
    sampler = ThreadSampler(child.pid)
    _, status, usage = os.wait4(child.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    threads_seen = sampler.stop()
    assert code == 0, f"{command[:3]} failed ({code})"
    return {"cpu_seconds": usage.ru_utime + usage.ru_stime, "voluntary_switches": usage.ru_nvcsw,
            "involuntary_switches": usage.ru_nivcsw, "load_before": before} | threads_seen


def opentsne(path: Path, n: int, threads: int, work: Path) -> dict:
    out = str(work / f"opentsne-{n}-{threads}")
    process = run_child([sys.executable, __file__, "--opentsne-child", str(path), str(n), str(threads), out], threads)
    # CPU seconds: the child's own getrusage (the same process); the switches and threads from wait4.
    return json.loads(Path(out + ".json").read_text()) | {"prefix": out} | {k: v for k, v in process.items() if k != "cpu_seconds"}


def ours(path: Path, n: int, threads: int, work: Path) -> dict:
    dump = work / f"ours-{n}-{threads}.f32"
    log = work / f"ours-{n}-{threads}.log"
    with open(log, "w") as out:
        process = run_child([str(BENCH), "tsne", str(path), "--rows", str(n), "--threads", str(threads), "--dump", str(dump)],
                            threads, stdout=out)
    r = json.loads(log.read_text().strip().splitlines()[-1])
    return process | {"fit_seconds": r["fit_seconds"], "affinity_seconds": r["affinity_seconds"],
            "optimization_seconds": r["optimization_seconds"], "kl_reported": r["final_kl"], "method": r["method"],
            "knn": r.get("neighbor_search", "exact"), "learning_rate": [r.get("early_learning_rate"), r.get("learning_rate")],
            "peak_rss_mib": r["vm_hwm_kib"] / 1024, "dump": str(dump)}


def exact_kl(y: Path, prefix: str) -> float:
    out = str(y) + ".g.f64"
    run = subprocess.run([str(BENCH), "tsne-gradient", str(y), prefix + ".p", "--method", "exact", "--threads", "2", "--out", out],
                         check=True, capture_output=True, text=True, env=env(2))
    return json.loads(run.stdout.strip().splitlines()[-1])["kl"]


def exact_p(path: Path, n: int, work: Path) -> str:
    """The exact-kNN P of the first n rows (perplexity 30), written once as CSR arrays."""
    prefix = str(work / f"exact-{n}")
    if not Path(prefix + ".p.data").exists():
        subprocess.run([str(BENCH), "tsne-p", str(path), "--rows", str(n), "--threads", "2", "--out", prefix + ".p"],
                       check=True, capture_output=True, text=True, env=env(2))
    return prefix


def knn_recall(path: Path, n: int) -> dict:
    """Our approximate kNN (default settings, 2 threads) and its recall on a sample of rows."""
    run = subprocess.run([str(BENCH), "tsne-knn", str(path), "--rows", str(n), "--threads", "2", "--sample", str(RECALL_SAMPLE)],
                         check=True, capture_output=True, text=True, env=env(2))
    return json.loads(run.stdout.strip().splitlines()[-1])


def load() -> str:
    """The machine's load averages (1, 5, 15 min) and the time, as `uptime` prints them."""
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def pair(path: Path, n: int, threads: int, work: Path) -> tuple[dict, dict]:
    """Ours, then openTSNE, each alone; side by side (TSNE_FFT_SIDE_BY_SIDE=1) both start at the same
    moment (the one that ends first leaves the machine to the other, which favours the slower)."""
    if not SIDE_BY_SIDE:
        return ours(path, n, threads, work), opentsne(path, n, threads, work)
    with ThreadPoolExecutor(max_workers=2) as pool:
        a = pool.submit(ours, path, n, threads, work)
        b = pool.submit(opentsne, path, n, threads, work)
        return a.result(), b.result()


def score(n: int, threads: int, a: dict, b: dict, exact_prefix: str) -> dict:
    """Both maps' exact KL over the exact-kNN P (neither tool's approximate neighbours) and over
    openTSNE's P (the four evaluations side by side)."""
    jobs = {"ours": (Path(a["dump"]), exact_prefix), "opentsne": (Path(b["prefix"] + ".y.f32"), exact_prefix),
            "ours_otp": (Path(a["dump"]), b["prefix"]), "opentsne_otp": (Path(b["prefix"] + ".y.f32"), b["prefix"])}
    with ThreadPoolExecutor(max_workers=4 if CONCURRENT > 1 else 1) as pool:
        kl = {name: pool.submit(exact_kl, y, prefix) for name, (y, prefix) in jobs.items()}
        kl = {name: f.result() for name, f in kl.items()}
    a["exact_kl"], b["exact_kl"] = kl["ours"], kl["opentsne"]
    a["exact_kl_opentsne_p"], b["exact_kl_opentsne_p"] = kl["ours_otp"], kl["opentsne_otp"]
    row = {"n": n, "threads": threads, "ours": a, "opentsne": b,
           "speedup": b["fit_seconds"] / a["fit_seconds"],
           "speedup_optimization": b["optimization_seconds"] / a["optimization_seconds"],
           "speedup_cpu": b["cpu_seconds"] / a["cpu_seconds"],
           "kl_ratio": a["exact_kl"] / b["exact_kl"],
           "kl_ratio_opentsne_p": a["exact_kl_opentsne_p"] / b["exact_kl_opentsne_p"],
           "load_scored": load()}
    row["goals_met"] = {"2x": row["speedup"] >= 2, "kl_within_5pct": abs(row["kl_ratio"] - 1) <= 0.05}
    print(f"N={n} threads={threads}: ours {a['fit_seconds']:.1f} s (kNN+P {a['affinity_seconds']:.1f} s, "
          f"optimisation {a['optimization_seconds']:.1f} s, KL {a['exact_kl']:.4f}, peak {a['peak_rss_mib']:.0f} MiB); "
          f"openTSNE {b['fit_seconds']:.1f} s (kNN+P {b['affinity_seconds']:.1f} s, optimisation {b['optimization_seconds']:.1f} s, "
          f"KL {b['exact_kl']:.4f}, peak {b['peak_rss_mib']:.0f} MiB); speed-up {row['speedup']:.2f}x "
          f"(optimisation alone {row['speedup_optimization']:.2f}x; CPU time {a['cpu_seconds']:.1f} vs {b['cpu_seconds']:.1f} s, "
          f"{row['speedup_cpu']:.2f}x), KL ratio {row['kl_ratio']:.4f} over the exact P ({row['kl_ratio_opentsne_p']:.4f} over openTSNE's P: "
          f"{a['exact_kl_opentsne_p']:.4f} / {b['exact_kl_opentsne_p']:.4f}); own estimates over each tool's own P: "
          f"ours {a['kl_reported']:.4f}, openTSNE {b['kl_reported']:.4f}; load {row['load_scored']}", flush=True)
    for name, r in (("ours", a), ("openTSNE", b)):
        print(f"  {name}: context switches {r['voluntary_switches']} voluntary / {r['involuntary_switches']} involuntary; "
              f"{r['threads_seen']} threads, busiest (CPU s) {r['thread_cpu_seconds'][:4]}; load before: {r['load_before']}", flush=True)
    return row


def main():
    import floret_vectors

    assert BENCH.exists(), f"{BENCH} is missing: run `make build`"
    work = OUT / "tsne-fft-work"
    work.mkdir(parents=True, exist_ok=True)
    results = {"data": "floret 300-d (Tests/bench/floret_vectors.py)", "runs": [], "load_start": load(),
               "side_by_side": SIDE_BY_SIDE, "concurrent_rows": CONCURRENT}
    print(f"load at start: {results['load_start']}", flush=True)
    target = OUT / os.environ.get("TSNE_FFT_JSON", "tsne_fft.json")
    paths = {n: floret_vectors.build(n) for n, _ in RUNS}
    # The exact P of every size (scoring, not timed): first, alone (side by side: beside the runs).
    # Each row is scored and written as soon as its pair ends; the recall runs come after the rows
    # (side by side: beside them, and TSNE_FFT_CONCURRENT rows at a time).
    with ThreadPoolExecutor(max_workers=3 if SIDE_BY_SIDE else 1) as scoring, ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        exact = {n: scoring.submit(exact_p, paths[n], n, work) for n in sorted({n for n, _ in RUNS})}
        if not SIDE_BY_SIDE:
            for f in exact.values():
                f.result()
            print(f"exact P ready: {load()}", flush=True)
        recalls = {n: scoring.submit(knn_recall, floret_vectors.build(n), n) for n in RECALL} if SIDE_BY_SIDE else {}

        def row(n: int, threads: int) -> dict:
            a, b = pair(paths[n], n, threads, work)
            return score(n, threads, a, b, exact[n].result())

        rows = {pool.submit(row, n, threads): (n, threads) for n, threads in RUNS}
        for future in as_completed(rows):
            results["runs"].append(future.result())
            target.write_text(json.dumps(results, indent=2) + "\n")
    results["runs"].sort(key=lambda r: RUNS.index((r["n"], r["threads"])))
    results["load_after_runs"] = load()
    print(f"load after the runs: {results['load_after_runs']}", flush=True)
    results["recall"] = []
    for n in RECALL:
        r = recalls[n].result() if n in recalls else knn_recall(floret_vectors.build(n), n)
        results["recall"].append(r)
        print(f"kNN N={n} k={r['k']} (2 threads, default settings): approximate {r['approximate_seconds']:.1f} s, "
              f"recall {r['recall']:.4f} over {r['sample']} evenly spaced query rows (worst row {r['worst_row_recall']:.3f}; "
              f"their exact lists by direct distances in {r['sample_exact_seconds']:.1f} s), peak {r['vm_hwm_kib'] / 1024:.0f} MiB", flush=True)
        target.write_text(json.dumps(results, indent=2) + "\n")
    results["load_end"] = load()
    print(f"load at the end: {results['load_end']}", flush=True)
    recall = {r["n"]: r["recall"] for r in results["recall"]}
    print("\n| points | threads | ours s (CPU s) | openTSNE s (CPU s) | ratio wall / CPU | KL over exact P ours / openTSNE "
          "| KL over openTSNE's P | kNN recall | peak MiB ours / openTSNE |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in results["runs"]:
        a, b = row["ours"], row["opentsne"]
        found = "exact" if a["knn"] != "approximate" else f"{recall[row['n']]:.3f}" if row["n"] in recall else "not measured"
        print(f"| {row['n']:,} | {row['threads']} | {a['fit_seconds']:.1f} ({a['cpu_seconds']:.1f}) | {b['fit_seconds']:.1f} ({b['cpu_seconds']:.1f}) | "
              f"{row['speedup']:.2f}x / {row['speedup_cpu']:.2f}x | {a['exact_kl']:.4f} / {b['exact_kl']:.4f} ({100 * (row['kl_ratio'] - 1):+.1f} %) | "
              f"{a['exact_kl_opentsne_p']:.4f} / {b['exact_kl_opentsne_p']:.4f} ({100 * (row['kl_ratio_opentsne_p'] - 1):+.1f} %) | "
              f"{found} | "
              f"{a['peak_rss_mib']:.0f} / {b['peak_rss_mib']:.0f} |")
    target.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--opentsne-child":
        opentsne_child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    else:
        main()
