"""Differential test of the bag-of-embeddings classifier (`TextClassifier`, model=boe,
update_emb=true) against the numpy reference boe_reference.py.

`xling-bench classifier --dump DIR` builds the network over the committed 50-d GloVe
(notebooks/data/glove-en-sib200, unit rows) and SIB-200 English, runs a few Adam steps on
consecutive 32-document batches, and writes the parameters before and after plus the losses.
numpy (float64) replays the same steps from the same initial parameters: the per-step losses
must agree within 1e-5 relative and every parameter after the steps within 1e-4 absolute
(xling computes in float32 with BLAS); rows the batches never touched must be bit-identical.

    swift build -c release --product xling-bench
    cd Tests/reference && python -m pytest -q -p no:cacheprovider test_boe_reference.py
"""

from __future__ import annotations

import os
import subprocess

import numpy as np
import pytest

import boe_reference as BR

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
BENCH = os.path.join(ROOT, ".build", "release", "xling-bench")


def dump(tmp_path, *extra):
    assert os.path.exists(BENCH), f"{BENCH} is missing: run `make build` (or `swift build -c release --product xling-bench`)"
    subprocess.run([BENCH, "classifier", "--dump", str(tmp_path), *extra], check=True, capture_output=True, cwd=ROOT)
    return BR.load_dump(str(tmp_path))


@pytest.mark.parametrize("steps,hidden,balanced", [("3", "16", "1"), ("5", "40", "0")])
def test_adam_steps_match_numpy(tmp_path, steps, hidden, balanced):
    d = dump(tmp_path, "--steps", steps, "--hidden", hidden, "--balanced", balanced)
    assert d["meta"]["steps"] == int(steps) and len(d["bags"]) == 32 * int(steps)
    losses, params = BR.replay(d)
    np.testing.assert_allclose(d["meta"]["losses"], losses, rtol=1e-5, atol=0)
    touched = sorted({r for bag in d["bags"] for r in bag})
    for name in ("w0", "b0", "w1", "b1"):
        np.testing.assert_allclose(d["after"][name], params[name], rtol=0, atol=1e-4, err_msg=name)
        assert np.abs(d["after"][name] - d["params"][name]).max() > 1e-3, f"{name} did not move"
    np.testing.assert_allclose(d["after"]["table"][touched], params["table"][touched], rtol=0, atol=1e-4)
    untouched = np.setdiff1d(np.arange(d["meta"]["vocabulary"]), touched)
    assert np.array_equal(d["after"]["table"][untouched], d["params"]["table"][untouched])
    # Softmax over 7 classes at Glorot initialisation: the first loss is near ln 7.
    assert abs(losses[0] - np.log(7)) < 0.5
