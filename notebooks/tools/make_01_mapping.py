"""Writes notebooks/01-mapping-and-bli.ipynb (cells only); execute it with
Tests/python/execute_notebooks.py --write to store the outputs."""
import nbformat
from nbformat.v4 import new_code_cell as code, new_markdown_cell as md, new_notebook

cells = [
    md("# Mapping embedding spaces and evaluating them with BLI\n\n"
       "Two monolingual spaces become one cross-lingual space with a linear map learnt from a bilingual dictionary "
       "(Mikolov et al. 2013; Xing et al. 2015; Smith et al. 2017; Conneau et al. 2018). The standard check is "
       "*bilingual lexicon induction* (BLI): translate held-out source words by nearest-neighbour retrieval and count hits.\n\n"
       "Data (all under `data/`, each with its `SOURCE.txt`): real fastText Wikipedia vectors for the ~756 most frequent English "
       "and French words, already aligned by Smith et al.; a copy of the French vectors rotated by a random orthogonal matrix "
       "(`make_rotated.py`); the xling-eval en–fr training split (Glavaš et al. 2019); a MUSE en–fr test subset whose source words "
       "are disjoint from the training words; and the 20-word Dinu en/it slice."),
    code("%load vectors en path=data/fasttext-en-fr-756/en.vec.gz lang=en\n"
         "%load vectors fr path=data/fasttext-en-fr-756/fr.vec.gz lang=fr\n"
         "%load vectors fr_rot path=data/fasttext-en-fr-756/fr.rotated.vec.gz lang=fr"),
    code("%load dict train path=data/xling-eval-en-fr/yacle.train.freq.5k.en-fr.tsv.gz\n"
         "%load dict test path=data/muse-en-fr-756/test.at.txt format=at"),
    md("## How stable these numbers are\n\n"
       "Every step here is deterministic: xling runs OpenBLAS on `%set threads` threads (1 unless set), whatever the number of "
       "cores. On another CPU, whose BLAS kernels differ (`%blas` names them), the numbers can differ by several P@1 points "
       "(up to 9 in our runs): Procrustes below is fitted on 270 pairs in 300 dimensions, so the rotation is not fully "
       "determined by the dictionary, and the last bits of the BLAS kernels decide the free directions. `%align` says so in a "
       "`warning` row: these pairs fix the map on 245 of the 300 directions (several share a French word). Refinement, which "
       "refits on hundreds of induced pairs, moves much less. A test set of 112 words also means one word = 0.9 points."),
    md("## Before any mapping\n\nThe original French vectors already share a space with the English ones, so BLI works without a map — "
       "an upper bound for what the rotated copy can give back. After the random rotation, nearest neighbours are meaningless (P@1 ≈ 0). "
       "`%eval bli` shows every retrieval method and the out-of-vocabulary conventions in one table; here every test word is covered, so the three conventions give the same numbers and share one row."),
    code("%eval bli src=en tgt=fr dict=test retrieval=nn,csls,isf"),
    code("%eval bli src=en tgt=fr_rot dict=test retrieval=nn,csls"),
    md("## Orthogonal Procrustes from a dictionary\n\nW = UVᵀ from the SVD of XᵀY over the training pairs. Only 270 pairs of the xling-eval "
       "split fall inside these small vocabularies — fewer than the 300 dimensions — so one fit cannot pin the rotation down completely. "
       "CSLS (cross-domain similarity local scaling) and the inverted softmax correct part of the hubness of plain cosine retrieval."),
    code("%align procrustes src=en tgt=fr_rot dict=train as=procrustes\n%eval bli procrustes dict=test retrieval=nn,csls,isf"),
    md("## Refinement with induced dictionaries\n\nMUSE's refinement maps the source, takes mutual CSLS nearest neighbours among the most "
       "frequent words as a new dictionary, and refits Procrustes. Five steps recover a large part of what the original alignment had (compare with the unrotated spaces above)."),
    code("%align procrustes src=en tgt=fr_rot dict=train refine=5 as=refined\n%eval bli refined dict=test retrieval=nn,csls"),
    md("## Other supervised mappings\n\nUnconstrained least squares (Mikolov et al. 2013) overfits 270 pairs in 300 dimensions; CCA needs a "
       "regulariser here (`reg=`); the SVD mapping of Smith et al. (2017) maps both sides and keeps only components with singular value ≥ 1; "
       "`identical` needs no dictionary at all — it starts from words spelt the same in both languages and refines."),
    code("%align lstsq src=en tgt=fr_rot dict=train as=lstsq\n%eval bli lstsq dict=test k=1,5"),
    code("%align cca src=en tgt=fr_rot dict=train reg=0.01 as=cca\n%eval bli cca dict=test k=1,5"),
    code("%align svd src=en tgt=fr_rot dict=train threshold=1 as=svd\n%eval bli svd dict=test k=1,5"),
    code("%align identical src=en tgt=fr_rot refine=5 as=identical\n%eval bli identical dict=test k=1,5"),
    md("Every `%eval bli` keeps its result in the session (`bli_MAPPING`, or `as=`), so `%plot bli` can put the methods side by side; "
       "`x=pairs` would place them by the size of the dictionary each was fitted on."),
    code("%plot bli bli_procrustes,bli_refined,bli_lstsq,bli_cca,bli_svd,bli_identical k=1 x=order"),
    md("## Looking at the joint space\n\nNearest neighbours in both languages, like Table 2 of Shi et al. (2015), and hubness: with plain "
       "cosine a few French words are the neighbours of very many English words; CSLS spreads retrieval out."),
    code("%neighbors january in=refined k=5"),
    code("%neighbors war in=refined k=5 retrieval=csls"),
    code("%hubness refined"),
    md("## The Dinu en/it slice: train/test discipline\n\nTwenty real English and Italian word2vec vectors and a 20-pair dictionary "
       "with one wrong pair (*fish → cavallo*, a horse). With fewer pairs than dimensions any map fits its training pairs — the wrong "
       "one included — so precision on the training dictionary says nothing. Hold pairs out."),
    code("%load vectors en20 path=data/dinu-en-it-20/EN.1-10.cbow1_wind5_hs0_neg10_size300_smpl1e-05.txt lang=en\n"
         "%load vectors it20 path=data/dinu-en-it-20/IT.1-10.cbow1_wind5_hs0_neg10_size300_smpl1e-05.txt lang=it\n"
         "%load dict opus path=data/dinu-en-it-20/OPUS_en_it_europarl_train_one2ten.txt format=muse"),
    code("%%dict numbers_and_animals\none uno\ntwo due\nthree tre\nfour quattro\nfive cinque\nsix sei\nseven sette\n"
         "eight otto\nnine nove\nten dieci\ndog cane\npig maiale\ncat gatto\nfish cavallo\nbirds uccelli"),
    code("%%dict fruit\napple mela\norange arancione\ngrape acino\nbanana banana\nmango mango"),
    code("%align procrustes src=en20 tgt=it20 dict=opus normalize=unit,center,unit as=all20\n%eval bli all20 dict=opus k=1"),
    code("%align procrustes src=en20 tgt=it20 dict=numbers_and_animals normalize=unit,center,unit as=held_out\n"
         "%eval bli held_out dict=fruit k=1,5"),
    md("## Saving\n\n`%save` writes atomically: the mapped English vectors as word2vec text, or the matrix W for numpy (`format=txt`)."),
    code("%save refined path=en-mapped-to-fr.vec\n%save refined path=W-en-fr.txt format=txt\n%who"),
]
nb = new_notebook(cells=cells, metadata={
    "kernelspec": {"name": "xling", "display_name": "xling", "language": "xling"},
    "language_info": {"name": "xling", "file_extension": ".xling", "mimetype": "text/x-xling"}})
nbformat.write(nb, "notebooks/01-mapping-and-bli.ipynb")
