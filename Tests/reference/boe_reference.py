"""numpy reference of the bag-of-embeddings classifier's training step (Sakuma & Yoshinaga 2019
§4): mean of embedding rows -> dense -> tanh -> dense -> softmax cross-entropy with class
weights (weighted mean, PyTorch's convention), hand-derived gradients, then Adam (Kingma & Ba,
Algorithm 1) on the dense parameters and *lazy* Adam on the embedding rows a batch touched
(PyTorch's SparseAdam), all in float64.

Layouts follow xling: weights are (inputs, outputs) row-major, Y = X W + b.
"""

from __future__ import annotations

import json
import os

import numpy as np


def load_dump(directory: str) -> dict:
    """Reads what `xling-bench classifier --dump DIR` wrote."""
    with open(os.path.join(directory, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    v, d, h, k = meta["vocabulary"], meta["dim"], meta["hidden"], meta["classes"]
    shapes = {"table": (v, d), "w0": (d, h), "b0": (h,), "w1": (h, k), "b1": (k,)}

    def f32(name, shape):
        return np.fromfile(os.path.join(directory, name + ".f32"), dtype="<f4").reshape(shape).astype(np.float64)

    params = {n: f32(n, s) for n, s in shapes.items()}
    after = {n: f32(n + "_after", s) for n, s in shapes.items()}
    bags, labels = [], []
    with open(os.path.join(directory, "bags.txt"), encoding="utf-8") as f:
        for line in f:
            values = [int(x) for x in line.split()]
            labels.append(values[0])
            bags.append(values[1:])
    return {"meta": meta, "params": params, "after": after, "bags": bags, "labels": labels}


def loss_and_gradients(p: dict, bags: list[list[int]], labels: list[int], class_weights) -> tuple[float, dict]:
    """The batch's weighted mean cross-entropy and the gradient of every parameter
    (the embedding gradient as {row: vector} for the rows the batch touched)."""
    n, d = len(bags), p["table"].shape[1]
    x = np.zeros((n, d))
    for i, bag in enumerate(bags):
        if bag:
            x[i] = p["table"][bag].mean(axis=0)
    a = np.tanh(x @ p["w0"] + p["b0"])
    z = a @ p["w1"] + p["b1"]
    z = z - z.max(axis=1, keepdims=True)
    prob = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    y = np.array(labels)
    w = np.ones(n) if len(class_weights) == 0 else np.asarray(class_weights, dtype=np.float64)[y]
    loss = float((w * -np.log(prob[np.arange(n), y])).sum() / w.sum())
    gz = prob.copy()
    gz[np.arange(n), y] -= 1
    gz *= (w / w.sum())[:, None]
    grads = {"w1": a.T @ gz, "b1": gz.sum(axis=0)}
    ga = gz @ p["w1"].T
    gpre = ga * (1 - a * a)
    grads["w0"] = x.T @ gpre
    grads["b0"] = gpre.sum(axis=0)
    gx = gpre @ p["w0"].T
    rows: dict[int, np.ndarray] = {}
    for i, bag in enumerate(bags):
        for r in bag:
            rows[r] = rows.get(r, np.zeros(d)) + gx[i] / len(bag)
    grads["table"] = rows
    return loss, grads


def replay(dump: dict) -> tuple[list[float], dict]:
    """Runs the dumped steps from the dumped initial parameters: per-step losses, final parameters."""
    meta = dump["meta"]
    p = {k: v.copy() for k, v in dump["params"].items()}
    m = {k: np.zeros_like(v) for k, v in p.items()}
    s = {k: np.zeros_like(v) for k, v in p.items()}
    eta, b1, b2, eps = meta["eta"], 0.9, 0.999, 1e-8
    batch, losses = meta["batch"], []
    for step in range(meta["steps"]):
        lo, hi = step * batch, min((step + 1) * batch, len(dump["bags"]))
        loss, g = loss_and_gradients(p, dump["bags"][lo:hi], dump["labels"][lo:hi], meta["class_weights"])
        losses.append(loss)
        t = step + 1
        c1, c2 = 1 - b1 ** t, 1 - b2 ** t
        for name in ("w0", "b0", "w1", "b1"):
            m[name] = b1 * m[name] + (1 - b1) * g[name]
            s[name] = b2 * s[name] + (1 - b2) * g[name] ** 2
            p[name] -= eta * (m[name] / c1) / (np.sqrt(s[name] / c2) + eps)
        for r, gr in g["table"].items():  # lazy: only the touched rows and their moments
            m["table"][r] = b1 * m["table"][r] + (1 - b1) * gr
            s["table"][r] = b2 * s["table"][r] + (1 - b2) * gr ** 2
            p["table"][r] -= eta * (m["table"][r] / c1) / (np.sqrt(s["table"][r] / c2) + eps)
    return losses, p
