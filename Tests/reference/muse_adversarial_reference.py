"""A numpy replay of MUSE's adversarial iterations (Conneau et al. 2018, section 3.1) as xling
formulates them (`MUSEAdversary`), written from the paper, not from MUSE's code:

- the discriminator D: dense layers input -> hidden -> hidden -> 1 (y = x W + b), leaky ReLU
  (slope 0.2) between them, a sigmoid output; input dropout 0 here (a mask cannot be replayed);
- a discriminator step: X = [X_S W; X_T], loss = mean binary cross-entropy of sigmoid(D(X))
  against 1 - s for the mapped source rows and s for the target rows (s = label smoothing),
  plain SGD on D's parameters only (W fixed);
- a mapping step: the same loss with the labels flipped (s for the source rows, 1 - s for the
  target rows: W learns to fool D), SGD on W only, then W <- (1 + beta) W - beta (W W^T) W.

`python muse_adversarial_reference.py` writes fixtures/muse_adversarial.json (seeded inputs, the
batches of every step in order, and W, D and the losses after them), which
`Tests/EmbeddingsTests/MUSETests` replays through `MUSEAdversary`;
`test_muse_adversarial_reference.py` checks the committed fixture and the direction of the steps.
"""
from __future__ import annotations

import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "fixtures", "muse_adversarial.json")
SLOPE = 0.2


def forward(layers, x):
    """Logits of x and the pre-activations / inputs of each layer (for the backward pass)."""
    inputs, pre = [], []
    h = x
    for i, (w, b) in enumerate(layers):
        inputs.append(h)
        z = h @ w + b
        pre.append(z)
        h = np.where(z > 0, z, SLOPE * z) if i + 1 < len(layers) else z
    return h[:, 0], inputs, pre


def loss_and_grads(layers, x, y):
    """Mean BCE of sigmoid(logits) against y; gradients for every layer and for x."""
    z, inputs, pre = forward(layers, x)
    loss = np.mean(np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z))))
    g = ((1 / (1 + np.exp(-z)) - y) / len(y))[:, None]
    grads = [None] * len(layers)
    for i in reversed(range(len(layers))):
        w, _ = layers[i]
        if i + 1 < len(layers):
            g = g * np.where(pre[i] > 0, 1.0, SLOPE)
        grads[i] = (inputs[i].T @ g, g.sum(axis=0, keepdims=True))
        g = g @ w.T
    return loss, grads, g


def make() -> dict:
    rng = np.random.default_rng(1618)
    d, hidden, b, dis_steps, iterations = 6, 5, 4, 2, 2
    lr, smooth, beta = 0.1, 0.1, 0.01
    sizes = [d, hidden, hidden, 1]
    layers = [(rng.uniform(-0.6, 0.6, (sizes[i], sizes[i + 1])), rng.uniform(-0.1, 0.1, (1, sizes[i + 1])))
              for i in range(3)]
    w = np.eye(d) + 0.1 * rng.standard_normal((d, d))
    initial = {"w": w.copy(), "layers": [(a.copy(), c.copy()) for a, c in layers]}
    y = np.concatenate([np.full(b, 1 - smooth), np.full(b, smooth)])
    batches, losses = [], []
    for _ in range(iterations):
        for step in range(dis_steps + 1):
            xs, xt = rng.standard_normal((b, d)), 0.5 * rng.standard_normal((b, d)) + 0.3
            batches.append((xs, xt))
            x = np.concatenate([xs @ w, xt])
            if step < dis_steps:
                loss, grads, _ = loss_and_grads(layers, x, y)
                layers = [(a - lr * ga, c - lr * gc) for (a, c), (ga, gc) in zip(layers, grads)]
            else:
                loss, _, gx = loss_and_grads(layers, x, 1 - y)
                w = w - lr * (xs.T @ gx[:b])
                w = (1 + beta) * w - beta * (w @ w.T) @ w
            losses.append(float(loss))
    flat = lambda m: np.asarray(m).ravel().tolist()  # noqa: E731
    return {
        "d": d, "hidden": hidden, "batch": b, "disSteps": dis_steps, "iterations": iterations,
        "lr": lr, "smoothing": smooth, "beta": beta,
        "initialW": flat(initial["w"]),
        "initialLayers": [{"weight": flat(a), "bias": flat(c)} for a, c in initial["layers"]],
        "batches": [{"source": flat(s), "target": flat(t)} for s, t in batches],
        "losses": losses,
        "w": flat(w),
        "layers": [{"weight": flat(a), "bias": flat(c)} for a, c in layers],
    }


if __name__ == "__main__":
    with open(FIXTURE, "w") as f:
        json.dump(make(), f)
    print("wrote", FIXTURE)
