#!/usr/bin/env python3
"""PyTorch + PEFT reference for `workbench bench llama`: the same folder, LoRA settings, step and threads.

Usage (after `bin/workbench bench llama --write DIR`, in a process of its own so the high-water mark is this run's):
  OMP_NUM_THREADS=N /work/venv/bin/python scripts/bench_llama_peft.py DIR [--seq 512] [--batch 1] [--steps 3]
      [--rank 8] [--threads N]

What it measures, as the workbench does: load time of AutoModelForCausalLM.from_pretrained(DIR, dtype=float32)
(the BF16 file widened to FP32), the resident set after loading and its high-water mark, then LoRA (PEFT, rank r,
alpha 2r, no dropout, on q/k/v/o/gate/up/down) training steps on random tokens: forward, mean cross-entropy of the
next token, backward, AdamW on the adapters, gradients zeroed; one warm-up step, then --steps measured. Eager
attention (the workbench computes attention the same way); no gradient checkpointing.
"""
import argparse
import resource
import time

import peft
import torch
import transformers
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM


def rss_mib(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--seq", type=int, default=512)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: leave as is)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    start = time.perf_counter()
    model = AutoModelForCausalLM.from_pretrained(args.folder, dtype=torch.float32, attn_implementation="eager")
    load = time.perf_counter() - start
    after_load, peak_after_load = rss_mib("VmRSS"), rss_mib("VmHWM")
    parameters = sum(p.numel() for p in model.parameters())
    config = LoraConfig(r=args.rank, lora_alpha=2 * args.rank, lora_dropout=0.0, task_type="CAUSAL_LM",
                        target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    model = get_peft_model(model, config)
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=1e-3, weight_decay=0.0)
    vocab = model.config.vocab_size
    wall, cpu, losses = 0.0, 0.0, []
    for step in range(-1, args.steps):
        ids = torch.randint(vocab, (args.batch, args.seq + 1))
        t0, c0 = time.perf_counter(), cpu_seconds()
        logits = model(ids[:, :-1]).logits
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, vocab).float(), ids[:, 1:].reshape(-1))
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if step >= 0:
            wall += time.perf_counter() - t0
            cpu += cpu_seconds() - c0
            losses.append(loss.item())
    step_ms = wall / args.steps * 1000
    print(f"pytorch+peft {args.folder}: {parameters:,} parameters, LoRA rank {args.rank} on 7 projections: "
          f"{sum(p.numel() for p in trainable):,} trainable; batch {args.batch} x {args.seq} tokens, "
          f"{args.steps} steps, threads {torch.get_num_threads()} (torch {torch.__version__}, transformers "
          f"{transformers.__version__}, peft {peft.__version__})")
    print(f"  load {load:.1f} s; RSS after load {after_load:.0f} MiB (high-water mark {peak_after_load:.0f} MiB)")
    print(f"  LoRA step (forward, backward, AdamW) {step_ms:.0f} ms wall, {cpu / args.steps * 1000:.0f} ms CPU: "
          f"{args.batch * args.seq / (wall / args.steps):.0f} tokens/s; loss {losses[0]:.3f} -> {losses[-1]:.3f}")
    print(f"  peak RSS {rss_mib('VmHWM'):.0f} MiB")


if __name__ == "__main__":
    main()
