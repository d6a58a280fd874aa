#!/usr/bin/env python3
"""scikit-learn's BayesianGaussianMixture (as RDT's ClusterBasedNormalizer configures it) started from the same
responsibilities as workbench's Java port (k-means from the sample quantiles), so that the two can be compared number
for number: BayesianGaussianMixtureTest holds the figures this prints.

Reads one number per line on stdin; prints iterations, the kept components' weights and means (ascending by mean).
Needs numpy and scikit-learn (Debian: python3-sklearn).
"""
import sys

import numpy as np
from sklearn.mixture import BayesianGaussianMixture


def quantile_kmeans(x, k):
    s = np.sort(x)
    centers = np.array([s[min(len(s) - 1, int(np.floor((c + 0.5) * len(s) / k)))] for c in range(k)], dtype=float)
    labels = np.full(len(x), -1)
    for _ in range(50):
        new = np.argmin(np.abs(x[:, None] - centers[None, :]), axis=1)
        changed = (new != labels).any()
        labels = new
        for c in range(k):
            if (labels == c).any():
                centers[c] = x[labels == c].mean()
        if not changed:
            break
    resp = np.zeros((len(x), k))
    resp[np.arange(len(x)), labels] = 1
    return resp


def main():
    x = np.array([float(v) for v in sys.stdin.read().split()])
    k = min(10, len(x))
    bgm = BayesianGaussianMixture(n_components=k, weight_concentration_prior_type="dirichlet_process",
                                  weight_concentration_prior=0.001, max_iter=100, tol=1e-3)
    data = x.reshape(-1, 1)
    bgm._check_parameters(data)
    bgm._initialize(data, quantile_kmeans(x, k))
    lower_bound = -np.inf
    for iteration in range(1, bgm.max_iter + 1):
        previous = lower_bound
        log_prob_norm, log_resp = bgm._e_step(data)
        bgm._m_step(data, log_resp)
        lower_bound = bgm._compute_lower_bound(log_resp, log_prob_norm)
        if abs(lower_bound - previous) < bgm.tol:
            break
    bgm._set_parameters(bgm._get_parameters())  # computes weights_ from the stick-breaking posterior, as fit does
    kept = bgm.weights_ > 0.005
    order = np.argsort(bgm.means_.ravel()[kept])
    print("iterations", iteration)
    print("weights", repr(bgm.weights_[kept][order].tolist()))
    print("means", repr(bgm.means_.ravel()[kept][order].tolist()))


if __name__ == "__main__":
    main()
