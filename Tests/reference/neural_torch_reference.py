"""PyTorch CPU reference for the neural engine's modules (Sources/Neural/Modules): writes small
golden fixtures to Tests/NeuralTests/Fixtures/*.txt, which `NeuralTests/ModuleDifferentialTests`
compares against. `make test` reads only the committed fixtures; regenerate them with

    make neural-fixtures        # needs torch: /work/venvs/torch or TORCH_PYTHON=...

Each fixture holds the module's inputs and weights (float32 values, in xling's layouts: a
weight is inputs x outputs, i.e. PyTorch's `weight` transposed; time-major steps are stacked
with row t*B + b) and the reference outputs and gradients of the probe loss
L = sum(C * output) for a fixed random C. The reference runs in float64 on the float32 weights,
so the Swift float32 result is judged against an exact-as-possible value.

File format: one tensor per line, `name rows cols v1 v2 ...` (row-major), plus `lengths ...`.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "NeuralTests", "Fixtures"))

T, B, D, H = 6, 3, 5, 4
LENGTHS = [6, 3, 1]


class Fixture:
    def __init__(self, name: str):
        self.path = os.path.join(OUT, name + ".txt")
        self.lines: list[str] = []

    def put(self, name: str, array) -> None:
        a = np.asarray(array.detach().numpy() if torch.is_tensor(array) else array, dtype=np.float64)
        if a.ndim == 1:
            a = a.reshape(1, -1)
        elif a.ndim == 3:  # (T, B, h) time-major -> (T*B, h)
            a = a.reshape(-1, a.shape[2])
        self.lines.append(f"{name} {a.shape[0]} {a.shape[1]} " + " ".join(f"{v:.9g}" for v in a.ravel()))

    def lengths(self, values) -> None:
        self.lines.append("lengths " + " ".join(str(v) for v in values))

    def write(self) -> None:
        with open(self.path, "w", encoding="utf-8") as f:
            f.write("\n".join(self.lines) + "\n")
        print("wrote", self.path)


def f32(*shape, scale=1.0, gen=None):
    """Uniform(-scale, scale) float32 values, returned as a float64 tensor (exactly representable)."""
    x = (torch.rand(*shape, generator=gen, dtype=torch.float32) * 2 - 1) * scale
    return x.double()


def steps_input(gen, zero_pads=False):
    x = f32(T, B, D, gen=gen)
    if zero_pads:
        for b, n in enumerate(LENGTHS):
            x[n:, b] = 0
    return x.requires_grad_(True)


def rnn_fixture(kind: str, gen):
    """nn.LSTM / nn.GRU, bidirectional, over a packed padded batch."""
    cls = nn.LSTM if kind == "lstm" else nn.GRU
    rnn = cls(D, H, bidirectional=True).double()
    with torch.no_grad():
        for p in rnn.parameters():
            p.copy_(f32(*p.shape, scale=0.6, gen=gen))
    x = steps_input(gen)
    packed = nn.utils.rnn.pack_padded_sequence(x, torch.tensor(LENGTHS), enforce_sorted=False)
    out, _ = rnn(packed)
    out, _ = nn.utils.rnn.pad_packed_sequence(out, total_length=T)  # (T, B, 2H), zeros at pads
    c = f32(T, B, 2 * H, gen=gen)
    (out * c).sum().backward()
    fx = Fixture(kind)
    fx.lengths(LENGTHS)
    fx.put("x", x)
    for direction, suffix in (("fw", ""), ("bw", "_reverse")):
        for ours, theirs in (("wIH", "weight_ih_l0"), ("wHH", "weight_hh_l0"), ("bIH", "bias_ih_l0"), ("bHH", "bias_hh_l0")):
            p = getattr(rnn, theirs + suffix)
            value = p.t() if ours.startswith("w") else p
            grad = p.grad.t() if ours.startswith("w") else p.grad
            fx.put(f"rnn.{direction}.{ours}", value)
            fx.put(f"grad.rnn.{direction}.{ours}", grad)
    fx.put("probe", c)
    fx.put("output", out)
    fx.put("grad.x", x.grad)
    fx.write()


def hard_sigmoid(x):
    return torch.clamp(0.2 * x + 0.5, 0.0, 1.0)


def gru_reset_before_fixture(gen):
    """The Keras 2.0 / TF 1.x GRU (reset gate before the recurrent product), hard-sigmoid gates,
    written by hand: n = tanh(x W_in + b_in + (r*h) W_hn + b_hn); h' = (1-z) n + z h."""
    weights = {}
    for direction in ("fw", "bw"):
        weights[direction] = {
            "wIH": f32(D, 3 * H, scale=0.6, gen=gen).requires_grad_(True),
            "wHH": f32(H, 3 * H, scale=0.6, gen=gen).requires_grad_(True),
            "bIH": f32(1, 3 * H, scale=0.6, gen=gen).requires_grad_(True),
            "bHH": f32(1, 3 * H, scale=0.6, gen=gen).requires_grad_(True),
        }
    x = steps_input(gen)

    def run(w, order):
        h = torch.zeros(B, H, dtype=torch.float64)
        outs = [torch.zeros(B, H, dtype=torch.float64)] * T
        for t in order:
            gi = x[t] @ w["wIH"] + w["bIH"]
            rz = hard_sigmoid(gi[:, : 2 * H] + h @ w["wHH"][:, : 2 * H] + w["bHH"][:, : 2 * H])
            r, z = rz[:, :H], rz[:, H:]
            n = torch.tanh(gi[:, 2 * H :] + (r * h) @ w["wHH"][:, 2 * H :] + w["bHH"][:, 2 * H :])
            new = (1 - z) * n + z * h
            real = torch.tensor([t < n_ for n_ in LENGTHS]).unsqueeze(1)
            h = torch.where(real, new, h)
            outs[t] = torch.where(real, h, torch.zeros_like(h))
        return torch.stack(outs)

    out = torch.cat([run(weights["fw"], range(T)), run(weights["bw"], reversed(range(T)))], dim=2)
    c = f32(T, B, 2 * H, gen=gen)
    (out * c).sum().backward()
    fx = Fixture("gru_reset_before")
    fx.lengths(LENGTHS)
    fx.put("x", x)
    for direction, w in weights.items():
        for name, p in w.items():
            fx.put(f"rnn.{direction}.{name}", p)
            fx.put(f"grad.rnn.{direction}.{name}", p.grad)
    fx.put("probe", c)
    fx.put("output", out)
    fx.put("grad.x", x.grad)
    fx.write()


def attention_fixture(gen):
    """Additive attention written as the spec's PyTorch plan: Linear, tanh, dot with u_w,
    masked_fill(-inf), softmax over steps, weighted sum."""
    a = 3
    w = f32(2 * H, a, scale=0.8, gen=gen).requires_grad_(True)
    b = f32(1, a, scale=0.5, gen=gen).requires_grad_(True)
    u = f32(a, 1, scale=1.0, gen=gen).requires_grad_(True)
    hs = f32(T, B, 2 * H, gen=gen).requires_grad_(True)
    scores = (torch.tanh(hs @ w + b) @ u).squeeze(2)  # (T, B)
    mask = torch.arange(T).unsqueeze(1) >= torch.tensor(LENGTHS).unsqueeze(0)
    alpha = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=0)
    s = (alpha.unsqueeze(2) * hs).sum(0)  # (B, 2H)
    c = f32(B, 2 * H, gen=gen)
    (s * c).sum().backward()
    fx = Fixture("attention")
    fx.lengths(LENGTHS)
    fx.put("h", hs)
    fx.put("att.projection.weight", w)
    fx.put("att.projection.bias", b)
    fx.put("att.context", u)
    fx.put("probe", c)
    fx.put("output", s)
    fx.put("alpha", alpha.reshape(-1, 1))
    for name, p in (("att.projection.weight", w), ("att.projection.bias", b), ("att.context", u)):
        fx.put("grad." + name, p.grad)
    fx.put("grad.h", hs.grad)
    fx.write()


def textcnn_fixture(gen):
    """nn.Conv1d per width on [B, d, T] with zero pads, ReLU, windows past each example's length
    filled with -inf, torch.max over time, features concatenated in width order."""
    widths, filters = [2, 3], 4
    x = steps_input(gen, zero_pads=True)
    convs = []
    feats = []
    fx = Fixture("textcnn")
    for k in widths:
        conv = nn.Conv1d(D, filters, k).double()
        with torch.no_grad():
            conv.weight.copy_(f32(filters, D, k, scale=0.5, gen=gen))
            conv.bias.copy_(f32(filters, scale=0.5, gen=gen))
        convs.append((k, conv))
        y = torch.relu(conv(x.permute(1, 2, 0)))  # (B, F, P)
        p = T - k + 1
        valid = torch.tensor([min(p, max(1, n - k + 1)) for n in LENGTHS])
        mask = torch.arange(p).unsqueeze(0) >= valid.unsqueeze(1)  # (B, P)
        y = y.masked_fill(mask.unsqueeze(1), float("-inf"))
        feats.append(torch.max(y, dim=2).values)
    out = torch.cat(feats, dim=1)
    c = f32(B, filters * len(widths), gen=gen)
    (out * c).sum().backward()
    fx.lengths(LENGTHS)
    fx.put("x", x)
    for k, conv in convs:
        # ours: row j*d + c, column f  <-  torch weight[f, c, j]
        fx.put(f"cnn.k{k}.weight", conv.weight.permute(2, 1, 0).reshape(k * D, filters))
        fx.put(f"cnn.k{k}.bias", conv.bias)
        fx.put(f"grad.cnn.k{k}.weight", conv.weight.grad.permute(2, 1, 0).reshape(k * D, filters))
        fx.put(f"grad.cnn.k{k}.bias", conv.bias.grad)
    fx.put("probe", c)
    fx.put("output", out)
    fx.put("grad.x", x.grad)
    fx.write()


def adam_fixture(gen):
    """A two-layer classifier (mean of input rows -> Linear -> ReLU -> Linear) with class-weighted
    cross-entropy; loss and gradients, then parameters after 3 Adam steps (lr 0.05) on the same
    batch with global-norm clipping at 0.5 (torch.nn.utils.clip_grad_norm_)."""
    k = 3
    lin1, lin2 = nn.Linear(D, 6).double(), nn.Linear(6, k).double()
    with torch.no_grad():
        for p in list(lin1.parameters()) + list(lin2.parameters()):
            p.copy_(f32(*p.shape, scale=0.7, gen=gen))
    x = f32(4, D, gen=gen)
    labels = torch.tensor([0, 2, 2, 1])
    weights = torch.tensor([0.5, 2.0, 1.0], dtype=torch.float64)
    params = list(lin1.parameters()) + list(lin2.parameters())
    fx = Fixture("adam")
    fx.put("x", x)
    fx.put("labels", labels.double())
    fx.put("classWeights", weights)
    names = ["hidden.weight", "hidden.bias", "output.weight", "output.bias"]

    def ours(p):
        return p.t() if p.ndim == 2 else p

    for name, p in zip(names, params):
        fx.put(name, ours(p))
    optimizer = torch.optim.Adam(params, lr=0.05)
    for step in range(3):
        optimizer.zero_grad()
        logits = lin2(torch.relu(lin1(x)))
        loss = nn.functional.cross_entropy(logits, labels, weight=weights)
        loss.backward()
        if step == 0:
            fx.put("loss", loss.reshape(1, 1))
            for name, p in zip(names, params):
                fx.put("grad." + name, ours(p.grad))
        nn.utils.clip_grad_norm_(params, 0.5)
        optimizer.step()
    for name, p in zip(names, params):
        fx.put("after." + name, ours(p))
    fx.write()


# --- whole classifiers (Sources/Embeddings/Classification): forward loss and every gradient ---

V, K = 12, 3
CLASS_WEIGHTS = [0.5, 2.0, 1.25]
CLS_LABELS = [0, 2, 1, 2]
DOCS = [[3, 1, 4, 1, 5, 9, 2], [6, 5], [3, 5, 8, 9, 7], [0, 11, 10]]


def table_input(gen):
    return f32(V, D, scale=0.8, gen=gen).requires_grad_(True)


def padded(table, docs, min_steps=1):
    """Time-major (T, B, d) rows of `docs`, zero rows at padding, and the lengths."""
    steps = max(min_steps, max(len(d) for d in docs))
    rows = []
    for t in range(steps):
        rows.append(torch.stack([table[d[t]] if t < len(d) else torch.zeros(D, dtype=torch.float64) for d in docs]))
    return torch.stack(rows), [len(d) for d in docs]


def put_docs(fx, name, docs):
    width = max(len(d) for d in docs)
    fx.put(name, [d + [-1] * (width - len(d)) for d in docs])


def linear_params(fx, prefix, layer, grads=False):
    w, b = layer.weight, layer.bias
    if grads:
        fx.put("grad." + prefix + ".weight", w.grad.t())
        fx.put("grad." + prefix + ".bias", b.grad.reshape(1, -1))
    else:
        fx.put(prefix + ".weight", w.t())
        fx.put(prefix + ".bias", b.reshape(1, -1))


def make_linear(n_in, n_out, gen, scale=0.6):
    layer = nn.Linear(n_in, n_out).double()
    with torch.no_grad():
        layer.weight.copy_(f32(n_out, n_in, scale=scale, gen=gen))
        layer.bias.copy_(f32(n_out, scale=scale, gen=gen))
    return layer


def make_gru(n_in, h, gen):
    gru = nn.GRU(n_in, h, bidirectional=True).double()
    with torch.no_grad():
        for p in gru.parameters():
            p.copy_(f32(*p.shape, scale=0.6, gen=gen))
    return gru


def gru_params(fx, prefix, gru, grads=False):
    for direction, suffix in (("fw", ""), ("bw", "_reverse")):
        for ours, theirs in (("wIH", "weight_ih_l0"), ("wHH", "weight_hh_l0"), ("bIH", "bias_ih_l0"), ("bHH", "bias_hh_l0")):
            p = getattr(gru, theirs + suffix)
            value = p.grad if grads else p
            value = value.t() if ours.startswith("w") else value.reshape(1, -1)
            fx.put(("grad." if grads else "") + f"{prefix}.{direction}.{ours}", value)


class Att:
    """Additive attention with masking: (T, B, n) states -> (B, n)."""

    def __init__(self, n, gen):
        self.projection = make_linear(n, n, gen, scale=0.5)
        self.context = f32(n, 1, scale=0.8, gen=gen).requires_grad_(True)

    def __call__(self, hs, lengths):
        steps = hs.shape[0]
        scores = (torch.tanh(self.projection(hs)) @ self.context).squeeze(2)
        mask = torch.arange(steps).unsqueeze(1) >= torch.tensor(lengths).unsqueeze(0)
        alpha = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=0)
        return (alpha.unsqueeze(2) * hs).sum(0)

    def put(self, fx, prefix, grads=False):
        linear_params(fx, prefix + ".projection", self.projection, grads)
        fx.put(("grad." if grads else "") + prefix + ".context", self.context.grad if grads else self.context)


def bigru_states(gru, x, lengths):
    packed = nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=False)
    out, _ = gru(packed)
    out, _ = nn.utils.rnn.pad_packed_sequence(out, total_length=x.shape[0])
    return out


def finish_classifier(fx, logits, table, params):
    labels = torch.tensor(CLS_LABELS)
    weights = torch.tensor(CLASS_WEIGHTS, dtype=torch.float64)
    loss = nn.functional.cross_entropy(logits, labels, weight=weights)
    loss.backward()
    fx.put("labels", labels.double())
    fx.put("classWeights", weights)
    fx.put("logits", logits)
    fx.put("loss", loss.reshape(1, 1))
    fx.put("embedding", table)
    fx.put("grad.embedding", table.grad)
    params(True)
    fx.write()


def classifier_cnn_fixture(gen):
    """MF-CNN as SequenceClassifierNetwork(cnnOver:): trainable table, widths 2,3 x 4 filters,
    ReLU, max over each document's windows, Linear, class-weighted cross-entropy (no dropout)."""
    widths, filters = [2, 3], 4
    table = table_input(gen)
    convs = []
    for k in widths:
        conv = nn.Conv1d(D, filters, k).double()
        with torch.no_grad():
            conv.weight.copy_(f32(filters, D, k, scale=0.5, gen=gen))
            conv.bias.copy_(f32(filters, scale=0.5, gen=gen))
        convs.append((k, conv))
    out_layer = make_linear(filters * len(widths), K, gen)
    x, lengths = padded(table, DOCS, min_steps=max(widths))
    steps = x.shape[0]
    feats = []
    for k, conv in convs:
        y = torch.relu(conv(x.permute(1, 2, 0)))
        p = steps - k + 1
        valid = torch.tensor([min(p, max(1, n - k + 1)) for n in lengths])
        mask = torch.arange(p).unsqueeze(0) >= valid.unsqueeze(1)
        feats.append(torch.max(y.masked_fill(mask.unsqueeze(1), float("-inf")), dim=2).values)
    logits = out_layer(torch.cat(feats, dim=1))
    fx = Fixture("classifier_cnn")
    put_docs(fx, "docs", DOCS)

    def params(grads=False):
        for k, conv in convs:
            w = conv.weight.grad if grads else conv.weight
            b = conv.bias.grad if grads else conv.bias
            g = "grad." if grads else ""
            fx.put(f"{g}encoder.k{k}.weight", w.permute(2, 1, 0).reshape(k * D, filters))
            fx.put(f"{g}encoder.k{k}.bias", b.reshape(1, -1))
        linear_params(fx, "output", out_layer, grads)

    params(False)
    finish_classifier(fx, logits, table, params)


def classifier_bigru_fixture(gen):
    """bi-GRU-Att as SequenceClassifierNetwork(biGRUOver:): trainable table, nn.GRU over packed
    sequences (H per direction), masked additive attention (size 2H), Linear, weighted CE."""
    table = table_input(gen)
    gru = make_gru(D, H, gen)
    att = Att(2 * H, gen)
    out_layer = make_linear(2 * H, K, gen)
    x, lengths = padded(table, DOCS)
    logits = out_layer(att(bigru_states(gru, x, lengths), lengths))
    fx = Fixture("classifier_bigru_att")
    put_docs(fx, "docs", DOCS)

    def params(grads=False):
        gru_params(fx, "encoder.rnn", gru, grads)
        att.put(fx, "encoder.attention", grads)
        linear_params(fx, "output", out_layer, grads)

    params(False)
    finish_classifier(fx, logits, table, params)


HAN_DOCS = [[[3, 1, 4], [1, 5, 9, 2]], [[6, 5]], [[3], [5, 8, 9, 7], [2, 2]], [[0, 11], [10]]]


def classifier_han_fixture(gen):
    """HAN as HierarchicalClassifierNetwork: word level nn.GRU (packed) + masked attention over
    every sentence of the batch -> sentence vectors, regrouped per document (zeros past its
    sentence count) -> sentence level nn.GRU (packed) + masked attention -> Linear, weighted CE."""
    table = table_input(gen)
    word_gru = make_gru(D, H, gen)
    word_att = Att(2 * H, gen)
    sentence_gru = make_gru(2 * H, H, gen)
    sentence_att = Att(2 * H, gen)
    out_layer = make_linear(2 * H, K, gen)
    sentences = [s for doc in HAN_DOCS for s in doc]
    x, lengths = padded(table, sentences)
    vectors = word_att(bigru_states(word_gru, x, lengths), lengths)  # (n, 2H)
    counts = [len(doc) for doc in HAN_DOCS]
    starts = [sum(counts[:b]) for b in range(len(HAN_DOCS))]
    zero = torch.zeros(2 * H, dtype=torch.float64)
    seq = torch.stack(
        [torch.stack([vectors[starts[b] + s] if s < counts[b] else zero for b in range(len(HAN_DOCS))]) for s in range(max(counts))]
    )
    logits = out_layer(sentence_att(bigru_states(sentence_gru, seq, counts), counts))
    fx = Fixture("classifier_han")
    put_docs(fx, "sentences", sentences)
    fx.put("sentenceCounts", counts)

    def params(grads=False):
        gru_params(fx, "encoder.word.rnn", word_gru, grads)
        word_att.put(fx, "encoder.word.attention", grads)
        gru_params(fx, "encoder.sentence.rnn", sentence_gru, grads)
        sentence_att.put(fx, "encoder.sentence.attention", grads)
        linear_params(fx, "output", out_layer, grads)

    params(False)
    finish_classifier(fx, logits, table, params)


def main() -> int:
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    gen = torch.Generator().manual_seed(2019)
    rnn_fixture("lstm", gen)
    rnn_fixture("gru", gen)
    gru_reset_before_fixture(gen)
    attention_fixture(gen)
    textcnn_fixture(gen)
    adam_fixture(gen)
    classifier_cnn_fixture(gen)
    classifier_bigru_fixture(gen)
    classifier_han_fixture(gen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
