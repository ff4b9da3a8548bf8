"""numpy reference of the locally linear mapping (Sakuma & Yoshinaga 2019, eq. 3-6) and of the
linear projection (eq. 1-2), with the regularisation and neighbour rule of
`Sources/Embeddings/Transfer`:

* neighbours: the k source rows with the highest cosine to the query (rows unit-normalised with
  the norm summed in float64, products in float32), ties to the lower source index;
* weights: C_jl = (y - x_j).(y - x_l); (C + delta * tr(C) / k * I) w = 1 solved (never
  inverted); alpha = w / sum(w); a neighbour with (y - x_j).(y - x_j) == 0 gives alpha = e_j
  (the first such neighbour);
* task-specific target vectors: Y_spec_i = sum_j alpha_ij X_spec_j.

Everything after the neighbour search is computed in float64 (the reference value).
"""

from __future__ import annotations

import numpy as np


def unit_rows(m: np.ndarray) -> np.ndarray:
    """float32 rows scaled to unit length (norm summed in float64); zero rows stay zero."""
    m = np.asarray(m, dtype=np.float32)
    norms = np.sqrt(np.einsum("ij,ij->i", m.astype(np.float64), m.astype(np.float64)))
    scale = np.where(norms > 0, 1.0 / np.where(norms > 0, norms, 1.0), 0.0).astype(np.float32)
    return m * scale[:, None]


def cosine_knn(queries: np.ndarray, source: np.ndarray, k: int, exclude_self: bool = False,
               block: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """(indices, cosines), each n_q x k, best first, ties to the lower index. With
    `exclude_self`, queries are the source rows themselves and row i never lists i."""
    q, s = unit_rows(queries), unit_rows(source)
    n = q.shape[0]
    idx = np.empty((n, k), dtype=np.int64)
    cos = np.empty((n, k), dtype=np.float32)
    for start in range(0, n, block):
        sims = q[start:start + block] @ s.T                       # float32 GEMM
        if exclude_self:
            rows = np.arange(sims.shape[0])
            sims[rows, start + rows] = -np.inf
        # Top-k by partition, then a stable order on (-score, index) among the k kept. (An index
        # tied with the k-th score but dropped by the partition is the only possible difference
        # from the engine's rule; the tests compare cosines there, not indices.)
        if k < sims.shape[1]:
            part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        else:
            part = np.tile(np.arange(sims.shape[1]), (sims.shape[0], 1))
        vals = np.take_along_axis(sims, part, axis=1)
        order = np.lexsort((part, -vals), axis=-1)
        idx[start:start + block] = np.take_along_axis(part, order, axis=1)
        cos[start:start + block] = np.take_along_axis(vals, order, axis=1)
    return idx, cos


def reconstruction_weights(queries: np.ndarray, general_source: np.ndarray, neighbors: np.ndarray,
                           delta: float, block: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    """(alpha n_q x k float64, exact-match mask n_q) for eq. 3-5 with the regularisation."""
    y = np.asarray(queries, dtype=np.float64)
    x = np.asarray(general_source, dtype=np.float64)
    n, k = neighbors.shape
    alpha = np.empty((n, k), dtype=np.float64)
    exact = np.zeros(n, dtype=bool)
    for start in range(0, n, block):
        nb = neighbors[start:start + block]
        d = y[start:start + block, None, :] - x[nb]               # b x k x d
        c = np.einsum("bjd,bld->bjl", d, d)                        # eq. 5
        diag = np.einsum("bjj->bj", c)
        hit = (diag == 0)
        tr = diag.sum(axis=1)
        reg = c + (delta * tr / k)[:, None, None] * np.eye(k)[None]
        ok = ~hit.any(axis=1)
        w = np.zeros((len(nb), k))
        if ok.any():
            w[ok] = np.linalg.solve(reg[ok], np.ones((ok.sum(), k, 1)))[..., 0]
            w[ok] /= w[ok].sum(axis=1, keepdims=True)              # eq. 4
        for r in np.nonzero(~ok)[0]:
            w[r] = 0
            w[r, np.argmax(hit[r])] = 1
        alpha[start:start + block] = w
        exact[start:start + block] = ~ok
    return alpha, exact


def apply_weights(alpha: np.ndarray, neighbors: np.ndarray, specific_source: np.ndarray) -> np.ndarray:
    """Eq. 6: sum_j alpha_ij X_spec[neighbors_ij], float64."""
    xs = np.asarray(specific_source, dtype=np.float64)
    return np.einsum("nk,nkd->nd", alpha, xs[neighbors])


def llm(general_source, specific_source, general_target, k: int, delta: float = 1e-3, neighbors=None):
    """The whole mapping: (Y_spec n_t x d_t, alpha, neighbors, cosines or None)."""
    cos = None
    if neighbors is None:
        neighbors, cos = cosine_knn(general_target, general_source, k)
    alpha, _ = reconstruction_weights(general_target, general_source, neighbors, delta)
    return apply_weights(alpha, neighbors, specific_source), alpha, neighbors, cos


def leave_self_out(general_source, specific_source, k: int, delta: float = 1e-3):
    """Each source word rebuilt from its k nearest other source words (j != i)."""
    neighbors, _ = cosine_knn(general_source, general_source, k, exclude_self=True)
    alpha, _ = reconstruction_weights(general_source, general_source, neighbors, delta)
    return apply_weights(alpha, neighbors, specific_source), neighbors


def linear_projection(general_source, specific_source, ridge: float = 0.0) -> np.ndarray:
    """Eq. 1: W (d_g x d_t) minimising ||X_gen W - X_spec||; ridge rho adds
    rho * tr(X^T X) / d_g * I to the normal equations."""
    x = np.asarray(general_source, dtype=np.float64)
    y = np.asarray(specific_source, dtype=np.float64)
    if ridge == 0:
        return np.linalg.lstsq(x, y, rcond=None)[0]
    g = x.T @ x
    g += ridge * np.trace(g) / g.shape[0] * np.eye(g.shape[0])
    return np.linalg.solve(g, x.T @ y)
