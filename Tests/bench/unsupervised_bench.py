#!/usr/bin/env python3
"""Unsupervised and self-learning mappings (issue 16): xling (`xling-bench`) against the unmodified
VecMap (`../shared/anchors/vecmap/map_embeddings.py`, numpy on CPU), measured in the same run, on
the real fi (spacy-fi-floret-300, 20,000 words) and fr (spacy-fr-300, 16,696 words) vectors.

1. Loading the two .vec.gz files (xling-bench load-vec): seconds, words/s, MB/s of text.
2. Initial dictionary (unsupervised, 4,000 words): xling vs vecmap (from its first SVD to the
   dictionary; the dictionaries are compared too: identical expected), --init-repeats alternated
   runs of each (default 3), the median of each compared.
3. Seconds per self-learning iteration at VecMap's defaults (cut-off 20,000, CSLS 10, keep 0.1):
   xling's first --iters iterations vs vecmap's first --iters iterations (its --log durations;
   the process is stopped after that many: a whole vecmap run takes hundreds of iterations).
4. A whole run at equal settings, shortened so that vecmap finishes (--interval, --cutoff; both
   programs get the same), over --seeds: wall and CPU seconds, iterations and BLI P@1 (NN, CSLS;
   xling-eval fi-fr test, covered words) of both; vecmap's output vectors are evaluated by the same
   xling code (`xling-bench bli-vec`), so the P@1 difference is the mapping's. vecmap's runs are
   started detached (one per seed, all at once, --vecmap-threads BLAS/OpenMP threads, nice --nice,
   timed by /usr/bin/time) in a directory that outlives the script: `--start-vecmap DIR` only starts
   them, `--only-whole --reuse-vecmap DIR` evaluates the finished ones later.
5. RCSLS (whole vocabularies as negatives, 10 steps) and CSLS retrieval of all 20,000 source
   words over the 16,696 targets: seconds and peak RSS.
6. MUSE: `%align muse`'s engine (`xling-bench muse`) against the unmodified MUSE `unsupervised.py`
   on CPU (PyTorch, $TORCH_PYTHON, default /work/venvs/torch; no faiss: its own exact search),
   same epochs and epoch size (--muse-epochs, --muse-epoch-size: MUSE's 5 x 1,000,000 take hours
   on 2 CPU cores), 5 refinement steps, both sides normalised unit/center/unit (MUSE
   renorm,center,renorm), batches from all 16,696 words (MUSE asserts --dis_most_frequent <= the
   smaller vocabulary): wall seconds of each process (loading included) and P@1 (NN, CSLS) of the
   kept map on the lower-cased xling-eval test split (MUSE refuses upper-case lines). MUSE 2018
   calls `inspect.getargspec` (gone in Python 3.11) and reloads its best map with `torch.load`
   (PyTorch 2.6 refuses that file by default): it is run through a launcher that aliases the first
   to `getfullargspec` and passes `weights_only=False` to the second; nothing else changed.

    .venv/bin/python Tests/bench/unsupervised_bench.py [--iters 12] [--seeds 0,1] [--interval 5]
        [--cutoff 10000] [--skip-whole] [--muse-epochs 1] [--muse-epoch-size 3200] [--only-muse]
        [--skip-muse] [--json bench-results/unsupervised.json]
    .venv/bin/python Tests/bench/unsupervised_bench.py --start-vecmap DIR --seeds 0,1 [--vecmap-threads 1] [--nice 10]
    .venv/bin/python Tests/bench/unsupervised_bench.py --only-whole --reuse-vecmap DIR --seeds 0,1

Exit status 0 even when a goal fails (a report); 2 when the binary is missing.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests" / "reference"))
import vecmap_init_reference  # noqa: E402

DATA = Path(os.environ.get("XLING_DATA", "/work/shared/data"))
FI = DATA / "vectors/spacy-fi-floret-300/fi.vec.gz"
FR = DATA / "vectors/spacy-fr-300/fr.vec.gz"
DICTS = DATA / "dictionaries/xling-eval/bli_datasets/fi-fr"
TEST = DICTS / "yacle.test.freq.2k.fi-fr.tsv.gz"
TRAIN = DICTS / "yacle.train.freq.5k.fi-fr.tsv.gz"
VECMAP = Path(vecmap_init_reference.ANCHOR)
MUSE_ANCHOR = VECMAP.parent / "MUSE"
TORCH_PYTHON = os.environ.get("TORCH_PYTHON", "/work/venvs/torch/bin/python")
MUSE_LAUNCHER = """import inspect, os, runpy, sys
import functools
import torch
inspect.getargspec = inspect.getfullargspec  # removed in Python 3.11; MUSE 2018 calls it
torch.load = functools.partial(torch.load, weights_only=False)  # PyTorch 2.6's default refuses MUSE's own best-map file
os.chdir(sys.argv[1]); sys.path.insert(0, sys.argv[1])
sys.argv = ["unsupervised.py"] + sys.argv[2:]
runpy.run_path("unsupervised.py", run_name="__main__")
"""


def require_binary(path: str) -> Path:
    """The release xling-bench at `path`, or exit 2 with the command that builds it."""
    binary = Path(path)
    if not binary.exists():
        print(f"missing {binary}: swift build -c release --product xling-bench", file=sys.stderr)
        sys.exit(2)
    return binary


def muse_p1(log: str) -> tuple[float, float]:
    """P@1 (NN, CSLS) of the map MUSE keeps: the evaluation logged just before its last '* Best value'."""
    last: dict = {}
    best: dict = {}
    for line in log.splitlines():
        for method, key in (("nn", "nn"), ("csls_knn_10", "csls")):
            marker = f"{method} - Precision at k = 1: "
            if marker in line:
                last[key] = float(line.split(marker)[1].split()[0]) / 100
        if "* Best value for" in line:
            best = dict(last)
    return best.get("nn", float("nan")), best.get("csls", float("nan"))


def xling(binary: Path, *args: str) -> dict:
    out = subprocess.run([str(binary), *map(str, args)], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def vecmap_iterations(src: str, tgt: str, iterations: int | None, seed: int, extra: list[str], out_dir: str) -> dict:
    """Runs map_embeddings.py --unsupervised with --log; stops it after `iterations` logged
    iterations (None = let it finish). Returns per-iteration seconds, wall time, exit state."""
    log = os.path.join(out_dir, f"vecmap-{seed}.log")
    outs = os.path.join(out_dir, f"src-{seed}.vec"), os.path.join(out_dir, f"tgt-{seed}.vec")
    cmd = [sys.executable, str(VECMAP / "map_embeddings.py"), src, tgt, *outs, "--unsupervised",
           "--seed", str(seed), "--log", log, *extra]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    while proc.poll() is None:
        time.sleep(0.5)
        if os.path.exists(log):
            lines = [l for l in open(log).read().splitlines() if l.strip()]
            if iterations is not None and len(lines) >= iterations:
                proc.kill()
                proc.wait()
                break
    wall = time.perf_counter() - started
    if os.path.exists(log):
        lines = [l for l in open(log).read().splitlines() if l.strip()]
    seconds = [float(l.split("\t")[-1]) for l in lines]
    objective = [float(l.split("\t")[1]) / 100 for l in lines]
    finished = proc.returncode == 0
    if iterations is None and not finished:
        raise RuntimeError(f"vecmap failed: {proc.stderr.read() if proc.stderr else ''}")
    return {"iteration_seconds": seconds, "objective": objective, "wall_seconds": wall, "finished": finished,
            "outputs": outs}


def muse_comparison(binary: Path, src: str, tgt: str, epochs: int, epoch_size: int, seed: int, tmp: str) -> dict:
    """Section 6: one run of each MUSE at the same settings; wall seconds and P@1 of the kept map."""
    import gzip
    test = os.path.join(tmp, "test.lower.txt")
    with gzip.open(TEST, "rt", encoding="utf-8") as f, open(test, "w", encoding="utf-8") as g:
        g.write(f.read().lower())
    mf = 16696
    started = time.perf_counter()
    ours = xling(binary, "muse", FI, FR, "--test", test, "--epochs", epochs, "--epoch-size", epoch_size, "--seed", seed,
                 "--most-frequent", mf)
    ours_wall = time.perf_counter() - started
    launcher = os.path.join(tmp, "run_muse.py")
    Path(launcher).write_text(MUSE_LAUNCHER)
    cmd = [TORCH_PYTHON, launcher, str(MUSE_ANCHOR), "--src_lang", "fi", "--tgt_lang", "fr", "--src_emb", src, "--tgt_emb", tgt,
           "--cuda", "False", "--n_epochs", str(epochs), "--epoch_size", str(epoch_size), "--n_refinement", "5",
           "--dis_most_frequent", str(mf), "--dico_eval", test, "--exp_path", os.path.join(tmp, "muse-exp"), "--export", "",
           "--normalize_embeddings", "renorm,center,renorm", "--seed", str(seed)]
    started = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True)
    theirs_wall = time.perf_counter() - started
    log = out.stdout + out.stderr
    p1_nn, p1_csls = muse_p1(log)
    return {"epochs": epochs, "epoch_size": epoch_size, "seed": seed, "xling_wall_seconds": ours_wall,
            "xling_adversarial_seconds": ours["adversarial_seconds"], "xling_p1_nn": ours["p1_nn"],
            "xling_p1_csls": ours["p1_csls"], "xling_criterion": ours["criterion"], "xling_kept": ours["kept"],
            "muse_wall_seconds": theirs_wall, "muse_exit": out.returncode, "muse_p1_nn": p1_nn,
            "muse_p1_csls": p1_csls, "muse_log_tail": log.splitlines()[-5:] if out.returncode else [],
            "speedup": theirs_wall / ours_wall}


def vecmap_env(threads: int) -> dict:
    """The environment of a vecmap child: BLAS/OpenMP pinned to `threads` (0: inherited)."""
    env = dict(os.environ)
    if threads > 0:
        for key in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env[key] = str(threads)
    return env


def start_vecmap(directory: Path, seeds: list[int], args) -> list[dict]:
    """Section 4, vecmap's side: starts one detached `map_embeddings.py --unsupervised` per seed, all at
    once, at --interval / --cutoff, with --vecmap-threads BLAS/OpenMP threads, under `nice -n --nice`,
    each wrapped in /usr/bin/time (DIR/time-SEED.txt: exit code, wall, user and system CPU seconds,
    peak RSS, written when the run ends, whether or not this script still runs). Inputs, outputs and
    the iteration log (DIR/vecmap-SEED.log, one line per iteration) stay in DIR, so a later
    `--only-whole --reuse-vecmap DIR` evaluates them. Returns what was started (also DIR/launch-SEED.json)."""
    directory.mkdir(parents=True, exist_ok=True)
    src = directory / "fi.vec"
    tgt = directory / "fr.vec"
    for gz, plain in ((FI, src), (FR, tgt)):
        if not plain.exists():
            vecmap_init_reference.plain_copy(str(gz), str(directory))
    started = []
    for seed in seeds:
        cmd = ["nice", "-n", str(args.nice), "/usr/bin/time", "-o", str(directory / f"time-{seed}.txt"), "-f",
               "rc %x wall %e user %U sys %S maxrss_kib %M", sys.executable, str(VECMAP / "map_embeddings.py"), str(src),
               str(tgt), str(directory / f"src-{seed}.vec"), str(directory / f"tgt-{seed}.vec"), "--unsupervised", "--seed",
               str(seed), "--log", str(directory / f"vecmap-{seed}.log"), "--stochastic_interval", str(args.interval),
               "--vocabulary_cutoff", str(args.cutoff)]
        for stale in (f"time-{seed}.txt", f"vecmap-{seed}.log"):
            (directory / stale).unlink(missing_ok=True)
        err = open(directory / f"vecmap-{seed}.err", "w")
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=vecmap_env(args.vecmap_threads),
                                start_new_session=True)
        info = {"seed": seed, "pid": proc.pid, "command": cmd, "threads": args.vecmap_threads, "nice": args.nice,
                "interval": args.interval, "cutoff": args.cutoff,
                "started_utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()), "load_average": os.getloadavg()}
        (directory / f"launch-{seed}.json").write_text(json.dumps(info, indent=2))
        started.append(info)
        print(f"vecmap seed {seed}: pid {proc.pid} (time wrapper; nice {args.nice}, {args.vecmap_threads or 'inherited'} "
              f"BLAS threads), log {directory / f'vecmap-{seed}.log'}", flush=True)
    return started


def vecmap_state(directory: Path, seed: int) -> dict:
    """A started vecmap run's state: its logged iterations (seconds, objective) and, once it has ended,
    /usr/bin/time's figures (`finished` when it exited 0 and wrote its outputs)."""
    log = directory / f"vecmap-{seed}.log"
    lines = [l for l in log.read_text().splitlines() if l.strip()] if log.exists() else []
    state = {"iteration_seconds": [float(l.split("\t")[-1]) for l in lines],
             "objective": [float(l.split("\t")[1]) / 100 for l in lines],
             "outputs": (str(directory / f"src-{seed}.vec"), str(directory / f"tgt-{seed}.vec")), "finished": False}
    launch = directory / f"launch-{seed}.json"
    if launch.exists():
        state["pid"] = json.loads(launch.read_text())["pid"]
    timing = directory / f"time-{seed}.txt"
    if timing.exists():
        words = timing.read_text().split()
        # The last "rc … wall …" line (a killed child makes /usr/bin/time print a status line first).
        fields = {words[i]: words[i + 1] for i in range(len(words) - 1) if words[i] in ("rc", "wall", "user", "sys", "maxrss_kib")}
        if "wall" in fields:
            state.update(exit=int(fields["rc"]), wall_seconds=float(fields["wall"]),
                         cpu_seconds=float(fields["user"]) + float(fields["sys"]), peak_kib=int(fields["maxrss_kib"]))
            state["finished"] = state["exit"] == 0 and Path(state["outputs"][0]).exists()
    else:
        legacy = directory / "walls.txt"  # the second stop's format: 'seed S rc 0 wall SECONDS'
        if legacy.exists():
            for l in legacy.read_text().splitlines():
                w = l.split()
                if l.startswith("seed") and int(w[1]) == seed and " rc 0 " in l:
                    state.update(exit=0, wall_seconds=float(w[-1]), finished=Path(state["outputs"][0]).exists())
    return state


def xling_whole(binary: Path, seed: int, args) -> dict:
    """Our whole run at the same settings; wall and CPU seconds (user + system, all threads, from
    wait4) of the process, loading and the BLI evaluation included."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen([str(binary), "vecmap", str(FI), str(FR), "--test", str(TEST), "--seed", str(seed),
                                 "--interval", str(args.interval), "--cutoff", str(args.cutoff)], stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"xling-bench vecmap failed: {err.read()[-2000:]}")
        o = json.loads(out.read().strip().splitlines()[-1])
    o["process_wall_seconds"] = wall
    o["process_cpu_seconds_wait4"] = usage.ru_utime + usage.ru_stime
    return o


def whole_runs(binary: Path, args) -> tuple[list, dict]:
    """Section 4: both programs' whole runs at --interval / --cutoff over --seeds, P@1 of each, by the
    same evaluation code. vecmap's runs are started in the background (`start_vecmap`) unless
    --reuse-vecmap names a directory where they were started before; ours run one after the other
    meanwhile. Without --reuse-vecmap the script waits for vecmap; with it, unfinished runs are
    reported (iterations so far, PID) and left out of the summary."""
    seeds = [int(x) for x in args.seeds.split(",")]
    if args.reuse_vecmap:
        directory = Path(args.reuse_vecmap)
    else:
        directory = Path(args.vecmap_dir or (REPO / "bench-results" / f"vecmap-whole-{time.strftime('%Y%m%d-%H%M%S')}"))
        start_vecmap(directory, seeds, args)
    ours = {}
    for seed in seeds:
        o = xling_whole(binary, seed, args)
        o["child_cpu_seconds"] = o["process_cpu_seconds_wait4"]
        o["load_average"] = os.getloadavg()
        ours[seed] = o
        print(f"xling seed {seed}: {o['iterations']} iterations, {o['process_wall_seconds']:.1f} s wall, "
              f"{o['child_cpu_seconds']:.1f} CPU-s, P@1 {100 * o['p1_nn']:.1f} NN {100 * o['p1_csls']:.1f} CSLS "
              f"(load average {o['load_average'][0]:.1f})", flush=True)
    if not args.reuse_vecmap:
        while not all(vecmap_state(directory, s).get("wall_seconds") is not None for s in seeds):
            time.sleep(10)
    whole = []
    for seed in seeds:
        o, v = ours[seed], vecmap_state(directory, seed)
        row = {"seed": seed, "interval": args.interval, "cutoff": args.cutoff,
               "xling_wall_seconds": o["process_wall_seconds"], "xling_cpu_seconds": o["child_cpu_seconds"],
               "xling_run_seconds": o["total_seconds"], "xling_iterations": o["iterations"],
               "xling_iteration_seconds_sum": sum(o["iteration_seconds"]), "xling_objective": o["objective"][-1],
               "xling_converged": o["converged"], "xling_p1_nn": o["p1_nn"], "xling_p1_csls": o["p1_csls"],
               "xling_test_covered": o.get("test_covered"), "xling_load_average": o["load_average"],
               "vecmap_iterations": len(v["iteration_seconds"]), "vecmap_iteration_seconds_sum": sum(v["iteration_seconds"]),
               "vecmap_objective": v["objective"][-1] if v["objective"] else None, "vecmap_finished": v["finished"],
               "vecmap_pid": v.get("pid")}
        if v["finished"]:
            vb = xling(binary, "bli-vec", v["outputs"][0], v["outputs"][1], "--test", TEST)
            row.update(vecmap_wall_seconds=v["wall_seconds"], vecmap_cpu_seconds=v.get("cpu_seconds"),
                       vecmap_peak_kib=v.get("peak_kib"), vecmap_p1_nn=vb["p1_nn"], vecmap_p1_csls=vb["p1_csls"],
                       wall_ratio=v["wall_seconds"] / o["process_wall_seconds"],
                       cpu_ratio=(v["cpu_seconds"] / o["child_cpu_seconds"]) if v.get("cpu_seconds") else None)
            print(f"whole run seed {seed} (interval {args.interval}, cut-off {args.cutoff}): "
                  f"xling {row['xling_wall_seconds']:.0f} s wall / {row['xling_cpu_seconds']:.0f} CPU-s / {row['xling_iterations']} it, "
                  f"P@1 {100 * row['xling_p1_nn']:.1f} NN {100 * row['xling_p1_csls']:.1f} CSLS; vecmap "
                  f"{row['vecmap_wall_seconds']:.0f} s wall / {row['vecmap_cpu_seconds'] or float('nan'):.0f} CPU-s / "
                  f"{row['vecmap_iterations']} it, P@1 {100 * row['vecmap_p1_nn']:.1f} NN {100 * row['vecmap_p1_csls']:.1f} CSLS "
                  f"(both processes whole: loading and writing included)", flush=True)
        else:
            alive = False
            if v.get("pid"):
                try:
                    os.kill(v["pid"], 0)
                    alive = True
                except OSError:
                    pass
            row["vecmap_running"] = alive
            print(f"whole run seed {seed}: vecmap not finished ({'running, pid ' + str(v.get('pid')) if alive else 'not running'}"
                  f", exit {v.get('exit')}): {row['vecmap_iterations']} iterations logged, "
                  f"{row['vecmap_iteration_seconds_sum']:.0f} s of iterations, objective "
                  f"{100 * (row['vecmap_objective'] or float('nan')):.2f} %; xling {row['xling_iterations']} it, "
                  f"objective {100 * row['xling_objective']:.2f} %", flush=True)
        whole.append(row)
    done = [r for r in whole if r["vecmap_finished"]]
    if not done:
        return whole, {"finished_seeds": []}
    mean = lambda k: sum(r[k] for r in done) / len(done)  # noqa: E731
    summary = {
        "finished_seeds": [r["seed"] for r in done],
        "speedup": mean("vecmap_wall_seconds") / mean("xling_wall_seconds"),
        "cpu_speedup": mean("vecmap_cpu_seconds") / mean("xling_cpu_seconds") if all(r["vecmap_cpu_seconds"] for r in done)
        else None,
        "p1_csls_difference_points": 100 * (mean("xling_p1_csls") - mean("vecmap_p1_csls")),
        "p1_nn_difference_points": 100 * (mean("xling_p1_nn") - mean("vecmap_p1_nn")),
    }
    print(f"whole runs (seeds {summary['finished_seeds']}): {summary}")
    return whole, summary


def whole_goals(summary, reused):
    """The issue's whole-run checks. With `reused` vecmap runs (started earlier, under other load and
    threads) the wall ratio compares different conditions, so the speed goal is not judged from it."""
    goals = {"P@1 CSLS within 1.5 points": abs(summary.get("p1_csls_difference_points", float("inf"))) <= 1.5}
    if reused:
        print("whole run >= 10x: not judged (vecmap runs reused: their wall times come from other conditions; "
              f"CPU ratio {summary.get('cpu_speedup') or float('nan'):.1f}x)")
    else:
        goals["whole run >= 10x"] = summary.get("speedup", 0) >= 10
    return goals


def numpy_init_stages(src: str, tgt: str, vocab: int = 4000) -> dict:
    """Seconds of each step of VecMap's unsupervised initialisation done with plain numpy calls on
    the same normalised 4,000-word heads (a breakdown of where vecmap's time goes; the anchor itself
    is timed as a whole by `vecmap_init_reference`)."""
    import numpy as np

    def head(path: str) -> np.ndarray:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            f.readline()
            rows = [np.asarray(line.rstrip("\n").split(" ")[1:], dtype=np.float32) for _, line in zip(range(vocab), f)]
        m = np.stack(rows)
        for step in ("unit", "center", "unit"):
            if step == "unit":
                m /= np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
            else:
                m -= m.mean(axis=0)
        return m

    stages: dict = {}

    def lap(name: str, t0: float) -> float:
        now = time.perf_counter()
        stages[name] = stages.get(name, 0.0) + now - t0
        return now

    sims = []
    for m in (head(src), head(tgt)):
        t = time.perf_counter()
        u, s, _ = np.linalg.svd(m, full_matrices=False)
        t = lap("SVD", t)
        root = (u * s).dot(u.T)
        t = lap("U·S·Uᵀ", t)
        root.sort(axis=1)
        t = lap("row sort", t)
        for step in ("unit", "center", "unit"):
            if step == "unit":
                root /= np.maximum(np.linalg.norm(root, axis=1, keepdims=True), 1e-12)
            else:
                root -= root.mean(axis=0)
        lap("normalise", t)
        sims.append(root)
    t = time.perf_counter()
    sim = sims[0].dot(sims[1].T)
    t = lap("n × n × n product", t)
    k = 10
    rf = -np.partition(-sim, k - 1, axis=1)[:, :k].mean(axis=1)
    rb = -np.partition(-sim.T, k - 1, axis=1)[:, :k].mean(axis=1)
    sim -= rf[:, None] / 2 + rb / 2
    t = lap("CSLS", t)
    sim.argmax(axis=1), sim.argmax(axis=0)
    lap("argmax", t)
    return stages


def median(values: list[float]) -> float:
    v = sorted(values)
    return v[len(v) // 2] if v else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench-binary", default=str(REPO / ".build/release/xling-bench"))
    ap.add_argument("--iters", type=int, default=12)
    ap.add_argument("--init-repeats", type=int, default=3, help="runs of each program's initialisation (the median counts)")
    ap.add_argument("--seeds", default="0,1")
    ap.add_argument("--interval", type=int, default=5)
    ap.add_argument("--cutoff", type=int, default=10000)
    ap.add_argument("--skip-whole", action="store_true")
    ap.add_argument("--muse-epochs", type=int, default=1)
    ap.add_argument("--muse-epoch-size", type=int, default=3200)
    ap.add_argument("--skip-muse", action="store_true")
    ap.add_argument("--only-muse", action="store_true")
    ap.add_argument("--only-whole", action="store_true", help="only section 4 (whole runs over --seeds)")
    ap.add_argument("--reuse-vecmap", default="", help="directory where section 4's vecmap runs were started "
                    "(--start-vecmap DIR, or an earlier section 4): finished runs are evaluated, unfinished ones reported")
    ap.add_argument("--start-vecmap", default="", metavar="DIR", help="only start section 4's vecmap runs (one per "
                    "--seeds, all at once, detached) in DIR and exit; evaluate later with --only-whole --reuse-vecmap DIR")
    ap.add_argument("--vecmap-dir", default="", help="where section 4 starts its vecmap runs (default "
                    "bench-results/vecmap-whole-DATE-TIME)")
    ap.add_argument("--vecmap-threads", type=int, default=1, help="BLAS/OpenMP threads of section 4's vecmap runs "
                    "(OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS; 0: inherited)")
    ap.add_argument("--nice", type=int, default=10, help="niceness of section 4's vecmap runs")
    ap.add_argument("--json", default=str(REPO / "bench-results/unsupervised.json"))
    args = ap.parse_args()
    if args.start_vecmap:
        start_vecmap(Path(args.start_vecmap), [int(x) for x in args.seeds.split(",")], args)
        return
    binary = require_binary(args.bench_binary)
    report: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        src = vecmap_init_reference.plain_copy(str(FI), tmp)
        tgt = vecmap_init_reference.plain_copy(str(FR), tmp)

        if not args.skip_muse and not args.only_whole:
            m = muse_comparison(binary, src, tgt, args.muse_epochs, args.muse_epoch_size, 0, tmp)
            report["muse"] = m
            print(f"muse ({m['epochs']} x {m['epoch_size']:,} rows, 5 refinement steps): xling {m['xling_wall_seconds']:.0f} s, "
                  f"P@1 {100 * m['xling_p1_nn']:.1f} NN {100 * m['xling_p1_csls']:.1f} CSLS; MUSE {m['muse_wall_seconds']:.0f} s "
                  f"(exit {m['muse_exit']}), P@1 {100 * m['muse_p1_nn']:.1f} NN {100 * m['muse_p1_csls']:.1f} CSLS "
                  f"({m['speedup']:.1f}x)")
        if args.only_muse:
            goals = {"muse >= 3x": report["muse"]["speedup"] >= 3}
            for k, ok in goals.items():
                print(f"{'PASS' if ok else 'FAIL'}  {k}")
            report["goals"] = goals
            Path(args.json).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json).write_text(json.dumps(report, indent=2, default=str))
            return

        if args.only_whole:
            report["whole"], report["whole_summary"] = whole_runs(binary, args)
            ws = report["whole_summary"]
            goals = whole_goals(ws, reused=bool(args.reuse_vecmap))
            for k, ok in goals.items():
                print(f"{'PASS' if ok else 'FAIL'}  {k}")
            report["goals"] = goals
            Path(args.json).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json).write_text(json.dumps(report, indent=2, default=str))
            return

        # 1. Loading.
        loads = [xling(binary, "load-vec", p) for p in (FI, FR)]
        for name, p, r in zip(("fi", "fr"), (FI, FR), loads):
            text_bytes = os.path.getsize(src if name == "fi" else tgt)
            r["words_per_second"] = r["rows"] / r["seconds"]
            r["text_mb_per_second"] = text_bytes / r["seconds"] / 1e6
            r["gz_mb_per_second"] = os.path.getsize(p) / r["seconds"] / 1e6
        report["load"] = loads
        print(f"load: " + ", ".join(f"{r['rows']} words in {r['seconds']:.2f} s ({r['words_per_second']:,.0f} words/s, "
                                    f"{r['text_mb_per_second']:.0f} MB/s of text, peak {r['vm_hwm_kib'] / 1024:.0f} MiB)"
                                    for r in loads))

        # 2. Initial dictionary: each program --init-repeats times, alternated, the median run of each
        # (half-second runs vary by ±20 % on this machine; vecmap's by less, but the same statistic for both).
        ours_tsv = os.path.join(tmp, "ours-init.tsv")
        ours_runs, init_runs, theirs = [], [], None
        for _ in range(max(1, args.init_repeats)):
            ours_runs.append(xling(binary, "vecmap-init", FI, FR, ours_tsv))
            s, t, _, seconds = vecmap_init_reference.initial_dictionary(src, tgt, 4000, timed=True)
            init_runs.append(seconds)
            theirs = [f"{i}\t{j}" for i, j in zip(s.tolist(), t.tolist())]
        ours = sorted(ours_runs, key=lambda r: r["seconds"])[len(ours_runs) // 2]
        init_seconds = median(init_runs)
        identical = open(ours_tsv).read().splitlines() == theirs
        numpy_stages = numpy_init_stages(src, tgt)
        ours_stages = {k[len("stage "):]: v for k, v in ours.items() if k.startswith("stage ")}
        # The dense n × n × n path (--rank 0, what the sketch replaced), same run, for the old/new comparison.
        dense_tsv = os.path.join(tmp, "ours-init-dense.tsv")
        dense = xling(binary, "vecmap-init", FI, FR, dense_tsv, "--rank", "0")
        dense_stages = {k[len("stage "):]: v for k, v in dense.items() if k.startswith("stage ")}
        dense_identical = open(dense_tsv).read().splitlines() == theirs
        report["init"] = {"xling_seconds": ours["seconds"], "vecmap_seconds": init_seconds,
                          "xling_runs": [r["seconds"] for r in ours_runs], "vecmap_runs": init_runs,
                          "speedup": init_seconds / ours["seconds"], "identical": identical, "pairs": len(theirs),
                          "xling_stages": ours_stages, "numpy_stages": numpy_stages,
                          "xling_dense_seconds": dense["seconds"], "xling_dense_stages": dense_stages,
                          "dense_identical": dense_identical, "load_average": os.getloadavg()[0]}
        ours_list = ", ".join(f"{r['seconds']:.2f}" for r in ours_runs)
        theirs_list = ", ".join(f"{v:.2f}" for v in init_runs)
        print(f"init ({len(ours_runs)} alternated runs each, medians; xling {ours_list} s, vecmap {theirs_list} s):")
        print(f"init: xling {ours['seconds']:.2f} s (rank-64 sketch; dense product {dense['seconds']:.2f} s), vecmap "
              f"{init_seconds:.2f} s ({init_seconds / ours['seconds']:.1f}x; dense {init_seconds / dense['seconds']:.1f}x), "
              f"dictionaries identical: {identical} (dense: {dense_identical}); load average {os.getloadavg()[0]:.1f}")
        for name in list(numpy_stages) + [n for n in ours_stages if n not in numpy_stages]:
            print(f"  {name}: xling {ours_stages.get(name, float('nan')):.3f} s ({ours.get('cpu ' + name, float('nan')):.3f} CPU-s), "
                  f"dense {dense_stages.get(name, float('nan')):.3f} s ({dense.get('cpu ' + name, float('nan')):.3f} CPU-s), "
                  f"numpy {numpy_stages.get(name, float('nan')):.3f} s")
        report["init"]["xling_cpu_stages"] = {k[4:]: v for k, v in ours.items() if k.startswith("cpu ")}
        report["init"]["xling_dense_cpu_stages"] = {k[4:]: v for k, v in dense.items() if k.startswith("cpu ")}

        # 3. Seconds per iteration at the defaults.
        ours_it = xling(binary, "vecmap", FI, FR, "--test", TEST, "--iters", str(args.iters))
        theirs_it = vecmap_iterations(src, tgt, args.iters, 0, [], tmp)
        a, b = median(ours_it["iteration_seconds"]), median(theirs_it["iteration_seconds"])
        report["iteration"] = {"xling_seconds": ours_it["iteration_seconds"], "vecmap_seconds": theirs_it["iteration_seconds"],
                               "xling_median": a, "vecmap_median": b, "speedup": b / a,
                               "xling_peak_kib": ours_it["vm_hwm_kib"], "xling_dense_rows": ours_it["dense_rows"]}
        print(f"iteration (cut-off 20,000): xling {a:.2f} s, vecmap {b:.2f} s ({b / a:.1f}x; medians of the first "
              f"{args.iters} iterations each), xling peak {ours_it['vm_hwm_kib'] / 1024:.0f} MiB")
        print(f"  per iteration: xling {', '.join(f'{v:.2f}' for v in ours_it['iteration_seconds'])} s (the first makes two "
              f"sweeps, the others one); vecmap {', '.join(f'{v:.2f}' for v in theirs_it['iteration_seconds'])} s; "
              f"load average {os.getloadavg()[0]:.1f}")
        one_sweep = ours_it["iteration_seconds"][1:]
        if one_sweep:
            c = median(one_sweep)
            report["iteration"]["xling_one_sweep_median"] = c
            print(f"  one-sweep iterations (2..): xling median {c:.2f} s vs vecmap median {b:.2f} s ({b / c:.1f}x)")
        stage_names = sorted({k.split(" ")[1] for k in ours_it if k.startswith("stage ")})
        if stage_names and len(ours_it["iteration_seconds"]) > 1:
            per = len(ours_it["iteration_seconds"]) - 1
            print(f"  xling stages per one-sweep iteration, wall / process CPU s: " + ", ".join(
                f"{n} {ours_it[f'stage {n} wall'] / per:.3f} / {ours_it[f'stage {n} cpu'] / per:.3f}" for n in stage_names)
                + f"; process CPU {ours_it['process_cpu_seconds']:.1f} s over the whole run")

        # 4. Whole runs at equal, shortened settings.
        if not args.skip_whole:
            report["whole"], report["whole_summary"] = whole_runs(binary, args)

        # 5. RCSLS and CSLS retrieval at full size.
        r = xling(binary, "rcsls", FI, FR, "--dict", TRAIN, "--test", TEST)
        report["rcsls"] = r
        print(f"rcsls: {r['pairs']} pairs, {r['seconds']:.1f} s, peak {r['vm_hwm_kib'] / 1024:.0f} MiB, "
              f"P@1 {100 * r['p1_nn']:.1f} NN {100 * r['p1_csls']:.1f} CSLS; CSLS retrieval {r['csls_queries']} x "
              f"{r['csls_targets']}: {r['csls_all_seconds']:.2f} s")

    goals = {
        "init >= 10x": report["init"]["speedup"] >= 10,
        "init identical": report["init"]["identical"],
        "iteration >= 10x": report["iteration"]["speedup"] >= 10,
    }
    if "whole_summary" in report:
        goals.update(whole_goals(report["whole_summary"], reused=bool(args.reuse_vecmap)))
    if "muse" in report:
        goals["muse >= 3x"] = report["muse"]["speedup"] >= 3
    report["goals"] = goals
    for k, ok in goals.items():
        print(f"{'PASS' if ok else 'FAIL'}  {k}")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
