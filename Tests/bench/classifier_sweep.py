"""Development-set sweep behind the `%train classifier` defaults (issue 14).

For each model (mlp, cnn, bigru-att, han) and each tuning language (English and German, SIB-200
train → dev), trains the classifier on the language's own GloVe space (100-d, Europarl sample,
as notebook 05 builds it) over a small grid of learning rate × dropout, with dev early stopping
(the best dev epoch is kept), and writes the best dev accuracy and its epoch per setting to
`bench-results/classifier_sweep.json` and a table to stdout. `--check LANG` instead trains every
model once with the defaults in an untuned language and reports dev and test accuracy against the
majority class. Runs the release `xling` (`xling run`); slow (tens of minutes), so not in `make test`.
"""
import argparse, itertools, json, os, re, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NB = os.path.join(ROOT, "notebooks")
TAG = str(os.getpid())  # several sweeps may run at once
SIB = {"en": "eng_Latn", "de": "deu_Latn", "fr": "fra_Latn", "it": "ita_Latn"}
TEXT = {"en": "europarl-en-de/en.txt.gz", "de": "europarl-en-de/de.txt.gz", "fr": "europarl-fr-es/fr.txt.gz",
        "it": "europarl-it/it.txt.gz"}
GRID = {
    "mlp": {"lr": [0.001, 0.003, 0.01], "dropout": [0.3, 0.7], "update_emb": ["true"]},
    "cnn": {"lr": [0.001, 0.003, 0.01], "dropout": [0.3, 0.5], "update_emb": ["false"]},
    "bigru-att": {"lr": [0.001, 0.003, 0.01], "dropout": [0.3], "update_emb": ["false"]},
    "han": {"lr": [0.001, 0.01], "dropout": [0.5], "update_emb": ["false"]},
}


def header(lang, seed):
    s = SIB[lang]
    return "\n".join([
        f"%set seed={seed} threads=1",
        f"%load corpus text path=data/{TEXT[lang]} lang={lang}",
        "%train glove corpus=text dim=100 iters=15 as=v",
        *[f"%load labeled {part}{suffix} path=data/sib200/{s}/{part}.tsv lang={lang}{option}"
          for part in ["train", "dev", "test"] for suffix, option in [("", ""), ("_p", " punct=keep")]],
    ])


def sets(model):
    """han reads sentences: its documents keep their punctuation."""
    return ("train_p", "dev_p", "test_p") if model == "han" else ("train", "dev", "test")


def run(script, name):
    path = os.path.join(NB, f"_sweep_{name}.xling")
    with open(path, "w") as f:
        f.write(script + "\n")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    try:
        out = subprocess.run([os.path.join(ROOT, ".build/release/xling"), "run", os.path.basename(path)], cwd=NB,
                             capture_output=True, text=True, env=env).stdout
    finally:
        if os.path.exists(path):
            os.remove(path)
        for f in os.listdir(NB):
            if f.startswith(f"_sweep_{name}-") and f.endswith(".svg"):
                os.remove(os.path.join(NB, f))
    return out


def parse(out):
    """classifier name → (best dev accuracy %, kept epoch, epochs run)."""
    res = {}
    for block in out.split("classifier `")[1:]:
        name = block.split("`", 1)[0]
        dev = re.search(r"dev accuracy\s+([\d.]+)%", block)
        ep = re.search(r"epochs\s+(\d+) of (\d+); kept epoch (\d+)", block)
        if dev and ep:
            res[name] = (float(dev.group(1)), int(ep.group(3)), int(ep.group(1)))
    return res


def sweep(models, langs, epochs, seed):
    rows = []
    for model in models:
        for lang in langs:
            lines, names = [header(lang, seed)], {}
            grid = itertools.product(GRID[model]["lr"], GRID[model]["dropout"], GRID[model]["update_emb"])
            for i, (lr, dr, up) in enumerate(grid):
                name = f"c{i}"
                names[name] = (lr, dr, up)
                train, dev, _ = sets(model)
                lines.append(f"%train classifier data={train} space=v model={model} dev={dev} epochs={epochs} lr={lr} "
                             f"dropout={dr} update_emb={up} as={name}")
            t = time.time()
            res = parse(run("\n".join(lines), f"{model}_{lang}_{TAG}"))
            for name, (lr, dr, up) in names.items():
                acc, kept, ran = res.get(name, (float("nan"), 0, 0))
                rows.append({"model": model, "lang": lang, "lr": lr, "dropout": dr, "update_emb": up, "dev": acc, "kept": kept,
                             "ran": ran})
                print(f"{model:10s} {lang} lr={lr:<6} dropout={dr:<4} update_emb={up:5s} dev {acc:5.1f}%  kept epoch {kept}/{ran}",
                      flush=True)
            print(f"  ({time.time() - t:.0f} s)", flush=True)
    return rows


EXTRA = ""  # --check-extra: options added to every check run (e.g. to replay a default on an older binary)


def check(models, lang, seed):
    lines = [header(lang, seed)]
    for m in models:
        train, dev, test = sets(m)
        lines.append(f"%train classifier data={train} space=v model={m} dev={dev} {EXTRA} as={m.replace('-', '')}")
        lines.append(f"%eval classifier {m.replace('-', '')} data={test}")
    out = run("\n".join(lines), f"check_{lang}_{TAG}")
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="mlp,cnn,bigru-att,han")
    ap.add_argument("--langs", default="en,de")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--update-emb", default=None, help="override the grid's update_emb values, e.g. true or true,false")
    ap.add_argument("--lr", default=None, help="override the grid's learning rates, e.g. 0.001,0.01")
    ap.add_argument("--out", default="classifier_sweep.json")
    ap.add_argument("--check-extra", default="")
    ap.add_argument("--check", default=None, help="an untuned language: train with the defaults, report dev and test")
    a = ap.parse_args()
    models = a.models.split(",")
    if a.update_emb:
        for m in models:
            GRID[m]["update_emb"] = a.update_emb.split(",")
    if a.lr:
        for m in models:
            GRID[m]["lr"] = [float(x) for x in a.lr.split(",")]
    EXTRA = a.check_extra
    if a.check:
        print(check(models, a.check, a.seed))
        sys.exit(0)
    rows = sweep(models, a.langs.split(","), a.epochs, a.seed)
    os.makedirs(os.path.join(ROOT, "bench-results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench-results", a.out), "w") as f:
        json.dump(rows, f, indent=1)
