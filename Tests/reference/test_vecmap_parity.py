"""VecMap's unsupervised initial dictionary: xling (`xling-bench vecmap-init`) must be identical
to the one the unmodified vecmap (`../shared/anchors/vecmap/map_embeddings.py`, numpy) builds on
the real fi (spacy-fi-floret-300) and fr (spacy-fr-300) vectors: 8,000 pairs, 4,000 forward
then 4,000 backward, in order.

The anchor's dictionary is the committed fixture `fixtures/vecmap-init-fi-fr-4000.tsv.gz`, made by
`vecmap_init_reference.py` (about 40 s); with VECMAP_RERUN=1 and the anchor present the test
regenerates it in the same run and compares against that instead.

    swift build -c release --product xling-bench
    cd Tests/reference && python -m pytest -q -p no:cacheprovider test_vecmap_parity.py
"""
from __future__ import annotations

import gzip
import os
import subprocess

import pytest

import vecmap_init_reference

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.normpath(os.path.join(HERE, "..", "..", ".build", "release", "xling-bench"))
FIXTURE = os.path.join(HERE, "fixtures", "vecmap-init-fi-fr-4000.tsv.gz")
FI = "/work/shared/data/vectors/spacy-fi-floret-300/fi.vec.gz"
FR = "/work/shared/data/vectors/spacy-fr-300/fr.vec.gz"


@pytest.mark.skipif(not os.path.exists(FI), reason="needs /work/shared/data")
def test_initial_dictionary_is_vecmaps(tmp_path):
    assert os.path.exists(BENCH), f"{BENCH} is missing: run `make build`"
    ours = tmp_path / "ours.tsv"
    subprocess.run([BENCH, "vecmap-init", FI, FR, str(ours)], check=True, capture_output=True)
    if os.environ.get("VECMAP_RERUN") == "1" and os.path.isdir(vecmap_init_reference.ANCHOR):
        s, t, _ = vecmap_init_reference.initial_dictionary(FI, FR, 4000)
        theirs = [f"{i}\t{j}" for i, j in zip(s.tolist(), t.tolist())]
    else:
        with gzip.open(FIXTURE, "rt") as f:
            theirs = f.read().splitlines()
    mine = ours.read_text().splitlines()
    assert len(mine) == len(theirs) == 8000
    differing = [i for i, (a, b) in enumerate(zip(mine, theirs)) if a != b]
    assert not differing, f"{len(differing)} pairs differ, first at {differing[:5]}"
