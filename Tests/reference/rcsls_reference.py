"""The RCSLS objective and gradient of fastText `alignment/align.py` (Joulin et al. 2018), in numpy.

Written from the formulation of align.py's `getknn` / `rcsls` (not copied): with R the
target × source map (mapped x = x Rᵀ), pairs X, Y (n × d) and negatives Z_src, Z_tgt,

    f  = 2 Σ ⟨x_i Rᵀ, y_i⟩ − (1/k) Σ_i top-k_j ⟨x_i Rᵀ, z_tgt_j⟩ − (1/k) Σ_i top-k_j ⟨z_src_j Rᵀ, y_i⟩
    df = 2 Yᵀ X − (1/k) (Σ neighbours of X)ᵀ X − ((1/k) (Σ neighbours of Y)ᵀ Y)ᵀ
    loss = −f / n,  gradient = −df / n

xling's W is Rᵀ, so its gradient is the transpose of this one.
"""
from __future__ import annotations

import numpy as np


def topk_sum_and_rows(scores: np.ndarray, rows: np.ndarray, k: int):
    """Σ of each row's k largest scores, and Σ of the matching rows of `rows` (n × d)."""
    idx = np.argpartition(scores, -k, axis=1)[:, -k:]
    total = np.take_along_axis(scores, idx, axis=1).sum(dtype=np.float64)
    return total, rows[idx.reshape(-1)].reshape(idx.shape[0], k, -1).sum(axis=1)


def rcsls(x: np.ndarray, y: np.ndarray, zs: np.ndarray, zt: np.ndarray, r: np.ndarray, k: int = 10):
    """(loss, gradient w.r.t. R) as align.py computes them, in float32 with float64 sums."""
    xt = x @ r.T
    f = 2 * float(np.sum(xt * y, dtype=np.float64))
    df = 2 * (y.T @ x)
    f0, n0 = topk_sum_and_rows(xt @ zt.T, zt, k)
    f1, n1 = topk_sum_and_rows((zs @ r.T @ y.T).T, zs, k)
    f -= (f0 + f1) / k
    df = df - (n0.T @ x) / k - ((n1.T @ y) / k).T
    n = x.shape[0]
    return -f / n, -df / n
