"""Writes notebooks/04-pictures.ipynb (cells only); execute it with
Tests/python/execute_notebooks.py --write to store the outputs."""
import nbformat
from nbformat.v4 import new_code_cell as code, new_markdown_cell as md, new_notebook

cells = [
    md("# Pictures of cross-lingual spaces with t-SNE\n\n"
       "A cross-lingual space puts the words of two or more languages into one vector space, so that a word and its "
       "translation lie close together. t-SNE (van der Maaten & Hinton 2008) draws such a space in two dimensions: it keeps "
       "each word's near neighbours near, and lets large distances go. Papers use the picture as a sanity check — Figure 4 of "
       "Shi et al. (2015) shows selected English and German words of a co-factorized joint space grouped by topic "
       "(*“regardless of their source languages, words sharing a common topic … are closely aligned”*), and Figure 4 of "
       "Wada & Iwata (2018) the 1,000 most frequent words of four languages, clustered by meaning rather than by language "
       "(prepositions together, determiners together, sentence-initial words together).\n\n"
       "`%tsne` draws one colour per language, labels the most frequent (or the chosen) words where they do not overlap, "
       "and gives every dot a hover title `word (language)`. The map starts from the first two principal components and "
       "is seeded, so a rerun gives the same picture. The points are the words' unit vectors, so t-SNE sees cosine "
       "neighbourhoods — the ones `%neighbors` and `%eval bli` use.\n\n"
       "| data | what |\n|---|---|\n"
       "| `fasttext-en-fr-756` | the 756 most frequent words of fastText Wikipedia vectors, en and fr (French also randomly rotated) |\n"
       "| `xling-eval-en-fr` | the en–fr training dictionary of Glavaš et al. (2019) |\n"
       "| `europarl-en-de`, `wmt-en-de-10k` | Europarl sample (monolingual) and 10,000 aligned WMT sentence pairs, as in notebook 02 |"),
    md("## A mapped space: fastText English and French\n\n"
       "The French vectors are rotated at random (`fr.rotated.vec.gz`), so before mapping the two languages share nothing. "
       "Procrustes on a training dictionary, refined five times as in notebook 01, maps English onto French."),
    md("The maps are bit-identical for the same words, options, seed and thread count on one machine; another CPU's BLAS "
       "kernels change the starting PCA in its last bits, which can rotate or mirror a map and move clusters slightly."),
    code("%set seed=1\n"
         "%load vectors en path=data/fasttext-en-fr-756/en.vec.gz lang=en\n"
         "%load vectors fr_rot path=data/fasttext-en-fr-756/fr.rotated.vec.gz lang=fr\n"
         "%load dict train path=data/xling-eval-en-fr/yacle.train.freq.5k.en-fr.tsv.gz\n"
         "%align procrustes src=en tgt=fr_rot dict=train refine=5 as=en_fr"),
    md("The 250 most frequent words of each language. If the mapping had failed, the picture would show two separate "
       "clouds, one per colour; here the colours mix, and frequent words sit next to their translations "
       "(hover a dot to read it)."),
    code("%tsne en_fr top=250 labels=60 as=en_fr_map"),
    md("`as=` keeps the map's 2-d coordinates as an object (here a joint space of the 500 words), e.g. to `%save` "
       "them for another plotting tool. They are map coordinates: only distances between nearby words mean something "
       "(a cosine between two map points does not)."),
    code("%who"),
    md("Chosen words: months, numbers and a few nouns in both languages. With `words=` every chosen word gets a label wherever one fits without overlapping another (the summary says how many did), "
       "and each word is looked up in every language that has it (so a word spelt alike in both languages gives two dots). Few points need a small perplexity "
       "(t-SNE needs more than 3 × perplexity points)."),
    code("%tsne en_fr words=january,february,march,april,janvier,février,mars,avril,one,two,three,four,un,deux,trois,quatre,"
         "city,town,village,ville,river,sea,rivière,mer,war,army,guerre,armée perplexity=5"),
    md("One language alone works too: `%tsne en` pictures the English vectors before any mapping."),
    code("%tsne en top=200 labels=40 perplexity=20"),
    md("## A joint space: co-factorized English and German\n\n"
       "As in notebook 02 (Shi et al. 2015): two GloVe-style factorizations of Europarl English and German, tied together "
       "by the CLSim term on word alignments of 10,000 WMT sentence pairs, every weight at its default. The result is one joint space, no mapping."),
    code("%set threads=1\n"
         "%load corpus en_text path=data/europarl-en-de/en.txt.gz lang=en\n"
         "%load corpus de_text path=data/europarl-en-de/de.txt.gz lang=de\n"
         "%load parallel ende src=data/wmt-en-de-10k/train.en.gz tgt=data/wmt-en-de-10k/train.de.gz src_lang=en tgt_lang=de\n"
         "%wordalign ende as=ende_wa"),
    code("%train cofactor mono=en_text,de_text parallel=ende objective=clsim align=ende_wa as=joint"),
    md("The 150 most frequent words of each language, like Wada & Iwata's Figure 4 (at a smaller scale): function words "
       "of both languages gather by role — articles, prepositions, pronouns — rather than by language."),
    code("%tsne joint top=150 labels=60 perplexity=20"),
    md("Selected topical words, like Shi et al.'s Figure 4: economy, politics and time words of both languages. "
       "English loanwords that Europarl German also uses (*trade*, *market*) get a German dot too."),
    code("%tsne joint words=economic,economy,market,trade,wirtschaft,markt,handel,parliament,commission,council,parlament,"
         "kommission,rat,january,year,month,januar,jahr,monat,oil,energy,öl,energie perplexity=5"),
    md("## What the pictures say\n\n"
       "* In the mapped fastText space and in the joint space, the colours interleave: translations are neighbours, which "
       "is what BLI precision (notebooks 01 and 02) measures as a number.\n"
       "* t-SNE keeps neighbourhoods, not distances: the size of a cluster and the gaps between clusters mean little, and a "
       "different perplexity or seed moves the clusters around.\n"
       "* A run is interruptible (■): the map of the last completed iteration is shown and the cell ends with "
       "`KeyboardInterrupt`."),
]
nb = new_notebook(cells=cells, metadata={
    "kernelspec": {"name": "xling", "display_name": "xling", "language": "xling"},
    "language_info": {"name": "xling", "file_extension": ".xling", "mimetype": "text/x-xling"},
})
nbformat.write(nb, "notebooks/04-pictures.ipynb")
