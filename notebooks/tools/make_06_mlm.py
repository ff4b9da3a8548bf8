"""Writes notebooks/06-multilingual-lm.ipynb (cells only); execute it with
Tests/python/execute_notebooks.py --write to store the outputs."""

import nbformat
from nbformat.v4 import new_code_cell as code, new_markdown_cell as md, new_notebook

# The tutorial preset: small enough for `make test` (a few minutes on two loaded cores).
LINES = 3000
PRESET = "dim=64 hidden=64 layers=1 vocab=3000 max_length=50 epochs=4"
GLOVE = "dim=64 min_count=3 max_vocab=3000 iters=25"
DICT = "data/omw-europarl/en-de.tsv"

# What the measured run of this preset showed (seed 1, one thread; the outputs below are that run).
RESULT = (
    "At this preset the claim does **not** reproduce. After four epochs on 3,000 sentences per language (64-d, one "
    "layer, under a minute), the loss per token falls in both languages and directions (en forward 6.49 → 5.57) and the "
    "paper's criterion rises every epoch (0.487 → 0.541), so its best epoch is also the last one, which is kept; but "
    "translation is barely above chance: full-vocabulary BLI P@1 0.7 % with CSLS (chance about 0.04 %), and under the "
    "paper's protocol P@1 1.6 % among 670 gold pairs (chance 0.1 %). The dictionary-free baseline on the same text and "
    "vocabularies, GloVe + Procrustes on identical strings, reaches 0.3 % and 1.2 %: both methods are near the floor "
    "here, the language model slightly ahead. The neighbours show a little translation: *parliament* has *kommission* "
    "first among its German neighbours, and *commission* is third among the English words nearest to *kommission*, after "
    "*rapporteur* and *fact* (its German neighbours *eu*, *gemeinschaft*, *vergangenheit*, *mitgliedstaaten*, *union* are "
    "related words, not translations). On the "
    "t-SNE map the two languages overlap rather than forming two islands, yet the overlap is not translation: the BLI "
    "tables above are the test. The failure detector in the training summary says as much: *doubtful*, the criterion "
    "0.541 against 0.459 for random rotations of the German rows (+18 %; a real alignment is +25 % or more, an "
    "unaligned pair within a few %).\n\n"
    "The paper trains on 50k sentences or more (about 17× this text), 300-d two-layer models and ten epochs; P@1 was "
    "still rising here (en→de 0.2 → 0.7 %, de→en 0.1 → 0.9 % over the four epochs). The whole 20k-sentence files are "
    "a benchmark, not a tutorial cell: the next section quotes that measured run; this notebook does not run it."
)

# The measured full-size runs (Tests/bench/mlm_tables.py, Tests/bench/README.md; not run by this notebook): X → en on
# the test split, CSLS, precision in %: (paper's protocol P@1 / P@5, full-vocabulary P@1 / P@5) per pair; None = not run.
PAIRS = ("de", "es", "fi")
ROWS = [
    ("bilingual LM en–X, last epoch (keep=last, the default)", {"de": ("3.3 / 7.2", "1.3 / 3.8"),
                                                                "es": ("5.0 / 11.1", "2.1 / 4.8"),
                                                                "fi": ("**2.9 / 7.2**", "1.3 / 2.8")}),
    ("bilingual LM en–X, the criterion's epoch (keep=criterion: de 6, es 5, fi 7 of 8)",
     {"de": ("3.1 / 6.2", "1.2 / 3.4"), "es": ("3.6 / 8.7", "1.2 / 3.4"), "fi": ("2.5 / 6.8", "1.1 / 2.5")}),
    ("quadrilingual LM en/fr/es/de, last epoch (keep=last, the default)", {"de": ("**4.3 / 11.1**", "2.1 / 5.8"),
                                                                          "es": ("**5.4 / 12.7**", "2.9 / 6.7"),
                                                                          "fi": None}),
    ("quadrilingual LM, the criterion's epoch (4 of 8)", {"de": ("3.4 / 8.6", "1.4 / 4.0"), "es": ("3.2 / 8.5", "1.3 / 3.5"),
                                                          "fi": None}),
    ("GloVe + VecMap, unsupervised", {"de": ("1.4 / 4.4 (failed)", "0.5 / 1.5"), "es": ("0.9 / 2.9 (failed)", "0.4 / 1.4"),
                                      "fi": ("0.4 / 1.4 (failed)", "0.0 / 0.3")}),
    ("GloVe + MUSE, unsupervised", {"de": ("0.1 / 0.7 (failed)", "0.0 / 0.3"), "es": ("0.7 / 2.4 (failed)", "0.2 / 0.9"),
                                    "fi": ("0.2 / 1.3 (failed)", "0.1 / 0.2")}),
    ("GloVe + Procrustes on identical strings", {"de": ("4.1 / 8.8", "1.9 / 4.6"), "es": ("4.6 / 10.5", "1.9 / 4.9"),
                                                 "fi": ("0.9 / 3.5", "0.2 / 1.1")}),
    ("GloVe + Procrustes, 200 seed pairs", {"de": None, "es": ("2.9 / 9.9", "1.5 / 4.7"), "fi": ("1.9 / 6.9", "0.4 / 2.3")}),
    ("GloVe + Procrustes, 500 seed pairs (fi: 468)", {"de": ("4.1 / 10.5", "1.8 / 5.7"), "es": ("4.8 / 11.4", "2.2 / 6.8"),
                                                     "fi": ("1.8 / 6.4", "0.4 / 2.4")}),
    ("GloVe + Procrustes, train split (supervised bound)", {"de": ("4.7 / 11.3", "2.0 / 6.5"), "es": ("5.9 / 14.2", "3.0 / 7.7"),
                                                            "fi": ("1.8 / 5.4", "0.2 / 2.2")}),
    ("chance", {"de": ("0.1 / 0.5", "≈ 0"), "es": ("0.1 / 0.5", "≈ 0"), "fi": ("0.1 / 0.6", "≈ 0")}),
]


def measured_table():
    head = "| method | " + " | ".join(f"{x} → en, paper's protocol" for x in PAIRS) + " | " + " | ".join(
        f"{x} → en, full vocabulary" for x in PAIRS) + " |\n"
    head += "|---" * (1 + 2 * len(PAIRS)) + "|\n"
    body = ""
    for name, cells in ROWS:
        gold = [cells[x][0] if cells.get(x) else "not measured" for x in PAIRS]
        full = [cells[x][1] if cells.get(x) else "not measured" for x in PAIRS]
        body += f"| {name} | " + " | ".join(gold + full) + " |\n"
    return head + body


MEASURED = (
    "## At full size: the benchmark runs (not run here)\n\n"
    "`Tests/bench/mlm_tables.py` trains `%train mlm corpora=en,X dim=128 hidden=128` (X = de, es, fi) and the "
    "quadrilingual `corpora=en,fr,es,de` with every other "
    "key at its default (two layers, min_count 3) on the whole Europarl files, one thread and eight epochs each, and "
    "evaluates X → English on two thirds of the dictionary (MUSE for de and es; the xling-eval pairs for fi); the other "
    "third is held out for development and the supervised baselines. The same corpora, vocabularies and gold pairs "
    "(1,000; 903 for fi) serve every row of a column (P@1 / P@5 in %, CSLS):\n\n"
    + measured_table() + "\n"
    "The bilingual models were trained again once the default had become the last epoch (one thread and about 1,960 CPU "
    "seconds each: de and fi side by side in 52 minutes on the shared machine, es after them in 33); their criterion "
    "rows are the same runs' per-epoch checkpoints at the epoch the criterion picks (de 6, es 5, fi 7 of 8). The "
    "quadrilingual run (93 minutes, 4,470 CPU seconds on one thread) "
    "shows why the default is now the last epoch: its criterion peaks at epoch 4 (0.629) and falls to 0.591 at epoch 8 "
    "while P@1 on the held-out third of the dictionaries doubles (fr 1.4 → 2.4, es 1.2 → 2.6, de 1.1 → 2.3 %), and on "
    "the test pairs the last epoch is ahead in every language (fr 3.9 → 5.1 / 8.9 → 13.5). The bilingual runs point "
    "the same way: on the test pairs the last epoch is ahead in every pair, clearly for es (3.6 → 5.0 / 8.7 → 11.1), by "
    "a few words for de and fi (3.1 → 3.3, 2.5 → 2.9 at P@1); on held-out pairs es (3.8 → 5.0 % P@1 among 1,000 gold "
    "pairs) and de (1.5 → 2.3) agree, while fi dips by two words of 471 (3.2 → 2.8 %). A few words are within what two "
    "runs of the same recipe differ by: earlier runs (before a change of summation order in the training step) had "
    "de 3.2 / 9.8 at the criterion's epoch 6 where this one has 3.1 / 6.2, and es 4.0 / 9.3 (epoch 6) where this one "
    "has 3.6 / 8.7 (epoch 5). "
    "French has no baseline rows here; its quadrilingual figures are 5.1 / 13.5 (last epoch) and 3.9 / 8.9 (epoch 4). "
    "\"Not measured\": the 200-pair curve point for de (`Tests/bench/README.md` says how to run it).\n\n"
    "**Does the claim reproduce at 20k sentences?** In part, and most clearly on the hard pair. In all three pairs the "
    "unsupervised mappings fail on this little text (the failure detector says so for each), as the paper says they do "
    "at 50k, while the language models align words without any dictionary (33× chance at P@1 for de; for es 5.0 against "
    "VecMap's 0.9 and MUSE's 0.7; for fi 2.9 against 0.4 and 0.2). But for de the cheapest weak supervision is ahead "
    "at P@1: Procrustes over identical strings on GloVe vectors of the same text (4.1 against 3.3). For es the last "
    "epoch (5.0 / 11.1) is ahead of identical strings (4.6 / 10.5) and level with 500 seed pairs (4.8 / 11.4); its "
    "criterion's epoch (3.6 / 8.7) is below identical strings, about as good as 100 to 200 seed pairs. Finnish shares few strings with "
    "English: there identical strings reach only 0.9 %, and the language model (2.9 / 7.2 at its last epoch) is ahead "
    "of Procrustes on every seed set we have, 200 (1.9 / 6.9) and all 468 (1.8 / 6.4), and of the whole train split "
    "(1.8 / 5.4); at the criterion's epoch (2.5 / 6.8) it is ahead at P@1, and at P@5 level with "
    "200 seed pairs. Every method is weak here: even the supervised bound translates under 6 % of the words. "
    "The quadrilingual model (the paper's Table 4) is the strongest row for German and Spanish: with its last epoch "
    "it is ahead of identical strings (de 4.3 / 11.1 against 4.1 / 8.8; es 5.4 / 12.7 against 4.6 / 10.5) and of 500 "
    "seed pairs, and close to the supervised bound (de 4.7 / 11.3, es 5.9 / 14.2). For German that is the four "
    "languages more than the epoch: at the last epoch of both, the bilingual model has 3.3 / 7.2 and the quadrilingual "
    "4.3 / 11.1; for Spanish the two are close (5.0 / 11.1 and 5.4 / 12.7). One run each: the earlier runs above show "
    "how far one run can move."
)

cells = [
    md("# Cross-lingual embeddings from language models alone (Wada & Iwata 2018)\n\n"
       "`%train mlm` trains forward and backward LSTM language models on monolingual text of several languages at once. "
       "The LSTMs, the `<BOS>` input and the `<EOS>` output row are **shared** by all languages; each language keeps its "
       "own input embeddings and output matrix. No dictionary, no parallel text, no pre-trained vectors: the paper's claim "
       "is that sharing the sentence model is enough to put the word embeddings of all languages into one space, and that "
       "with little text (50k sentences per language) this aligns words better than mapping separately trained vectors.\n\n"
       "Our Europarl samples (about 20k sentences per language, not sentence-aligned) are the low-resource setting of the "
       f"paper, and smaller still. This notebook uses the first {LINES:,} lines of English and German and a tutorial "
       f"preset (`{PRESET}`) so that it runs in a few minutes; the paper's model is `%train mlm corpora=en,de` with its "
       "defaults (300/300, two layers, ten epochs: hours on two cores). `%help train mlm` says where each default comes from."),
    code(f"%load corpus en path=data/europarl-en-de/en.txt.gz lang=en max_lines={LINES}\n"
         f"%load corpus de path=data/europarl-en-de/de.txt.gz lang=de max_lines={LINES}\n"
         f"%load dict omw path={DICT}"),
    md("The dictionary (`omw-europarl`, English–German Wiktionary lemmas from Open Multilingual Wordnet, lowercased, "
       "both words among the 5,000 most frequent of the Europarl samples) is used only to *evaluate*: `eval=omw` shows "
       "its BLI P@1 after every epoch; it never chooses anything. The paper's unsupervised criterion (the mean CSLS of the "
       "most frequent English words to their induced German translations) is shown after every epoch too. The run keeps "
       "its last epoch (`keep=last`, as the authors' code): on held-out dictionary pairs the criterion peaked before the "
       "translations did (see the end of this notebook); `keep=criterion` keeps the criterion's best epoch, as the paper."),
    md("## Training\n\nThe live display shows direction-tokens per second, the loss per token of each language and "
       "direction, and after each epoch the criterion and P@1. Interrupting keeps the model of the last finished update. "
       "`checkpoint=` writes the training state after every epoch (atomically), so a long run can be continued later "
       f"with `resume=`, e.g. `%train mlm corpora=en,de {PRESET.replace('epochs=4', 'epochs=8')} resume=mlm-en-de.xlmlm as=mlm` "
       "for four more epochs (the options must agree with the checkpoint's)."),
    code(f"%train mlm corpora=en,de {PRESET} eval=omw seed=1 threads=1 checkpoint=mlm-en-de.xlmlm as=mlm"),
    md("## Evaluation: two protocols\n\nStandard BLI ranks each English word against every German word of the vocabulary "
       "(here 3,000), so chance is about 0.03 % at P@1. The paper's *word alignment* protocol (`candidates=gold`) draws "
       "one-to-one gold pairs and ranks each English word only against the German words of those pairs, with CSLS "
       "computed inside that set; chance is k/M and is shown in the table."),
    code("%eval bli mlm dict=omw"),
    code("%eval bli mlm dict=omw candidates=gold k=1,5"),
    md("## A baseline on the same text\n\nGloVe vectors trained on each language's same lines and vocabulary, mapped by "
       "Procrustes on identical strings (numbers, names, shared words) with five refinement steps: a dictionary-free "
       "mapping baseline. The gold-candidate pairs are drawn with the same seed from the same vocabularies, so both "
       "tables rank the same pairs."),
    code(f"%train glove corpus=en {GLOVE} threads=1 seed=1 as=glove_en\n"
         f"%train glove corpus=de {GLOVE} threads=1 seed=1 as=glove_de"),
    code("%align identical src=glove_en tgt=glove_de normalize=unit,center,unit refine=5 as=identical\n"
         "%eval bli identical dict=omw"),
    code("%eval bli identical dict=omw candidates=gold k=1,5"),
    md("## Neighbours in the joint space\n\nNearest English and German words of a few frequent words (like the paper's "
       "Table 3): with a working alignment the German column holds translations or related words."),
    md("A dictionary can also be written in a cell. Dictionaries that keep the case of German nouns (as the xling-eval "
       "pairs do) miss every lowercased corpus word; `lower=true` lowercases both sides, as `%load dict … lower=true` does."),
    code("%%dict nouns lower=true\nparliament Parlament\ncommission Kommission\ncouncil Rat\nreport Bericht\nquestion Frage"),
    code("%neighbors parliament in=mlm k=5"),
    code("%neighbors kommission in=mlm k=5"),
    md("## The joint space as a picture\n\nA t-SNE map of the 150 most frequent words of each language (the paper's "
       "Figure 4 uses 1,000): aligned languages mix; unaligned ones form two islands."),
    code("%tsne mlm top=150 labels=40 perplexity=20 seed=1"),
    md("## What this shows\n\n" + RESULT),
    md(MEASURED),
]

nb = new_notebook(cells=cells, metadata={
    "kernelspec": {"display_name": "xling", "language": "xling", "name": "xling"},
    "language_info": {"name": "xling", "file_extension": ".xling", "mimetype": "text/x-xling"},
})
nbformat.write(nb, "notebooks/06-multilingual-lm.ipynb")
