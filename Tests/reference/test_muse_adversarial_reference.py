"""The committed adversarial fixture (replayed by Tests/EmbeddingsTests/MUSETests) is what
muse_adversarial_reference.py computes, its hand-written gradients match finite differences, and
the steps go the right way: a discriminator step lowers the discriminator's loss, a mapping step
lowers the flipped-label loss (the mapped source rows look more like target rows to D)."""
from __future__ import annotations

import json

import numpy as np

import muse_adversarial_reference as ref


def test_fixture_is_current():
    with open(ref.FIXTURE) as f:
        committed = json.load(f)
    fresh = ref.make()
    assert committed.keys() == fresh.keys()
    np.testing.assert_allclose(committed["w"], fresh["w"], atol=1e-12)
    np.testing.assert_allclose(committed["losses"], fresh["losses"], atol=1e-12)
    for a, b in zip(committed["layers"], fresh["layers"]):
        np.testing.assert_allclose(a["weight"], b["weight"], atol=1e-12)
        np.testing.assert_allclose(a["bias"], b["bias"], atol=1e-12)


def _problem(seed=3):
    rng = np.random.default_rng(seed)
    layers = [(rng.uniform(-0.6, 0.6, (4, 3)), rng.uniform(-0.1, 0.1, (1, 3))),
              (rng.uniform(-0.6, 0.6, (3, 3)), rng.uniform(-0.1, 0.1, (1, 3))),
              (rng.uniform(-0.6, 0.6, (3, 1)), rng.uniform(-0.1, 0.1, (1, 1)))]
    x = rng.standard_normal((6, 4))
    y = np.array([0.9, 0.9, 0.9, 0.1, 0.1, 0.1])
    return layers, x, y


def test_gradients_match_finite_differences():
    layers, x, y = _problem()
    _, grads, gx = ref.loss_and_grads(layers, x, y)
    eps = 1e-6

    def loss(ls, xx):
        return ref.loss_and_grads(ls, xx, y)[0]

    for i, (w, b) in enumerate(layers):
        for m, g in ((w, grads[i][0]), (b, grads[i][1])):
            num = np.zeros_like(m)
            for idx in np.ndindex(m.shape):
                old = m[idx]
                m[idx] = old + eps
                up = loss(layers, x)
                m[idx] = old - eps
                down = loss(layers, x)
                m[idx] = old
                num[idx] = (up - down) / (2 * eps)
            np.testing.assert_allclose(g, num, atol=1e-8)
    num = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += eps
        xm[idx] -= eps
        num[idx] = (loss(layers, xp) - loss(layers, xm)) / (2 * eps)
    np.testing.assert_allclose(gx, num, atol=1e-8)


def test_steps_go_the_right_way():
    m = ref.make()
    d, b = m["d"], m["batch"]
    w = np.array(m["initialW"]).reshape(d, d)
    layers = [(np.array(l["weight"]).reshape(-1, len(l["bias"])), np.array(l["bias"])[None, :]) for l in m["initialLayers"]]
    s = m["smoothing"]
    y = np.concatenate([np.full(b, 1 - s), np.full(b, s)])
    first = m["batches"][0]
    xs, xt = np.array(first["source"]).reshape(b, d), np.array(first["target"]).reshape(b, d)
    x = np.concatenate([xs @ w, xt])
    before, grads, _ = ref.loss_and_grads(layers, x, y)
    stepped = [(a - 1e-3 * ga, c - 1e-3 * gc) for (a, c), (ga, gc) in zip(layers, grads)]
    assert ref.loss_and_grads(stepped, x, y)[0] < before
    # mapping: a small step on W against the flipped labels fools D more (lower flipped loss)
    flipped_before, _, gx = ref.loss_and_grads(layers, x, 1 - y)
    w2 = w - 1e-3 * (xs.T @ gx[:b])
    assert ref.loss_and_grads(layers, np.concatenate([xs @ w2, xt]), 1 - y)[0] < flipped_before
    # and the fooling step raises D's own loss
    assert ref.loss_and_grads(layers, np.concatenate([xs @ w2, xt]), y)[0] > before
