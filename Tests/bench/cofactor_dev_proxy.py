#!/usr/bin/env python3
"""Development checks of `%train cofactor` spaces with a less noisy signal than SIB-200 dev (issue 17).

SIB-200 dev has 99 sentences (±4.6 points at 30 %), too few to rank settings that differ by a
few points. This script scores saved joint spaces (`%save S path=… side=source|target`, word2vec
text) with the numpy CLDC of `Tests/reference/cldc_reference.py` (the same averaged perceptron,
idf weighting and seed as `%eval cldc`) on:

* dev: SIB-200 train in one language → dev in the other (both directions, as the sweep);
* proxy: SIB-200 train in one language → the *other language's train split* (701 sentences,
  ±1.7 points; the sentences are translations of the classifier's own training sentences, so
  the level is optimistic, but the ranking of spaces is what it is for);
* ceiling: English train → English dev with the English side alone (in-language accuracy,
  an upper bound of what any cross-lingual space built on the same monolingual vectors reaches).

The test splits are never read. Optional post-processing variants (`raw`, `center`, `unit`,
`unit+center`, `x3`, …; applied per language to the word vectors) show whether a normalisation
of the output would help.

    python3 Tests/bench/cofactor_dev_proxy.py PREFIX [LANG] [VARIANTS]
    # PREFIX.en.vec and PREFIX.LANG.vec, e.g. from
    #   %save s path=/tmp/s.en.vec side=source
    #   %save s path=/tmp/s.de.vec side=target
"""
from __future__ import annotations

import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
import cldc_reference as R  # noqa: E402

SIB = os.path.normpath(os.path.join(HERE, "..", "..", "notebooks", "data", "sib200"))
CODE = {"en": "eng", "de": "deu", "fr": "fra", "es": "spa"}


def load_vec(path: str):
    """(word → row, n × d array) of a word2vec text file (lines starting with # are skipped)."""
    words, rows = {}, []
    with open(path, encoding="utf-8") as f:
        _, d = map(int, f.readline().split()[:2])
        for line in f:
            if line.startswith("#"):
                continue
            parts = line.rstrip("\n").split(" ")
            words[parts[0]] = len(rows)
            rows.append([float(x) for x in parts[1:d + 1]])
    return words, np.array(rows)


def post(vectors: np.ndarray, variant: str) -> np.ndarray:
    for step in variant.split("+"):
        if step == "center":
            vectors = vectors - vectors.mean(0)
        elif step == "unit":
            vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
        elif step.startswith("x"):
            vectors = vectors * float(step[1:])
        elif step != "raw":
            raise SystemExit(f"unknown variant step {step}")
    return vectors


def score(prefix: str, lang: str = "de", variants=("raw",)) -> list[dict]:
    spaces = {l: load_vec(f"{prefix}.{l}.vec") for l in ("en", lang)}
    sets = {(l, s): R.read_sib200(f"{SIB}/{CODE[l]}_Latn/{s}.tsv") for l in ("en", lang) for s in ("train", "dev")}
    rows = []
    for variant in variants:
        sp = {l: (w, post(v, variant)) for l, (w, v) in spaces.items()}
        row = {"space": prefix, "variant": variant}
        for key, a, b, split in (("dev en→x", "en", lang, "dev"), ("dev x→en", lang, "en", "dev"),
                                 ("proxy en→x", "en", lang, "train"), ("proxy x→en", lang, "en", "train"),
                                 ("ceiling en→en", "en", "en", "dev")):
            r = R.cldc(*sets[(a, "train")], sp[a], *sets[(b, split)], sp[b], seed=1)
            row[key] = round(100 * float(r["perceptron"]["accuracy"]), 1)
            row[key.split()[0] + " majority"] = round(100 * float(r["majority"]["accuracy"]), 1)
        rows.append(row)
        print(row, flush=True)
    return rows


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    score(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "de",
          tuple(sys.argv[3].split(",")) if len(sys.argv) > 3 else ("raw",))
