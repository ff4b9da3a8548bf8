"""The failure detector on real-size VecMap runs (release `xling-bench detector`): the fastText en
space against a randomly rotated copy must be judged aligned; the same 756 words and the first
5,000 Finnish words against Gaussian noise of the same size must be judged failed (issue 16). About a minute. Both spaces
ship with the project (notebooks/data: fasttext-en-fr-756, and spacy-fi-fr-5k, which
`xling-bench detector` reads for up to 5,000 words).

    swift build -c release --product xling-bench
    cd Tests/reference && python -m pytest -q -p no:cacheprovider test_detector.py
"""
from __future__ import annotations

import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
BENCH = os.path.join(ROOT, ".build", "release", "xling-bench")


def test_rotated_copy_succeeds_and_gaussian_space_fails():
    assert os.path.exists(BENCH), f"{BENCH} is missing: run `make build`"
    out = subprocess.run([BENCH, "detector", "--cases", "rotated,gaussian,fi-gaussian", "--words", "5000", "--iters", "12"],
                         check=True, capture_output=True, text=True, cwd=ROOT).stdout
    verdicts = {r["case"]: r for r in map(json.loads, out.strip().splitlines())}
    assert verdicts["rotated"]["verdict"] == "succeeded", verdicts["rotated"]["sentence"]
    assert verdicts["gaussian"]["verdict"] == "failed", verdicts["gaussian"]["sentence"]
    assert verdicts["fi-gaussian"]["verdict"] == "failed", verdicts["fi-gaussian"]["sentence"]
