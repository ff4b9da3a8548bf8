"""Builds the en-de, en-fr and en-es dictionaries of notebook 03 from Open Multilingual Wordnet's
Wiktionary lemmas: an English and a foreign lemma that share a WordNet synset id are translations.

Kept when both words are among the TOP most frequent words of the Europarl sample of their
language (tokenized like xling's default Tokenizer: lowercase, punctuation stripped from token
edges). All pairs go to `en-xx.tsv` (src<TAB>tgt); the Procrustes alignment in notebook 03 uses
them as its seed dictionary.

    python3 make_dictionaries.py /path/to/shared/data   # writes en-de.tsv, en-fr.tsv, en-es.tsv here
"""

import gzip
import os
import sys
import unicodedata
from collections import Counter

TOP = 5000
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..")
CORPORA = {"en": "europarl-en-de/en.txt.gz", "de": "europarl-en-de/de.txt.gz",
           "fr": "europarl-fr-es/fr.txt.gz", "es": "europarl-fr-es/es.txt.gz"}
WIKTIONARY = {"en": "eng", "de": "deu", "fr": "fra", "es": "spa"}


def is_punct(ch):
    return unicodedata.category(ch)[0] in "PS"


def tokens(line):
    for raw in line.split():
        word = raw.strip("".join(c for c in set(raw) if is_punct(c)))
        if word:
            yield word.lower()


def top_words(path):
    counts = Counter()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            counts.update(tokens(line))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {w for w, _ in ranked[:TOP]}


def lemmas(path, code):
    by_synset = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[1] == f"{code}:lemma" and " " not in parts[2]:
                by_synset.setdefault(parts[0], set()).add(parts[2].lower())
    return by_synset


def main(shared):
    wikt = os.path.join(shared, "dictionaries", "omw-wiktionary")
    en_top = top_words(os.path.join(DATA, CORPORA["en"]))
    en = lemmas(os.path.join(wikt, "wn-wikt-eng.tab.gz"), "eng")
    for lang in ("de", "fr", "es"):
        top = top_words(os.path.join(DATA, CORPORA[lang]))
        xx = lemmas(os.path.join(wikt, f"wn-wikt-{WIKTIONARY[lang]}.tab.gz"), WIKTIONARY[lang])
        pairs = sorted({(e, x) for s in en.keys() & xx.keys() for e in en[s] for x in xx[s]
                        if e in en_top and x in top})
        with open(os.path.join(HERE, f"en-{lang}.tsv"), "w", encoding="utf-8") as f:
            f.writelines(f"{e}\t{x}\n" for e, x in pairs)
        print(f"en-{lang}: {len(pairs)} pairs over {len({e for e, _ in pairs})} English words")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data")
