#!/usr/bin/env python3
"""Untried levers of `%train cofactor` on development data only (issue 17, session 25).

One `xling run` per job builds joint spaces (every key at its default except the lever's keys,
`threads=1`, `%set seed=N`) and `%save`s both sides; the spaces are then scored by
`cofactor_docrep.py`'s numpy `%eval cldc` (averaged perceptron, idf-weighted average, seed 1) on
SIB-200 train → the other language's dev split (99 sentences), train → the other language's train
split (proxy, 701 sentences) and 5-fold in-language cv. The test splits are never read here.
Rows are appended to Tests/bench/cofactor_levers.jsonl (with the training seconds of the job).

    python3 Tests/bench/cofactor_levers.py OUTDIR LANG SEED "EXTRA KEYS" [OBJECTIVES]
    # LANG de (Europarl + WMT 10k) | fr | es (Europarl + Gale–Church pairs); OBJECTIVES default clc-wa,clc+wa,clsim
"""
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "reference"))
import cldc_reference as R  # noqa: E402
from cofactor_docrep import accuracy, cross_validated  # noqa: E402
from cofactor_dev_proxy import CODE, SIB, load_vec  # noqa: E402

REPO = HERE.parents[1]
XLING = os.environ.get("XLING", str(REPO / ".build" / "release" / "xling"))
DATA = REPO / "notebooks" / "data"
OUT = HERE / "cofactor_levers.jsonl"
MONO = {"en": "europarl-en-de/en", "de": "europarl-en-de/de", "fr": "europarl-fr-es/fr", "es": "europarl-fr-es/es"}


def script(outdir, lang, seed, extra, objectives, tag):
    if lang == "de":
        par = (f"%load parallel p src={DATA}/wmt-en-de-10k/train.en.gz tgt={DATA}/wmt-en-de-10k/train.de.gz "
               "src_lang=en tgt_lang=de")
    else:
        par = f"%load parallel p path={DATA}/europarl-aligned/en-{lang}.tsv.gz src_lang=en tgt_lang={lang}"
    lines = ["%set threads=1",
             f"%load corpus en path={DATA}/{MONO['en']}.txt.gz lang=en",
             f"%load corpus {lang} path={DATA}/{MONO[lang]}.txt.gz lang={lang}",
             par, "%wordalign p as=a"]
    for objective in objectives:
        name = f"{tag}_{objective.replace('-', '').replace('+', 'p')}"
        align = "" if objective == "clc-wa" else " align=a"
        lines += [f"# %%\n%set seed={seed}",
                  f"%train cofactor mono=en,{lang} parallel=p objective={objective}{align} {extra} as={name}",
                  f"%save {name} path={outdir}/{lang}-{name}.en.vec side=source",
                  f"%save {name} path={outdir}/{lang}-{name}.{lang}.vec side=target"]
    return "\n".join(lines) + "\n"


def main():
    outdir, lang, seed, extra = Path(sys.argv[1]).resolve(), sys.argv[2], int(sys.argv[3]), sys.argv[4]
    objectives = sys.argv[5].split(",") if len(sys.argv) > 5 else ["clc-wa", "clc+wa", "clsim"]
    tag = f"s{seed}" + re.sub(r"[^a-z0-9]", "", extra.replace("=", ""))
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / f"{lang}-{tag}.xling"
    path.write_text(script(outdir, lang, seed, extra, objectives, tag))
    t0 = time.perf_counter()
    log = subprocess.run([XLING, "run", str(path)], capture_output=True, text=True, cwd=outdir)
    seconds = round(time.perf_counter() - t0, 1)
    (outdir / f"{lang}-{tag}.log").write_text(log.stdout + "\n--- stderr\n" + log.stderr)
    vocab = re.findall(r"tokens \(`\w+`[^)]*\), ([0-9,]+) words", log.stdout)
    sets = {(l, s): R.read_sib200(f"{SIB}/{CODE[l]}_Latn/{s}.tsv") for l in ("en", lang) for s in ("train", "dev")}
    for k, objective in enumerate(objectives):
        name = f"{tag}_{objective.replace('-', '').replace('+', 'p')}"
        prefix = outdir / f"{lang}-{name}"
        row = {"lang": lang, "seed": seed, "objective": objective, "extra": extra, "job_seconds": seconds,
               "vocab": [int(v.replace(",", "")) for v in vocab[2 * k:2 * k + 2]]}
        try:
            spaces = {"en": load_vec(f"{prefix}.en.vec"), lang: load_vec(f"{prefix}.{lang}.vec")}
        except OSError:
            row["error"] = log.stdout[-600:] + log.stderr[-600:]
            print(json.dumps(row), flush=True)
            continue
        for key, a, b, split in (("dev en>x", "en", lang, "dev"), ("dev x>en", lang, "en", "dev"),
                                 ("proxy en>x", "en", lang, "train"), ("proxy x>en", lang, "en", "train")):
            row[key] = accuracy(*sets[(a, "train")], spaces[a], *sets[(b, split)], spaces[b], "avg")
        row["cv en"] = cross_validated(*sets[("en", "train")], spaces["en"], "avg")
        row["cv x"] = cross_validated(*sets[(lang, "train")], spaces[lang], "avg")
        with OUT.open("a") as f:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(json.dumps(row, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
