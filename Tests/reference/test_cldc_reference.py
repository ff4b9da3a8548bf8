"""Differential test of `%eval cldc` (cross-lingual document classification): the real xling
kernel (through jupyter_client, conftest.py) against the numpy reference cldc_reference.py.

Data: SIB-200 English and French train/test (701 / 204 sentences, 7 labels) with the fastText
en/fr vectors (756 words each), mapped with `%align procrustes` (xling's mapped spaces are
saved with `%save … format=vec`, shortest round-trip floats, so numpy reads the very same fp32
vectors). Compared per case, for several directions, seeds and epoch counts:
  * the perceptron's confusion matrix (the display before the result): IDENTICAL;
  * accuracy and macro P/R/F1 of the perceptron and of the majority baseline: equal to 1e-9
    (same predictions; only the order of the final sums may differ);
  * token counts and coverage in the footnote: identical.
"""

from __future__ import annotations

import os
import re

import numpy as np
import pytest

import cldc_reference as CR
import formats_reference as FR
from kernel_helpers import TABLE_MIME, execute, table_rows

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "notebooks", "data"))
EN = os.path.join(DATA, "fasttext-en-fr-756", "en.vec.gz")
FR_VEC = os.path.join(DATA, "fasttext-en-fr-756", "fr.vec.gz")
TRAIN_DICT = os.path.join(DATA, "xling-eval-en-fr", "yacle.train.freq.5k.en-fr.tsv.gz")
SIB = "/work/shared/data/classification/sib200"
SETS = {  # session name -> (file, language)
    "en_train": (f"{SIB}/eng_Latn/train.tsv", "en"),
    "en_test": (f"{SIB}/eng_Latn/test.tsv", "en"),
    "fr_train": (f"{SIB}/fra_Latn/train.tsv", "fr"),
    "fr_test": (f"{SIB}/fra_Latn/test.tsv", "fr"),
}
# (train, test, space, seed, epochs)
CASES = [
    ("en_train", "fr_test", "m", 0, 10),
    ("fr_train", "en_test", "m", 0, 10),
    ("en_train", "fr_test", "m", 7, 4),
    ("fr_train", "en_test", "m", 12345, 10),
    ("en_train", "en_test", "en", 3, 10),
]
TOL = 1e-9


@pytest.fixture(scope="module")
def setup(xling, tmp_path_factory):
    """Loads everything into the kernel once; returns the numpy side's spaces and sets."""
    tmp = tmp_path_factory.mktemp("cldc")
    xling.ok(f"%load vectors en path={EN} lang=en")
    xling.ok(f"%load vectors fr path={FR_VEC} lang=fr")
    xling.ok(f"%load dict train path={TRAIN_DICT}")
    xling.ok("%align procrustes src=en tgt=fr dict=train as=m")
    for name, (path, lang) in SETS.items():
        xling.ok(f"%load labeled {name} path={path} lang={lang}")
    spaces = {}
    for key, code in {("m", "en"): f"%save m path={tmp}/m.en.vec format=vec side=source",
                      ("m", "fr"): f"%save m path={tmp}/m.fr.vec format=vec side=target",
                      ("en", "en"): f"%save en path={tmp}/en.vec format=vec"}.items():
        xling.ok(code)
        path = re.search(r"path=(\S+)", code).group(1)
        words, matrix = FR.load_vec(path)
        index = {}
        for i, w in enumerate(words):
            index.setdefault(w, i)
        spaces[key] = (index, matrix)
    sets = {name: CR.read_sib200(path) for name, (path, _) in SETS.items()}
    return spaces, sets


def _json(iopub, msg_type):
    for m in iopub:
        if m["msg_type"] == msg_type and TABLE_MIME in m["content"]["data"]:
            return table_rows(m["content"]["data"]), m["content"]["data"].get("text/plain", "")
    return None, ""


@pytest.mark.parametrize("train,test,space,seed,epochs", CASES)
def test_cldc_matches_numpy(xling, setup, train, test, space, seed, epochs):
    spaces, sets = setup
    lang = {name: lang for name, (_, lang) in SETS.items()}
    reply, iopub = execute(xling.kc, f"%eval cldc space={space} train={train} test={test} seed={seed} epochs={epochs}", timeout=120)
    assert reply["content"]["status"] == "ok", reply["content"].get("evalue")
    rows, text = _json(iopub, "execute_result")
    confusion_rows, _ = _json(iopub, "display_data")
    assert rows and confusion_rows

    ref = CR.cldc(*sets[train], spaces[(space, lang[train])], *sets[test], spaces[(space, lang[test])],
                  epochs=epochs, seed=seed)
    labels = ref["labels"]
    got_confusion = np.array([[row[label] for label in labels] for row in confusion_rows])
    assert [row["gold \\ predicted"] for row in confusion_rows] == labels
    np.testing.assert_array_equal(got_confusion, ref["perceptron"]["confusion"])

    by_name = {row["classifier"].split(" (")[0]: row for row in rows}
    for xname, rname in (("averaged perceptron", "perceptron"), ("majority class", "majority")):
        for key in ("accuracy", "macro P", "macro R", "macro F1"):
            assert abs(by_name[xname][key] - 100 * ref[rname][key]) <= TOL, (xname, key, by_name[xname][key], 100 * ref[rname][key])
        assert by_name[xname]["direction"] == f"{lang[train]}→{lang[test]}"
    majority_label = labels[int(np.argmax(np.bincount([labels.index(l) for l in sets[train][1]], minlength=len(labels))))]
    assert f"majority class ({majority_label})" in [row["classifier"] for row in rows]

    for name, (tokens, covered, zero) in zip((train, test), ref["coverage"]):
        expected = f"`{name}` ({lang[name]}, {len(sets[name][0]):,} documents): {100 * covered / tokens:.1f}% of {tokens:,} tokens in the space"
        assert expected in text, (expected, text[-600:])
        assert ("without a weighted in-vocabulary word" in text.split(f"`{name}`")[1].split(";")[0]) == (zero > 0)
    print(f"{train}->{test} in {space}, seed {seed}, {epochs} epochs: accuracy {100 * ref['perceptron']['accuracy']:.2f}% "
          f"(majority {100 * ref['majority']['accuracy']:.2f}%), macro-F1 {100 * ref['perceptron']['macro F1']:.2f}%")


def test_bad_input_keeps_the_session(xling, setup):
    xling.fails("%eval cldc space=m train=en_train test=nothing")
    xling.fails("%load labeled broken path=/nonexistent/sib.tsv lang=en")
    r = xling.fails("%eval cldc space=en train=en_train test=fr_test")
    assert "the space `en` has en" in r.error
    assert {"en_train", "fr_test", "m"} <= set(xling.who())
