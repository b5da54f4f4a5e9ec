#!/usr/bin/env python3
"""Variants of lurescan's naive Bayes on its own features and folds.

Reads a `lurescan cv --scores FILE --scores-features` file and prints the
pooled out-of-fold ROC-AUC of lurescan's naive Bayes scoring (ported: binary
features, additive smoothing, prior plus summed log-ratios over the square
root of the known features) and of variants of it, each on the same outer
folds, so that what moves the figure can be told apart:
  - the length normalisation power p in known^p;
  - Bernoulli naive Bayes (absent features are evidence too);
  - IDF-weighted counts (at training, at scoring, both);
  - the evidence of each view (field-scoped words, unscoped text, posting
    attributes, typed features) re-weighted by a logistic regression fitted
    on inner out-of-fold view scores of the training folds;
  - each feature family left out.
Usage: nb_variants.py SCORES_WITH_FEATURES [alpha]
"""
import json
import sys
import zlib

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score


def load(path):
    rows = [json.loads(l) for l in open(path)]
    if not all("features" in r for r in rows):
        sys.exit(f"{path}: no features; run lurescan cv with --scores-features")
    return rows


def view(f):
    if "|" in f:
        return f.split("|")[0]
    p = f.split(":")[0]
    if p in ("w", "b", "c", "cc"):
        return "text"
    return {"a": "attributes", "e": "empty fields"}.get(p, "typed")


class Data:
    def __init__(self, rows, keep=lambda f: True):
        vocab, r, c = {}, [], []
        for i, row in enumerate(rows):
            for f in row["features"]:
                if keep(f):
                    r.append(i)
                    c.append(vocab.setdefault(f, len(vocab)))
        self.X = sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(rows), len(vocab)))
        self.names = [None] * len(vocab)
        for f, j in vocab.items():
            self.names[j] = f
        self.y = np.array([row["class"] for row in rows])
        self.fold = np.array([row["fold"] for row in rows])
        self.group = [row["group"] for row in rows]


def weights(X, y, alpha, bernoulli=False, idf=None):
    Xt = X.multiply(idf[None, :]).tocsr() if idf is not None else X
    n1 = np.asarray(Xt[y == 1].sum(0)).ravel()
    n0 = np.asarray(Xt[y == 0].sum(0)).ravel()
    seen = np.asarray(X.sum(0)).ravel() > 0
    prior = np.log((y == 1).sum()) - np.log((y == 0).sum())
    if bernoulli:
        d1, d0 = (y == 1).sum(), (y == 0).sum()
        p1, p0 = (n1 + alpha) / (d1 + 2 * alpha), (n0 + alpha) / (d0 + 2 * alpha)
        absent = np.log1p(-p1) - np.log1p(-p0)
        w = np.log(p1) - np.log(p0) - absent
        return np.where(seen, w, 0), prior + absent[seen].sum(), seen
    v = seen.sum()
    N1, N0 = n1[seen].sum(), n0[seen].sum()
    w = (np.log(n1 + alpha) - np.log(N1 + alpha * v)) - (np.log(n0 + alpha) - np.log(N0 + alpha * v))
    return np.where(seen, w, 0), prior, seen


def nb_scores(d, alpha, p=0.5, bernoulli=False, idf_mode=None):
    s = np.zeros(len(d.y))
    for k in sorted(set(d.fold)):
        tr, te = d.fold != k, d.fold == k
        idf = None
        if idf_mode:
            df = np.asarray(d.X[tr].sum(0)).ravel()
            idf = np.log((tr.sum() + 1) / (df + 1)) + 1
        w, b, seen = weights(d.X[tr], d.y[tr], alpha, bernoulli, idf if idf_mode in ("train", "both") else None)
        Xe = d.X[te].multiply(idf[None, :]).tocsr() if idf_mode in ("score", "both") else d.X[te]
        known = np.asarray(d.X[te] @ seen.astype(float)).ravel()
        s[te] = b + np.asarray(Xe @ w).ravel() / (np.maximum(known, 1) ** p if not bernoulli else 1)
    return s


def stacked_scores(d, alpha):
    views = sorted(set(view(f) for f in d.names))
    vid = np.array([views.index(view(f)) for f in d.names])
    V = sparse.csr_matrix((np.ones(len(vid)), (np.arange(len(vid)), vid)), shape=(len(vid), len(views)))

    def per_view(tr, te):
        w, b, seen = weights(d.X[tr], d.y[tr], alpha)
        known = np.asarray(d.X[te] @ seen.astype(float)).ravel()
        z = np.asarray((d.X[te].multiply(w[None, :]).tocsr() @ V).todense())
        return z / np.sqrt(np.maximum(known, 1))[:, None]

    s = np.zeros(len(d.y))
    for k in sorted(set(d.fold)):
        tr, te = np.where(d.fold != k)[0], np.where(d.fold == k)[0]
        inner = np.array([zlib.crc32(d.group[i].encode()) % 5 for i in tr])
        Z = np.zeros((len(tr), len(views)))
        for j in range(5):
            Z[inner == j] = per_view(tr[inner != j], tr[inner == j])
        lr = LogisticRegression(max_iter=1000).fit(Z, d.y[tr])
        s[te] = lr.decision_function(per_view(tr, te))
    return s


def main():
    rows = load(sys.argv[1])
    alpha = float(sys.argv[2]) if len(sys.argv) > 2 else 0.01
    d = Data(rows)
    auc = lambda s: f"{roc_auc_score(d.y, s):.4f}"
    print(f"{len(rows)} examples, alpha {alpha}; pooled out-of-fold ROC-AUC on the folds of `lurescan cv`\n")
    print("| variant | ROC-AUC |\n|---|---:|")
    print(f"| lurescan's naive Bayes (port; length normalisation known^0.5) | {auc(nb_scores(d, alpha))} |")
    for p in (0, 0.3, 0.4, 0.6, 0.7, 0.85):
        print(f"| length normalisation known^{p} | {auc(nb_scores(d, alpha, p))} |")
    print(f"| Bernoulli naive Bayes | {auc(nb_scores(d, alpha, bernoulli=True))} |")
    for mode in ("train", "score", "both"):
        print(f"| IDF-weighted counts ({mode}) | {auc(nb_scores(d, alpha, idf_mode=mode))} |")
    print(f"| views re-weighted by logistic regression on inner out-of-fold view scores | {auc(stacked_scores(d, alpha))} |")
    families = sorted(set(view(f) for f in d.names)) + ["bigrams"]
    for fam in families:
        if fam == "bigrams":
            keep = lambda f: not f.split("|")[-1].startswith("b:")
        else:
            keep = lambda f, fam=fam: view(f) != fam
        print(f"| without {fam} features | {roc_auc_score(d.y, nb_scores(Data(rows, keep), alpha)):.4f} |")


if __name__ == "__main__":
    main()
