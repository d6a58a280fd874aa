#!/usr/bin/env python3
"""Golden values of MultiRunComparisonExtrasTest.macroF1PairedBootstrapMatchesAnIndependentComputation.

Python 3 standard library only. Re-implements, independently of the Java code: java.util.SplittableRandom
(seed 42: nextInt(bound) = RandomSupport.boundedNextInt over mix32(seed += GOLDEN_GAMMA)), scikit-learn's macro-F1
(labels = sorted union of gold and predicted, F1 = 0 where precision + recall = 0), the percentile interval with
numpy's default (type 7) quantile, and the two-sided bootstrap p-value (1 + #{|d* - d| >= |d|}) / (1 + B).
Run: python3 macro_f1_bootstrap_golden.py
"""
M64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15


class SplittableRandom:
    def __init__(self, seed):
        self.seed = seed & M64

    def next_seed(self):
        self.seed = (self.seed + GOLDEN_GAMMA) & M64
        return self.seed

    @staticmethod
    def mix32(z):
        z = ((z ^ (z >> 33)) * 0x62A9D9ED799705F5) & M64
        r = (((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & M64) >> 32
        return r - (1 << 32) if r >= (1 << 31) else r  # Java int

    def next_int(self, bound):
        def to_int(v):
            v &= 0xFFFFFFFF
            return v - (1 << 32) if v >= (1 << 31) else v
        r = self.mix32(self.next_seed())
        m = bound - 1
        if bound & m == 0:
            return r & m
        u = (r & 0xFFFFFFFF) >> 1
        while True:
            r = u % bound
            if to_int(u + m - r) >= 0:
                return r
            u = (self.mix32(self.next_seed()) & 0xFFFFFFFF) >> 1


def macro_f1(gold, pred):
    labels = sorted(set(gold) | set(pred))
    total = 0.0
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == lab and p == lab)
        npred = sum(1 for p in pred if p == lab)
        nsupp = sum(1 for g in gold if g == lab)
        prec = 0.0 if npred == 0 else tp / npred
        rec = 0.0 if nsupp == 0 else tp / nsupp
        total += 0.0 if prec + rec == 0 else 2 * prec * rec / (prec + rec)
    return total / len(labels)


def quantile(s, q):
    pos = q * (len(s) - 1)
    lo = int(pos // 1)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (pos - lo) * (s[hi] - s[lo])


# items in id order e0..e9 (the Java fixture lists the other run's samples in reverse order)
gold = list("aaabbbcccc")
first = list("abababcacb")
other = list("aaabbccbcc")
n, B = len(gold), 2000
diff = lambda idx: macro_f1([gold[i] for i in idx], [other[i] for i in idx]) - \
    macro_f1([gold[i] for i in idx], [first[i] for i in idx])
rng = SplittableRandom(42)
reps = []
for _ in range(B):
    idx = [rng.next_int(n) for _ in range(n)]
    reps.append(diff(idx))
obs = diff(list(range(n)))
s = sorted(reps)
p = (1 + sum(1 for r in reps if abs(r - obs) >= abs(obs))) / (1 + B)
print(repr(obs), repr(quantile(s, 0.025)), repr(quantile(s, 0.975)), repr(p))
