"""xling's locally linear mapping and linear projection (`Sources/Embeddings/Transfer`, run
through `xling-bench llm --dump`) against the numpy reference `llm_reference.py`, to 1e-4.

Data: real fastText wiki vectors (en 756 x 300 as the source side, fr 757 x 300 as the target
side, one shared space); the task-specific source matrix is tanh(4 * X_en @ R) with a seeded
300 x 64 R (a fixed nonlinear transform of the real vectors; any n_s x d_t matrix exercises
eq. 6 the same way). Cases: k = 10 and k = 3 with two deltas; k = 20 on the first 8 dimensions
(k > dim); every source word twice (duplicate neighbours); targets that are source words (exact
matches); leave-self-out reconstruction of the source (the tuning step); the linear projection.

    swift build -c release --product xling-bench
    cd Tests/reference && python -m pytest -q -p no:cacheprovider test_llm_reference.py
"""

from __future__ import annotations

import os
import subprocess
import json

import numpy as np
import pytest

import llm_reference as R

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.normpath(os.path.join(HERE, "..", "..", ".build", "release", "xling-bench"))
DATA = "/work/shared/data/vectors/fasttext-wiki-aligned-en-fr-756"
TOL = 1e-4
MAGIC = b"XLF32MAT"


def load_vec(path):
    import gzip
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows, dim = map(int, f.readline().split())
        out = np.empty((rows, dim), dtype=np.float32)
        n = 0
        for line in f:
            parts = line.rstrip().split(" ")
            if len(parts) != dim + 1:
                continue
            out[n] = np.array(parts[1:], dtype=np.float32)
            n += 1
    return out[:n]


def write_matrix(path, m):
    m = np.ascontiguousarray(m, dtype="<f4")
    with open(path, "wb") as f:
        f.write(MAGIC)
        f.write(np.array(m.shape, dtype="<u8").tobytes())
        m.tofile(f)


def read_matrix(path):
    with open(path, "rb") as f:
        assert f.read(8) == MAGIC
        rows, cols = np.frombuffer(f.read(16), dtype="<u8")
    return np.fromfile(path, dtype="<f4", offset=24).reshape(int(rows), int(cols))


@pytest.fixture(scope="module")
def vectors():
    en = load_vec(os.path.join(DATA, "en.vec.gz"))
    fr = load_vec(os.path.join(DATA, "fr.vec.gz"))
    rng = np.random.default_rng(7)
    r = (rng.uniform(-1, 1, size=(en.shape[1], 64)) / np.sqrt(en.shape[1])).astype(np.float32)
    spec = np.tanh(4 * (en @ r)).astype(np.float32)
    return en, spec, fr


def run(tmp_path, gs, ss, gt, *extra):
    assert os.path.exists(BENCH), f"{BENCH} is missing: run `make build` (or `swift build -c release --product xling-bench`)"
    files = []
    for name, m in (("gs", gs), ("ss", ss), ("gt", gt)):
        p = tmp_path / f"{name}.f32"
        write_matrix(p, m)
        files.append(str(p))
    out = tmp_path / "out"
    proc = subprocess.run([BENCH, "llm", *files, "--repeats", "1", "--dump", str(out), *extra],
                          check=True, capture_output=True, text=True)
    meta = json.loads(proc.stdout)
    dumped = {name[:-4]: read_matrix(out / name) for name in os.listdir(out)}
    return meta, dumped


def check_llm(meta, d, gs, ss, gt, k, delta):
    nbrs = d["neighbors"].astype(np.int64)
    assert nbrs.shape == (gt.shape[0], k)
    assert meta["finite"] and np.all(np.isfinite(d["specific_target"])) and np.all(np.isfinite(d["weights"]))
    # Neighbours: numpy's cosine top-k; the k cosines agree (indices may differ only on ties).
    ref_idx, ref_cos = R.cosine_knn(gt, gs, k)
    np.testing.assert_allclose(d["cosines"], ref_cos, atol=1e-5, rtol=0)
    # Same neighbours (as vectors: a duplicated source word's two rows tie exactly, and which of
    # the two ranks first depends on the last bit of each GEMM).
    same = np.all(gs[ref_idx] == gs[nbrs], axis=(1, 2))
    assert same.mean() > 0.97, f"only {same.mean():.3f} of the neighbour lists agree"
    # Given our neighbours, alpha and eq. 6 agree with the float64 reference.
    alpha, exact = R.reconstruction_weights(gt, gs, nbrs, delta)
    assert np.max(np.abs(d["weights"].sum(axis=1) - 1)) < 1e-5
    np.testing.assert_allclose(d["weights"], alpha, atol=TOL, rtol=0)
    ref = R.apply_weights(alpha, nbrs, ss)
    np.testing.assert_allclose(d["specific_target"], ref, atol=TOL, rtol=0)
    assert meta["exact_matches"] == int(exact.sum())
    # The whole numpy pipeline (its own neighbours) agrees wherever the neighbour lists do.
    full, _, _, _ = R.llm(gs, ss, gt, k, delta)
    np.testing.assert_allclose(d["specific_target"][same], full[same], atol=TOL, rtol=0)
    return alpha, exact


@pytest.mark.parametrize("k,delta", [(10, 1e-3), (3, 1e-3), (3, 1e-2)])
def test_llm_matches_numpy(tmp_path, vectors, k, delta):
    en, spec, fr = vectors
    meta, d = run(tmp_path, en, spec, fr, "--k", str(k), "--delta", str(delta))
    check_llm(meta, d, en, spec, fr, k, delta)


def test_k_above_dimension(tmp_path, vectors):
    en, spec, fr = vectors
    gs, gt = en[:, :8].copy(), fr[:, :8].copy()
    meta, d = run(tmp_path, gs, spec, gt, "--k", "20")
    check_llm(meta, d, gs, spec, gt, 20, 1e-3)


def test_duplicate_neighbours_and_exact_matches(tmp_path, vectors):
    en, spec, fr = vectors
    gs, ss = np.vstack([en, en]), np.vstack([spec, spec])
    gt = np.vstack([fr[:300], en[::7]])                      # 108 targets are source words
    meta, d = run(tmp_path, gs, ss, gt, "--k", "6")
    alpha, exact = check_llm(meta, d, gs, ss, gt, 6, 1e-3)
    assert exact.sum() == meta["exact_matches"] >= 108
    np.testing.assert_array_equal(d["specific_target"][300:], spec[::7])


def test_leave_self_out_matches_numpy(tmp_path, vectors):
    en, spec, fr = vectors
    _, d = run(tmp_path, en, spec, fr, "--k", "4", "--self-out", "4")
    ours = d["self_out_4"]
    ref, nbrs = R.leave_self_out(en, spec, 4)
    assert not np.any(nbrs == np.arange(en.shape[0])[:, None])
    np.testing.assert_allclose(ours, ref, atol=TOL, rtol=0)


def test_linear_projection_matches_numpy(tmp_path, vectors):
    en, spec, fr = vectors
    for ridge in ("0", "0.01"):
        _, d = run(tmp_path, en, spec, fr, "--method", "linear", "--ridge", ridge)
        w = R.linear_projection(en, spec, float(ridge))
        # Compare predictions (well determined) rather than W entry by entry.
        np.testing.assert_allclose(d["specific_target"], fr.astype(np.float64) @ w, atol=1e-3, rtol=0)
        np.testing.assert_allclose(en @ d["weights_linear"], en.astype(np.float64) @ w, atol=1e-3, rtol=0)
