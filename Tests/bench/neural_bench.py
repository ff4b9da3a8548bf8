"""Per-epoch training time of the CLTC sequence classifiers (M'hamdi et al. 2019) in xling
against the same models in PyTorch CPU, on the same data, sizes and batches, at 1 and 2 threads.

Data: SIB-200 English train (701 sentences) as row ids of the committed 50-d GloVe vocabulary,
written by `xling-bench classifier --sequences FILE` (tokens in order, unknown ones dropped).
Models (paper defaults, trainable embeddings, Adam 1e-3, batch 64, dropout 0.3, per-batch
padding with length masks on both sides):
  cnn        widths 3,4,5 x 200 filters, ReLU, max over each document's windows, softmax
  bigru-att  bi-GRU 150 per direction (packed sequences in PyTorch), additive attention
             (size 300) over real steps, softmax
xling: `xling-bench classifier --model M --update-emb 1 --epochs E --repeats 1` with
OPENBLAS_NUM_THREADS=t (seconds per epoch of the whole `TextClassifier.train`, evaluation
excluded). PyTorch: torch.set_num_threads(t), the mean of E epochs after one warm-up epoch.
Differences that favour PyTorch: its embedding table gets dense Adam updates (xling's are lazy
rows, less work), and it skips xling's setup (row normalisation, bag building) per epoch.

Goal (issue 14): xling >= 1.5x faster than PyTorch at both thread counts. Writes
bench-results/neural.json. Run with a Python that has torch (make bench uses TORCH_PYTHON):

    /work/venvs/torch/bin/python Tests/bench/neural_bench.py [--epochs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
BENCH = os.path.join(ROOT, ".build", "release", "xling-bench")


def xling_epoch_seconds(model: str, threads: int, epochs: int) -> tuple[float, float]:
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
    out = subprocess.run(
        [BENCH, "classifier", "--model", model, "--update-emb", "1", "--epochs", str(epochs), "--repeats", "1"],
        check=True, capture_output=True, text=True, cwd=ROOT, env=env).stdout
    result = json.loads(out)
    return result["seconds_per_epoch"], result["test_accuracy"]


def read_sequences(path: str):
    with open(path, encoding="utf-8") as f:
        vocabulary, dim, classes = (int(x) for x in f.readline().split())
        labels, docs = [], []
        for line in f:
            values = [int(x) for x in line.split()]
            labels.append(values[0])
            docs.append(values[1:])
    return vocabulary, dim, classes, labels, docs


def torch_epoch_seconds(model: str, threads: int, epochs: int, data) -> float:
    import torch
    from torch import nn

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    vocabulary, dim, classes, labels, docs = data

    class CNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(vocabulary + 1, dim, padding_idx=vocabulary)
            self.convs = nn.ModuleList([nn.Conv1d(dim, 200, k) for k in (3, 4, 5)])
            self.dropout = nn.Dropout(0.3)
            self.out = nn.Linear(600, classes)

        def forward(self, ids, lengths):
            x = self.embedding(ids).transpose(1, 2)  # (B, d, T), zero pads
            pooled = []
            for conv in self.convs:
                k = conv.kernel_size[0]
                y = torch.relu(conv(x))
                p = y.shape[2]
                valid = torch.clamp(lengths - k + 1, min=1, max=p)
                mask = torch.arange(p).unsqueeze(0) >= valid.unsqueeze(1)
                pooled.append(y.masked_fill(mask.unsqueeze(1), float("-inf")).max(dim=2).values)
            return self.out(self.dropout(torch.cat(pooled, dim=1)))

    class BiGRUAtt(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(vocabulary + 1, dim, padding_idx=vocabulary)
            self.gru = nn.GRU(dim, 150, batch_first=True, bidirectional=True)
            self.projection = nn.Linear(300, 300)
            self.context = nn.Linear(300, 1, bias=False)
            self.dropout = nn.Dropout(0.3)
            self.out = nn.Linear(300, classes)

        def forward(self, ids, lengths):
            x = self.embedding(ids)
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths.clamp(min=1), batch_first=True, enforce_sorted=False)
            h, _ = self.gru(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=ids.shape[1])
            scores = self.context(torch.tanh(self.projection(h))).squeeze(2)
            mask = torch.arange(ids.shape[1]).unsqueeze(0) >= lengths.unsqueeze(1)
            alpha = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=1)
            return self.out(self.dropout((alpha.unsqueeze(2) * h).sum(1)))

    net = CNN() if model == "cnn" else BiGRUAtt()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    n = len(docs)
    minimum = 5 if model == "cnn" else 1

    def epoch():
        order = torch.randperm(n).tolist()
        for start in range(0, n, 64):
            batch = order[start:start + 64]
            lengths = torch.tensor([len(docs[i]) for i in batch])
            steps = max(minimum, int(lengths.max()))
            ids = torch.full((len(batch), steps), vocabulary, dtype=torch.long)
            for r, i in enumerate(batch):
                ids[r, :len(docs[i])] = torch.tensor(docs[i], dtype=torch.long)
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(net(ids, lengths), torch.tensor([labels[i] for i in batch]))
            loss.backward()
            optimizer.step()

    epoch()  # warm-up
    start = time.perf_counter()
    for _ in range(epochs):
        epoch()
    return (time.perf_counter() - start) / epochs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    if not os.path.exists(BENCH):
        print(f"{BENCH} is missing: run `make build`", file=sys.stderr)
        return 2
    try:
        import torch  # noqa: F401
    except ImportError:
        print("torch is not installed in this Python; run with TORCH_PYTHON (see the docstring)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "sequences.txt")
        subprocess.run([BENCH, "classifier", "--sequences", path], check=True, cwd=ROOT)
        data = read_sequences(path)
    rows = []
    for model in ("cnn", "bigru-att"):
        for threads in (1, 2):
            ours, accuracy = xling_epoch_seconds(model, threads, args.epochs)
            theirs = torch_epoch_seconds(model, threads, args.epochs, data)
            rows.append({"model": model, "threads": threads, "xling_s": ours, "torch_s": theirs,
                         "speedup": theirs / ours, "xling_test_accuracy": accuracy})
            print(f"{model:10s} threads {threads}: xling {ours:7.3f} s/epoch, PyTorch {theirs:7.3f} s/epoch, "
                  f"speedup {theirs / ours:5.2f}x (goal >= 1.5x: {'PASS' if theirs / ours >= 1.5 else 'FAIL'})", flush=True)
    os.makedirs(os.path.join(ROOT, "bench-results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench-results", "neural.json"), "w", encoding="utf-8") as f:
        json.dump({"epochs": args.epochs, "torch": __import__("torch").__version__, "rows": rows}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
