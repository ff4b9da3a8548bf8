"""Sentence-aligns the Europarl samples of notebook 03 (English with German, French and Spanish)
with Gale & Church's (1993) length-based method, and keeps the one-to-one links.

The NLTK Europarl sample has the same sessions in every language but is not sentence-aligned:
sentence boundaries differ and a few passages are missing on one side. Gale-Church aligns by
character lengths alone (translations have proportional lengths: the difference l2 - c*l1 is
normal with variance s2*l1), with the standard priors for 1-1, 1-0, 0-1, 2-1, 1-2 and 2-2
beads, by dynamic programming. The files' blank lines split them into blocks (sessions and agenda
items), but some blocks are missing on one side, so the blocks are aligned first (the same
model over block lengths, where a block may also stay unmatched) and sentences are then aligned
inside each matched pair of blocks. Only 1-1 sentence beads whose lengths are within a factor
of 2 of each other are written, as `en<TAB>xx` lines.

    python3 make_pairs.py    # writes en-de.tsv.gz, en-fr.tsv.gz, en-es.tsv.gz here
"""

import gzip
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..")
FILES = {"en": "europarl-en-de/en.txt.gz", "de": "europarl-en-de/de.txt.gz",
         "fr": "europarl-fr-es/fr.txt.gz", "es": "europarl-fr-es/es.txt.gz"}
BAND = 400
# Blocks: most have a counterpart; a block missing on one side costs a flat penalty.
BLOCK_PENALTY = {(1, 1): 0.0, (1, 0): 12.0, (0, 1): 12.0}
C, S2 = 1.0, 6.8
PRIORS = {(1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089, (1, 2): 0.089, (2, 2): 0.011}
PENALTY = {bead: -math.log(p) for bead, p in PRIORS.items()}


def blocks(lang):
    """The file's blank-line-separated blocks, each a list of sentences."""
    result, current = [], []
    with gzip.open(os.path.join(DATA, FILES[lang]), "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                current.append(line.strip())
            elif current:
                result.append(current)
                current = []
    if current:
        result.append(current)
    return result


def match_cost(l1, l2):
    """-log P(|delta|) of two lengths under Gale-Church's normal model."""
    mean = (l1 + l2 / C) / 2
    if mean == 0:
        return 0.0
    delta = (l2 - l1 * C) / math.sqrt(mean * S2)
    p = math.erfc(abs(delta) / math.sqrt(2))
    return -math.log(max(p, 1e-300))


def align(la, lb, penalties, band):
    """Gale-Church beads (i, j, di, dj) between two lists of lengths."""
    n, m = len(la), len(lb)
    ratio = m / max(1, n)
    inf = float("inf")
    cost = [dict() for _ in range(n + 1)]
    back = [dict() for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        centre = int(i * ratio)
        for j in range(max(0, centre - band), min(m, centre + band) + 1):
            if i == 0 and j == 0:
                continue
            best, move = inf, None
            for (di, dj), penalty in penalties.items():
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0:
                    continue
                prev = cost[pi].get(pj)
                if prev is None:
                    continue
                c = prev + penalty + match_cost(sum(la[pi:i]), sum(lb[pj:j]))
                if c < best:
                    best, move = c, (di, dj)
            if move is not None:
                cost[i][j], back[i][j] = best, move
    i, j, beads = n, m, []
    while i > 0 or j > 0:
        di, dj = back[i][j]
        beads.append((i - di, j - dj, di, dj))
        i, j = i - di, j - dj
    return beads[::-1]


def main():
    english = blocks("en")
    for lang in ("de", "fr", "es"):
        other = blocks(lang)
        block_beads = align([sum(map(len, b)) for b in english], [sum(map(len, b)) for b in other], BLOCK_PENALTY, BAND)
        beads, pairs, matched = [], [], 0
        for bi, bj, di, dj in block_beads:
            if (di, dj) != (1, 1):
                continue
            matched += 1
            a, b = english[bi], other[bj]
            inner = align([len(s) for s in a], [len(s) for s in b], PENALTY, BAND)
            beads += inner
            pairs += [(a[i], b[j]) for i, j, ei, ej in inner
                      if (ei, ej) == (1, 1) and 0.5 <= len(b[j]) / max(1, len(a[i])) <= 2.0]
        with gzip.open(os.path.join(HERE, f"en-{lang}.tsv.gz"), "wt", encoding="utf-8", compresslevel=9) as f:
            f.writelines(f"{e}\t{x}\n" for e, x in pairs)
        counts = {}
        for *_, di, dj in beads:
            counts[(di, dj)] = counts.get((di, dj), 0) + 1
        print(f"en-{lang}: {len(english)} / {len(other)} blocks, {matched} matched, beads {dict(sorted(counts.items()))}, kept {len(pairs)} 1-1 pairs")


if __name__ == "__main__":
    main()
