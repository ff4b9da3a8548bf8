"""IBM Model 1 EM written straight from the equations (Koehn, SMT, fig. 4.3), for the expected
values in Tests/EmbeddingsTests/AlignmentTests.swift. Run: python3 Tests/reference/ibm1_reference.py

t(f|e) starts at 1/|V_f| for co-occurring pairs (and NULL → every f); each iteration reports the
log-likelihood sum_j ln(sum_i t(f_j|e_i) / (l+1)) of the parameters it starts from.
"""
import math


def ibm1(pairs, iterations, null=True):
    targets = sorted({w for _, f in pairs for w in f})
    t = {}
    for e, f in pairs:
        for g in ([None] if null else []) + e:
            for w in f:
                t[(g, w)] = 1 / len(targets)
    history = []
    for _ in range(iterations):
        counts, ll, n = {}, 0.0, 0
        for e, f in pairs:
            generators = ([None] if null else []) + e
            for w in f:
                z = sum(t[(g, w)] for g in generators)
                ll += math.log(z / len(generators))
                n += 1
                for g in generators:
                    counts[(g, w)] = counts.get((g, w), 0) + t[(g, w)] / z
        totals = {}
        for (g, _), c in counts.items():
            totals[g] = totals.get(g, 0) + c
        for key, c in counts.items():
            t[key] = c / totals[key[0]]
        history.append((ll, math.exp(-ll / n)))
    return t, history


if __name__ == "__main__":
    koehn = [(a.split(), b.split()) for a, b in
             [("das haus", "the house"), ("das buch", "the book"), ("ein buch", "a book")]]
    for iterations, null in [(1, False), (2, False), (2, True)]:
        table, history = ibm1(koehn, iterations, null)
        print(f"iterations={iterations} null={null}")
        for (e, f), p in sorted(table.items(), key=str):
            print(f"  t({f}|{e or 'NULL'}) = {p:.6f}")
        print("  (log-likelihood, perplexity) per iteration:", history)
