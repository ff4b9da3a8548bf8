"""PyTorch CPU reference for the multilingual LSTM language model of Wada & Iwata (2018)
(Sources/Embeddings/LanguageModel/MultilingualLM.swift), mirroring the authors' 2019 code:
nn.Embedding tables (a zero padding row), two nn.LSTM stacks (forward, backward; 1 or 2 layers),
Linear(h, 1, bias=False) for the shared <EOS> row and Linear(h, V, bias=False) per language, and
the loss sum(CrossEntropy(ignore_index=-1)) / B over [EOS logit, word logits].

Writes Tests/EmbeddingsTests/Fixtures/mlm/mlm_l{1,2}.txt, read by `MultilingualLMDifferentialTests`;
`make test` reads only the committed fixtures. Regenerate with

    make mlm-fixtures           # TORCH_PYTHON=/work/venvs/torch/bin/python

Sizes (spec §5.1): 2 languages with V = 37 and 53, e = 8, h = 6, B = 4, lengths {7, 5, 5, 1} (a
length-1 sentence, pads, UNK ids 0). Weights are float32 values; the reference runs in float64
(the truth), and `tol.<tensor>` records max|torch32 - torch64| so the Swift float32 result is
judged against what float32 arithmetic can achieve. Parameters use xling's layout and names:
`E.<l>` V x e, `W.<l>` V x h, `bos` 1 x e, `eos` 1 x h, `<fw|bw>.l<k>.wIH` in x 4h (PyTorch's
weight_ih_l<k> transposed, gates i f g o), `.wHH` h x 4h, `.bIH`, `.bHH` 1 x 4h.

Cases, each from the initial weights: loss and every gradient for (language, direction) in
l0fw, l0bw, l1fw, l1bw; one SGD step (lr 1) on l0fw with clipping forced (max norm 0.5); and a
four-step schedule l0fw, l0bw, l1fw, l1bw at lr 1, clip 5 (losses and the final weights).
"""

from __future__ import annotations

import copy
import os

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "EmbeddingsTests", "Fixtures", "mlm"))

VOCAB = [37, 53]
E, H, B = 8, 6, 4
LENGTHS = [5, 7, 1, 5]  # {7, 5, 5, 1}, unsorted on purpose


def sentences(gen, v):
    out = []
    for n in LENGTHS:
        ids = torch.randint(1, v, (n,), generator=gen).tolist()
        out.append(ids)
    out[0][2] = 0  # an UNK
    out[1][6] = 0
    return out


def initial(gen, layers):
    def u(*shape):
        return (torch.rand(*shape, generator=gen, dtype=torch.float32) * 2 - 1) * 0.5

    p = {}
    for lang, v in enumerate(VOCAB):
        p[f"E.{lang}"] = u(v, E)
    for lang, v in enumerate(VOCAB):
        p[f"W.{lang}"] = u(v, H)
    p["bos"] = u(1, E)
    p["eos"] = u(1, H)
    for d in ("fw", "bw"):
        for k in range(layers):
            n_in = E if k == 0 else H
            p[f"{d}.l{k}.wIH"] = u(n_in, 4 * H)
            p[f"{d}.l{k}.wHH"] = u(H, 4 * H)
            p[f"{d}.l{k}.bIH"] = u(1, 4 * H)
            p[f"{d}.l{k}.bHH"] = u(1, 4 * H)
    return p


class Model:
    """The torch modules of one (language, direction) step, loaded from the xling-layout dict."""

    def __init__(self, p, lang, direction, layers, dtype):
        v = VOCAB[lang]
        self.lang, self.direction, self.layers = lang, direction, layers
        self.emb = nn.Embedding(v + 1, E, padding_idx=v).to(dtype)
        self.bos = nn.Embedding(1, E).to(dtype)
        self.lstm = nn.LSTM(E, H, num_layers=layers, batch_first=True, dropout=0.0).to(dtype)
        self.out_eos = nn.Linear(H, 1, bias=False).to(dtype)
        self.out_w = nn.Linear(H, v, bias=False).to(dtype)
        with torch.no_grad():
            self.emb.weight.copy_(torch.cat([p[f"E.{lang}"], torch.zeros(1, E)]).to(dtype))
            self.bos.weight.copy_(p["bos"].to(dtype))
            self.out_eos.weight.copy_(p["eos"].to(dtype))
            self.out_w.weight.copy_(p[f"W.{lang}"].to(dtype))
            for k in range(layers):
                getattr(self.lstm, f"weight_ih_l{k}").copy_(p[f"{direction}.l{k}.wIH"].T.to(dtype))
                getattr(self.lstm, f"weight_hh_l{k}").copy_(p[f"{direction}.l{k}.wHH"].T.to(dtype))
                getattr(self.lstm, f"bias_ih_l{k}").copy_(p[f"{direction}.l{k}.bIH"][0].to(dtype))
                getattr(self.lstm, f"bias_hh_l{k}").copy_(p[f"{direction}.l{k}.bHH"][0].to(dtype))

    def modules(self):
        return [self.emb, self.bos, self.lstm, self.out_eos, self.out_w]

    def loss(self, sents):
        v = VOCAB[self.lang]
        read = sents if self.direction == "fw" else [s[::-1] for s in sents]
        t_max = max(len(s) for s in read) + 1
        ids = torch.full((B, t_max - 1), v, dtype=torch.long)
        targets = torch.full((B, t_max), -1, dtype=torch.long)
        for b, s in enumerate(read):
            ids[b, : len(s)] = torch.tensor(s, dtype=torch.long)
            targets[b, : len(s)] = torch.tensor(s, dtype=torch.long) + 1
            targets[b, len(s)] = 0
        x = torch.cat([self.bos(torch.zeros(B, 1, dtype=torch.long)), self.emb(ids)], dim=1)
        h, _ = self.lstm(x)
        logits = torch.cat([self.out_eos(h), self.out_w(h)], dim=-1)
        ce = nn.CrossEntropyLoss(ignore_index=-1, reduction="sum")
        return ce(logits.reshape(-1, v + 1), targets.reshape(-1)) / B

    def grads(self):
        g = {
            f"E.{self.lang}": self.emb.weight.grad[:-1],
            "bos": self.bos.weight.grad,
            "eos": self.out_eos.weight.grad,
            f"W.{self.lang}": self.out_w.weight.grad,
        }
        for k in range(self.layers):
            g[f"{self.direction}.l{k}.wIH"] = getattr(self.lstm, f"weight_ih_l{k}").grad.T
            g[f"{self.direction}.l{k}.wHH"] = getattr(self.lstm, f"weight_hh_l{k}").grad.T
            g[f"{self.direction}.l{k}.bIH"] = getattr(self.lstm, f"bias_ih_l{k}").grad.reshape(1, -1)
            g[f"{self.direction}.l{k}.bHH"] = getattr(self.lstm, f"bias_hh_l{k}").grad.reshape(1, -1)
        return g


def step(p, lang, direction, sents, layers, dtype, clip, lr=1.0):
    """One SGD update of the weights in `p` (float64 master copy kept in `dtype` arithmetic)."""
    m = Model(p, lang, direction, layers, dtype)
    loss = m.loss(sents)
    loss.backward()
    params = [q for mod in m.modules() for q in mod.parameters()]
    torch.nn.utils.clip_grad_norm_(params, clip)
    out = dict(p)
    for name, g in m.grads().items():
        out[name] = (p[name].to(dtype) - lr * g).detach()
    return float(loss.detach()), out


def run(p, sents, layers, dtype):
    """Every recorded quantity in `dtype` arithmetic."""
    res = {}
    p = {k: v.to(dtype) for k, v in p.items()}
    for lang in (0, 1):
        for d in ("fw", "bw"):
            m = Model(p, lang, d, layers, dtype)
            loss = m.loss(sents[lang])
            loss.backward()
            res[f"l{lang}{d}.loss"] = loss.detach().reshape(1, 1)
            for name, g in m.grads().items():
                res[f"l{lang}{d}.g.{name}"] = g.detach()
    _, after = step(p, 0, "fw", sents[0], layers, dtype, clip=0.5)
    for name, v in after.items():
        res[f"step.{name}"] = v
    q = copy.copy(p)
    losses = []
    for lang, d in ((0, "fw"), (0, "bw"), (1, "fw"), (1, "bw")):
        loss, q = step(q, lang, d, sents[lang], layers, dtype, clip=5.0)
        losses.append(loss)
    res["schedule.losses"] = torch.tensor([losses], dtype=dtype)
    for name, v in q.items():
        res[f"schedule.{name}"] = v
    return res


def put(lines, name, a):
    a = np.asarray(a.detach().numpy() if torch.is_tensor(a) else a, dtype=np.float64)
    if a.ndim == 1:
        a = a.reshape(1, -1)
    lines.append(f"{name} {a.shape[0]} {a.shape[1]} " + " ".join(f"{x:.17g}" for x in a.ravel()))


def main():
    os.makedirs(OUT, exist_ok=True)
    for layers in (1, 2):
        gen = torch.Generator().manual_seed(15 + layers)
        sents = [sentences(gen, v) for v in VOCAB]
        p = initial(gen, layers)
        truth = run(p, sents, layers, torch.float64)
        single = run(p, sents, layers, torch.float32)
        lines = [f"layers 1 1 {layers}"]
        for lang in (0, 1):
            padded = np.full((B, max(LENGTHS)), -1.0)
            for b, s in enumerate(sents[lang]):
                padded[b, : len(s)] = s
            put(lines, f"batch.{lang}", padded)
        for name, v in p.items():
            put(lines, f"init.{name}", v)
        for name, v in truth.items():
            put(lines, name, v)
            err = (single[name].double() - v).abs().max()
            put(lines, f"tol.{name}", err.reshape(1, 1))
        path = os.path.join(OUT, f"mlm_l{layers}.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print("wrote", path)


if __name__ == "__main__":
    main()
