#!/usr/bin/env python3
"""Reference CTGAN in PyTorch, to tell a defect of workbench's DJL port from the method's own limits.

Follows sdv-dev/CTGAN v0.12.1 (ctgan/synthesizers/ctgan.py, data_transformer.py, data_sampler.py) and RDT's
ClusterBasedNormalizer (scikit-learn's BayesianGaussianMixture, dirichlet_process prior 0.001, at most 10 modes, modes
below weight 0.005 dropped, mode sampled from the posterior, value (x - mu) / (4 sigma) clipped to 0.99). Differences,
all the DJL port's choices as well: unconditional sampling draws conditions from the empirical frequencies; missing
numbers are filled with the column mean (the library refuses them).

Needs numpy, pandas, scikit-learn and torch (Debian: python3-sklearn python3-pandas python3-torch).

Usage:
  ctgan_reference.py fit REAL.csv OUT.csv --discrete a,b,c [--steps N] [--batch B] [--width W] [--noise Z] [--seed S]
  ctgan_reference.py score REAL.csv SYN.csv --discrete a,b,c
"""
import argparse
import json
import warnings

import numpy as np
import pandas as pd
import torch
from sklearn.mixture import BayesianGaussianMixture
from torch.nn import functional

# the networks are the benchmark's (CTGAN v0.12.1's Residual, Generator and Discriminator)
from bench_synth import Discriminator, Generator


class Transformer:
    """Mode-specific normalisation for numbers, one-hot for categories; spans as (width, 'tanh'|'softmax')."""

    def __init__(self, frame, discrete, rng):
        self.columns = []
        for name in frame.columns:
            if name in discrete:
                values = sorted(frame[name].astype(str).unique())
                self.columns.append({"name": name, "kind": "discrete", "values": values})
            else:
                x = pd.to_numeric(frame[name], errors="coerce")
                fill = float(x.mean())
                x = x.fillna(fill).to_numpy().reshape(-1, 1)
                bgm = BayesianGaussianMixture(n_components=min(len(x), 10),
                                              weight_concentration_prior_type="dirichlet_process",
                                              weight_concentration_prior=0.001, n_init=1,
                                              random_state=int(rng.integers(1 << 30)))
                bgm.fit(x)
                valid = bgm.weights_ > 0.005
                self.columns.append({"name": name, "kind": "continuous", "bgm": bgm, "valid": valid, "fill": fill,
                                     "decimals": decimals(frame[name])})

    def spans(self):
        out = []
        for c in self.columns:
            if c["kind"] == "discrete":
                out.append([(len(c["values"]), "softmax")])
            else:
                out.append([(1, "tanh"), (int(c["valid"].sum()), "softmax")])
        return out

    def transform(self, frame, rng):
        parts, category_index = [], []
        for c in self.columns:
            if c["kind"] == "discrete":
                index = frame[c["name"]].astype(str).map({v: i for i, v in enumerate(c["values"])}).to_numpy()
                one_hot = np.zeros((len(frame), len(c["values"])))
                one_hot[np.arange(len(frame)), index] = 1
                parts.append(one_hot)
                category_index.append(index)
            else:
                x = pd.to_numeric(frame[c["name"]], errors="coerce").fillna(c["fill"]).to_numpy().reshape(-1, 1)
                bgm, valid = c["bgm"], c["valid"]
                means = bgm.means_.reshape(1, -1)
                stds = np.sqrt(bgm.covariances_).reshape(1, -1)
                normalized = ((x - means) / (4 * stds))[:, valid]
                probs = bgm.predict_proba(x)[:, valid] + 1e-6
                probs = probs / probs.sum(axis=1, keepdims=True)
                chosen = np.array([rng.choice(probs.shape[1], p=p) for p in probs])
                alpha = np.clip(normalized[np.arange(len(x)), chosen], -0.99, 0.99).reshape(-1, 1)
                one_hot = np.zeros_like(probs)
                one_hot[np.arange(len(x)), chosen] = 1
                parts += [alpha, one_hot]
        return np.concatenate(parts, axis=1).astype("float32"), category_index

    def inverse(self, data):
        out, st = {}, 0
        for c in self.columns:
            if c["kind"] == "discrete":
                width = len(c["values"])
                out[c["name"]] = [c["values"][i] for i in data[:, st:st + width].argmax(axis=1)]
                st += width
            else:
                valid = c["valid"]
                width = int(valid.sum())
                alpha = np.clip(data[:, st], -1, 1)
                chosen = data[:, st + 1:st + 1 + width].argmax(axis=1)
                means = c["bgm"].means_.reshape(-1)[valid]
                stds = np.sqrt(c["bgm"].covariances_).reshape(-1)[valid]
                out[c["name"]] = np.round(alpha * 4 * stds[chosen] + means[chosen], c["decimals"])
                st += 1 + width
        return pd.DataFrame(out)


def decimals(series):
    text = series.dropna().astype(str)
    return int(text.map(lambda s: len(s.split(".")[1]) if "." in s else 0).max()) if len(text) else 0


def activate(raw, spans):
    parts, st = [], 0
    for column in spans:
        for width, kind in column:
            chunk = raw[:, st:st + width]
            parts.append(torch.tanh(chunk) if kind == "tanh" else functional.gumbel_softmax(chunk, tau=0.2))
            st += width
    return torch.cat(parts, dim=1)


def fit_and_sample(args):
    rng = np.random.default_rng(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    frame = pd.read_csv(args.real, dtype=str, keep_default_na=False)
    discrete = set(filter(None, args.discrete.split(",")))
    transformer = Transformer(frame, discrete, rng)
    data, category_index = transformer.transform(frame, rng)
    spans = transformer.spans()
    # discrete columns: (data start, width, cond start)
    blocks, st, st_c = [], 0, 0
    for column in spans:
        if len(column) == 1 and column[0][1] == "softmax":
            blocks.append((st, column[0][0], st_c))
            st_c += column[0][0]
        st += sum(w for w, _ in column)
    cond_dim = st_c
    rows_by_category = [[np.flatnonzero(index == k) for k in range(w)]
                        for index, (_, w, _) in zip(category_index, blocks)]
    log_pmf = [np.log(np.bincount(index, minlength=w) + 1.0) for index, (_, w, _) in zip(category_index, blocks)]
    log_pmf = [p / p.sum() for p in log_pmf]
    emp_pmf = [np.bincount(index, minlength=w) / len(index) for index, (_, w, _) in zip(category_index, blocks)]

    def condvec(b, pmfs):
        c = np.zeros((b, cond_dim), dtype="float32")
        m = np.zeros((b, len(blocks)), dtype="float32")
        if not blocks:
            return torch.from_numpy(c), torch.from_numpy(m), None, None
        col = rng.integers(len(blocks), size=b)
        opt = np.array([rng.choice(len(pmfs[j]), p=pmfs[j]) for j in col])
        for r in range(b):
            c[r, blocks[col[r]][2] + opt[r]] = 1
            m[r, col[r]] = 1
        return torch.from_numpy(c), torch.from_numpy(m), col, opt

    b, pac = args.batch, 10
    width = data.shape[1]
    generator = Generator(args.noise + cond_dim, [args.width] * 2, width)
    critic = Discriminator(width + cond_dim, [args.width] * 2, pac)
    opt_g = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.9), weight_decay=1e-6)
    opt_d = torch.optim.Adam(critic.parameters(), lr=2e-4, betas=(0.5, 0.9), weight_decay=1e-6)
    for step in range(args.steps):
        c1, m1, col, opt = condvec(b, log_pmf)
        perm = rng.permutation(b)
        real_rows = ([rng.choice(rows_by_category[col[p]][opt[p]]) for p in perm] if blocks
                     else rng.integers(len(frame), size=b))
        real = torch.from_numpy(data[real_rows])
        fake = activate(generator(torch.cat([torch.randn(b, args.noise), c1], dim=1)), spans)
        fake_cat, real_cat = torch.cat([fake, c1], dim=1), torch.cat([real, c1[perm]], dim=1)
        loss_d = -(critic(real_cat).mean() - critic(fake_cat).mean())
        pen = critic.calc_gradient_penalty(real_cat, fake_cat)
        opt_d.zero_grad()
        pen.backward(retain_graph=True)
        loss_d.backward()
        opt_d.step()

        c1, m1, _, _ = condvec(b, log_pmf)
        raw = generator(torch.cat([torch.randn(b, args.noise), c1], dim=1))
        y_fake = critic(torch.cat([activate(raw, spans), c1], dim=1))
        ce = torch.zeros(b, 1) if not blocks else torch.stack([functional.cross_entropy(raw[:, s:s + w], c1[:, cs:cs + w].argmax(dim=1), reduction="none")
                          for s, w, cs in blocks], dim=1)
        loss_g = -y_fake.mean() + (ce * m1).sum() / b
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
        if (step + 1) % max(1, args.steps // 10) == 0:
            print(f"step {step + 1}: critic {loss_d.item():.4f} penalty {pen.item():.4f} generator {loss_g.item():.4f}")

    generator.eval()
    out = []
    with torch.no_grad():
        while sum(len(o) for o in out) < len(frame):
            c1, _, _, _ = condvec(b, emp_pmf)
            out.append(activate(generator(torch.cat([torch.randn(b, args.noise), c1], dim=1)), spans).numpy())
    transformer.inverse(np.concatenate(out)[:len(frame)]).to_csv(args.out, index=False)


def score(args):
    """Mean |rho_real - rho_syn| over numeric pairs and mean contingency similarity (10 equal-width bins) over the
    rest, both on the real table's columns; rows with a missing cell in a pair are left out of that pair."""
    real = pd.read_csv(args.real, dtype=str, keep_default_na=False)
    syn = pd.read_csv(args.out, dtype=str, keep_default_na=False)
    discrete = set(filter(None, args.discrete.split(",")))
    names = list(real.columns)
    numeric = [n for n in names if n not in discrete]

    def num(frame, n):
        return pd.to_numeric(frame[n], errors="coerce")

    def cat(frame, n):
        if n in discrete:
            return frame[n].astype(str)
        lo, hi = num(real, n).min(), num(real, n).max()
        return np.clip(np.floor((num(frame, n) - lo) / (hi - lo) * 10), 0, 9).astype(str)

    diffs, conts = [], []
    for i, a in enumerate(names):
        for bname in names[i + 1:]:
            if a in numeric and bname in numeric:
                diffs.append(abs(num(real, a).corr(num(real, bname)) - num(syn, a).corr(num(syn, bname))))
            else:
                r = pd.crosstab(cat(real, a), cat(real, bname), normalize=True).stack()
                s = pd.crosstab(cat(syn, a), cat(syn, bname), normalize=True).stack()
                r, s = r.align(s, fill_value=0)
                conts.append(1 - 0.5 * (r - s).abs().sum())
    print(json.dumps({"mean_abs_correlation_diff": float(np.nanmean(diffs)),
                      "contingency_similarity": float(np.mean(conts)) if conts else None}))


def main():
    warnings.filterwarnings("ignore", category=UserWarning)
    warnings.filterwarnings("ignore", module="sklearn")
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["fit", "score"])
    parser.add_argument("real")
    parser.add_argument("out")
    parser.add_argument("--discrete", default="")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--width", type=int, default=128)
    parser.add_argument("--noise", type=int, default=64)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    fit_and_sample(args) if args.mode == "fit" else score(args)


if __name__ == "__main__":
    main()
