#!/usr/bin/env python3
"""Reference TVAE in PyTorch, to tell a defect of workbench's DJL port (TvaeSynthesizer) from the method's own limits.

Follows sdv-dev/CTGAN v0.12.1 ctgan/synthesizers/tvae.py: encoder Linear-ReLU x2 with mu / logvar heads, decoder
Linear-ReLU x2 + Linear and a learnable sigma (0.1, clamped to [0.01, 1] after each step), the library's loss
(Gaussian NLL of the alphas under tanh with scale sigma + summed cross-entropy of the one-hot spans, x factor 2 / batch,
+ KLD / batch), Adam 1e-3 with weight decay 1e-5, shuffled batches without drop_last; sampling adds N(0, sigma) noise to
the alphas. The data transform and the score are scripts/ctgan_reference.py's (the same mode-specific normalisation as
the port). The budget is counted in optimiser steps, like the port's synthesize.steps.

Needs numpy, pandas, scikit-learn and torch (Debian: python3-sklearn python3-pandas python3-torch).

Usage:
  tvae_reference.py fit REAL.csv OUT.csv --discrete a,b,c [--steps N] [--batch B] [--seed S]
  tvae_reference.py score REAL.csv SYN.csv --discrete a,b,c
"""
import argparse
import time
import warnings

import numpy as np
import pandas as pd
import torch
from torch import nn
from torch.nn import functional

from ctgan_reference import Transformer, score


class Encoder(nn.Module):
    def __init__(self, data_dim, dims, embedding):
        super().__init__()
        layers, dim = [], data_dim
        for width in dims:
            layers += [nn.Linear(dim, width), nn.ReLU()]
            dim = width
        self.seq = nn.Sequential(*layers)
        self.fc1 = nn.Linear(dim, embedding)
        self.fc2 = nn.Linear(dim, embedding)

    def forward(self, x):
        h = self.seq(x)
        mu, logvar = self.fc1(h), self.fc2(h)
        return mu, torch.exp(0.5 * logvar), logvar


class Decoder(nn.Module):
    def __init__(self, embedding, dims, data_dim):
        super().__init__()
        layers, dim = [], embedding
        for width in dims:
            layers += [nn.Linear(dim, width), nn.ReLU()]
            dim = width
        layers.append(nn.Linear(dim, data_dim))
        self.seq = nn.Sequential(*layers)
        self.sigma = nn.Parameter(torch.ones(data_dim) * 0.1)

    def forward(self, z):
        return self.seq(z), self.sigma


def loss_function(recon, x, sigmas, mu, logvar, spans, factor):
    """The library's _loss_function: (reconstruction x factor / batch, KLD / batch)."""
    st, parts = 0, []
    for column in spans:
        for width, kind in column:
            if kind == "tanh":
                std = sigmas[st]
                eq = x[:, st] - torch.tanh(recon[:, st])
                parts.append((eq ** 2 / 2 / (std ** 2)).sum())
                parts.append(torch.log(std) * x.size()[0])
            else:
                parts.append(functional.cross_entropy(recon[:, st:st + width],
                                                      torch.argmax(x[:, st:st + width], dim=-1), reduction="sum"))
            st += width
    kld = -0.5 * torch.sum(1 + logvar - mu ** 2 - logvar.exp())
    return sum(parts) * factor / x.size()[0], kld / x.size()[0]


def fit_and_sample(args):
    rng = np.random.default_rng(args.seed)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(1)
    frame = pd.read_csv(args.real, dtype=str, keep_default_na=False)
    discrete = set(filter(None, args.discrete.split(",")))
    transformer = Transformer(frame, discrete, rng)
    data, _ = transformer.transform(frame, rng)
    spans = transformer.spans()
    width = data.shape[1]
    encoder = Encoder(width, (128, 128), 128)
    decoder = Decoder(128, (128, 128), width)
    optimizer = torch.optim.Adam(list(encoder.parameters()) + list(decoder.parameters()), weight_decay=1e-5)
    tensor = torch.from_numpy(data)
    batch = min(args.batch, len(data))
    start, step = time.time(), 0
    while step < args.steps:
        order = torch.randperm(len(data))
        for first in range(0, len(data), batch):
            if step >= args.steps:
                break
            real = tensor[order[first:first + batch]]
            optimizer.zero_grad()
            mu, std, logvar = encoder(real)
            emb = torch.randn_like(std) * std + mu
            rec, sigmas = decoder(emb)
            loss_1, loss_2 = loss_function(rec, real, sigmas, mu, logvar, spans, 2)
            (loss_1 + loss_2).backward()
            optimizer.step()
            decoder.sigma.data.clamp_(0.01, 1.0)
            step += 1
            if step % max(1, args.steps // 10) == 0:
                print(f"step {step}: reconstruction {loss_1.item():.4f} kld {loss_2.item():.4f}")
    print(f"fit {time.time() - start:.1f} s")
    decoder.eval()
    with torch.no_grad():
        fake, sigmas = decoder(torch.randn(len(frame), 128))
        fake = torch.tanh(fake).numpy()
        sigmas = sigmas.numpy()
    # the library's inverse_transform(data, sigmas): N(alpha, sigma) on every alpha before decoding
    st = 0
    for column in spans:
        for w, kind in column:
            if kind == "tanh":
                fake[:, st] = rng.normal(fake[:, st], sigmas[st])
            st += w
    transformer.inverse(fake).to_csv(args.out, index=False)


def main():
    warnings.filterwarnings("ignore", category=UserWarning)
    warnings.filterwarnings("ignore", module="sklearn")
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["fit", "score"])
    parser.add_argument("real")
    parser.add_argument("out")
    parser.add_argument("--discrete", default="")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    fit_and_sample(args) if args.mode == "fit" else score(args)


if __name__ == "__main__":
    main()
