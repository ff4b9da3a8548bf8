#!/usr/bin/env python3
"""The CLDC side of issue 17: perceptron epochs and averaging of `%eval cldc`, chosen on development data.

Scores saved joint spaces (PREFIX.en.vec + PREFIX.LANG.vec, file names LANG-…) with the numpy
`%eval cldc` (`Tests/reference/cldc_reference.py`: idf-weighted averages, SplitMix64 seed 1) while
varying only the classifier: the averaged perceptron after E epochs (one 50-epoch run gives every
E, because the first E epochs of a longer run are the E-epoch run) and the last weight vector
(no averaging). Signals that never read a test split: dev (train → the other language's dev,
99 sentences) and proxy (train → the other language's train, 701 sentences), both directions.
Prints one JSON row per (space, classifier) and a mean over spaces.

    python3 Tests/bench/cldc_epochs.py PREFIX [PREFIX …]
"""
from __future__ import annotations

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
sys.path.insert(0, HERE)
import cldc_reference as R  # noqa: E402
from cofactor_dev_proxy import CODE, SIB, load_vec  # noqa: E402

CHECKPOINTS = (1, 2, 3, 5, 10, 20, 30, 50)


def snapshots(X, y, classes, seed=1):
    """{(E, 'avg'|'last'): (W, b)} for E in CHECKPOINTS, from one run (same updates as R.train_perceptron)."""
    n, d = X.shape
    W, b = np.zeros((classes, d)), np.zeros(classes)
    sumW, sumb = np.zeros((classes, d)), np.zeros(classes)
    rng, order, steps, out = R.SplitMix64(seed), list(range(n)), 0, {}
    for epoch in range(1, max(CHECKPOINTS) + 1):
        R.shuffle(order, rng)
        for i in order:
            p = R.predict_one(W, b, X[i])
            if p != y[i]:
                W[y[i]] += X[i]
                W[p] -= X[i]
                b[y[i]] += 1
                b[p] -= 1
            sumW += W
            sumb += b
            steps += 1
        if epoch in CHECKPOINTS:
            out[(epoch, "avg")] = (sumW / steps, sumb / steps)
            out[(epoch, "last")] = (W.copy(), b.copy())
    return out


def score(prefix):
    lang = os.path.basename(prefix).split("-")[0]
    spaces = {"en": load_vec(f"{prefix}.en.vec"), lang: load_vec(f"{prefix}.{lang}.vec")}
    sets = {(l, s): R.read_sib200(f"{SIB}/{CODE[l]}_Latn/{s}.tsv") for l in ("en", lang) for s in ("train", "dev")}
    names = sorted(set(sets[("en", "train")][1]))
    ids = {n: i for i, n in enumerate(names)}
    rows = {}
    for key, a, b, split in (("dev en>x", "en", lang, "dev"), ("dev x>en", lang, "en", "dev"),
                             ("proxy en>x", "en", lang, "train"), ("proxy x>en", lang, "en", "train")):
        Xtr = R.embed(sets[(a, "train")][0], *spaces[a])[0]
        Xte = R.embed(sets[(b, split)][0], *spaces[b])[0]
        yte = np.array([ids[l] for l in sets[(b, split)][1]])
        for clf, (W, bias) in snapshots(Xtr, [ids[l] for l in sets[(a, "train")][1]], len(names)).items():
            acc = 100 * float(np.mean(np.argmax(Xte @ W.T + bias, axis=1) == yte))
            rows.setdefault(clf, {})[key] = round(acc, 1)
    return rows


def main(prefixes):
    total = {}
    for prefix in prefixes:
        for (epochs, kind), row in sorted(score(prefix).items()):
            print(json.dumps({"space": os.path.basename(prefix), "epochs": epochs, "weights": kind, **row}), flush=True)
            for k, v in row.items():
                total.setdefault((epochs, kind), {}).setdefault(k, []).append(v)
    for (epochs, kind), row in sorted(total.items()):
        print(json.dumps({"space": f"mean of {len(prefixes)}", "epochs": epochs, "weights": kind,
                          **{k: round(float(np.mean(v)), 2) for k, v in row.items()}}), flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    main(sys.argv[1:])
