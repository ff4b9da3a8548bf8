"""A numpy replay of MUSE's two deterministic steps (Conneau et al. 2018), as xling formulates
them (`MUSE.orthogonalize`, `MUSERefinement.step`), written from the paper and the method's
description, not from MUSE's code:

- orthogonalisation: W <- (1 + beta) W - beta (W W^T) W;
- refinement: map the top `rank` source rows by W, induce a dictionary S2T (each mapped source
  row with its CSLS-k nearest target among the top `rank` target rows; rows unit-normalised,
  CSLS = 2 cos - r_T(x) - r_S(y), r = mean of the k largest cosines), or only mutual pairs,
  then W = U V^T from the SVD of X^T Y over the pairs.

`python muse_reference.py` writes fixtures/muse_reference.json (seeded random inputs and the
expected outputs), which `Tests/EmbeddingsTests/MUSETests` compares xling against;
`test_muse_reference.py` checks that the committed fixture is what this script computes.
"""
from __future__ import annotations

import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "fixtures", "muse_reference.json")


def orthogonalize(w: np.ndarray, beta: float) -> np.ndarray:
    return (1 + beta) * w - beta * (w @ w.T) @ w


def unit(m: np.ndarray) -> np.ndarray:
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def csls_nearest(s: np.ndarray, t: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """For unit rows s, t: each s row's CSLS-k nearest t row, and each t row's nearest s row."""
    cos = s @ t.T
    r_t = np.sort(cos, axis=1)[:, -k:].mean(axis=1)  # per source row, over targets
    r_s = np.sort(cos, axis=0)[-k:, :].mean(axis=0)  # per target row, over sources
    csls = 2 * cos - r_t[:, None] - r_s[None, :]
    return csls.argmax(axis=1), csls.argmax(axis=0)


def refine(source, target, w, rank: int, k: int, mutual: bool):
    s = unit((source[:rank] @ w).astype(np.float64))
    t = unit(target[:rank].astype(np.float64))
    forward, backward = csls_nearest(s, t, k)
    rows = [i for i in range(len(s)) if not mutual or backward[forward[i]] == i]
    cols = [int(forward[i]) for i in rows]
    x, y = source[rows].astype(np.float64), target[cols].astype(np.float64)
    u, _, vt = np.linalg.svd(x.T @ y)
    return u @ vt, rows, cols


def make() -> dict:
    rng = np.random.default_rng(16)
    n, d, rank, k = 80, 12, 60, 5
    target = rng.standard_normal((n, d)).astype(np.float32)
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    # the source is a noisy rotated copy of the target (row i of each is the same word)
    source = (target @ q.T + 0.9 * rng.standard_normal((n, d))).astype(np.float32)
    w = (q + 0.05 * rng.standard_normal((d, d))).astype(np.float32)
    out = {"n": n, "d": d, "rank": rank, "k": k, "beta": 0.001,
           "source": source.ravel().tolist(), "target": target.ravel().tolist(), "w": w.ravel().tolist(),
           "orthogonalized": orthogonalize(w.astype(np.float64), 0.001).ravel().tolist()}
    for mutual in (False, True):
        refined, rows, cols = refine(source, target, w, rank, k, mutual)
        key = "mutual" if mutual else "s2t"
        out[key] = {"weights": refined.ravel().tolist(), "sourceRows": rows, "targetRows": cols}
    return out


if __name__ == "__main__":
    with open(FIXTURE, "w") as f:
        json.dump(make(), f)
    print("wrote", FIXTURE)
