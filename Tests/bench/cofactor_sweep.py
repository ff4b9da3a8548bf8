#!/usr/bin/env python3
"""Development sweeps of `%train cofactor` (issue 17): CLDC accuracy on SIB-200 **dev** (never test).

Each configuration is one `xling run` script (release build): load the monolingual corpora and the
parallel text, `%wordalign`, `%train cofactor … iters=I`, then `%eval cldc` trained on SIB-200
train in one language and tested on the other language's dev split, both directions. The
averaged perceptron's accuracy and the majority class are parsed from the text output.

    python3 Tests/bench/cofactor_sweep.py wc      # ωc per objective, en–de (Figure 3a)
    python3 Tests/bench/cofactor_sweep.py langs   # the defaults on en–de, en–fr, en–es
    python3 Tests/bench/cofactor_sweep.py mono    # monolingual lines (Figure 3b), en–de
    python3 Tests/bench/cofactor_sweep.py parallel  # parallel pairs (Figure 3c), en–de: WMT, Europarl (Gale–Church), Multi30k

Results are appended to bench-results/cofactor_sweep.jsonl (one JSON object per run);
Tests/bench/cofactor_sweep.md records the runs behind the defaults. Multi30k (CC BY-NC) is read
from ../shared/data/parallel/multi30k and never copied into the project.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
XLING = os.environ.get("XLING", str(REPO / ".build" / "release" / "xling"))
DATA = REPO / "notebooks" / "data"
MULTI30K = REPO.parent / "shared" / "data" / "parallel" / "multi30k"
SIB = {"en": "eng", "de": "deu", "fr": "fra", "es": "spa"}
MONO = {"en": "europarl-en-de/en", "de": "europarl-en-de/de", "fr": "europarl-fr-es/fr", "es": "europarl-fr-es/es"}
FULL_PAIRS = {"wmt": 10000, "multi30k": 29000, "europarl": {"de": 13391, "fr": 14646, "es": 14465}}
OUT = REPO / "bench-results" / "cofactor_sweep.jsonl"


def parallel_line(lang, source, lines):
    limit = f" max_lines={lines}" if lines else ""
    if source == "wmt":
        return (f"%load parallel p src={DATA}/wmt-en-de-10k/train.en.gz tgt={DATA}/wmt-en-de-10k/train.de.gz "
                f"src_lang=en tgt_lang=de{limit}")
    if source == "multi30k":
        return (f"%load parallel p src={MULTI30K}/train.en.gz tgt={MULTI30K}/train.{lang}.gz src_lang=en tgt_lang={lang}{limit}")
    return f"%load parallel p path={DATA}/europarl-aligned/en-{lang}.tsv.gz src_lang=en tgt_lang={lang}{limit}"


SWEEP = "manual"


def run(lang, source, objective, extra="", iters=30, mono_lines=None, parallel_lines=None, threads=2, seed=1):
    mono_limit = f" max_lines={mono_lines}" if mono_lines else ""
    align = " align=a" if objective in ("clc+wa", "clsim") else ""
    script = (f"%set seed={seed} threads={threads}\n"
              f"%load corpus en path={DATA}/{MONO['en']}.txt.gz lang=en{mono_limit}\n"
              f"%load corpus {lang} path={DATA}/{MONO[lang]}.txt.gz lang={lang}{mono_limit}\n"
              + parallel_line(lang, source, parallel_lines) + "\n"
              + (f"%wordalign p as=a\n" if align else "")
              + f"%load labeled tr_en path={DATA}/sib200/eng_Latn/train.tsv lang=en format=sib200\n"
              f"%load labeled tr_x path={DATA}/sib200/{SIB[lang]}_Latn/train.tsv lang={lang} format=sib200\n"
              f"%load labeled dev_en path={DATA}/sib200/eng_Latn/dev.tsv lang=en format=sib200\n"
              f"%load labeled dev_x path={DATA}/sib200/{SIB[lang]}_Latn/dev.tsv lang={lang} format=sib200\n"
              f"# %%\n%train cofactor mono=en,{lang} parallel=p objective={objective}{align} iters={iters} {extra} as=s\n"
              f"# %%\n%eval cldc space=s train=tr_en,tr_x test=dev_x,dev_en\n")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sweep.xling"
        path.write_text(script)
        t0 = time.perf_counter()
        out = subprocess.run([XLING, "run", str(path)], capture_output=True, text=True, cwd=tmp).stdout
        seconds = time.perf_counter() - t0
    row = {"sweep": SWEEP, "lang": lang, "parallel": source, "objective": objective, "extra": extra.strip(), "iters": iters,
           "mono_lines": mono_lines, "parallel_lines": parallel_lines,
           "pairs": parallel_lines or (FULL_PAIRS["europarl"][lang] if source == "europarl" else FULL_PAIRS[source]), "threads": threads, "seed": seed,
           "seconds": round(seconds, 1)}
    m = re.search(r"^s\s+([0-9.]+)\s+[0-9.]+\s+([0-9.]+)\s+[0-9.]+\s*$", out, re.M)
    maj = re.search(r"^majority class\s+([0-9.]+)\s+[0-9.]+\s+([0-9.]+)", out, re.M)
    tokens = re.findall(r"^\w+ text, vocabulary, records\s+([0-9,]+) tokens", out, re.M)
    pairs = re.search(r"^parallel corpus `p`.*?$", out, re.M)
    if m and maj:
        row.update(en_x=float(m.group(1)), x_en=float(m.group(2)), majority=float(maj.group(1)))
    else:
        row["error"] = out[-800:]
    row["mono_tokens"] = [int(t.replace(",", "")) for t in tokens]
    OUT.parent.mkdir(exist_ok=True)
    with OUT.open("a") as f:
        f.write(json.dumps(row) + "\n")
    print(json.dumps(row), flush=True)
    return row


def main():
    global SWEEP
    what = sys.argv[1] if len(sys.argv) > 1 else "wc"
    SWEEP = what
    if what == "wc":
        for objective, values in (("clsim", (0.05, 0.1, 0.2, 0.5, 1)), ("clc-wa", (0.5, 1, 2)), ("clc+wa", (0.5, 1, 2))):
            for wc in values:
                run("de", "wmt", objective, f"wc={wc}")
    elif what == "langs":
        for lang in ("fr", "es"):
            for objective in ("clc-wa", "clc+wa", "clsim"):
                run(lang, "europarl", objective)
        run("es", "europarl", "clsim", threads=1)
    elif what == "mono":
        for lines in (2500, 5000, 10000, None):
            for objective in ("clc-wa", "clsim"):
                run("de", "wmt", objective, mono_lines=lines, iters=15)
    elif what == "parallel":
        for source, lines in (("wmt", 1000), ("wmt", 2500), ("wmt", 5000), ("wmt", None), ("europarl", None), ("multi30k", None)):
            for objective in ("clc-wa", "clsim"):
                run("de", source, objective, parallel_lines=lines, iters=15)


if __name__ == "__main__":
    main()
