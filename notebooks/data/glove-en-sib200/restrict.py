"""Keeps the rows of a word2vec text file whose word occurs in SIB-200 TSV files.

A word is kept when it appears in the lowercased text as a run bounded by whitespace or
punctuation — a superset of the tokens xling's tokenizer makes, so no token a classifier reads
is lost. Usage: restrict.py FULL.vec SIB200_LANG_DIR OUT.vec.gz
"""
import gzip
import re
import sys
from pathlib import Path

full, sib_dir, out = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
text = []
for split in ("train", "dev", "test"):
    for line in (sib_dir / f"{split}.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        text.append(line.split("\t")[-1].lower())
candidates = set()
for sentence in text:
    for piece in sentence.split():
        candidates.add(piece)
        candidates.update(p for p in re.split(r"[^\w'-]+", piece) if p)
        stripped = re.sub(r"^\W+|\W+$", "", piece)
        if stripped:
            candidates.add(stripped)
with open(full, encoding="utf-8") as f:
    rows, dim = map(int, f.readline().split())
    kept = [line for line in f if line.split(" ", 1)[0] in candidates]
with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as f:
    f.write(f"{len(kept)} {dim}\n")
    for line in kept:
        word, *values = line.split()
        f.write(word + " " + " ".join(f"{float(v):.4f}" for v in values) + "\n")
print(f"kept {len(kept)} of {rows} words")
