"""Builds the en-de dictionaries of notebook 02 from Open Multilingual Wordnet's Wiktionary
lemmas: English and German lemmas that share a WordNet synset id are translations.

Restricted to words among the TOP most frequent of both tokenized corpora (Europarl plus the
same side of the WMT 10k parallel corpus, tokenized like xling's default Tokenizer: lowercase,
punctuation stripped from token edges) and split by English word into train and a held-out test
split (a seeded shuffle; no English word is in both).

    python3 make_dictionary.py /path/to/shared/data   # writes train.tsv and test.tsv here
"""

import gzip
import os
import random
import sys
import unicodedata
from collections import Counter

TOP = 5000
TEST_SHARE = 0.25
SEED = 2015
HERE = os.path.dirname(os.path.abspath(__file__))


def is_punct(ch):
    return unicodedata.category(ch)[0] in "PS"


def tokens(line):
    for raw in line.split():
        word = raw.strip("".join(c for c in set(raw) if is_punct(c)))
        if word:
            yield word.lower()


def top_words(paths):
    counts = Counter()
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                counts.update(tokens(line))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {w for w, _ in ranked[:TOP]}


def lemmas(path, lang):
    by_synset = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[1] == f"{lang}:lemma" and " " not in parts[2]:
                by_synset.setdefault(parts[0], set()).add(parts[2].lower())
    return by_synset


def main(shared):
    data = os.path.join(HERE, "..")
    en_top = top_words([os.path.join(data, "europarl-en-de", "en.txt.gz"), os.path.join(data, "wmt-en-de-10k", "train.en.gz")])
    de_top = top_words([os.path.join(data, "europarl-en-de", "de.txt.gz"), os.path.join(data, "wmt-en-de-10k", "train.de.gz")])
    wikt = os.path.join(shared, "dictionaries", "omw-wiktionary")
    en, de = lemmas(os.path.join(wikt, "wn-wikt-eng.tab.gz"), "eng"), lemmas(os.path.join(wikt, "wn-wikt-deu.tab.gz"), "deu")
    pairs = sorted({(e, d) for s in en.keys() & de.keys() for e in en[s] for d in de[s]
                    if e in en_top and d in de_top})
    sources = sorted({e for e, _ in pairs})
    random.Random(SEED).shuffle(sources)
    test_sources = set(sources[: int(len(sources) * TEST_SHARE)])
    for name, keep in (("train.tsv", lambda e: e not in test_sources), ("test.tsv", lambda e: e in test_sources)):
        with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
            for e, d in pairs:
                if keep(e):
                    f.write(f"{e}\t{d}\n")
    print(f"{len(pairs)} pairs over {len(sources)} English words; test: {len(test_sources)} English words")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data")
