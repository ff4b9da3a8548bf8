#!/usr/bin/env python3
"""Document representations for `%eval cldc` and the in-language ceiling of saved spaces (issue 17).

Scores saved joint spaces (`%save S path=PREFIX.en.vec side=source`, `… PREFIX.LANG.vec side=target`)
with the averaged perceptron of `Tests/reference/cldc_reference.py` (the one `%eval cldc` uses: 10
epochs, SplitMix64 seed 1) under several document representations, on SIB-200 splits that are
never the test split:

* dev en→x / x→en: train in one language → the other language's dev split (99 sentences);
* proxy en→x / x→en: train → the other language's *train* split (701 translations of the
  classifier's own sentences: optimistic level, ±1.7 points, used for ranking);
* cv en / cv x: 5-fold cross-validation within one language's train split (the in-language
  ceiling, less noisy than 99 dev sentences); idf per fold's own documents, as the protocol.

Representations (VARIANTS, comma-separated): `avg` (the protocol: idf-weighted average, what
`%eval cldc` does), `plain` (unweighted average), `sum` (tf-idf weighted sum, unnormalised); suffixes
`+unit` (unit length), `+center` (subtract the set's mean document), `+std` (standardise each
dimension over the set).

    python3 Tests/bench/cofactor_docrep.py PREFIX LANG [VARIANTS] [--cv]
    python3 Tests/bench/cofactor_docrep.py --dir DIR [VARIANTS] [--cv]   # every DIR/LANG-*.en.vec + .LANG.vec
"""
from __future__ import annotations

import glob
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
sys.path.insert(0, HERE)
import cldc_reference as R  # noqa: E402
from cofactor_dev_proxy import CODE, SIB, load_vec  # noqa: E402


def embed(docs, words, vectors, variant: str) -> np.ndarray:
    """n × d document vectors of `docs` under `variant` (idf over `docs` themselves)."""
    idf = R.idf(docs)
    base, *post = variant.split("+")
    X = np.zeros((len(docs), vectors.shape[1]))
    for i, doc in enumerate(docs):
        acc, total = np.zeros(vectors.shape[1]), 0.0
        for t in doc:
            row = words.get(t)
            if row is None:
                continue
            w = 1.0 if base == "plain" else idf[t]
            acc += w * vectors[row]
            total += w
        if total > 0:
            X[i] = acc if base == "sum" else acc / total
    for step in post:
        if step == "unit":
            X = X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)
        elif step == "center":
            X = X - X.mean(0)
        elif step == "std":
            X = (X - X.mean(0)) / np.maximum(X.std(0), 1e-12)
        else:
            raise SystemExit(f"unknown variant step {step}")
    return X


def accuracy(train_docs, train_labels, train_space, test_docs, test_labels, test_space, variant, seed=1) -> float:
    names = sorted(set(train_labels))
    ids = {n: i for i, n in enumerate(names)}
    W, b = R.train_perceptron(embed(train_docs, *train_space, variant), [ids[l] for l in train_labels], len(names), 10, seed)
    predicted = np.argmax(embed(test_docs, *test_space, variant) @ W.T + b, axis=1)
    return round(100 * float(np.mean(predicted == np.array([ids[l] for l in test_labels]))), 1)


def cross_validated(docs, labels, space, variant, folds=5) -> float:
    n, hits = len(docs), 0.0
    index = np.arange(n)
    for f in range(folds):
        test = index[f::folds]
        train = np.setdiff1d(index, test)
        a = accuracy([docs[i] for i in train], [labels[i] for i in train], space,
                     [docs[i] for i in test], [labels[i] for i in test], space, variant)
        hits += a * len(test) / 100
    return round(100 * hits / n, 1)


def score(prefix: str, lang: str, variants, cv: bool) -> None:
    spaces = {"en": load_vec(f"{prefix}.en.vec"), lang: load_vec(f"{prefix}.{lang}.vec")}
    sets = {(l, s): R.read_sib200(f"{SIB}/{CODE[l]}_Latn/{s}.tsv") for l in ("en", lang) for s in ("train", "dev")}
    for variant in variants:
        row = {"space": os.path.basename(prefix), "variant": variant}
        for key, a, b, split in (("dev en>x", "en", lang, "dev"), ("dev x>en", lang, "en", "dev"),
                                 ("proxy en>x", "en", lang, "train"), ("proxy x>en", lang, "en", "train")):
            row[key] = accuracy(*sets[(a, "train")], spaces[a], *sets[(b, split)], spaces[b], variant)
        if cv:
            row["cv en"] = cross_validated(*sets[("en", "train")], spaces["en"], variant)
            row["cv x"] = cross_validated(*sets[(lang, "train")], spaces[lang], variant)
        print(json.dumps(row, ensure_ascii=False), flush=True)


def main(argv) -> None:
    cv = "--cv" in argv
    args = [a for a in argv if a != "--cv"]
    if len(args) >= 2 and args[0] == "--dir":
        variants = tuple(args[2].split(",")) if len(args) > 2 else ("avg",)
        for en in sorted(glob.glob(os.path.join(args[1], "*.en.vec"))):
            prefix = en[: -len(".en.vec")]
            lang = os.path.basename(prefix).split("-")[0]
            if lang in CODE and lang != "en" and os.path.exists(f"{prefix}.{lang}.vec"):
                score(prefix, lang, variants, cv)
    elif len(args) >= 2:
        score(args[0], args[1], tuple(args[2].split(",")) if len(args) > 2 else ("avg",), cv)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
