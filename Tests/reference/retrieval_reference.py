"""numpy reference for xling's retrieval, BLI and hubness code (Sources/Embeddings/Retrieval,
Sources/Embeddings/Evaluation).

The batched ``X @ Y.T`` + ``np.argpartition`` / ``np.partition`` formulation used by MUSE
(src/evaluation/word_translation.py, src/utils.py:get_nn_avg_dist) and VecMap
(eval_translation.py), written independently with the same definitions as the Swift code:

* all vectors are unit rows (cosine = dot product); float32 throughout except where noted;
* NN score ``s = x . y``;
* CSLS (Conneau et al. 2018): ``(2*s - r_T(x)) - r_S(y)`` (float32, left to right), r_T(x) =
  mean of x's k largest cosines to ALL target rows, r_S(y) = mean of y's k largest cosines to
  ALL source rows (means in float64, stored float32); k clamped to the side's size;
* inverted softmax (Smith et al. 2017): ranked by ``beta*s - logZ(y)`` (float32) with
  ``logZ(y) = log sum_{x in source} exp(beta * x . y)`` (float64 log-sum-exp), reported score
  ``exp(beta*s - logZ(y))``;
* ranking: descending score, ties -> lower target index (a stable sort on (-score, index)
  applied after the partition, so the tie rule is exact even at the partition boundary).

Functions return plain numpy arrays / dicts so differential tests can compare them with the
Swift results. ``csls_numpy_benchmark`` times the numpy CSLS recipe.
"""
import time

import numpy as np

BATCH = 4096


def unit_normalize(x):
    """Copy of x (float32) with rows scaled to unit length (zero rows stay zero)."""
    x = np.asarray(x, dtype=np.float32)
    norms = np.sqrt((x.astype(np.float64) ** 2).sum(axis=1))
    norms[norms == 0] = 1
    return (x / norms[:, None]).astype(np.float32)


def _topk_rows(scores, k):
    """Top-k (indices, values) per row of a 2-D float32 block: descending, ties -> lower index."""
    m, n = scores.shape
    k = min(k, n)
    if k == n:
        cand = np.tile(np.arange(n), (m, 1))
    else:
        cand = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    idx = np.empty((m, k), dtype=np.int64)
    val = np.empty((m, k), dtype=np.float32)
    for i in range(m):
        row = scores[i]
        c = cand[i]
        thr = row[c].min()
        # Every value equal to the k-th largest may belong to the top k under the index tie
        # rule, so re-select among all candidates >= the threshold when there are extras.
        if k < n and np.count_nonzero(row >= thr) > k:
            c = np.flatnonzero(row >= thr)
        order = np.lexsort((c, -row[c]))[:k]
        idx[i] = c[order]
        val[i] = row[c[order]]
    return idx, val


def topk_mean(x, y, k, batch=BATCH):
    """r(x) = mean of the k largest x . y over all rows y of `y`, for every row of x (float32)."""
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y, dtype=np.float32)
    k = min(k, y.shape[0])
    out = np.empty(x.shape[0], dtype=np.float32)
    n = y.shape[0]
    for i in range(0, x.shape[0], batch):
        s = x[i:i + batch] @ y.T
        part = np.partition(s, n - k, axis=1)[:, n - k:]
        out[i:i + batch] = part.astype(np.float64).mean(axis=1).astype(np.float32)
    return out


def csls_stats(x, y, k=10, batch=BATCH):
    """(r_T for every source row of x, r_S for every target row of y) as in MUSE's get_nn_avg_dist."""
    return topk_mean(x, y, k, batch), topk_mean(y, x, k, batch)


def isf_log_normalizer(x, y, beta, batch=BATCH):
    """logZ(y) = log sum_x exp(beta * x . y) for every target row y (float64 LSE, float32 out)."""
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y, dtype=np.float32)
    out = np.empty(y.shape[0], dtype=np.float32)
    for j in range(0, y.shape[0], batch):
        z = (y[j:j + batch] @ x.T).astype(np.float64) * float(np.float32(beta))
        mx = z.max(axis=1)
        out[j:j + batch] = (mx + np.log(np.exp(z - mx[:, None]).sum(axis=1))).astype(np.float32)
    return out


def search(x, y, k, method="nn", csls_k=10, beta=30.0, query_rows=None, batch=BATCH):
    """Top-k (indices int64 [m, k], scores float32 [m, k]) of target rows y for source rows x.

    method: "nn", "csls" (uses csls_k) or "isf" (uses beta). Queries are rows `query_rows` of
    x (all when None); r_S and the ISF normaliser are always over all of x.
    """
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y, dtype=np.float32)
    rows = np.arange(x.shape[0]) if query_rows is None else np.asarray(query_rows, dtype=np.int64)
    if method == "csls":
        r_t, r_s = csls_stats(x, y, csls_k, batch)
    elif method == "isf":
        log_z = isf_log_normalizer(x, y, beta, batch)
        b32 = np.float32(beta)
    idx_all, val_all = [], []
    for i in range(0, len(rows), batch):
        q = rows[i:i + batch]
        s = x[q] @ y.T
        if method == "csls":
            s = np.float32(2) * s - r_t[q][:, None] - r_s[None, :]
        elif method == "isf":
            s = b32 * s - log_z[None, :]
        idx, val = _topk_rows(s, k)
        if method == "isf":
            val = np.exp(val).astype(np.float32)
        idx_all.append(idx)
        val_all.append(val)
    if not idx_all:
        return np.zeros((0, min(k, y.shape[0])), np.int64), np.zeros((0, min(k, y.shape[0])), np.float32)
    return np.concatenate(idx_all), np.concatenate(val_all)


def bli(src_words, x, tgt_words, y, pairs, methods=("nn", "csls"), ks=(1, 5, 10), csls_k=10, beta=30.0):
    """Bilingual lexicon induction, P@k under the three OOV conventions.

    pairs: list of (source word, target word). Unique gold source words G (first appearance
    order); covered words C = source words in the source vocabulary with >= 1 gold target in
    the target vocabulary (pairs with an OOV side are dropped, as in MUSE and VecMap).
    A covered word is correct at k when any in-vocabulary gold target is in its top k.
      muse:     correct / |C|  (MUSE drops pairs with an OOV word, averages over source words)
      vecmap:   correct / |C|, coverage |C| / |G|
      fasttext: correct / |G|  (OOV source words count as wrong)
    Returns {"total": |G|, "covered": |C|, "coverage": float, "methods": {name: {"correct":
    {k: int}, "muse": {k: p}, "vecmap": {k: p}, "fasttext": {k: p}}}}.
    """
    s_index = {w: i for i, w in enumerate(src_words)}
    t_index = {w: i for i, w in enumerate(tgt_words)}
    order, seen, gold = [], set(), {}
    for s, t in pairs:
        if s not in seen:
            seen.add(s)
            order.append(s)
        if s in s_index and t in t_index:
            gold.setdefault(s, set()).add(t_index[t])
    covered = [s for s in order if s in gold]
    rows = [s_index[s] for s in covered]
    total = len(order)
    result = {"total": total, "covered": len(covered),
              "coverage": len(covered) / total if total else 0.0, "methods": {}}
    kmax = max(ks)
    for method in methods:
        correct = {k: 0 for k in ks}
        if rows:
            idx, _ = search(x, y, kmax, method, csls_k, beta, rows)
            for r, s in enumerate(covered):
                for k in ks:
                    if gold[s] & set(idx[r, :k].tolist()):
                        correct[k] += 1
        c = len(covered)
        result["methods"][method] = {
            "correct": correct,
            "muse": {k: correct[k] / c if c else 0.0 for k in ks},
            "vecmap": {k: correct[k] / c if c else 0.0 for k in ks},
            "fasttext": {k: correct[k] / total if total else 0.0 for k in ks},
        }
    return result


def skewness(values):
    """Population skewness (third standardised moment); 0 when the variance is 0."""
    v = np.asarray(values, dtype=np.float64)
    if v.size == 0:
        return 0.0
    d = v - v.mean()
    var = (d ** 2).mean()
    if var == 0:
        return 0.0
    return float((d ** 3).mean() / var ** 1.5)


def hubness(x, y, k=10, method="nn", csls_k=10, top=10, query_rows=None):
    """k-occurrence N_k of every target row (how many queries have it in their top k), the
    population skewness of N_k, and the `top` hubs as (index, N_k) sorted by N_k desc, index asc."""
    idx, _ = search(x, y, k, method, csls_k, 30.0, query_rows)
    counts = np.bincount(idx.ravel(), minlength=y.shape[0])
    order = np.lexsort((np.arange(len(counts)), -counts))[:top]
    return {"counts": counts, "skewness": skewness(counts),
            "hubs": [(int(i), int(counts[i])) for i in order]}


def csls_numpy_benchmark(n=50000, d=300, k=10, seed=0, batch=BATCH):
    """Times the numpy CSLS recipe on n random unit vectors per side (dimension d): r_T and r_S
    (batched X @ Y.T + np.partition, as MUSE's get_nn_avg_dist) plus the top-1 CSLS target of
    every source word (batched 2*X @ Y.T - r_T - r_S, argmax). Returns a dict of seconds."""
    rng = np.random.default_rng(seed)
    x = unit_normalize(rng.standard_normal((n, d), dtype=np.float32))
    y = unit_normalize(rng.standard_normal((n, d), dtype=np.float32))
    t0 = time.perf_counter()
    r_t = topk_mean(x, y, k, batch)
    t1 = time.perf_counter()
    r_s = topk_mean(y, x, k, batch)
    t2 = time.perf_counter()
    best = np.empty(n, dtype=np.int64)
    for i in range(0, n, batch):
        s = np.float32(2) * (x[i:i + batch] @ y.T) - r_t[i:i + batch, None] - r_s[None, :]
        best[i:i + batch] = s.argmax(axis=1)
    t3 = time.perf_counter()
    return {"n": n, "d": d, "k": k, "r_T": t1 - t0, "r_S": t2 - t1, "top1": t3 - t2,
            "total": t3 - t0, "checksum": int(best[:100].sum())}


if __name__ == "__main__":
    import sys
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
    print(csls_numpy_benchmark(n=n))
