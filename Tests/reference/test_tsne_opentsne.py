"""Differential test of xling's t-SNE against openTSNE 1.0.4 (acceptance criterion: on the
same input, perplexity and iterations, our final KL within 5 % of openTSNE's).

Input: the 756 real English fastText wiki vectors of `notebooks/data/fasttext-en-fr-756`.
`xling-bench tsne --dump` runs our t-SNE (one core) and writes the coordinates; openTSNE runs
the same schedule with exact neighbours (so both build P from the same kNN graph). Both
embeddings are scored by one formula, `tsne_reference.exact_kl`, over openTSNE's P.

    swift build -c release --product xling-bench
    cd Tests/reference && python -m pytest -q -p no:cacheprovider test_tsne_opentsne.py
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
VECTORS = os.path.join(REPO, "notebooks", "data", "fasttext-en-fr-756")
ENV = dict(os.environ, OPENBLAS_NUM_THREADS="1")


def ours(tmp_path, x, *extra):
    assert os.path.exists(BENCH), f"{BENCH} is missing: run `make build` (or `swift build -c release --product xling-bench`)"
    source, out = str(tmp_path / "x.f32"), str(tmp_path / "y.f32")
    TR.write_matrix(source, x)
    run = subprocess.run([BENCH, "tsne", source, "--dump", out, "--exact-kl", "1", *extra],
                         check=True, capture_output=True, text=True, env=ENV)
    return json.loads(run.stdout.strip().splitlines()[-1]), TR.read_matrix(out)


@pytest.mark.parametrize("language,perplexity,iterations,method", [
    ("en", 30, 750, "barnesHut"),     # openTSNE's defaults
    ("en", 30, 750, "exact"),
    ("fr", 10, 500, "barnesHut"),     # another input, perplexity and length
])
def test_final_kl_within_5_percent_of_opentsne(tmp_path, language, perplexity, iterations, method):
    _, x = TR.load_vec(os.path.join(VECTORS, f"{language}.vec.gz"))
    report, y = ours(tmp_path, x, "--perplexity", str(perplexity), "--iterations", str(iterations),
                     "--method", method)
    assert report["completed_iterations"] == iterations and y.shape == (len(x), 2)
    assert np.all(np.isfinite(y))
    theirs, p, their_kl = TR.opentsne_fit(x, perplexity=perplexity, iterations=iterations, exact_neighbors=True)
    kl_ours = TR.exact_kl(p, y)
    kl_theirs = TR.exact_kl(p, theirs)
    print(f"{language} perplexity {perplexity}: ours {kl_ours:.4f} (reported {report['final_kl']:.4f}), "
          f"openTSNE {kl_theirs:.4f} (reported {their_kl:.4f})")
    assert abs(kl_ours - kl_theirs) <= 0.05 * kl_theirs
    # Our P and openTSNE's share the kNN graph; the calibrated values agree to ~1e-3 of KL at
    # perplexity 30 and ~1 % at perplexity 10 on fr (cause of the gap not investigated).
    assert abs(report["exact_kl"] - kl_ours) <= 0.02 * kl_ours
    # Our Barnes-Hut estimate of the final KL is close to the exact one.
    assert abs(report["final_kl"] - report["exact_kl"]) <= 0.02 * report["exact_kl"]


def test_same_seed_same_coordinates(tmp_path):
    _, x = TR.load_vec(os.path.join(VECTORS, "en.vec.gz"), rows=400)
    first = ours(tmp_path, x, "--perplexity", "20", "--iterations", "300", "--method", "barnesHut")[1]
    second = ours(tmp_path, x, "--perplexity", "20", "--iterations", "300", "--method", "barnesHut")[1]
    assert np.array_equal(first, second)


def test_too_few_points_is_a_clear_error(tmp_path):
    _, x = TR.load_vec(os.path.join(VECTORS, "en.vec.gz"), rows=50)
    source = str(tmp_path / "x.f32")
    TR.write_matrix(source, x)
    assert os.path.exists(BENCH), f"{BENCH} is missing: run `make build`"
    run = subprocess.run([BENCH, "tsne", source], capture_output=True, text=True, env=ENV)
    assert run.returncode != 0
    assert "perplexity" in run.stderr and "at most 16.33" in run.stderr, run.stderr
