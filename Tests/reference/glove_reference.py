"""A numpy reference of glove.c's GloVe updates, in float32, for parity with xling's
`GloVeTrainer` (Sources/Embeddings/Factorization/GloVeStep.swift).

Rules (stanfordnlp/GloVe src/glove.c, one thread), per record (i, j, X_ij) in file order:

    diff  = w_i . c_j + b_i + bc_j - log X_ij
    fdiff = f(X_ij) * diff,   f(x) = 1 if x > x_max else (x / x_max) ** alpha
    cost += 0.5 * fdiff * diff                                  (float64 sum)
    g_w   = eta * clip(fdiff * c_j, +-clip);  g_c = eta * clip(fdiff * w_i, +-clip)
    w_i  -= g_w / sqrt(G_w);  c_j -= g_c / sqrt(G_c);  G_w += g_w**2;  G_c += g_c**2
    b_i  -= beta * fdiff / sqrt(G_b);  bc_j likewise;  G_b += (beta * fdiff)**2
    (beta = 1 as in glove.c, or eta with bias_uses_eta)

with every G starting at 1 and the reported cost per iteration = total cost / records.
log X and f(X) are computed in float64 and rounded to float32, as xling does.

Usage: `python glove_reference.py DUMP_DIR` replays a dump of `xling-bench glove --dump DIR`
and prints both loss curves; `python glove_reference.py bench DUMP_DIR [--records N]` times
the per-record loop on the first N records (a sequential SGD loop cannot be vectorised, so
this is the python/numpy per-record cost, extrapolated per record).
"""

from __future__ import annotations

import json
import os
import sys
import time

import numpy as np

RECORD = np.dtype([("row", "<i4"), ("col", "<i4"), ("val", "<f8")])


def load_dump(directory: str) -> dict:
    """The records, initial parameters and meta data of an `xling-bench glove --dump` dir."""
    with open(os.path.join(directory, "meta.json")) as f:
        meta = json.load(f)
    v, d = meta["vocabulary"], meta["dim"]

    def f32(name, shape):
        return np.fromfile(os.path.join(directory, name), dtype="<f4").reshape(shape).astype(np.float32)

    return {
        "meta": meta,
        "records": np.fromfile(os.path.join(directory, "records.bin"), dtype=RECORD),
        "W": f32("W.f32", (v, d)), "C": f32("C.f32", (v, d)),
        "bw": f32("bw.f32", (v,)), "bc": f32("bc.f32", (v,)),
    }


def record_constants(values: np.ndarray, x_max: float, alpha: float):
    """(log X, f(X)) as float32, computed in float64."""
    log_x = np.log(values).astype(np.float32)
    weight = np.where(values > x_max, 1.0, (values / x_max) ** alpha).astype(np.float32)
    return log_x, weight


def train(records, W, C, bw, bc, *, iterations, eta, grad_clip, x_max, alpha,
          bias_uses_eta=False, limit=None):
    """Runs `iterations` passes of glove.c's updates over `records` (in order) and returns
    the per-iteration cost / records. Parameters are copied, not modified."""
    W, C, bw, bc = W.copy(), C.copy(), bw.copy(), bc.copy()
    GW, GC = np.ones_like(W), np.ones_like(C)
    gbw, gbc = np.ones_like(bw), np.ones_like(bc)
    recs = records if limit is None else records[:limit]
    rows, cols = recs["row"].tolist(), recs["col"].tolist()
    log_x, weight = record_constants(recs["val"], x_max, alpha)
    log_x, weight = [np.float32(x) for x in log_x], [np.float32(x) for x in weight]
    eta32, clip32 = np.float32(eta), np.float32(grad_clip)
    beta = eta32 if bias_uses_eta else np.float32(1)
    half = 0.5
    losses = []
    for _ in range(iterations):
        cost = 0.0
        for r in range(len(rows)):
            i, j = rows[r], cols[r]
            w, c = W[i], C[j]
            diff = np.float32(np.dot(w, c)) + bw[i] + bc[j] - log_x[r]
            fdiff = weight[r] * diff
            cost += half * float(fdiff) * float(diff)
            g_w = np.clip(fdiff * c, -clip32, clip32) * eta32
            g_c = np.clip(fdiff * w, -clip32, clip32) * eta32
            w -= g_w / np.sqrt(GW[i])
            c -= g_c / np.sqrt(GC[j])
            GW[i] += g_w * g_w
            GC[j] += g_c * g_c
            gb = beta * fdiff
            bw[i] -= gb / np.sqrt(gbw[i])
            bc[j] -= gb / np.sqrt(gbc[j])
            gbw[i] += gb * gb
            gbc[j] += gb * gb
        losses.append(cost / len(rows))
    return losses


def replay(dump: dict, iterations=None, limit=None):
    """The reference's losses for a dump, with the dump's options."""
    m = dump["meta"]
    return train(dump["records"], dump["W"], dump["C"], dump["bw"], dump["bc"],
                 iterations=iterations or m["iterations"], eta=m["eta"], grad_clip=m["grad_clip"],
                 x_max=m["x_max"], alpha=m["alpha"], bias_uses_eta=m["bias_uses_eta"], limit=limit)


def bench(dump: dict, records: int) -> dict:
    """Seconds of one pass over the first `records` records, per record (best of 2)."""
    n = min(records, len(dump["records"]))
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        replay(dump, iterations=1, limit=n)
        best = min(best, time.perf_counter() - t0)
    return {"numpy_records_timed": n, "numpy_ns_per_record": best / n * 1e9,
            "numpy_records_per_second": n / best,
            "note": "python/numpy per-record loop (sequential SGD cannot be vectorised), "
                    "timed on a subset and extrapolated per record"}


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "bench":
        limit = int(sys.argv[sys.argv.index("--records") + 1]) if "--records" in sys.argv else 20000
        print(json.dumps(bench(load_dump(sys.argv[2]), limit)))
    elif len(sys.argv) == 2:
        d = load_dump(sys.argv[1])
        print(json.dumps({"xling": d["meta"]["losses"], "numpy": replay(d)}))
    else:
        sys.exit(__doc__)
