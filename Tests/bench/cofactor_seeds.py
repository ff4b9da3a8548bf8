#!/usr/bin/env python3
"""Seed table of `%train cofactor` at its defaults on en–de (issue 17), dev and test, plus the LLM check.

One `xling run` script per job: the Europarl en/de samples + the WMT en–de 10k pairs
(`include_parallel=true`), `%wordalign`, then for each (seed, objective, extra keys) a
`%train cofactor` with every other key at its default, `%eval cldc` (SIB-200 train → the other
language's dev split and test split, both directions), `%save` of both sides (for
`cofactor_docrep.py`), and optionally the LLM ordering check of notebook 03 on the CLSim space
(English classifiers on SIB-200 train, German test: CLWE fixed, LP, LLM k = 1 and k tuned on
English dev). Raw logs and spaces go to OUTDIR; one JSON row per space to bench-results/cofactor_seeds.jsonl.

    python3 Tests/bench/cofactor_seeds.py OUTDIR JOB     # JOB: see JOBS below
"""
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
XLING = os.environ.get("XLING", str(REPO / ".build" / "release" / "xling"))
DATA = REPO / "notebooks" / "data"
OUT = REPO / "bench-results" / "cofactor_seeds.jsonl"

# job → list of (seed, objective, extra keys, llm check)
JOBS = {
    "seed3": [(3, "clc-wa", "", False), (3, "clc+wa", "", False), (3, "clc+wa", "wc=2", False), (3, "clsim", "", True)],
    "wc2": [(2, "clc+wa", "", False), (2, "clc+wa", "wc=2", False), (1, "clc+wa", "wc=2", False)],
    "llm12": [(1, "clsim", "", True), (2, "clsim", "", True)],
}
# seedN: the three objectives at every default, LLM check on the CLSim space
JOBS.update({f"seed{n}": [(n, "clc-wa", "", False), (n, "clc+wa", "", False), (n, "clsim", "", True)] for n in (4, 5, 6)})


def script(outdir, steps):
    lines = ["%set threads=1",
             f"%load corpus en path={DATA}/europarl-en-de/en.txt.gz lang=en",
             f"%load corpus de path={DATA}/europarl-en-de/de.txt.gz lang=de",
             f"%load parallel p src={DATA}/wmt-en-de-10k/train.en.gz tgt={DATA}/wmt-en-de-10k/train.de.gz src_lang=en tgt_lang=de",
             "%wordalign p as=a"]
    for lang, code in (("en", "eng"), ("de", "deu")):
        for split in ("train", "dev", "test"):
            lines.append(f"%load labeled {lang}_{split} path={DATA}/sib200/{code}_Latn/{split}.tsv lang={lang} format=sib200")
    for seed, objective, extra, llm in steps:
        name = f"s{seed}_{objective.replace('-', '').replace('+', 'p')}{extra.replace('=', '').replace('.', '')}"
        align = " align=a" if objective != "clc-wa" else ""
        lines += [f"# %%\n%set seed={seed}",
                  f"%train cofactor mono=en,de parallel=p objective={objective}{align} {extra} as={name}",
                  f"# %%\n%eval cldc space={name} train=en_train,de_train test=de_dev,en_dev",
                  f"# %%\n%eval cldc space={name} train=en_train,de_train test=de_test,en_test",
                  f"%save {name} path={outdir}/de-{name}.en.vec side=source",
                  f"%save {name} path={outdir}/de-{name}.de.vec side=target"]
        if llm:
            lines += [f"# %%\n%train classifier data=en_train space={name} dev=en_dev as={name}_fx",
                      f"%train classifier data=en_train space={name} dev=en_dev update_emb=true as={name}_opt",
                      f"%llm general={name} specific={name}_fx target=de method=direct as={name}_fixed",
                      f"%llm general={name} specific={name}_opt target=de method=linear as={name}_lp",
                      f"%llm general={name} specific={name}_opt target=de k=1 as={name}_llm1",
                      f"%llm general={name} specific={name}_opt target=de tune=source dev=en_dev as={name}_llmt",
                      f"# %%\n%eval classifier {name}_fixed,{name}_lp,{name}_llm1,{name}_llmt,{name}_opt data=de_test,en_test"]
    return "\n".join(lines) + "\n"


def parse(log, steps):
    rows = []
    cldc = re.findall(r"^(s\d+_\S+)\s+([0-9.]+)\s+[0-9.]+\s+([0-9.]+)\s+[0-9.]+\s*$", log, re.M)
    maj = re.findall(r"^majority class\s+([0-9.]+)\s+[0-9.]+\s+([0-9.]+)", log, re.M)
    for i, (seed, objective, extra, _) in enumerate(steps):
        row = {"seed": seed, "objective": objective, "extra": extra}
        try:
            (n1, a, b), (n2, c, d) = cldc[2 * i], cldc[2 * i + 1]
            row.update(space=n1, dev=[float(a), float(b)], test=[float(c), float(d)],
                       majority_dev=[float(x) for x in maj[2 * i]], majority_test=[float(x) for x in maj[2 * i + 1]])
        except (IndexError, ValueError):
            row["error"] = "unparsed"
        rows.append(row)
    return rows


def main():
    outdir, job = Path(sys.argv[1]).resolve(), sys.argv[2]
    outdir.mkdir(parents=True, exist_ok=True)
    steps = JOBS[job]
    path = outdir / f"{job}.xling"
    path.write_text(script(outdir, steps))
    t0 = time.perf_counter()
    log = subprocess.run([XLING, "run", str(path)], capture_output=True, text=True, cwd=outdir)
    (outdir / f"{job}.log").write_text(log.stdout + "\n--- stderr\n" + log.stderr)
    seconds = round(time.perf_counter() - t0, 1)
    OUT.parent.mkdir(exist_ok=True)
    with OUT.open("a") as f:
        for row in parse(log.stdout, steps):
            row.update(job=job, seconds=seconds)
            f.write(json.dumps(row) + "\n")
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
