#!/usr/bin/env python3
"""PyTorch reference for `workbench bench train`: the same GPT and the same training step as the workbench.

Model (as dev.workbench.model.GptModel): token + learned position embeddings, pre-LayerNorm decoder blocks with causal
multi-head attention (q, k, v, o projections with bias) and a 4x GELU MLP, final LayerNorm, output projection tied to
the token embedding; dropout 0. Step (as dev.workbench.finetune.TrainingLoop): forward, summed token cross-entropy
divided by the token count, backward, global-norm clipping to 1.0, AdamW (lr 1e-4, betas 0.9/0.999, eps 1e-8, weight
decay 0.1 on 2-D weights only), zero grads. Random tokens. Prints one JSON line with tokens/s.

With --sdpa the attention is F.scaled_dot_product_attention(is_causal=True), what a PyTorch user gets by default
(fused kernels), instead of the explicit softmax(QK^T)V the workbench computes. --device cuda (or cuda:N) runs on a GPU,
timed with torch.cuda.synchronize().

Usage: python3 scripts/bench_train.py --layers 2 --heads 4 --dim 128 --context 128 --vocab 1024 --batch 8
"""
import argparse
import json
import math
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:  # the Java side reports the reference as unavailable
    print(f"torch not importable: {e}", file=sys.stderr)
    sys.exit(3)


class Block(nn.Module):
    def __init__(self, d, heads, sdpa):
        super().__init__()
        self.heads = heads
        self.sdpa = sdpa
        self.norm1 = nn.LayerNorm(d)
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.norm2 = nn.LayerNorm(d)
        self.up = nn.Linear(d, 4 * d)
        self.down = nn.Linear(4 * d, d)

    def forward(self, x):
        b, t, d = x.shape
        h = self.norm1(x)
        q, k, v = (p(h).view(b, t, self.heads, d // self.heads).transpose(1, 2) for p in (self.q, self.k, self.v))
        if self.sdpa:
            mixed = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.heads)
            mask = torch.triu(torch.ones(t, t, dtype=torch.bool, device=x.device), diagonal=1)
            mixed = scores.masked_fill(mask, -1e9).softmax(-1) @ v
        x = x + self.o(mixed.transpose(1, 2).reshape(b, t, d))
        return x + self.down(F.gelu(self.up(self.norm2(x))))


class Gpt(nn.Module):
    def __init__(self, vocab, context, layers, heads, d, sdpa):
        super().__init__()
        self.token = nn.Embedding(vocab, d)
        self.position = nn.Embedding(context, d)
        self.blocks = nn.ModuleList(Block(d, heads, sdpa) for _ in range(layers))
        self.norm = nn.LayerNorm(d)
        for p in self.parameters():
            if p.dim() >= 2:
                nn.init.normal_(p, std=0.02)

    def forward(self, ids):
        x = self.token(ids) + self.position(torch.arange(ids.shape[1], device=ids.device))
        for block in self.blocks:
            x = block(x)
        return self.norm(x) @ self.token.weight.T


def main():
    a = argparse.ArgumentParser()
    for name, default in [("layers", 2), ("heads", 4), ("dim", 128), ("context", 128), ("vocab", 1024),
                          ("batch", 8), ("steps", 10), ("warmup", 3), ("threads", 0)]:
        a.add_argument("--" + name, type=int, default=default)
    a.add_argument("--device", default="cpu")
    a.add_argument("--sdpa", action="store_true")
    args = a.parse_args()
    device = torch.device(args.device)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = Gpt(args.vocab, args.context, args.layers, args.heads, args.dim, args.sdpa).to(device)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    other = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}],
                                  lr=1e-4, betas=(0.9, 0.999), eps=1e-8)
    data = torch.randint(0, args.vocab - 1, (args.steps + args.warmup, args.batch, args.context + 1),
                         device=device)

    def step(i):
        window = data[i]
        logits = model(window[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, args.vocab), window[:, 1:].reshape(-1), reduction="sum")
        (loss / window[:, 1:].numel()).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=False)
        return loss.item()

    for i in range(args.warmup):
        step(i)
    sync()
    started = time.perf_counter()
    for i in range(args.warmup, args.warmup + args.steps):
        step(i)
    sync()
    seconds = time.perf_counter() - started
    tokens = args.steps * args.batch * args.context
    print(json.dumps({"tokens_per_s": tokens / seconds, "ms_per_step": seconds / args.steps * 1000,
                      "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "device": str(device), "attention": "sdpa" if args.sdpa else "explicit"}))


if __name__ == "__main__":
    main()
