"""Per-epoch training time of the CLTC sequence classifiers (M'hamdi et al. 2019) in xling
against the same models in PyTorch CPU, on the same data, sizes and batches, at 1 and 2 threads.

Data: SIB-200 English train (701 sentences) as row ids of the committed 50-d GloVe vocabulary,
written by `xling-bench classifier --sequences FILE` (tokens in order, unknown ones dropped).
Models (paper defaults, trainable embeddings, Adam 1e-3, batch 64, dropout 0.3, per-batch
padding with length masks on both sides):
  cnn        widths 3,4,5 x 200 filters, ReLU, max over each document's windows, softmax
  bigru-att  bi-GRU 150 per direction (packed sequences in PyTorch), additive attention
             (size 300) over real steps, softmax
  han        documents split into sentences as xling's han splits them (punctuation kept;
             `--sequences FILE --sentences 1`): word-level bi-GRU 50 per direction + attention
             (size 100) per sentence, sentence-level bi-GRU 50 + attention, dropout 0.5, softmax;
             batch 15 (paper Table 5d)
xling: `xling-bench classifier --model M --update-emb 1 --epochs E --repeats 1` with
OPENBLAS_NUM_THREADS=t (seconds per epoch of the whole `TextClassifier.train`, evaluation
excluded). PyTorch: torch.set_num_threads(t), the mean of E epochs after one warm-up epoch.
Differences: PyTorch's embedding table gets dense Adam updates where xling's are lazy rows (less
work for xling, but 3,754 x 50 values per batch is well under 1 % of an epoch), and PyTorch skips
xling's per-run setup (row normalisation, bag building), which xling's per-epoch time includes.

Both sides report wall and CPU (user + system, all threads) seconds per epoch: on a shared
machine the CPU ratio is the steadier one. PyTorch runs in a child process per row.

Also: the peak resident size of bigru-att training (1 epoch, 1 thread) on 20,000 real English
documents (XED English + SIB-200 English train tiled; see `write_sib200_tiled`), xling against
PyTorch; and the bag-of-embeddings classifiers' ms per epoch (boe fixed/trained, mlp), optionally
against another xling-bench binary (--baseline-bench).

Goal (issue 14): xling >= 1.5x faster than PyTorch at both thread counts. Writes
bench-results/neural.json. Run with a Python that has torch (make bench uses TORCH_PYTHON):

    /work/venvs/torch/bin/python Tests/bench/neural_bench.py [--epochs 3] [--models cnn,bigru-att]
        [--memory-documents 20000] [--boe-epochs 50] [--baseline-bench PATH]
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


def xling_run(model: str, threads: int, epochs: int, *, bench: str = BENCH, sib200: str | None = None,
              repeats: int = 1, update_emb: int = 1) -> dict:
    """One `xling-bench classifier` run: its JSON (seconds_per_epoch wall, cpu_seconds_per_epoch,
    vm_hwm_kib the process's peak resident size, test_accuracy)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
    command = [bench, "classifier", "--model", model, "--update-emb", str(update_emb), "--epochs", str(epochs),
               "--repeats", str(repeats)]
    if sib200:
        command += ["--sib200", sib200]
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT, env=env).stdout
    return json.loads(out)


def xling_epoch_seconds(model: str, threads: int, epochs: int) -> tuple[float, float]:
    result = xling_run(model, threads, epochs)
    return result["seconds_per_epoch"], result["test_accuracy"]


def read_sequences(path: str):
    """(vocabulary, dim, classes, labels, docs): a doc is a list of ids, or with sentence splits
    (`|` in the file) a list of sentences, each a list of ids."""
    with open(path, encoding="utf-8") as f:
        vocabulary, dim, classes = (int(x) for x in f.readline().split())
        labels, docs = [], []
        for line in f:
            label, _, rest = line.strip().partition(" ")
            labels.append(int(label))
            if "|" in rest or SENTENCES in path:
                docs.append([[int(x) for x in part.split()] for part in rest.split("|") if part.strip()])
            else:
                docs.append([int(x) for x in rest.split()])
    return vocabulary, dim, classes, labels, docs


SENTENCES = "sentences-han"  # the sequence file of the han row has this in its name


def torch_model(model: str, vocabulary: int, dim: int, classes: int):
    """The PyTorch twin of an xling model (paper sizes). To add a row (e.g. `han`, which needs
    sentence splits in the sequence file too), add a class here and the name to MODELS."""
    import torch
    from torch import nn

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

    def packed_gru(gru, x, lengths):
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths.clamp(min=1), batch_first=True, enforce_sorted=False)
        h, _ = gru(packed)
        return nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])[0]

    def attend(h, lengths, projection, context):
        scores = context(torch.tanh(projection(h))).squeeze(2)
        mask = torch.arange(h.shape[1]).unsqueeze(0) >= lengths.unsqueeze(1)
        alpha = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=1)
        return (alpha.unsqueeze(2) * h).sum(1)

    class HAN(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(vocabulary + 1, dim, padding_idx=vocabulary)
            self.word_gru = nn.GRU(dim, 50, batch_first=True, bidirectional=True)
            self.word_projection, self.word_context = nn.Linear(100, 100), nn.Linear(100, 1, bias=False)
            self.sentence_gru = nn.GRU(100, 50, batch_first=True, bidirectional=True)
            self.sentence_projection, self.sentence_context = nn.Linear(100, 100), nn.Linear(100, 1, bias=False)
            self.dropout = nn.Dropout(0.5)
            self.out = nn.Linear(100, classes)

        def forward(self, ids, word_lengths, where, sentence_lengths):
            # ids: (all sentences of the batch, W); where: (document, position) of each sentence
            h = packed_gru(self.word_gru, self.embedding(ids), word_lengths)
            vectors = attend(h, word_lengths, self.word_projection, self.word_context)
            grid = vectors.new_zeros(len(sentence_lengths), int(sentence_lengths.max()), 100)
            grid = grid.index_put((where[:, 0], where[:, 1]), vectors)
            hs = packed_gru(self.sentence_gru, grid, sentence_lengths)
            return self.out(self.dropout(attend(hs, sentence_lengths, self.sentence_projection, self.sentence_context)))

    return {"cnn": CNN, "bigru-att": BiGRUAtt, "han": HAN}[model]()


MODELS = ("cnn", "bigru-att", "han")


def torch_epoch_seconds(model: str, threads: int, epochs: int, data, warmup: int = 1) -> tuple[float, float]:
    """PyTorch's (wall, CPU) seconds per epoch: the mean of `epochs` epochs after `warmup` ones."""
    import torch
    from torch import nn

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    vocabulary, dim, classes, labels, docs = data
    net = torch_model(model, vocabulary, dim, classes)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    n = len(docs)
    minimum = 5 if model == "cnn" else 1
    size = 15 if model == "han" else 64

    def padded(sequences):
        lengths = torch.tensor([len(q) for q in sequences])
        ids = torch.full((len(sequences), max(minimum, int(lengths.max()))), vocabulary, dtype=torch.long)
        for r, q in enumerate(sequences):
            ids[r, :len(q)] = torch.tensor(q, dtype=torch.long)
        return ids, lengths

    def inputs(batch):
        if model != "han":
            return padded([docs[i] for i in batch])
        sentences = [q for i in batch for q in docs[i]]
        where = torch.tensor([(r, k) for r, i in enumerate(batch) for k in range(len(docs[i]))], dtype=torch.long)
        ids, lengths = padded(sentences)
        return ids, lengths, where, torch.tensor([len(docs[i]) for i in batch])

    def epoch():
        order = torch.randperm(n).tolist()
        for start in range(0, n, size):
            batch = order[start:start + size]
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(net(*inputs(batch)), torch.tensor([labels[i] for i in batch]))
            loss.backward()
            optimizer.step()

    for _ in range(warmup):
        epoch()
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(epochs):
        epoch()
    return (time.perf_counter() - start) / epochs, (time.process_time() - cpu) / epochs


def torch_child(model: str, threads: int, epochs: int, path: str, warmup: int) -> dict:
    """PyTorch in a fresh process (`--torch-child`), so its peak resident size is its own."""
    out = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--torch-child", model, str(threads), str(epochs), path, str(warmup)],
        check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def write_sib200_tiled(directory: str, total: int) -> dict:
    """A SIB-200-format training set of `total` real English documents for the memory run:
    the 17,525 English sentences of XED that have a letter or digit (subtitle lines, Öhman et al. 2020; their labels are
    emotions, so each gets SIB topic (line number mod 7): the labels only shape the output layer,
    time and memory do not depend on them), then SIB-200 English train tiled (701 topic-labelled
    sentences, repeated in order) up to `total`. test.tsv is SIB-200 English test."""
    sib = os.path.join(ROOT, "notebooks", "data", "sib200", "eng_Latn")
    xed = os.path.normpath(os.path.join(ROOT, "..", "shared", "data", "classification", "xed", "AnnotatedData", "en-annotated.tsv"))
    with open(os.path.join(sib, "train.tsv"), encoding="utf-8") as f:
        header, *train = f.read().splitlines()
    topics = sorted({line.split("\t")[1] for line in train})
    rows, from_xed = [], 0
    if os.path.exists(xed):
        with open(xed, encoding="utf-8") as f:
            for k, line in enumerate(f):
                text = line.split("\t")[0].strip()
                # lines of punctuation only (", ...", "!") have no tokens: the classifier rejects them
                if any(c.isalnum() for c in text) and len(rows) < total:
                    rows.append(f"x{k}\t{topics[k % len(topics)]}\t{text}")
        from_xed = len(rows)
    k = 0
    while len(rows) < total:
        rows.append(train[k % len(train)])
        k += 1
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "train.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join([header] + rows) + "\n")
    with open(os.path.join(sib, "test.tsv"), encoding="utf-8") as src, open(os.path.join(directory, "test.tsv"), "w", encoding="utf-8") as f:
        f.write(src.read())
    return {"documents": len(rows), "from_xed_en": from_xed, "from_sib200_en_train_tiled": len(rows) - from_xed}


def boe_rows(epochs: int, baseline: str | None) -> list[dict]:
    """The bag-of-embeddings classifiers (fixed, trained embeddings; the MLP) at 1 thread, best of
    3, against the pre-port figures of issue 14 and, with --baseline-bench, another binary in
    this run."""
    before_ms = {"boe fixed": 5.0, "boe trained": 8.8, "mlp": 25.6}  # issue 14, pre-port, its machine
    rows = []
    for name, model, update in (("boe fixed", "boe", 0), ("boe trained", "boe", 1), ("mlp", "mlp", 1)):
        ours = xling_run(model, 1, epochs, repeats=3, update_emb=update)
        row = {"model": name, "xling_ms": 1000 * ours["seconds_per_epoch"], "xling_cpu_ms": 1000 * ours["cpu_seconds_per_epoch"],
               "issue_before_ms": before_ms[name], "test_accuracy": ours["test_accuracy"]}
        if baseline:
            theirs = xling_run(model, 1, epochs, bench=baseline, repeats=3, update_emb=update)
            row["baseline_ms"] = 1000 * theirs["seconds_per_epoch"]
            row["baseline_cpu_ms"] = 1000 * theirs.get("cpu_seconds_per_epoch", float("nan"))
        rows.append(row)
        extra = f", baseline binary {row['baseline_ms']:6.1f} ms" if baseline else ""
        print(f"{name:11s} threads 1: xling {row['xling_ms']:6.1f} ms/epoch (CPU {row['xling_cpu_ms']:6.1f}){extra}; "
              f"issue's pre-port figure {before_ms[name]} ms", flush=True)
    return rows


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--torch-child":
        model, threads, epochs, path, warmup = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], int(sys.argv[6])
        import resource
        wall, cpu = torch_epoch_seconds(model, threads, epochs, read_sequences(path), warmup=warmup)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        print(json.dumps({"seconds_per_epoch": wall, "cpu_seconds_per_epoch": cpu, "peak_rss_kib": peak}))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated, of " + ", ".join(MODELS))
    parser.add_argument("--memory-documents", type=int, default=20000, help="documents of the peak-memory run (0: skip)")
    parser.add_argument("--boe-epochs", type=int, default=50, help="epochs of the bag-of-embeddings timings (0: skip)")
    parser.add_argument("--baseline-bench", help="another xling-bench binary (e.g. a pre-port build) timed on the BoE rows")
    args = parser.parse_args()
    if not os.path.exists(BENCH):
        print(f"{BENCH} is missing: run `make build`", file=sys.stderr)
        return 2
    try:
        import torch  # noqa: F401
    except ImportError:
        print("torch is not installed in this Python; run with TORCH_PYTHON (see the docstring)", file=sys.stderr)
        return 2
    report = {"epochs": args.epochs, "torch": __import__("torch").__version__, "rows": []}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "sequences.txt")
        subprocess.run([BENCH, "classifier", "--sequences", path], check=True, cwd=ROOT)
        han_path = os.path.join(tmp, SENTENCES + ".txt")
        subprocess.run([BENCH, "classifier", "--sequences", han_path, "--sentences", "1"], check=True, cwd=ROOT)
        for model in [m for m in args.models.split(",") if m]:  # --models "": only the other parts
            for threads in (1, 2):
                ours = xling_run(model, threads, args.epochs)
                theirs = torch_child(model, threads, args.epochs, han_path if model == "han" else path, warmup=1)
                row = {"model": model, "threads": threads,
                       "xling_s": ours["seconds_per_epoch"], "xling_cpu_s": ours["cpu_seconds_per_epoch"],
                       "torch_s": theirs["seconds_per_epoch"], "torch_cpu_s": theirs["cpu_seconds_per_epoch"],
                       "speedup": theirs["seconds_per_epoch"] / ours["seconds_per_epoch"],
                       "cpu_speedup": theirs["cpu_seconds_per_epoch"] / ours["cpu_seconds_per_epoch"],
                       "xling_test_accuracy": ours["test_accuracy"]}
                idle = ""
                if ours.get("worker_cpu_seconds_per_epoch", 0) > 0:  # data-parallel: the idle-machine estimate
                    row["xling_worker_cpu_s"] = ours["worker_cpu_seconds_per_epoch"]
                    row["xling_critical_cpu_s"] = ours["critical_cpu_seconds_per_epoch"]
                    row["xling_idle_wall_estimate_s"] = ours["idle_wall_estimate_per_epoch"]
                    idle = (f"; xling idle-machine estimate {row['xling_idle_wall_estimate_s']:.3f} s "
                            f"(workers' CPU {row['xling_worker_cpu_s']:.3f}, critical path {row['xling_critical_cpu_s']:.3f})")
                report["rows"].append(row)
                print(f"{model:10s} threads {threads}: xling {row['xling_s']:7.3f} s/epoch (CPU {row['xling_cpu_s']:6.3f}), "
                      f"PyTorch {row['torch_s']:7.3f} s/epoch (CPU {row['torch_cpu_s']:6.3f}); speedup wall {row['speedup']:5.2f}x, "
                      f"CPU {row['cpu_speedup']:5.2f}x (goal >= 1.5x){idle}", flush=True)
        if args.memory_documents > 0:
            directory = os.path.join(tmp, "tiled")
            made = write_sib200_tiled(directory, args.memory_documents)
            tiled = os.path.join(tmp, "tiled-sequences.txt")
            subprocess.run([BENCH, "classifier", "--sequences", tiled, "--sib200", directory], check=True, cwd=ROOT)
            ours = xling_run("bigru-att", 1, 1, sib200=directory)
            theirs = torch_child("bigru-att", 1, 1, tiled, warmup=0)
            report["memory"] = {**made, "model": "bigru-att", "threads": 1, "epochs": 1,
                                "xling_peak_rss_mib": ours["vm_hwm_kib"] / 1024, "xling_s": ours["seconds_per_epoch"],
                                "xling_cpu_s": ours["cpu_seconds_per_epoch"],
                                "torch_peak_rss_mib": theirs["peak_rss_kib"] / 1024, "torch_s": theirs["seconds_per_epoch"],
                                "torch_cpu_s": theirs["cpu_seconds_per_epoch"]}
            m = report["memory"]
            print(f"bigru-att on {made['documents']} documents ({made['from_xed_en']} XED en + {made['from_sib200_en_train_tiled']} "
                  f"SIB-200 en train tiled), 1 epoch, 1 thread: peak RSS xling {m['xling_peak_rss_mib']:.0f} MiB "
                  f"({m['xling_s']:.1f} s, CPU {m['xling_cpu_s']:.1f} s), PyTorch {m['torch_peak_rss_mib']:.0f} MiB "
                  f"({m['torch_s']:.1f} s, CPU {m['torch_cpu_s']:.1f} s)", flush=True)
    if args.boe_epochs > 0:
        report["bag_of_embeddings"] = boe_rows(args.boe_epochs, args.baseline_bench)
    os.makedirs(os.path.join(ROOT, "bench-results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench-results", "neural.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
