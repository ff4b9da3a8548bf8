"""Writes the disjoint training subsets of notebook 05 from ../sib200/<lang>/train.tsv (SIB-200's
701 training sentences, the same index_id in every language):

- <lang>.rcv.tsv: RCV-like proportions (M'hamdi et al. 2019's RCV1/2 training ratios): DE 84, FR 68,
  IT 21 sentence ids drawn stratified by label, EN the remaining 528; no id in two languages, so the
  pool holds no translation of another pooled sentence.
- <lang>.balanced.tsv: a balanced low-data regime, 150 disjoint ids per language (600 of 701).

Rows keep the SIB-200 format (index_id, category, text). Seeded (numpy 2019); rerun: python make_splits.py.
"""

import csv
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
LANGS = {"en": "eng_Latn", "de": "deu_Latn", "fr": "fra_Latn", "it": "ita_Latn"}


def read(lang):
    with open(os.path.join(HERE, "..", "sib200", LANGS[lang], "train.tsv"), encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[0], {r[0]: r for r in rows[1:]}


def stratified(ids, labels, n, rng):
    """n ids drawn with each label's share of `ids` (largest remainders), then shuffled."""
    by = {}
    for i in ids:
        by.setdefault(labels[i], []).append(i)
    quota = {k: n * len(v) / len(ids) for k, v in by.items()}
    take = {k: int(q) for k, q in quota.items()}
    for k in sorted(quota, key=lambda k: quota[k] - take[k], reverse=True)[: n - sum(take.values())]:
        take[k] += 1
    chosen = []
    for k in sorted(by):
        pool = sorted(by[k])
        chosen += list(rng.choice(pool, size=take[k], replace=False))
    return chosen


def write(lang, name, ids, header, rows):
    with open(os.path.join(HERE, f"{lang}.{name}.tsv"), "w", encoding="utf-8", newline="") as f:
        f.write("\t".join(header) + "\n")
        for i in sorted(ids, key=int):
            f.write("\t".join(rows[lang][i]) + "\n")


def main():
    rng = np.random.default_rng(2019)
    header, en = read("en")
    rows = {lang: read(lang)[1] for lang in LANGS}
    labels = {i: r[1] for i, r in en.items()}
    left = sorted(en, key=int)
    rcv = {}
    for lang, n in (("de", 84), ("fr", 68), ("it", 21)):
        rcv[lang] = stratified(left, labels, n, rng)
        left = [i for i in left if i not in set(rcv[lang])]
    rcv["en"] = left
    left = sorted(en, key=int)
    balanced = {}
    for lang in ("en", "de", "fr", "it"):
        balanced[lang] = stratified(left, labels, 150, rng)
        left = [i for i in left if i not in set(balanced[lang])]
    for lang in LANGS:
        write(lang, "rcv", rcv[lang], header, rows)
        write(lang, "balanced", balanced[lang], header, rows)
        print(lang, "rcv", len(rcv[lang]), "balanced", len(balanced[lang]))


if __name__ == "__main__":
    main()
