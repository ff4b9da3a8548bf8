"""numpy reference of Shi et al. (2015)'s joint co-factorization objective (eq. 1) as xling trains it.

    L = ω1·Σ f(X¹_jk)(w¹_j·c¹_k + b¹w_j + b¹c_k + b¹ − M¹_jk)²            (eq. 2–3, language 1)
      + ω2·Σ f(X²_jk)(w²_j·c²_k + b²w_j + b²c_k + b² − M²_jk)²            (language 2)
      + ωc·s·L_cross,

L_cross (s = the balance scale, 1 when `balance` is off):
  CLC `words`:    Σ f(X^bi_jk)(w¹_j·w²_k + x¹w_j + x²w_k + b× − M^bi_jk)²
  CLC `contexts`: Σ f(X^bi_jk)[(w¹_j·c²_k + x¹w_j + x²c_k + b× − M^bi_jk)² + (w²_k·c¹_j + x²w_k + x¹c_j + b× − M^bi_jk)²]
  CLSim:          Σ sim(j, k)·‖w¹_j − w²_k‖²                               (eq. 7)

with M_jk = log(X_jk·ΣX / (X_j·X_·k)), f(x) = min(1, (x/x_max)^α), and the balance
s = mean(F1, F2)/Fc (F = Σ f of a term, Fc = Σ of the cross term's base weights). Each cross
element is visited `repeats` = min(16, max(1, ⌈ωc·s⌉)) times per pass with weight ωc·s·base/repeats.

`elements()` builds the elements from the count matrices, `objective()` / `gradient()` evaluate eq. 1
vectorised in float64, and `replay()` runs xling's sequential pass (float32, the same element
order) for comparison with `xling-bench cofactor --dump`: per element the implicit SGD step, i.e.
the gradient step divided by 1 + η·(curvature of the element's residual): 1 + 2ηw(‖x‖²+‖y‖²+3)
for a factor element, 1 + 4ηw for a similarity element (equal to SGD to first order in η).
"""
from __future__ import annotations

import json
import math
import os

import numpy as np

KINDS = {0: "first", 1: "second", 2: "cross words", 3: "cross w1·c2", 4: "cross w2·c1", 5: "similarity"}
NAMES = ["W1", "C1", "W2", "C2", "b1w", "b1c", "b2w", "b2c", "x1w", "x1c", "x2w", "x2c", "matrix"]
MAX_REPEATS = 16


def _counts(path):
    raw = np.fromfile(path, dtype=np.dtype([("r", "<i4"), ("c", "<i4"), ("v", "<f8")]))
    return raw["r"].astype(np.int64), raw["c"].astype(np.int64), raw["v"]


def load_dump(d):
    meta = json.load(open(os.path.join(d, "meta.json")))
    out = {"meta": meta, "first": _counts(os.path.join(d, "first.bin")), "second": _counts(os.path.join(d, "second.bin"))}
    if os.path.exists(os.path.join(d, "cross.bin")):
        out["cross"] = _counts(os.path.join(d, "cross.bin"))
    if os.path.exists(os.path.join(d, "pairs.bin")):
        p = np.fromfile(os.path.join(d, "pairs.bin"), dtype=np.dtype([("s", "<i4"), ("t", "<i4"), ("sim", "<f4")]))
        out["pairs"] = (p["s"].astype(np.int64), p["t"].astype(np.int64), p["sim"].astype(np.float64))
    e = np.fromfile(os.path.join(d, "elements.bin"),
                    dtype=np.dtype([("kind", "u1"), ("pad", "u1", 3), ("a", "<i4"), ("b", "<i4"), ("target", "<f4"), ("weight", "<f4")]))
    out["elements"] = {k: e[k] for k in ("kind", "a", "b", "target", "weight")}
    n1, n2, d_ = meta["n1"], meta["n2"], meta["dim"]
    shapes = {"W1": (n1, d_), "C1": (n1, d_), "W2": (n2, d_), "C2": (n2, d_)}
    for prefix in ("init", "final"):
        out[prefix] = {}
        for name in NAMES:
            a = np.fromfile(os.path.join(d, f"{prefix}_{name}.f32"), dtype="<f4")
            out[prefix][name] = a.reshape(shapes[name]) if name in shapes else a
    return out


def _pmi(rows, cols, vals, n_rows, n_cols, x_max, alpha):
    row_sums = np.bincount(rows, weights=vals, minlength=n_rows)
    col_sums = np.bincount(cols, weights=vals, minlength=n_cols)
    total = vals.sum()
    target = np.log(vals) + math.log(total) - np.log(row_sums[rows]) - np.log(col_sums[cols])
    f = np.where(vals < x_max, (vals / x_max) ** alpha, 1.0)
    return target, f


def elements(dump):
    """The elements of eq. 1 in term order (first, second, cross × repeats), float64, and (scale, repeats)."""
    m = dump["meta"]
    n1, n2 = m["n1"], m["n2"]
    parts = []
    t1, f1 = _pmi(*dump["first"], n1, n1, m["x_max_mono"], m["alpha"])
    t2, f2 = _pmi(*dump["second"], n2, n2, m["x_max_mono"], m["alpha"])
    parts.append((np.zeros(len(t1), int), dump["first"][0], dump["first"][1], t1, m["w1"] * f1))
    parts.append((np.ones(len(t2), int), dump["second"][0], dump["second"][1], t2, m["w2"] * f2))
    cross = None
    if "cross" in dump:
        r, c, v = dump["cross"]
        t, f = _pmi(r, c, v, n1, n2, m["x_max_cross"], m["alpha"])
        if m["factors"] == "words":
            cross = (np.full(len(t), 2), r, c, t, f)
        else:
            cross = (np.concatenate([np.full(len(t), 3), np.full(len(t), 4)]), np.concatenate([r, c]),
                     np.concatenate([c, r]), np.concatenate([t, t]), np.concatenate([f, f]))
    elif "pairs" in dump:
        s, t, sim = dump["pairs"]
        cross = (np.full(len(s), 5), s, t, np.zeros(len(s)), sim)
    scale, repeats = 1.0, 1
    if cross is not None:
        mass = cross[4].sum()
        if m["balance"] and mass > 0:
            scale = (f1.sum() + f2.sum()) / 2 / mass
            repeats = int(min(MAX_REPEATS, max(1, math.ceil(m["wc"] * scale))))
        k, a, b, t, base = cross
        w = m["wc"] * scale * base / repeats
        for _ in range(repeats):
            parts.append((k, a, b, t, w))
    cat = [np.concatenate([p[i] for p in parts]) for i in range(5)]
    return {"kind": cat[0], "a": cat[1], "b": cat[2], "target": cat[3], "weight": cat[4]}, scale, repeats


def _factors(kind):
    """(x matrix, y matrix, x bias, y bias, matrix-bias lane) of a factor element kind."""
    return {0: ("W1", "C1", "b1w", "b1c", 0), 1: ("W2", "C2", "b2w", "b2c", 1), 2: ("W1", "W2", "x1w", "x2w", 2),
            3: ("W1", "C2", "x1w", "x2c", 2), 4: ("W2", "C1", "x2w", "x1c", 2)}[kind]


def objective(p, el):
    """Eq. 1 at parameters `p` (float64): the summed loss of the terms (first, second, cross)."""
    out = np.zeros(3)
    for kind in np.unique(el["kind"]):
        sel = el["kind"] == kind
        a, b, t, w = el["a"][sel], el["b"][sel], el["target"][sel], el["weight"][sel]
        if kind == 5:
            delta = p["W1"][a].astype(np.float64) - p["W2"][b]
            out[2] += (w * (delta ** 2).sum(1)).sum()
            continue
        X, Y, BX, BY, lane = _factors(int(kind))
        diff = (np.einsum("ij,ij->i", p[X][a].astype(np.float64), p[Y][b].astype(np.float64))
                + p[BX][a] + p[BY][b] + p["matrix"][lane] - t)
        out[min(2, int(kind))] += (w * diff ** 2).sum()
    return out


def gradient(p, el):
    """∂(eq. 1)/∂p for every parameter array (float64, same shapes)."""
    g = {k: np.zeros(v.shape, np.float64) for k, v in p.items()}
    for kind in np.unique(el["kind"]):
        sel = el["kind"] == kind
        a, b, t, w = el["a"][sel], el["b"][sel], el["target"][sel], el["weight"][sel]
        if kind == 5:
            delta = p["W1"][a].astype(np.float64) - p["W2"][b]
            np.add.at(g["W1"], a, 2 * w[:, None] * delta)
            np.add.at(g["W2"], b, -2 * w[:, None] * delta)
            continue
        X, Y, BX, BY, lane = _factors(int(kind))
        x, y = p[X][a].astype(np.float64), p[Y][b].astype(np.float64)
        diff = np.einsum("ij,ij->i", x, y) + p[BX][a] + p[BY][b] + p["matrix"][lane] - t
        s = 2 * w * diff
        np.add.at(g[X], a, s[:, None] * y)
        np.add.at(g[Y], b, s[:, None] * x)
        np.add.at(g[BX], a, s)
        np.add.at(g[BY], b, s)
        g["matrix"][lane] += s.sum()
    return g


def replay(p0, el, eta, iterations=1, dtype=np.float32):
    """xling's pass: every element in order, SGD at constant η from the gradients at the parameters
    before the element (float32 parameters as xling, or float64; float64 loss). Returns
    (parameters, per-iteration losses per term divided by the number of elements)."""
    p = {k: v.astype(dtype).copy() for k, v in p0.items()}
    eta = dtype(eta)
    n = len(el["kind"])
    kinds, aa, bb = el["kind"].tolist(), el["a"].tolist(), el["b"].tolist()
    tt, ww = el["target"].astype(dtype), el["weight"].astype(dtype)
    history = []
    for _ in range(iterations):
        losses = np.zeros(3)
        for i in range(n):
            kind, a, b, w = kinds[i], aa[i], bb[i], ww[i]
            if kind == 5:
                x, y = p["W1"][a], p["W2"][b]
                delta = x - y
                losses[2] += float(w) * float((delta.astype(np.float64) ** 2).sum())
                # the implicit (proximal) step of the element: t = 2ηw / (1 + 4ηw)
                step = (dtype(2) * w / (dtype(1) + dtype(4) * eta * w)) * delta
                p["W1"][a] = x - eta * step
                p["W2"][b] = y + eta * step
                continue
            X, Y, BX, BY, lane = _factors(kind)
            x, y = p[X][a].copy(), p[Y][b].copy()
            diff = dtype(np.dot(x, y)) + p[BX][a] + p[BY][b] + p["matrix"][lane] - tt[i]
            losses[min(2, kind)] += float(w) * float(diff) * float(diff)
            grad = dtype(2) * w * diff
            # the implicit step of the linearised residual: ÷ (1 + 2ηw(‖x‖² + ‖y‖² + 3))
            grad = grad / (dtype(1) + dtype(2) * eta * w * (dtype(np.dot(x, x) + np.dot(y, y)) + dtype(3)))
            p[X][a] = x - eta * (grad * y)
            p[Y][b] = y - eta * (grad * x)
            p[BX][a] -= eta * grad
            p[BY][b] -= eta * grad
            p["matrix"][lane] -= eta * grad
        history.append(losses / n)
    return p, history
