"""Differential test of xling's FFT-interpolated t-SNE gradient (`method=fft`) against
openTSNE 1.0.4's (`kl_divergence_fft`, double-precision FFT, same defaults: 3 nodes per
interval, at least 50 intervals, intervals at most 1 unit wide) and against the exact gradient,
on the same P (openTSNE's) and the same Y.

Input: the first 3,000 real 300-d Finnish floret vectors (`/work/shared/data/vectors/
spacy-fi-floret-300`). Y: openTSNE's own FFT embedding after 100 (early, a small map) and 350
(a spread-out map) iterations. `xling-bench tsne-gradient` computes our gradient at that Y
over that P; both tools' gradients are compared point by point with the exact one.

    swift build -c release --product xling-bench
    cd Tests/reference && python -m pytest -q -p no:cacheprovider test_tsne_fft_opentsne.py
"""
from __future__ import annotations

import json
import os
import subprocess

import numpy as np
import pytest

import tsne_reference as TR

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
BENCH = os.path.join(REPO, ".build", "release", "xling-bench")
FINNISH = "/work/shared/data/vectors/spacy-fi-floret-300/fi.vec.gz"
ENV = dict(os.environ, OPENBLAS_NUM_THREADS="1")


def ours(tmp_path, y, p, method):
    assert os.path.exists(BENCH), f"{BENCH} is missing: run `make build`"
    coordinates, prefix, out = str(tmp_path / "y.f32"), str(tmp_path / "p"), str(tmp_path / f"g-{method}.f64")
    TR.write_matrix(coordinates, y)
    p.indptr.astype("<i8").tofile(prefix + ".indptr")
    p.indices.astype("<i4").tofile(prefix + ".indices")
    p.data.astype("<f8").tofile(prefix + ".data")
    run = subprocess.run([BENCH, "tsne-gradient", coordinates, prefix, "--method", method, "--out", out],
                         check=True, capture_output=True, text=True, env=ENV)
    report = json.loads(run.stdout.strip().splitlines()[-1])
    return np.fromfile(out, dtype="<f8").reshape(-1, 2), report["kl"]


def errors(g, reference):
    """Per point ‖g_i − r_i‖ over the rms force (largest), own-relative 99th percentile, overall."""
    diff = np.linalg.norm(g - reference, axis=1)
    norm = np.linalg.norm(reference, axis=1)
    rms = np.sqrt(np.mean(norm ** 2))
    return diff.max() / rms, float(np.quantile(diff / norm, 0.99)), float(np.linalg.norm(g - reference) / np.linalg.norm(reference))


@pytest.fixture(scope="module")
def layouts():
    """openTSNE's FFT run on the 3,000 vectors (its defaults), stopped at 100 and 350 iterations."""
    from openTSNE import TSNE

    _, x = TR.load_vec(FINNISH, rows=3000)
    tsne = TSNE(n_jobs=1, random_state=1, negative_gradient_method="fft")
    embedding = tsne.prepare_initial(x.astype(np.float64))
    embedding.optimize(n_iter=100, exaggeration=12, momentum=0.5, inplace=True)
    early = np.asarray(embedding).copy()
    embedding.optimize(n_iter=150, exaggeration=12, momentum=0.5, inplace=True)
    embedding.optimize(n_iter=100, momentum=0.8, inplace=True)
    return {100: early, 350: np.asarray(embedding).copy()}, embedding.affinities.P.tocsr()


@pytest.mark.parametrize("iterations", [100, 350])
def test_fft_gradient_matches_opentsne_and_exact(tmp_path, layouts, iterations):
    from openTSNE import _tsne
    from openTSNE.tsne import kl_divergence_fft
    from scipy.sparse import csr_matrix

    maps, p = layouts
    y = np.ascontiguousarray(maps[iterations].astype(np.float32).astype(np.float64))   # the Y both sides see
    params = dict(n_interpolation_points=3, min_num_intervals=50, ints_in_interval=1)
    # The repulsive part alone (-r/Z): openTSNE's negative gradient; ours over an empty P.
    their_repulsion = np.zeros_like(y)
    _tsne.estimate_negative_gradient_fft_2d(y, their_repulsion, **params, dof=1)
    empty = csr_matrix((len(y), len(y)))
    my_repulsion, _ = ours(tmp_path, y, empty, "fft")
    exact_repulsion, _ = ours(tmp_path, y, empty, "exact")
    # The whole gradient over P.
    their_kl, theirs = kl_divergence_fft(y, p, 1, params, should_eval_error=True)
    mine, my_kl = ours(tmp_path, y, p, "fft")
    exact, exact_kl = ours(tmp_path, y, p, "exact")
    rep = errors(my_repulsion, exact_repulsion), errors(their_repulsion, exact_repulsion)
    whole = errors(mine, exact), errors(theirs, exact)
    print(f"{iterations} iterations (worst/rms force, p99 own, overall): repulsion ours {rep[0]} openTSNE {rep[1]}; "
          f"gradient ours {whole[0]} openTSNE {whole[1]}; "
          f"KL ours {my_kl:.5f} openTSNE {their_kl:.5f} exact {exact_kl:.5f} ({TR.exact_kl(p, y):.5f} by the reference formula)")
    # One convention (g = 1/4 dKL/dy, repulsion -r/Z): openTSNE's matches the exact one to its error.
    assert errors(their_repulsion, exact_repulsion)[2] < 0.1
    assert abs(exact_kl - TR.exact_kl(p, y)) <= 1e-6 * exact_kl
    if iterations <= 250:
        # A small map (50 intervals over ~2 units): both near exact; ours carries FFTW single-precision round-off.
        assert rep[0][0] < 1e-3 and rep[0][1] < 1e-2 and rep[0][2] < 1e-4
        assert whole[0][0] < 1e-3 and whole[0][2] < 1e-4
    else:
        # A spread-out map: the interpolation error dominates; ours is no worse than openTSNE's.
        for k in range(3):
            assert rep[0][k] <= 1.1 * rep[1][k], (k, rep)
        assert whole[0][0] <= 1.1 * whole[1][0] and whole[0][2] <= 1.1 * whole[1][2]
    # The KL estimates (FFT-estimated Z) agree with the exact KL.
    assert abs(my_kl - exact_kl) <= 1e-3 * exact_kl
