#!/usr/bin/env python3
"""PyTorch reference for `workbench bench synth`: the CTGAN training step and sampling, as in sdv-dev/CTGAN v0.12.1
(ctgan/synthesizers/ctgan.py: Residual/Generator/Discriminator, calc_gradient_penalty with create_graph=True,
_apply_activate with gumbel_softmax(tau=0.2), _cond_loss, Adam(lr 2e-4, betas (0.5, 0.9), weight_decay 1e-6)) and
its DataSampler (per-row np.random.choice of a matching real row).

The Java side writes a JSON spec (encoded layout of the benchmark table, batch, pac, widths, steps, threads); this
script builds random encoded rows with that layout (the cost of a step does not depend on the values), times
`steps` training steps after `warmup` and the generation of `sample_rows` rows (network + argmax decode to arrays;
no string formatting), and prints one JSON line.

With `"method": "tvae"` in the spec it times TVAE instead: the Encoder, Decoder and loss_function of
scripts/tvae_reference.py (sdv-dev/CTGAN v0.12.1 tvae.py), Adam(lr 1e-3, weight_decay 1e-5) over both networks and
the sigma clamp after each step, on shuffled batches of the same random rows; sampling is the decoder on N(0, I),
tanh, N(0, sigma) noise on the alphas and the same argmax decode, batch by batch.

Usage: python3 scripts/bench_synth.py SPEC.json
"""
import json
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional


class Residual(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.fc = nn.Linear(i, o)
        self.bn = nn.BatchNorm1d(o)
        self.relu = nn.ReLU()

    def forward(self, x):
        return torch.cat([self.relu(self.bn(self.fc(x))), x], dim=1)


class Generator(nn.Module):
    def __init__(self, embedding_dim, generator_dim, data_dim):
        super().__init__()
        dim = embedding_dim
        seq = []
        for item in generator_dim:
            seq.append(Residual(dim, item))
            dim += item
        seq.append(nn.Linear(dim, data_dim))
        self.seq = nn.Sequential(*seq)

    def forward(self, x):
        return self.seq(x)


class Discriminator(nn.Module):
    def __init__(self, input_dim, discriminator_dim, pac):
        super().__init__()
        dim = input_dim * pac
        self.pac = pac
        self.pacdim = dim
        seq = []
        for item in discriminator_dim:
            seq += [nn.Linear(dim, item), nn.LeakyReLU(0.2), nn.Dropout(0.5)]
            dim = item
        seq += [nn.Linear(dim, 1)]
        self.seq = nn.Sequential(*seq)

    def calc_gradient_penalty(self, real, fake, lambda_=10):
        alpha = torch.rand(real.size(0) // self.pac, 1, 1)
        alpha = alpha.repeat(1, self.pac, real.size(1)).view(-1, real.size(1))
        interpolates = alpha * real + ((1 - alpha) * fake)
        out = self(interpolates)
        gradients = torch.autograd.grad(outputs=out, inputs=interpolates, grad_outputs=torch.ones(out.size()),
                                        create_graph=True, retain_graph=True, only_inputs=True)[0]
        norm = gradients.view(-1, self.pac * real.size(1)).norm(2, dim=1) - 1
        return (norm ** 2).mean() * lambda_

    def forward(self, x):
        return self.seq(x.view(-1, self.pacdim))


def random_rows(spec, rng):
    """Encoded rows with the spec's layout: a uniform alpha per tanh span, a random one-hot per softmax span."""
    rows = spec["rows"]
    data = np.zeros((rows, spec["width"]), dtype=np.float32)
    for start, w, act in spec["spans"]:
        if act == "tanh":
            data[:, start] = rng.uniform(-0.99, 0.99, rows)
        else:
            data[np.arange(rows), start + rng.integers(0, w, rows)] = 1
    return data


def decode_arrays(values, spans):
    """Argmax of each one-hot span, the alpha of each tanh span: the array-level decode both branches stop at."""
    return np.stack([np.argmax(values[:, s:s + w], axis=1) if a == "softmax" else values[:, s]
                     for s, w, a in spans], axis=1)


def tvae_bench(spec, data, rng):
    """(step, sample) for TVAE, built from scripts/tvae_reference.py's modules and loss."""
    from tvae_reference import Decoder, Encoder, loss_function

    spans, batch, rows = spec["spans"], spec["batch"], spec["rows"]
    embedding = spec["embedding_dim"]
    encoder = Encoder(spec["width"], spec["compress_dims"], embedding)
    decoder = Decoder(embedding, spec["decompress_dims"], spec["width"])
    optimizer = torch.optim.Adam(list(encoder.parameters()) + list(decoder.parameters()), weight_decay=1e-5)
    column_spans = [[(w, act)] for _, w, act in spans]  # loss_function walks (width, kind) per column
    tensor = torch.from_numpy(data)
    position = {"order": torch.randperm(rows), "first": 0}

    def step():
        # the library's DataLoader(shuffle=True, drop_last=False): a fresh permutation per epoch
        if position["first"] >= rows:
            position["order"], position["first"] = torch.randperm(rows), 0
        real = tensor[position["order"][position["first"]:position["first"] + batch]]
        position["first"] += batch
        optimizer.zero_grad()
        mu, std, logvar = encoder(real)
        emb = torch.randn_like(std) * std + mu
        rec, sigmas = decoder(emb)
        loss_1, loss_2 = loss_function(rec, real, sigmas, mu, logvar, column_spans, 2)
        (loss_1 + loss_2).backward()
        optimizer.step()
        decoder.sigma.data.clamp_(0.01, 1.0)

    alphas = [s for s, _, a in spans if a == "tanh"]

    def sample(n):
        out = []
        with torch.no_grad():
            for _ in range((n + batch - 1) // batch):
                fake, sigmas = decoder(torch.randn(batch, embedding))
                fake = torch.tanh(fake).numpy()
                sigmas = sigmas.numpy()
                fake[:, alphas] = rng.normal(fake[:, alphas], sigmas[alphas])
                out.append(decode_arrays(fake, spans))
        return np.concatenate(out)[:n]

    return step, sample


def ctgan_bench(spec, data, rng):
    """(step, sample) for CTGAN: the modules above, the library's training step and DataSampler."""
    spans = spec["spans"]  # [start, width, "tanh"|"softmax"]
    discrete = spec["discrete"]  # [data_start, categories, cond_start]
    width, cond_width, rows = spec["width"], spec["cond_width"], spec["rows"]
    batch, pac, noise = spec["batch"], spec["pac"], spec["noise_dim"]
    rid_by_cat = []
    cat_prob = []
    for start, cats, _ in discrete:
        labels = np.argmax(data[:, start:start + cats], axis=1)
        rid_by_cat.append([np.nonzero(labels == c)[0] for c in range(cats)])
        freq = np.log(np.bincount(labels, minlength=cats) + 1.0)
        cat_prob.append(freq / freq.sum())

    def sample_condvec(n):
        if not discrete:
            return None, None, None, None
        col = rng.integers(0, len(discrete), n)
        opt = np.array([rng.choice(len(cat_prob[c]), p=cat_prob[c]) for c in col])
        cond = np.zeros((n, cond_width), dtype=np.float32)
        mask = np.zeros((n, len(discrete)), dtype=np.float32)
        cond[np.arange(n), [discrete[c][2] for c in col] + opt] = 1
        mask[np.arange(n), col] = 1
        return cond, mask, col, opt

    def sample_data(n, col, opt):
        if col is None:
            return data[rng.integers(0, rows, n)]
        idx = [rng.choice(rid_by_cat[c][o]) if len(rid_by_cat[c][o]) else rng.integers(0, rows)
               for c, o in zip(col, opt)]
        return data[idx]

    def apply_activate(raw):
        parts = []
        for start, w, act in spans:
            if act == "tanh":
                parts.append(torch.tanh(raw[:, start:start + w]))
            else:
                parts.append(functional.gumbel_softmax(raw[:, start:start + w], tau=0.2))
        return torch.cat(parts, dim=1)

    def cond_loss(raw, c, m):
        loss = []
        for i, (start, cats, cstart) in enumerate(discrete):
            tmp = functional.cross_entropy(raw[:, start:start + cats],
                                           torch.argmax(c[:, cstart:cstart + cats], dim=1), reduction="none")
            loss.append(tmp)
        loss = torch.stack(loss, dim=1)
        return (loss * m).sum() / raw.size()[0]

    generator = Generator(noise + cond_width, spec["generator_dims"], width)
    critic = Discriminator(width + cond_width, spec["critic_dims"], pac)
    opt_g = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.9), weight_decay=1e-6)
    opt_d = torch.optim.Adam(critic.parameters(), lr=2e-4, betas=(0.5, 0.9), weight_decay=1e-6)
    mean = torch.zeros(batch, noise)
    std = mean + 1

    def step():
        fakez = torch.normal(mean=mean, std=std)
        c1, m1, col, opt = sample_condvec(batch)
        if c1 is None:
            real = sample_data(batch, None, None)
        else:
            c1 = torch.from_numpy(c1)
            fakez = torch.cat([fakez, c1], dim=1)
            perm = np.arange(batch)
            rng.shuffle(perm)
            real = sample_data(batch, col[perm], opt[perm])
            c2 = c1[perm]
        fake = generator(fakez)
        fakeact = apply_activate(fake)
        real = torch.from_numpy(real.astype("float32"))
        if c1 is not None:
            fake_cat = torch.cat([fakeact, c1], dim=1)
            real_cat = torch.cat([real, c2], dim=1)
        else:
            real_cat, fake_cat = real, fakeact
        y_fake = critic(fake_cat)
        y_real = critic(real_cat)
        pen = critic.calc_gradient_penalty(real_cat, fake_cat)
        loss_d = -(torch.mean(y_real) - torch.mean(y_fake))
        opt_d.zero_grad(set_to_none=False)
        pen.backward(retain_graph=True)
        loss_d.backward()
        opt_d.step()

        fakez = torch.normal(mean=mean, std=std)
        c1, m1, col, opt = sample_condvec(batch)
        if c1 is not None:
            c1 = torch.from_numpy(c1)
            m1 = torch.from_numpy(m1)
            fakez = torch.cat([fakez, c1], dim=1)
        fake = generator(fakez)
        fakeact = apply_activate(fake)
        y_fake = critic(torch.cat([fakeact, c1], dim=1) if c1 is not None else fakeact)
        cross_entropy = 0 if c1 is None else cond_loss(fake, c1, m1)
        loss_g = -torch.mean(y_fake) + cross_entropy
        opt_g.zero_grad(set_to_none=False)
        loss_g.backward()
        opt_g.step()

    def sample(n):
        out = []
        with torch.no_grad():
            for _ in range((n + batch - 1) // batch):
                fakez = torch.normal(mean=mean, std=std)
                c1, _, _, _ = sample_condvec(batch)
                if c1 is not None:
                    fakez = torch.cat([fakez, torch.from_numpy(c1)], dim=1)
                fakeact = apply_activate(generator(fakez)).numpy()
                out.append(decode_arrays(fakeact, spans))
        return np.concatenate(out)[:n]

    return step, sample


def main():
    spec = json.load(open(sys.argv[1]))
    torch.set_num_threads(spec["threads"])
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    data = random_rows(spec, rng)
    bench = tvae_bench if spec.get("method", "ctgan") == "tvae" else ctgan_bench
    step, sample = bench(spec, data, rng)
    batch = spec["batch"]

    for _ in range(spec["warmup"]):
        step()
    start = time.perf_counter()
    for _ in range(spec["steps"]):
        step()
    train_seconds = time.perf_counter() - start

    sample(batch)
    start = time.perf_counter()
    sample(spec["sample_rows"])
    sample_seconds = time.perf_counter() - start
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "steps": spec["steps"],
        "train_seconds": train_seconds,
        "steps_per_s": spec["steps"] / train_seconds,
        "sample_rows": spec["sample_rows"],
        "sample_seconds": sample_seconds,
        "sample_rows_per_s": spec["sample_rows"] / sample_seconds,
    }))


if __name__ == "__main__":
    main()
