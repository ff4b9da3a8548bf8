"""GloVe trainer benchmark in one run: xling (`xling-bench glove`, both thread schedules), the
numpy reference's per-record loop, and optionally a glove.c build as a same-run anchor.

Data: Europarl en sample, default Tokenizer, min_count 3, window 10, 1/d weighting
(~1.63 M records, counted by the bench's own brute-force counter); 40-d, x_max 30, eta 0.05.

    swift build -c release --product xling-bench
    python Tests/reference/glove_bench.py [--iterations 6] [--repeats 2] [--numpy-records 20000]
        [--glovec /tmp/glovec/glove_loop]

`--glovec BIN` runs a binary with glove.c's training loop (argv: CREC_FILE VOCAB THREADS ITER
DIM XMAX; prints {"iter_seconds": [...]}) on the same records, shuffled as xling shuffles
them (`xling-bench glove --crec`). Build it outside the repository from stanfordnlp/GloVe.
Timings on a shared machine are noisy: the bench reports CPU utilisation next to each rate.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import glove_reference as GR  # noqa: E402

BENCH = os.path.normpath(os.path.join(HERE, "..", "..", ".build", "release", "xling-bench"))
COMMON = ["--min-count", "3", "--window", "10", "--dim", "40", "--x-max", "30"]


def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", default="6")
    ap.add_argument("--repeats", default="2")
    ap.add_argument("--numpy-records", type=int, default=20000)
    ap.add_argument("--glovec")
    a = ap.parse_args()
    if not os.path.exists(BENCH):
        sys.exit(f"{BENCH} is missing: swift build -c release --product xling-bench")
    summary = {}
    with tempfile.TemporaryDirectory() as tmp:
        crec = os.path.join(tmp, "records.crec")
        for schedule in ("hogwild", "stratified"):
            extra = ["--crec", crec] if schedule == "hogwild" and a.glovec else []
            r = run_json([BENCH, "glove", *COMMON, "--iterations", a.iterations, "--repeats", a.repeats,
                          "--schedule", schedule, *extra])
            summary["records"] = r["records"]
            summary["vocabulary"] = r["vocabulary"]
            for key in ("ns_per_record_1t", "ns_per_record_2t", "ns_per_record_best_1t", "ns_per_record_best_2t",
                        "speedup_2t", "cpu_utilisation_1t", "cpu_utilisation_2t", "final_cost_1t", "final_cost_2t"):
                summary[f"xling_{schedule}_{key}"] = r.get(key)
        dump = os.path.join(tmp, "dump")
        run_json([BENCH, "glove", *COMMON, "--iterations", "1", "--dump", dump])
        summary.update(GR.bench(GR.load_dump(dump), a.numpy_records))
        if a.glovec:
            for threads in (1, 2):
                out = subprocess.run([a.glovec, crec, str(summary["vocabulary"]), str(threads), a.iterations, "40", "30"],
                                     check=True, capture_output=True, text=True).stdout
                secs = json.loads(out)["iter_seconds"]
                summary[f"glovec_ns_per_record_{threads}t"] = statistics.median(secs) / summary["records"] * 1e9
            summary["glovec_speedup_2t"] = summary["glovec_ns_per_record_1t"] / summary["glovec_ns_per_record_2t"]
    summary["glovec_issue_ns_per_record_1t"] = 630.0
    summary["glovec_issue_speedup_2t"] = 1.58
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
