"""numpy reference for cross-lingual document classification (xling's `%eval cldc`).

Independent of the Swift code, but reproducing its conventions so predictions can be compared
exactly:
  * tokens: lowercase, punctuation stripped from token edges (xling's Tokenizer; ASCII and
    Unicode P*/S* categories), punctuation-only tokens dropped;
  * document vector: idf-weighted average of in-vocabulary token vectors, idf = ln(N / df)
    over the documents of the set being embedded, float64 sums in token order; a document
    whose weights sum to 0 is the zero vector;
  * averaged perceptron: K weight rows + biases from zero, scores w_k.x + b_k, argmax with the
    lowest class among ties; each epoch reshuffles the previous order with Fisher-Yates from
    the back (j = splitmix64() mod (i + 1)) using one SplitMix64(seed) for the whole run; the
    kept model is the plain mean of the models after every step (computed naively here, not
    with the lazy-averaging identity the Swift code uses);
  * labels: sorted label names; report: accuracy, per-class P/R/F1 with 0 for 0/0, macro = mean.
"""

from __future__ import annotations

import math
import re
import unicodedata

import numpy as np

MASK = (1 << 64) - 1


class SplitMix64:
    """Steele et al. 2014, as in xling's XlingCore/Random/SplitMix64.swift."""

    def __init__(self, seed: int):
        self.state = seed & MASK

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def shuffle(order: list[int], rng: SplitMix64) -> None:
    for i in range(len(order) - 1, 0, -1):
        j = rng.next() % (i + 1)
        order[i], order[j] = order[j], order[i]


def _is_punct(ch: str) -> bool:
    if ord(ch) < 128:
        return ch in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    return unicodedata.category(ch)[0] in "PS"


_SPACE = re.compile(r"[ \t\n\x0b\x0c\r]+")  # ASCII whitespace only, as xling's Tokenizer


def tokens(text: str) -> list[str]:
    out = []
    for raw in _SPACE.split(text):
        lo, hi = 0, len(raw)
        while lo < hi and _is_punct(raw[lo]):
            lo += 1
        while hi > lo and _is_punct(raw[hi - 1]):
            hi -= 1
        if lo < hi:
            out.append(raw[lo:hi].lower())
    return out


def read_sib200(path: str) -> tuple[list[list[str]], list[str]]:
    """(documents as token lists, label names per document) of a SIB-200 TSV."""
    docs, labels = [], []
    with open(path, "rb") as f:  # split on \n only (text mode would also split on a lone \r)
        lines = [line[:-1] if line.endswith("\r") else line for line in f.read().decode("utf-8").split("\n")]
    lines = [line for line in lines if line.strip()]
    header = lines[0].split("\t")
    li, ti = header.index("category"), header.index("text")
    for line in lines[1:]:
        fields = line.split("\t")
        text = "\t".join(fields[ti:]) if ti == len(header) - 1 else fields[ti]
        labels.append(fields[li].strip(" "))
        docs.append(tokens(text))
    return docs, labels


def idf(docs: list[list[str]]) -> dict[str, float]:
    df: dict[str, int] = {}
    for d in docs:
        for w in set(d):
            df[w] = df.get(w, 0) + 1
    n = len(docs)
    return {w: math.log(n / c) for w, c in df.items()}


def embed(docs, words: dict[str, int], vectors: np.ndarray):
    """(n x d float64 document vectors, tokens, covered tokens, zero documents)."""
    weights = idf(docs)
    vecs = vectors.astype(np.float64)
    out = np.zeros((len(docs), vectors.shape[1]))
    total = covered = zero = 0
    for i, d in enumerate(docs):
        acc = np.zeros(vectors.shape[1])
        wsum = 0.0
        total += len(d)
        for t in d:
            row = words.get(t)
            if row is None:
                continue
            covered += 1
            w = weights[t]
            acc += w * vecs[row]
            wsum += w
        if wsum > 0:
            out[i] = acc / wsum
        else:
            zero += 1
    return out, total, covered, zero


def predict_one(W, b, x) -> int:
    return int(np.argmax(W @ x + b))  # argmax: first maximum


def train_perceptron(X: np.ndarray, y: list[int], classes: int, epochs: int, seed: int):
    n, d = X.shape
    W = np.zeros((classes, d))
    b = np.zeros(classes)
    sumW = np.zeros((classes, d))
    sumb = np.zeros(classes)
    rng = SplitMix64(seed)
    order = list(range(n))
    steps = 0
    for _ in range(epochs):
        shuffle(order, rng)
        for i in order:
            x, g = X[i], y[i]
            p = predict_one(W, b, x)
            if p != g:
                W[g] += x
                W[p] -= x
                b[g] += 1
                b[p] -= 1
            sumW += W
            sumb += b
            steps += 1
    return sumW / steps, sumb / steps


def report(gold: list[int], pred: list[int], k: int) -> dict:
    conf = np.zeros((k, k), dtype=int)
    for g, p in zip(gold, pred):
        conf[g, p] += 1
    per = []
    for c in range(k):
        tp, predicted, support = conf[c, c], conf[:, c].sum(), conf[c].sum()
        p = tp / predicted if predicted else 0.0
        r = tp / support if support else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per.append((p, r, f))
    return {
        "accuracy": np.trace(conf) / conf.sum(),
        "macro P": float(np.mean([x[0] for x in per])),
        "macro R": float(np.mean([x[1] for x in per])),
        "macro F1": float(np.mean([x[2] for x in per])),
        "confusion": conf,
    }


def cldc(train_docs, train_labels, train_space, test_docs, test_labels, test_space, epochs=10, seed=0):
    """train_space / test_space: (word -> row dict, vectors). Returns the perceptron's and the
    majority baseline's reports, the predictions and the coverage counts."""
    names = sorted(set(train_labels))
    assert names == sorted(set(test_labels))
    ids = {n: i for i, n in enumerate(names)}
    ytr = [ids[l] for l in train_labels]
    yte = [ids[l] for l in test_labels]
    Xtr, *cov_tr = embed(train_docs, *train_space)
    Xte, *cov_te = embed(test_docs, *test_space)
    W, b = train_perceptron(Xtr, ytr, len(names), epochs, seed)
    pred = [predict_one(W, b, x) for x in Xte]
    counts = np.bincount(ytr, minlength=len(names))
    majority = int(np.argmax(counts))
    return {
        "perceptron": report(yte, pred, len(names)),
        "majority": report(yte, [majority] * len(yte), len(names)),
        "predictions": pred,
        "coverage": (cov_tr, cov_te),
        "labels": names,
    }
