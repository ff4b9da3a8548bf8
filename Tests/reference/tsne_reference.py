"""Reference side of the t-SNE differential test and benchmark.

- `read_matrix` / `write_matrix`: the XLF32MAT files `xling-bench` reads and `--dump` writes
  ("XLF32MAT", uint64 rows, uint64 cols little-endian, float32 row-major).
- `load_vec`: the first rows of a word2vec text file (gzip allowed) as float32.
- `opentsne_fit`: openTSNE 1.0.4 with its default pipeline (perplexity affinities, PCA
  initialisation, 250 early-exaggeration iterations then the rest, learning rate "auto" =
  N / exaggeration per phase), one thread, Barnes-Hut, and optionally exact neighbours.
- `exact_kl`: KL(P || Q) of an embedding over a sparse joint P with the exact normaliser
  Z = sum_{i != j} 1/(1 + |y_i - y_j|^2), in float64, blockwise (O(N^2) time, O(block * N)
  memory). Both sides of every comparison are scored by this one formula on the same P.
"""
from __future__ import annotations

import gzip
import struct

import numpy as np


def read_matrix(path: str) -> np.ndarray:
    with open(path, "rb") as f:
        header = f.read(24)
        assert header[:8] == b"XLF32MAT", f"{path}: not an XLF32MAT file"
        rows, cols = struct.unpack("<QQ", header[8:])
        data = np.frombuffer(f.read(rows * cols * 4), dtype="<f4")
    return data.reshape(rows, cols).copy()


def write_matrix(path: str, x: np.ndarray) -> None:
    x = np.ascontiguousarray(x, dtype="<f4")
    with open(path, "wb") as f:
        f.write(b"XLF32MAT" + struct.pack("<QQ", *x.shape))
        f.write(x.tobytes())


def load_vec(path: str, rows: int | None = None) -> tuple[list[str], np.ndarray]:
    opener = gzip.open if path.endswith(".gz") else open
    words, vectors = [], []
    with opener(path, "rt", encoding="utf-8") as f:
        f.readline()
        for line in f:
            if rows is not None and len(words) >= rows:
                break
            parts = line.rstrip().split(" ")
            words.append(parts[0])
            vectors.append([float(v) for v in parts[1:]])
    return words, np.asarray(vectors, dtype=np.float32)


def opentsne_fit(x: np.ndarray, perplexity=30.0, iterations=750, early_iterations=250,
                 exaggeration=12.0, seed=1, exact_neighbors=False, method="bh"):
    """openTSNE's fit with the given schedule on one thread; returns (embedding, P, its KL)."""
    from openTSNE import TSNE

    kwargs = dict(perplexity=perplexity, n_iter=iterations - early_iterations,
                  early_exaggeration_iter=early_iterations, early_exaggeration=exaggeration,
                  n_jobs=1, random_state=seed, negative_gradient_method=method, theta=0.5,
                  initialization="pca")
    if exact_neighbors:
        kwargs["neighbors"] = "exact"
    embedding = TSNE(**kwargs).fit(np.asarray(x, dtype=np.float64))
    return np.asarray(embedding), embedding.affinities.P.tocsr(), float(embedding.kl_divergence)


def exact_kl(p, y: np.ndarray, block: int = 1024) -> float:
    """KL(P || Q) with exact Z: sum p log p - sum p log qt + log Z, qt = 1/(1 + d^2)."""
    p = p.tocoo()
    y = np.asarray(y, dtype=np.float64)
    vals = p.data
    d2 = np.sum((y[p.row] - y[p.col]) ** 2, axis=1)
    positive = vals > 0
    attractive = np.sum(vals[positive] * np.log(vals[positive])) + np.sum(vals * np.log1p(d2))
    z = 0.0
    sq = np.sum(y * y, axis=1)
    for start in range(0, len(y), block):
        yb = y[start:start + block]
        dist = sq[start:start + block, None] + sq[None, :] - 2 * yb @ y.T
        np.maximum(dist, 0, out=dist)
        q = 1.0 / (1.0 + dist)
        z += q.sum() - len(yb)          # the diagonal (distance 0) contributes exactly 1 per row
    return float(attractive / vals.sum() + np.log(z)) if abs(vals.sum() - 1) > 1e-12 else float(attractive + np.log(z))
