"""RCSLS objective and gradient at a fixed W: xling (`xling-bench rcsls-dump`) vs numpy
(`rcsls_reference.py`, fastText align.py's formulation) on real fi/fr vectors (300 xling-eval
pairs, 2,000 negatives per side, a perturbed Procrustes W). Float32 tolerance.

    swift build -c release --product xling-bench
    cd Tests/reference && python -m pytest -q -p no:cacheprovider test_rcsls_parity.py
"""
from __future__ import annotations

import os
import subprocess

import numpy as np
import pytest

import rcsls_reference

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.normpath(os.path.join(HERE, "..", "..", ".build", "release", "xling-bench"))
DATA = "/work/shared/data/vectors/spacy-fr-300/fr.vec.gz"


def read(path: str) -> np.ndarray:
    with open(path, "rb") as f:
        assert f.read(8) == b"XLF32MAT"
        rows, cols = np.frombuffer(f.read(16), dtype="<u8")
        return np.frombuffer(f.read(), dtype="<f4").reshape(int(rows), int(cols))


@pytest.mark.skipif(not os.path.exists(DATA), reason="needs /work/shared/data")
def test_objective_and_gradient_match_align_py(tmp_path):
    assert os.path.exists(BENCH), f"{BENCH} is missing: run `make build`"
    subprocess.run([BENCH, "rcsls-dump", str(tmp_path)], check=True, capture_output=True)
    m = {name: read(str(tmp_path / f"{name}.f32")) for name in ("x", "y", "zs", "zt", "w", "gradient", "loss")}
    loss, grad_r = rcsls_reference.rcsls(m["x"], m["y"], m["zs"], m["zt"], m["w"].T, k=10)
    assert m["x"].shape == (300, 300) and m["zs"].shape[0] == 2000
    assert abs(float(m["loss"][0, 0]) - loss) <= 1e-5 * max(1.0, abs(loss)), (m["loss"], loss)
    ours = m["gradient"]
    assert np.max(np.abs(ours - grad_r.T)) <= 1e-5 * max(1.0, float(np.max(np.abs(grad_r)))), np.max(np.abs(ours - grad_r.T))
