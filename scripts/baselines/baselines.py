#!/usr/bin/env python3
"""Side-by-side baselines on lurescan's own cross-validation folds.

Reads the --scores file of `lurescan cv` (one line per example: its fold,
label, text, and lurescan's out-of-fold probability and F1-tuned threshold),
trains scikit-learn MultinomialNB, ComplementNB, TF-IDF + LogisticRegression,
TF-IDF + LinearSVC and fastText supervised on the same folds, and prints one
table: ROC-AUC, PR-AUC, F1 at a threshold tuned on the training folds only
(inner 5-fold out-of-fold scores, as lurescan does), precision at recall 0.9,
training seconds per fold and scoring throughput.

When the scores file carries each example's lurescan features (`lurescan cv
--scores-features`), two more rows use them: a Python port of lurescan's
naive Bayes scoring (it should agree with lurescan's own row), and the same
naive Bayes log-count ratios as feature weights under a logistic regression
(Wang and Manning 2012, "NBSVM", with a logistic loss; C chosen by inner
cross-validation on the training folds), which corrects naive Bayes for
counting correlated features as independent evidence.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.naive_bayes import ComplementNB, MultinomialNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC
from sklearn.base import BaseEstimator, ClassifierMixin


def identity(x):
    return x


class NBFeatures(BaseEstimator, ClassifierMixin):
    """Naive Bayes over lurescan's binary features, two ways.

    mode "nb": lurescan's scoring: multinomial naive Bayes over feature
    presence, additive smoothing alpha, prior log-odds plus the summed
    log-ratios divided by the square root of the number of known features.
    mode "nblr": the log-count ratios r (smoothing 1) scale each present
    feature, rows are L2-normalised, and a logistic regression learns the
    weights; C is chosen from Cs by 3-fold cross-validation on the training
    data only.
    """

    def __init__(self, mode="nb", alpha=0.01, Cs=(1, 10, 100)):
        self.mode, self.alpha, self.Cs = mode, alpha, Cs

    def _ratios(self, X, y, alpha):
        n1 = np.asarray(X[y == 1].sum(0)).ravel()
        n0 = np.asarray(X[y == 0].sum(0)).ravel()
        v = X.shape[1]
        return (np.log(n1 + alpha) - np.log(n1.sum() + alpha * v)) - (np.log(n0 + alpha) - np.log(n0.sum() + alpha * v))

    def fit(self, docs, y):
        y = np.asarray(y)
        self.classes_ = np.array([0, 1])
        self.vec_ = CountVectorizer(analyzer=identity, binary=True)
        X = self.vec_.fit_transform(docs)
        if self.mode == "nb":
            self.w_ = self._ratios(X, y, self.alpha)
            self.prior_ = np.log((y == 1).sum()) - np.log((y == 0).sum())
            return self
        self.r_ = self._ratios(X, y, 1.0)
        Xr = normalize(X.multiply(self.r_[None, :]).tocsr())
        best, self.C_ = -1, self.Cs[0]
        if len(self.Cs) > 1:
            for C in self.Cs:
                s = cross_val_predict(LogisticRegression(C=C, max_iter=3000), Xr, y,
                                      cv=StratifiedKFold(3, shuffle=True, random_state=1), method="decision_function")
                auc = roc_auc_score(y, s)
                if auc > best:
                    best, self.C_ = auc, C
        self.lr_ = LogisticRegression(C=self.C_, max_iter=3000).fit(Xr, y)
        return self

    def decision_function(self, docs):
        X = self.vec_.transform(docs)
        if self.mode == "nb":
            known = np.asarray(X.sum(1)).ravel()
            return self.prior_ + np.asarray(X @ self.w_).ravel() / np.sqrt(np.maximum(known, 1))
        return self.lr_.decision_function(normalize(X.multiply(self.r_[None, :]).tocsr()))


def best_f1_threshold(scores, labels):
    p, r, t = precision_recall_curve(labels, scores)
    f = np.where(p + r > 0, 2 * p * r / np.maximum(p + r, 1e-12), 0)[:-1]
    return t[int(np.argmax(f))] if len(t) else 0.5


def f1_at(scores, labels, th):
    pred = scores >= th
    tp = np.sum(pred & (labels == 1))
    fp = np.sum(pred & (labels == 0))
    fn = np.sum(~pred & (labels == 1))
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def precision_at_recall(scores, labels, recall=0.9):
    p, r, _ = precision_recall_curve(labels, scores)
    ok = p[r >= recall]
    return float(ok.max()) if len(ok) else 0.0


def decision(model, X):
    if hasattr(model, "predict_proba"):
        return model.predict_proba(X)[:, 1]
    return model.decision_function(X)


def sklearn_models():
    return {
        "sklearn MultinomialNB (word counts)": lambda: make_pipeline(CountVectorizer(min_df=1), MultinomialNB()),
        "sklearn ComplementNB (word counts)": lambda: make_pipeline(CountVectorizer(min_df=1), ComplementNB()),
        "sklearn TF-IDF + LogisticRegression": lambda: make_pipeline(
            TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2), LogisticRegression(C=10, max_iter=2000)),
        "sklearn TF-IDF + LinearSVC": lambda: make_pipeline(
            TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2), LinearSVC(C=1.0)),
    }


def run_sklearn(make, texts, labels, folds):
    scores = np.zeros(len(texts))
    tuned = np.zeros(len(texts))
    train_s, score_s = 0.0, 0.0
    for k in sorted(set(folds)):
        tr, te = folds != k, folds == k
        Xtr = [texts[i] for i in np.where(tr)[0]]
        Xte = [texts[i] for i in np.where(te)[0]]
        inner = cross_val_predict(make(), Xtr, labels[tr], cv=StratifiedKFold(5, shuffle=True, random_state=1),
                                  method="predict_proba" if hasattr(make(), "predict_proba") else "decision_function")
        if inner.ndim == 2:
            inner = inner[:, 1]
        th = best_f1_threshold(inner, labels[tr])
        t0 = time.perf_counter()
        m = make().fit(Xtr, labels[tr])
        train_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        scores[te] = decision(m, Xte)
        score_s += time.perf_counter() - t0
        tuned[te] = th
    return scores, tuned, train_s / len(set(folds)), len(texts) / score_s


def run_fasttext(texts, labels, folds):
    scores = np.zeros(len(texts))
    tuned = np.zeros(len(texts))
    train_s, score_s = 0.0, 0.0
    clean = [t.replace("\n", " ") for t in texts]
    with tempfile.TemporaryDirectory() as d:
        def fit(idx, name):
            path = os.path.join(d, name + ".txt")
            with open(path, "w") as f:
                for i in idx:
                    f.write(f"__label__{labels[i]} {clean[i]}\n")
            subprocess.run(["fasttext", "supervised", "-input", path, "-output", os.path.join(d, name),
                            "-epoch", "25", "-lr", "0.5", "-wordNgrams", "2", "-dim", "50", "-thread", "2", "-verbose", "0"],
                           check=True, stdout=subprocess.DEVNULL)
            return os.path.join(d, name + ".bin")

        def predict(model, idx):
            path = os.path.join(d, "in.txt")
            with open(path, "w") as f:
                for i in idx:
                    f.write(clean[i] + "\n")
            out = subprocess.run(["fasttext", "predict-prob", model, path, "2"], check=True, capture_output=True, text=True).stdout
            probs = []
            for line in out.splitlines():
                parts = line.split()
                p1 = 0.0
                for j in range(0, len(parts) - 1, 2):
                    if parts[j] == "__label__1":
                        p1 = float(parts[j + 1])
                probs.append(p1)
            return np.array(probs)

        for k in sorted(set(folds)):
            tr = np.where(folds != k)[0]
            te = np.where(folds == k)[0]
            inner = np.zeros(len(tr))
            skf = StratifiedKFold(5, shuffle=True, random_state=1)
            for a, b in skf.split(tr, labels[tr]):
                inner[b] = predict(fit(tr[a], "inner"), tr[b])
            th = best_f1_threshold(inner, labels[tr])
            t0 = time.perf_counter()
            m = fit(tr, "outer")
            train_s += time.perf_counter() - t0
            t0 = time.perf_counter()
            scores[te] = predict(m, te)
            score_s += time.perf_counter() - t0
            tuned[te] = th
    return scores, tuned, train_s / len(set(folds)), len(texts) / score_s


def main():
    path = sys.argv[1]
    lurescan_train_s = float(sys.argv[2]) if len(sys.argv) > 2 else float("nan")
    lurescan_docs_s = float(sys.argv[3]) if len(sys.argv) > 3 else float("nan")
    lurescan_name = sys.argv[4] if len(sys.argv) > 4 else "lurescan (this repo)"
    rows = [json.loads(l) for l in open(path)]
    texts = [r["text"] for r in rows]
    labels = np.array([r["class"] for r in rows])
    folds = np.array([r["fold"] for r in rows])
    results = []
    lure = np.array([r["probability"] for r in rows])
    lure_th = np.array([r["f1_threshold"] for r in rows])
    results.append((lurescan_name, lure, lure_th, lurescan_train_s, lurescan_docs_s))
    for name, make in sklearn_models().items():
        s, th, tr, tput = run_sklearn(make, texts, labels, folds)
        results.append((name, s, th, tr, tput))
    if all("features" in r for r in rows):
        feats = [r["features"] for r in rows]
        for name, make in {
            "naive Bayes on lurescan's features (Python port of its scoring)": lambda: NBFeatures("nb"),
            "NB-weighted LogisticRegression on lurescan's features (NBSVM-style)": lambda: NBFeatures("nblr"),
        }.items():
            s, th, tr, tput = run_sklearn(make, feats, labels, folds)
            results.append((name, s, th, tr, tput))
    try:
        s, th, tr, tput = run_fasttext(texts, labels, folds)
        results.append(("fastText supervised (bigrams)", s, th, tr, tput))
    except FileNotFoundError:
        print("fasttext not installed; skipped", file=sys.stderr)
    print(f"{len(rows)} examples, {labels.sum()} positive, {len(set(folds))} group-aware folds (the folds of `lurescan cv`).\n")
    print("| model | ROC-AUC | PR-AUC | F1 (threshold from training folds) | precision at recall 0.9 | training s/fold | scoring docs/s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, s, th, tr, tput in results:
        f1s = np.mean([f1_at(s[folds == k], labels[folds == k], th[folds == k][0]) for k in sorted(set(folds))])
        pred = s >= th
        tp = np.sum(pred & (labels == 1)); fp = np.sum(pred & (labels == 0)); fn = np.sum(~pred & (labels == 1))
        f1_all = 0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)
        print(f"| {name} | {roc_auc_score(labels, s):.4f} | {average_precision_score(labels, s):.4f} | {f1_all:.4f} | "
              f"{precision_at_recall(s, labels):.4f} | {tr:.3f} | {tput:,.0f} |")


if __name__ == "__main__":
    main()
