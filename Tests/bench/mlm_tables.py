"""The measured evidence of issue 15: Wada & Iwata (2018)'s Table 1 / Table 4 at our scale.

Trains `%train mlm` (release `xling run`, the real magic) on the whole Europarl samples
(/work/shared/data/corpora/europarl, ~20k lines per language): en-de, en-es, en-fi bilingual and
en/fr/es/de quadrilingual, (dim, hidden) = (128, 128), every other key at its default; then
evaluates every model and the baselines on the same corpora and vocabularies (words with count >= 3):
monolingual `%train glove` vectors (dim 128, min_count 3) per language mapped by `%align vecmap`
(unsupervised), `%align muse`, `%align identical` (Procrustes over identical strings, refine 5),
`%align procrustes` with 500 seed pairs and with the whole training split (the supervised upper
bound), and chance. Both protocols: the paper's word alignment (`candidates=gold`, M = 1,000
one-to-one pairs, k = 1, 5) and the full-vocabulary BLI. Direction X -> en, as the paper.

Dictionaries (written by `dicts`): MUSE full de/es/fr-en (`muse-full/xx-en.dict.gz`); for fi the
xling-eval en-fi pairs (yacle train 5k + test 2k, reversed, lowercased), MUSE having no en-fi file
here. Each is split by source word (md5 of the word mod 3): one third `train` (supervised seeds, the
held-out development dictionary), two thirds `test` (every table). No test pair trains anything.

Supervised learning curve (the paper's Figure 2, below 500): Procrustes on n = 50, 100, 200, 500 seed
pairs, without and with five refinement steps (n = 0 is the identical-strings row). The seed sets are
nested prefixes of the 500: the first one-to-one pairs of the train third, in the dictionary's order,
whose words both have count >= 3 (deterministic). `base_XX` has every baseline row; `curve_XX` only
GloVe, identical strings and the curve (for de, whose `base_de` predates the curve; its identical row
must repeat base_de's, `tables` says if not). Both save the GloVe vectors (glove_XX.vec, glove_en.vec).

Steps (each writes into bench-results/mlm_runs; a run logs wall/CPU via /usr/bin/time -v, the load
average every 15 s, and NAME.settings: command, priority, start/end, PID, the %train line):

    .venv/bin/python Tests/bench/mlm_tables.py dicts
    .venv/bin/python Tests/bench/mlm_tables.py scripts [--threads N] [--epochs N]
    .venv/bin/python Tests/bench/mlm_tables.py run ende              # normal priority: the timed run
    .venv/bin/python Tests/bench/mlm_tables.py run enes --threads 1 --epochs 8   # rewrites enes.xling with these
    .venv/bin/python Tests/bench/mlm_tables.py run enfi --threads 1 --epochs 8
    .venv/bin/python Tests/bench/mlm_tables.py run quad --threads 1 --epochs 8 --nice
    .venv/bin/python Tests/bench/mlm_tables.py run base_de --nice    # baselines (base_es, base_fi, base_fr; curve_de)
    .venv/bin/python Tests/bench/mlm_tables.py vectors quad          # a stopped run: its checkpoint's best epoch as .vec
    .venv/bin/python Tests/bench/mlm_tables.py run eval_ende         # the MLM's saved vectors, X -> en, both protocols
    .venv/bin/python Tests/bench/mlm_tables.py tables                # markdown tables from the logs

`--threads` (default 2) and `--epochs` (default: the magic's 10) set the training scripts' threads= and
epochs=; `run TRAINING_RUN` rewrites that run's script with them. `--nice` runs at nice 19 (default:
normal priority). `run all` (`make mlm-tables`) does every step in order: about five CPU-hours (the
quadrilingual run alone two), so it is not part of `make bench`. Needs `swift build -c release --product xling`.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(ROOT, "bench-results", "mlm_runs")
DATA = "/work/shared/data"
EUROPARL = f"{DATA}/corpora/europarl"
XLING = os.path.join(ROOT, ".build", "release", "xling")

MODEL = "dim=128 hidden=128"  # every other key at its default
THREADS = 2  # `--threads N` overrides (threads= is always written: left out it falls back to %set threads, 1)
GLOVE = "dim=128 min_count=3 threads=2 seed=1"
RUNS = {"ende": ["en", "de"], "enes": ["en", "es"], "enfi": ["en", "fi"], "quad": ["en", "fr", "es", "de"]}
# The supervised learning curve below 500 (the paper's Figure 2): nested prefixes of the 500 seed pairs.
CURVE = (50, 100, 200, 500)
# The `eval=` dictionary (first language -> X) of each training run: P@1 shown after every epoch, never chooses.
EVAL_DICTS = {
    "de": f"{DATA}/dictionaries/muse-full/en-de.dict.gz",
    "es": f"{DATA}/dictionaries/muse-full/en-es.dict.gz",
    "fr": f"{DATA}/dictionaries/muse-full/en-fr.dict.gz",
    "fi": f"{DATA}/dictionaries/xling-eval/bli_datasets/en-fi/yacle.test.freq.2k.en-fi.tsv.gz lower=true",
}


def split_of(word):
    return "train" if int(hashlib.md5(word.encode()).hexdigest(), 16) % 3 == 0 else "test"


def read_pairs(lang):
    """(X, en) pairs, lowercased, X -> en."""
    pairs = []
    if lang == "fi":
        base = f"{DATA}/dictionaries/xling-eval/bli_datasets/en-fi"
        for f in ("yacle.train.freq.5k.en-fi.tsv.gz", "yacle.test.freq.2k.en-fi.tsv.gz"):
            for line in gzip.open(f"{base}/{f}", "rt", encoding="utf-8"):
                p = line.rstrip("\n").split("\t")
                if len(p) == 2:
                    pairs.append((p[1].lower(), p[0].lower()))
    else:
        for line in gzip.open(f"{DATA}/dictionaries/muse-full/{lang}-en.dict.gz", "rt", encoding="utf-8"):
            p = line.rstrip("\n").split(" @ ")  # `en @ xx` lines (reversed)
            if len(p) == 2:
                pairs.append((p[1].lower(), p[0].lower()))
    seen, unique = set(), []
    for p in pairs:
        if p not in seen:
            seen.add(p)
            unique.append(p)
    return unique


def dicts():
    os.makedirs(f"{OUT}/dicts", exist_ok=True)
    vocab = vocabularies()
    for lang in ("de", "es", "fr", "fi"):
        pairs = read_pairs(lang)
        for part in ("train", "test"):
            chosen = [p for p in pairs if split_of(p[0]) == part]
            with open(f"{OUT}/dicts/{lang}-en.{part}.tsv", "w", encoding="utf-8") as f:
                f.writelines(f"{a}\t{b}\n" for a, b in chosen)
            print(f"{lang}-en {part}: {len(chosen)} pairs")
        # 500 seed pairs for the paper's Figure 2 point: the first 500 one-to-one pairs of train (in the
        # dictionary's order) whose words both have count >= 3 (whitespace tokens, lowercased).
        seeds, used = [], (set(), set())
        for a, b in (p for p in pairs if split_of(p[0]) == "train"):
            if len(seeds) < 500 and a in vocab[lang] and b in vocab["en"] and a not in used[0] and b not in used[1]:
                seeds.append((a, b))
                used[0].add(a)
                used[1].add(b)
        # The learning curve's smaller seed sets are its prefixes (nested: 50 in 100 in 200 in 500).
        for n in CURVE:
            with open(f"{OUT}/dicts/{lang}-en.seed{n}.tsv", "w", encoding="utf-8") as f:
                f.writelines(f"{a}\t{b}\n" for a, b in seeds[:n])
            print(f"{lang}-en seed{n}: {len(seeds[:n])} pairs")


def vocabularies(min_count=3):
    """Words with count >= min_count per language (lowercased whitespace tokens with a word character)."""
    vocab = {}
    for lang in ("en", "de", "es", "fr", "fi"):
        counts = {}
        for line in gzip.open(f"{EUROPARL}/{lang}.txt.gz", "rt", encoding="utf-8"):
            for w in line.lower().split():
                if re.search(r"\w", w):
                    counts[w] = counts.get(w, 0) + 1
        vocab[lang] = {w for w, c in counts.items() if c >= min_count}
    return vocab


def corpus(lang):
    return f"%load corpus {lang} path={EUROPARL}/{lang}.txt.gz lang={lang}\n"


def training_script(name, langs, threads=THREADS, epochs=None):
    """The MLM run: train (threads= always given; epochs= when not the default 10), then save each language's
    input embeddings. The run's summary table states epochs and threads; NAME.settings keeps the %train line."""
    keys = f"{MODEL} threads={threads}" + (f" epochs={epochs}" if epochs else "")
    text = "".join(corpus(lang) for lang in langs)
    text += "".join(f"%load dict eval_{lang} path={EVAL_DICTS[lang]}\n" for lang in langs[1:])
    ev = " eval=" + ",".join(f"eval_{lang}" for lang in langs[1:])
    text += f"# %%\n%train mlm corpora={','.join(langs)} {keys}{ev} seed=1 checkpoint=mlm_{name}.xlmlm as=mlm_{name}\n"
    if len(langs) == 2:
        text += f"# %%\n%save mlm_{name} path=mlm_{name}.en.vec side=source\n"
        text += f"# %%\n%save mlm_{name} path=mlm_{name}.{langs[1]}.vec side=target\n"
    else:
        text += f"# %%\n%save mlm_{name}_{langs[1]} path=mlm_{name}.en.vec side=source\n"
        for lang in langs[1:]:
            text += f"# %%\n%save mlm_{name}_{lang} path=mlm_{name}.{lang}.vec side=target\n"
    return text


def gold(lang):
    """M = 1,000 (the paper), or every one-to-one test pair in both vocabularies where fewer (fi: about 890)."""
    return "candidates=gold k=1,5"


def eval_cells(src, tgt, lang, label):
    return (f"# %%\n%echo TABLE {label} {lang}-en\n%eval bli src={src} tgt={tgt} dict=test_{lang}\n"
            f"%eval bli src={src} tgt={tgt} dict=test_{lang} {gold(lang)}\n")


def map_eval_cells(mapping, lang, label):
    return (f"# %%\n%echo TABLE {label} {lang}-en\n%eval bli {mapping} dict=test_{lang}\n"
            f"%eval bli {mapping} dict=test_{lang} {gold(lang)}\n")


def dict_cells(lang, curve=False):
    parts = ("train", "test") + tuple(f"seed{n}" for n in (CURVE if curve else (500,)))
    return "".join(f"%load dict {part}_{lang} path=dicts/{lang}-en.{part}.tsv\n" for part in parts)


def glove_cells(lang):
    """GloVe per language (deterministic: same seed and threads, stratified schedule), saved for later scripts."""
    return (f"# %%\n%train glove corpus={lang} {GLOVE} as=g_{lang}\n%train glove corpus=en {GLOVE} as=g_en\n"
            f"%save g_{lang} path=glove_{lang}.vec\n%save g_en path=glove_en.vec\n")


def curve_cells(lang):
    """Identical strings (the curve's n = 0, refine 5) and Procrustes on n = 50, 100, 200, 500 seed pairs,
    without refinement (as the 500-pair row) and with five MUSE-style refinement steps (the paper's Figure 2
    uses MUSE's iterative Procrustes)."""
    text = f"# %%\n%align identical src=g_{lang} tgt=g_en normalize=unit,center,unit refine=5 as=ident\n"
    text += map_eval_cells("ident", lang, "identical")
    for n in CURVE:
        text += f"# %%\n%align procrustes src=g_{lang} tgt=g_en dict=seed{n}_{lang} normalize=unit,center,unit as=sup{n}\n"
        text += map_eval_cells(f"sup{n}", lang, f"procrustes{n}")
        text += (f"# %%\n%align procrustes src=g_{lang} tgt=g_en dict=seed{n}_{lang} normalize=unit,center,unit refine=5 "
                 f"as=sup{n}r\n")
        text += map_eval_cells(f"sup{n}r", lang, f"procrustes{n}_refine5")
    return text


def baseline_script(lang):
    """GloVe baselines for X -> en on the same corpora and vocabularies (count >= 3)."""
    text = corpus("en") + corpus(lang) + dict_cells(lang, curve=True) + glove_cells(lang) + curve_cells(lang)
    text += f"# %%\n%align procrustes src=g_{lang} tgt=g_en dict=train_{lang} normalize=unit,center,unit as=supall\n"
    text += map_eval_cells("supall", lang, "procrustes_train")
    text += f"# %%\n%align vecmap src=g_{lang} tgt=g_en threads=2 seed=1 as=vecmap\n"
    text += map_eval_cells("vecmap", lang, "vecmap")
    text += f"# %%\n%align muse src=g_{lang} tgt=g_en threads=2 seed=1 as=muse\n"
    text += map_eval_cells("muse", lang, "muse")
    return text


def curve_script(lang):
    """The learning-curve rows alone (for a language whose `base_` run predates them): the same GloVe training,
    saved, then identical strings (which must repeat the `base_` row: a check that GloVe is reproduced) and the
    curve."""
    return corpus("en") + corpus(lang) + dict_cells(lang, curve=True) + glove_cells(lang) + curve_cells(lang)


def mlm_eval_script(run):
    """The saved input embeddings of one MLM run, X -> en, both protocols."""
    langs = RUNS[run]
    text = f"%load vectors m_en path=mlm_{run}.en.vec lang=en\n"
    for lang in langs[1:]:
        text += dict_cells(lang) + f"%load vectors m_{lang} path=mlm_{run}.{lang}.vec lang={lang}\n"
    for lang in langs[1:]:
        text += eval_cells(f"m_{lang}", "m_en", lang, f"mlm_{run}")
    return text


def dev_script(run, epochs):
    """Per-epoch development curve of a bilingual run: the last-epoch vectors of checkpoint copies
    mlm_RUN.epN.xlmlm (written by `vectors RUN.epN --last`) on the held-out train split, X -> en."""
    lang = RUNS[run][1]
    text = dict_cells(lang)
    for n in epochs:
        text += f"%load vectors e{n}_en path=mlm_{run}.ep{n}.en.vec lang=en\n%load vectors e{n}_{lang} path=mlm_{run}.ep{n}.{lang}.vec lang={lang}\n"
    for n in epochs:
        text += (f"# %%\n%echo TABLE dev_epoch{n} {lang}-en\n%eval bli src=e{n}_{lang} tgt=e{n}_en dict=train_{lang}\n"
                 f"%eval bli src=e{n}_{lang} tgt=e{n}_en dict=train_{lang} {gold(lang)}\n")
    return text


def scripts(threads=THREADS, epochs=None):
    os.makedirs(OUT, exist_ok=True)
    for name, langs in RUNS.items():
        with open(f"{OUT}/{name}.xling", "w", encoding="utf-8") as f:
            f.write(training_script(name, langs, threads, epochs))
        with open(f"{OUT}/eval_{name}.xling", "w", encoding="utf-8") as f:
            f.write(mlm_eval_script(name))
    for lang in ("de", "es", "fi", "fr"):
        with open(f"{OUT}/base_{lang}.xling", "w", encoding="utf-8") as f:
            f.write(baseline_script(lang))
        with open(f"{OUT}/curve_{lang}.xling", "w", encoding="utf-8") as f:
            f.write(curve_script(lang))


def run(name, nice, argv=()):
    """One script, end to end: wall and CPU from /usr/bin/time -v, the load average every 15 s; NAME.settings
    records the command, priority, start/end time, PID and the script's magic lines."""
    script = open(f"{OUT}/{name}.xling", encoding="utf-8").read()
    settings = open(f"{OUT}/{name}.settings", "w", encoding="utf-8")
    settings.write(f"command: mlm_tables.py {' '.join(argv[1:])}\npriority: {'nice -n 19' if nice else 'normal'}\n"
                   f"start: {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\n"
                   + "".join(f"script: {line}\n" for line in script.splitlines() if line.startswith("%train")))
    settings.flush()
    log = open(f"{OUT}/{name}.load", "w")
    sampler = subprocess.Popen(
        ["bash", "-c", 'while true; do echo "$(date -u +%T) $(cat /proc/loadavg)"; sleep 15; done'], stdout=log)
    cmd = (["nice", "-n", "19"] if nice else []) + ["/usr/bin/time", "-v", XLING, "run", f"{name}.xling", "--continue-on-error"]
    checkpoint, seen = f"{OUT}/mlm_{name}.xlmlm", None
    with open(f"{OUT}/{name}.out", "w") as out, open(f"{OUT}/{name}.time", "w") as err:
        process = subprocess.Popen(cmd, cwd=OUT, stdout=out, stderr=err)
        settings.write(f"pid: {process.pid} (/usr/bin/time; xling is its child)\n")
        settings.flush()
        while process.poll() is None:
            time.sleep(20)
            # Keep a copy of every epoch's checkpoint (written atomically) for `dev`.
            if os.path.exists(checkpoint) and os.path.getmtime(checkpoint) != seen:
                seen = os.path.getmtime(checkpoint)
                shutil.copyfile(checkpoint, f"{OUT}/mlm_{name}.ep{epochs_done(checkpoint)}.xlmlm")
    sampler.terminate()
    settings.write(f"end: {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\nexit status: {process.returncode}\n")
    settings.close()
    return process.returncode


def epochs_done(path):
    """The epochs-done field of an MLM checkpoint (after the header and the vocabularies)."""
    import struct

    b = open(path, "rb").read()
    o = 36
    for _ in range(struct.unpack_from("<I", b, 12)[0]):
        o += 4 + struct.unpack_from("<I", b, o)[0]
        count = struct.unpack_from("<I", b, o)[0]
        o += 4
        for _ in range(count):
            o += 4 + struct.unpack_from("<I", b, o)[0]
    return struct.unpack_from("<I", b, o)[0]


def checkpoint_vectors(run, last=False):
    """Writes mlm_RUN.xx.vec from the run's checkpoint (MLMCheckpoint format version 1): the input embeddings
    E.ℓ of the best epoch so far (the second parameter store when present, else the last epoch's), `<unk>`
    left out, as `%save side=source/target` writes them. For a run stopped before its last epoch ended;
    `last` takes the last finished epoch's parameters instead (per-epoch development curves)."""
    import struct

    b = open(f"{OUT}/mlm_{run}.xlmlm", "rb").read()
    assert b[:8] == b"XLMLMCKP"
    o = 8

    def take(fmt):
        nonlocal o
        v = struct.unpack_from(fmt, b, o)[0]
        o += struct.calcsize(fmt)
        return v

    def text():
        nonlocal o
        n = take("<I")
        o += n
        return b[o - n:o].decode("utf-8")

    assert take("<I") == 1
    n, e, _h, _layers = (take("<I") for _ in range(4))
    o += 8  # dropout, init bound
    langs, words = [], []
    for _ in range(n):
        langs.append(text())
        words.append([text() for _ in range(take("<I"))])
    done, _seed, _batch, _sel, _last, best, score = take("<I"), take("<Q"), take("<I"), take("<I"), take("<d"), take("<i"), take("<d")
    has_best = b[o] == 1
    o += 1

    def store():
        nonlocal o
        assert b[o:o + 8] == b"XLNPARM1"
        o += 8
        values = {}
        for _ in range(take("<I")):
            name, rows, cols = text(), take("<I"), take("<I")
            values[name] = (rows, cols, struct.unpack_from(f"<{rows * cols}f", b, o))
            o += 4 * rows * cols
        return values

    params = store()
    if has_best and not last:
        params = store()
    for l, (lang, vocab) in enumerate(zip(langs, words)):
        rows, cols, flat = params[f"E.{l}"]
        assert rows == len(vocab) and cols == e and vocab[0] == "<unk>"
        with open(f"{OUT}/mlm_{run}.{lang}.vec", "w", encoding="utf-8") as f:
            f.write(f"{rows - 1} {cols}\n")
            for i in range(1, rows):
                f.write(vocab[i] + " " + " ".join(f"{x:.9g}" for x in flat[i * cols:(i + 1) * cols]) + "\n")
    kept = f"epoch {done}" if last or not has_best else f"best epoch {best + 1}"
    print(f"mlm_{run}: {done} epochs done, best epoch {best + 1} (criterion {score:.4f}); wrote {kept}'s {', '.join(langs)} vectors")


# ---------------------------------------------------------------------------------------------
# Tables from the logs


def time_summary(name):
    try:
        text = open(f"{OUT}/{name}.time").read()
    except FileNotFoundError:
        return None
    get = lambda key: re.search(re.escape(key) + r":\s*(\S+)", text)
    user, system, wall = get("User time (seconds)"), get("System time (seconds)"), get("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    if not (user and system and wall):
        return None
    parts = [float(x) for x in wall.group(1).split(":")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    loads = [float(line.split()[1]) for line in open(f"{OUT}/{name}.load") if len(line.split()) > 1]
    return {"wall": seconds, "cpu": float(user.group(1)) + float(system.group(1)),
            "load_mean": sum(loads) / max(1, len(loads)), "load_min": min(loads, default=0), "load_max": max(loads, default=0)}


def parse_eval(name):
    """{(label, pair): row} from the `%echo TABLE label pair` markers and the two %eval bli tables after each:
    full-vocabulary P@1/P@5 (CSLS and NN, muse = vecmap convention, covered source words), gold-protocol
    P@1/P@5 (CSLS, NN), M and chance; plus the failure detector's verdict of the %align cell before it."""
    try:
        lines = open(f"{OUT}/{name}.out", encoding="utf-8").read().splitlines()
    except FileNotFoundError:
        return {}
    results, key, verdict, gold = {}, None, None, False
    for line in lines:
        m = re.match(r"TABLE (\S+) (\S+)", line)
        if m:
            key, gold = (m.group(1), m.group(2)), False
            results[key] = {"verdict": verdict}
            verdict = None
            continue
        v = re.match(r"verdict \(failure detector\)\s+(\S+)", line)
        if v:
            verdict = v.group(1)
        if key is None:
            continue
        row = results[key]
        if line.startswith("word alignment of"):
            gold = True
        cells = line.split()
        if not gold and len(cells) == 8 and cells[1:4] == ["muse", "=", "vecmap"]:
            row[f"all_{cells[0]}"] = (float(cells[4]), float(cells[5]))
            row["covered"] = int(cells[7])
        elif gold and len(cells) == 4 and cells[0] in ("nn", "csls", "chance"):
            row[f"gold_{cells[0]}"] = (float(cells[1]), float(cells[2]))
            row["M"] = int(cells[3])
    return results


LABELS = [
    ("mlm_ende", "MLM en–de (ours)"), ("mlm_enes", "MLM en–es"), ("mlm_enfi", "MLM en–fi"),
    ("mlm_quad", "MLM en/fr/es/de (quadrilingual)"), ("vecmap", "GloVe + VecMap (unsupervised)"),
    ("muse", "GloVe + MUSE (unsupervised)"), ("identical", "GloVe + Procrustes, identical strings (refine 5)"),
    ("procrustes500", "GloVe + Procrustes, 500 seed pairs (supervised)"),
    ("procrustes_train", "GloVe + Procrustes, train split (supervised upper bound)"),
]
BASELINES = ("de", "es", "fi", "fr")


def training_summary(name):
    """From a training run's log: 'k of n epochs', the kept-model line and threads (None when absent)."""
    try:
        text = open(f"{OUT}/{name}.out", encoding="utf-8").read()
    except FileNotFoundError:
        return None
    get = lambda pattern: (m.group(1).strip() if (m := re.search(pattern, text)) else "?")
    return {"epochs": get(r"batch \d+, (\d+ of \d+ epochs)"), "kept": get(r"model kept\s+(.*)"),
            "threads": get(r"threads, seed\s+(\d+)")}


def cell(r, key):
    return f"{r[key][0]:.1f} / {r[key][1]:.1f}" if r and key in r else "–"


def tables():
    """Timing lines, the main table (every method, both protocols, per pair) and the learning curve."""
    names = list(RUNS) + ["ende_resume"] + [f"eval_{r}" for r in RUNS] + [f"{k}_{l}" for k in ("base", "curve") for l in BASELINES]
    for name in names:
        t = time_summary(name)
        if t:
            line = (f"{name}: wall {t['wall']:.0f} s, CPU {t['cpu']:.0f} s, load {t['load_min']:.1f}-{t['load_max']:.1f} "
                    f"(mean {t['load_mean']:.1f})")
            if (name in RUNS or name == "ende_resume") and (summary := training_summary(name)):
                line += f"; {summary['epochs']}, threads {summary['threads']}; kept: {summary['kept']}"
            print(line)
    rows = {}
    for name in [f"eval_{r}" for r in RUNS] + [f"{k}_{l}" for l in BASELINES for k in ("base", "curve")]:
        for key, row in parse_eval(name).items():
            if key in rows and rows[key].get("gold_csls") != row.get("gold_csls"):
                print(f"note: {name} gives {key} gold P@1/P@5 {cell(row, 'gold_csls')}, an earlier log {cell(rows[key], 'gold_csls')}")
            rows[key] = row
    pairs = sorted({pair for _, pair in rows})
    print("\n| method | " + " | ".join(f"{p} gold P@1 / P@5 (M)" for p in pairs) + " | "
          + " | ".join(f"{p} all-vocab P@1 / P@5 (covered)" for p in pairs) + " |")
    print("|---" * (1 + 2 * len(pairs)) + "|")
    chance = {}
    for label, title in LABELS:
        cells_gold, cells_all, any_row = [], [], False
        for p in pairs:
            r = rows.get((label, p))
            if not r or "gold_csls" not in r:
                cells_gold.append("–")
                cells_all.append("–")
                continue
            any_row = True
            chance[p] = (r["gold_chance"], r["M"])
            flag = f" ({r['verdict']})" if r.get("verdict") else ""
            cells_gold.append(f"{cell(r, 'gold_csls')} ({r['M']}){flag}")
            cells_all.append(f"{cell(r, 'all_csls')} ({r['covered']})" if "all_csls" in r else "–")
        if any_row:
            print(f"| {title} | " + " | ".join(cells_gold) + " | " + " | ".join(cells_all) + " |")
    print("| chance | " + " | ".join(f"{chance[p][0][0]:.1f} / {chance[p][0][1]:.1f}" if p in chance else "–" for p in pairs)
          + " | " + " | ".join("≈ 0" for _ in pairs) + " |")
    print("\nCSLS retrieval (K = 10); precision in %; (M) gold pairs; covered = test source words in both vocabularies.")
    # The paper's Figure 2: supervised Procrustes against the number of seed pairs (n = 0: identical strings).
    curve_pairs = [p for p in pairs if any((f"procrustes{n}", p) in rows for n in CURVE[:-1])]
    if curve_pairs:
        print("\n| seed pairs n | " + " | ".join(f"{p} Procrustes | {p} + refine 5" for p in curve_pairs) + " |")
        print("|---" * (1 + 2 * len(curve_pairs)) + "|")
        print("| 0 (identical strings) | " + " | ".join(f"– | {cell(rows.get(('identical', p)), 'gold_csls')}"
                                                 for p in curve_pairs) + " |")
        for n in CURVE:
            print(f"| {n} | " + " | ".join(f"{cell(rows.get((f'procrustes{n}', p)), 'gold_csls')} | "
                                         f"{cell(rows.get((f'procrustes{n}_refine5', p)), 'gold_csls')}" for p in curve_pairs) + " |")
        print("\nGold protocol P@1 / P@5 (CSLS, %); n = 0 is identical strings (refine 5); seed sets nested prefixes.")
        mlm = [(label, p) for label in ("mlm_ende", "mlm_enes", "mlm_enfi", "mlm_quad") for p in curve_pairs if (label, p) in rows]
        print("\nFor comparison, the MLM rows (gold P@1 / P@5): "
              + "; ".join(f"{label} {p} {cell(rows[(label, p)], 'gold_csls')}" for label, p in mlm))


def flag(argv, name, default=None):
    """The value after `--name` in argv (an int), else default."""
    return int(argv[argv.index(name) + 1]) if name in argv else default


def main(argv):
    step = argv[1] if len(argv) > 1 else "tables"
    threads, epochs, nice = flag(argv, "--threads", THREADS), flag(argv, "--epochs"), "--nice" in argv
    if step == "dicts":
        dicts()
    elif step == "scripts":
        scripts(threads, epochs)
    elif step == "vectors":
        checkpoint_vectors(argv[2], last="--last" in argv)
    elif step == "dev":  # dev RUN N1,N2,...: per-epoch vectors, then their evaluation on the dev split
        epochs = [int(n) for n in argv[3].split(",")]
        for n in epochs:
            checkpoint_vectors(f"{argv[2]}.ep{n}", last=True)
        with open(f"{OUT}/dev_{argv[2]}.xling", "w", encoding="utf-8") as f:
            f.write(dev_script(argv[2], epochs))
        run(f"dev_{argv[2]}", True, argv)
    elif step == "run":
        every = list(RUNS) + [f"eval_{r}" for r in RUNS] + [f"base_{l}" for l in BASELINES]
        names = every if argv[2] == "all" else [argv[2]]
        if argv[2] == "all":
            dicts()
            scripts(threads, epochs)
        for name in names:
            if name in RUNS:  # the training script states the settings of this command
                with open(f"{OUT}/{name}.xling", "w", encoding="utf-8") as f:
                    f.write(training_script(name, RUNS[name], threads, epochs))
            run(name, nice, argv)
    else:
        tables()


if __name__ == "__main__":
    main(sys.argv)
