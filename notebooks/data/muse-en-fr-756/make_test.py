"""Make test.at.txt: MUSE en-fr pairs inside the 756-word fastText vocabularies, minus the
source words of the xling-eval train split, so train and test never share a source word.
Run from notebooks/data: python muse-en-fr-756/make_test.py /path/to/muse-full/en-fr.dict.gz
"""
import gzip
import sys


def vocabulary(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        f.readline()
        return {line.split(" ", 1)[0] for line in f}


en = vocabulary("fasttext-en-fr-756/en.vec.gz")
fr = vocabulary("fasttext-en-fr-756/fr.vec.gz")
with gzip.open("xling-eval-en-fr/yacle.train.freq.5k.en-fr.tsv.gz", "rt", encoding="utf-8") as f:
    train_sources = {line.split("\t")[0] for line in f}
kept = []
with gzip.open(sys.argv[1], "rt", encoding="utf-8") as f:
    for line in f:
        target, _, source = line.rstrip("\n").partition(" @ ")
        if source in en and target in fr and source not in train_sources:
            kept.append(line.rstrip("\n"))
with open("muse-en-fr-756/test.at.txt", "w", encoding="utf-8") as out:
    out.write("\n".join(kept) + "\n")
print(len(kept), "pairs,", len({k.partition(" @ ")[2] for k in kept}), "source words")
