"""The committed MUSE fixture (read by Tests/EmbeddingsTests/MUSETests) is what the numpy replay
in muse_reference.py computes, and the replay does what it says: the orthogonalisation moves W
towards orthogonality, and refinement on a noisy rotated copy recovers the rotation."""
from __future__ import annotations

import json

import numpy as np

import muse_reference


def test_fixture_is_current():
    with open(muse_reference.FIXTURE) as f:
        committed = json.load(f)
    fresh = muse_reference.make()
    assert committed.keys() == fresh.keys()
    for key in ("source", "target", "w", "orthogonalized"):
        np.testing.assert_allclose(committed[key], fresh[key], rtol=0, atol=1e-9)
    for key in ("s2t", "mutual"):
        assert committed[key]["sourceRows"] == fresh[key]["sourceRows"]
        assert committed[key]["targetRows"] == fresh[key]["targetRows"]
        np.testing.assert_allclose(committed[key]["weights"], fresh[key]["weights"], atol=1e-9)


def test_replay_behaves():
    m = muse_reference.make()
    d = m["d"]
    w = np.array(m["w"]).reshape(d, d)
    o = np.array(m["orthogonalized"]).reshape(d, d)
    eye = np.eye(d)
    assert np.linalg.norm(o @ o.T - eye) < np.linalg.norm(w @ w.T - eye)
    refined = np.array(m["s2t"]["weights"]).reshape(d, d)
    np.testing.assert_allclose(refined @ refined.T, eye, atol=1e-9)
    assert len(m["mutual"]["sourceRows"]) <= len(m["s2t"]["sourceRows"]) == m["rank"]
    # most S2T pairs are the true ones (row i of the source is row i of the target, rotated)
    s2t = m["s2t"]
    assert sum(a == b for a, b in zip(s2t["sourceRows"], s2t["targetRows"])) >= 0.8 * m["rank"]
