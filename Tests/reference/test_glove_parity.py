"""Parity of xling's GloVe trainer with glove.c's update rules (acceptance criterion).

`xling-bench glove --dump DIR` counts a small real corpus (the first lines of Europarl en,
with the bench's own brute-force window counter), shuffles the records as `GloVeTrainer` does,
and writes the records, the initial float32 parameters and the per-iteration costs of a
1-thread run. `glove_reference.py` replays the same records from the same parameters with
numpy in float32; the per-iteration costs must agree within 1e-4 relative.

    swift build -c release --product xling-bench
    cd Tests/reference && python -m pytest -q -p no:cacheprovider test_glove_parity.py
"""

from __future__ import annotations

import os
import subprocess

import numpy as np
import pytest

import glove_reference as GR

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.normpath(os.path.join(HERE, "..", "..", ".build", "release", "xling-bench"))
CORPUS = os.path.normpath(os.path.join(HERE, "..", "..", "notebooks", "data", "europarl-en-de", "en.txt.gz"))
RTOL = 1e-4


def dump(tmp_path, *extra):
    assert os.path.exists(BENCH), f"{BENCH} is missing: run `make build` (or `swift build -c release --product xling-bench`)"
    subprocess.run([BENCH, "glove", "--dump", str(tmp_path), "--corpus", CORPUS, "--min-count", "5",
                    "--window", "10", "--iterations", "5", *extra], check=True, capture_output=True)
    return GR.load_dump(str(tmp_path))


@pytest.mark.parametrize("lines,dim,x_max,bias_eta", [
    ("2000", "40", "100", "0"),   # glove.c defaults for x_max and the bias step
    ("500", "13", "30", "1"),     # a padded dimension, the paper's x_max, η on the bias step
])
def test_costs_match_numpy_reference(tmp_path, lines, dim, x_max, bias_eta):
    d = dump(tmp_path, "--lines", lines, "--dim", dim, "--x-max", x_max, "--bias-eta", bias_eta)
    meta = d["meta"]
    assert meta["records"] == len(d["records"]) > 1000
    assert meta["bias_uses_eta"] == (bias_eta == "1")
    ours = np.array(meta["losses"])
    reference = np.array(GR.replay(d))
    assert len(ours) == len(reference) == 5
    assert np.all(np.diff(ours) < 0), ours
    np.testing.assert_allclose(ours, reference, rtol=RTOL, atol=0)
