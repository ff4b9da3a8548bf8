#!/bin/sh
# Rebuilds en.vec.gz: 50-d GloVe trained by xling's own `%train glove` (seed 0, one thread) on
# the English side of notebooks/data/europarl-en-de plus notebooks/data/wmt-en-de-10k/train.en,
# then kept only for the words that occur in SIB-200 English (train/dev/test) — the only rows a
# classifier on SIB-200 English can ever read, so results on SIB-200 are the same as with the
# whole 13,843-word space. Run from the repository root with a release build:
#   swift build -c release --product xling && sh notebooks/data/glove-en-sib200/make_vectors.sh
set -e
here=notebooks/data/glove-en-sib200
tmp=$(mktemp -d)
(zcat notebooks/data/europarl-en-de/en.txt.gz; zcat notebooks/data/wmt-en-de-10k/train.en.gz) | gzip > "$tmp/en.txt.gz"
cat > "$tmp/make.xling" <<XLING
%set seed=0 threads=1
%load corpus en path=$tmp/en.txt.gz lang=en
%train glove corpus=en dim=50 iters=25 xmax=30 min_count=2 threads=1 as=glove
%save glove path=$tmp/full.vec
XLING
OPENBLAS_NUM_THREADS=1 .build/release/xling run "$tmp/make.xling"
/work/main/.venv/bin/python "$here/restrict.py" "$tmp/full.vec" notebooks/data/sib200/eng_Latn "$here/en.vec.gz"
rm -r "$tmp"
