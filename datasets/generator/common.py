"""Deterministic building blocks shared by every dataset generator: a seeded RNG, a tiny template grammar, typos,
and byte-stable CSV/text encoders.

Only ``random.Random.random()`` is used from the standard library RNG: Mersenne Twister seeded with an int gives the
same stream on every CPython 3 version, whereas ``choice``/``shuffle``/``gauss`` have changed their algorithms between
releases. Everything else (choice, Gaussian, Poisson, shuffle) is built on top here so the shipped bytes do not depend
on the interpreter version.
"""
import csv
import io
import math
import random
import re
import zlib

BASE_SEED = 42


class Rng:
    """A seeded random stream. Each artifact gets its own stream, keyed by name, so editing one generator does not
    change the bytes of any other file."""

    def __init__(self, *key):
        name = "/".join(str(part) for part in key)
        self._random = random.Random(BASE_SEED * 1_000_003 + zlib.crc32(name.encode("utf-8")))

    def random(self):
        return self._random.random()

    def below(self, n):
        return min(int(self.random() * n), n - 1)

    def randint(self, low, high):
        """Uniform integer in [low, high], both ends included."""
        return low + self.below(high - low + 1)

    def uniform(self, low, high):
        return low + (high - low) * self.random()

    def chance(self, p):
        return self.random() < p

    def choice(self, items):
        return items[self.below(len(items))]

    def weighted(self, items, weights):
        total = float(sum(weights))
        x = self.random() * total
        for item, weight in zip(items, weights):
            x -= weight
            if x < 0:
                return item
        return items[-1]

    def pick(self, table):
        """Choose a key of a {value: weight} dict."""
        keys = list(table)
        return self.weighted(keys, [table[k] for k in keys])

    def gauss(self, mu=0.0, sigma=1.0):
        # Box-Muller without caching the second value, so every call consumes exactly two uniforms.
        u1 = 1.0 - self.random()
        u2 = self.random()
        return mu + sigma * math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def lognormal(self, mu, sigma):
        return math.exp(self.gauss(mu, sigma))

    def poisson(self, lam):
        limit = math.exp(-lam)
        k, p = 0, self.random()
        while p > limit:
            k += 1
            p *= self.random()
        return k

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]
        return items

    def sample(self, items, k):
        pool = list(items)
        self.shuffle(pool)
        return pool[:k]


# ---------------------------------------------------------------------------------------------------------------------
# Template grammar: "[a|b|c]" picks one alternative (nested brackets allowed, "[x|]" makes x optional) and "{slot}"
# expands a slot from the given dict (a string, a list to choose from, or a callable taking the rng).

def expand(template, rng, slots=None, depth=0):
    if depth > 12:
        raise ValueError("template recursion too deep: " + template[:60])
    slots = slots or {}
    out = []
    i = 0
    n = len(template)
    while i < n:
        c = template[i]
        if c == "[":
            j, level, parts, start = i + 1, 1, [], i + 1
            while j < n:
                if template[j] == "[":
                    level += 1
                elif template[j] == "]":
                    level -= 1
                    if level == 0:
                        parts.append(template[start:j])
                        break
                elif template[j] == "|" and level == 1:
                    parts.append(template[start:j])
                    start = j + 1
                j += 1
            else:
                raise ValueError("unbalanced [ in template: " + template)
            out.append(expand(rng.choice(parts), rng, slots, depth + 1))
            i = j + 1
        elif c == "{":
            j = template.index("}", i)
            name = template[i + 1:j]
            value = slots[name]
            if callable(value):
                value = value(rng)
            elif isinstance(value, (list, tuple)):
                value = rng.choice(value)
            out.append(expand(str(value), rng, slots, depth + 1))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


_SPACES = re.compile(r"[ \t]+")
_SPACE_BEFORE_PUNCT = re.compile(r" +([,.;:!?)])")
_DOUBLE_PUNCT = re.compile(r"([.!?])[.]+")
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-z])")


def tidy(text, capitalize=True):
    """Collapse the whitespace and punctuation seams that optional template parts leave behind."""
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = text.replace(",,", ",").replace(" ,", ",").replace(",.", ".")
    text = _DOUBLE_PUNCT.sub(r"\1", text)
    if capitalize:
        text = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)
    return text


def say(template, rng, slots=None, capitalize=True):
    return tidy(expand(template, rng, slots), capitalize)


def a_an(word):
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


# ---------------------------------------------------------------------------------------------------------------------
# Noise: the kind of typing errors real messages have.

_NEIGHBOURS = {
    "a": "sqw", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj", "i": "uo", "j": "hk",
    "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o", "r": "et", "s": "ad", "t": "ry", "u": "yi",
    "v": "cb", "w": "qe", "y": "tu",
}


def typo_word(word, rng):
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randint(1, len(word) - 2)
    kind = rng.below(4)
    if kind == 0:  # swap two neighbours
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:  # drop a letter
        return word[:i] + word[i + 1:]
    if kind == 2:  # double a letter
        return word[:i] + word[i] + word[i:]
    near = _NEIGHBOURS.get(word[i].lower())  # hit the key next to it
    return word[:i] + (rng.choice(near) if near else word[i]) + word[i + 1:]


def add_typos(text, rng, rate):
    words = text.split(" ")
    return " ".join(typo_word(w, rng) if rng.chance(rate) else w for w in words)


def casual(text, rng):
    """Lower-case, drop the final full stop: how many people type into a chat box."""
    text = text.lower()
    if text.endswith(".") and rng.chance(0.6):
        text = text[:-1]
    return text


# ---------------------------------------------------------------------------------------------------------------------
# Encoders: fixed line endings, quoting and number formats so that output bytes are identical on every platform.

def csv_bytes(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode("utf-8")


def text_bytes(documents):
    """Documents separated by one blank line; a document never contains a blank line itself."""
    cleaned = []
    for doc in documents:
        lines = [line.rstrip() for line in doc.strip().split("\n") if line.strip()]
        cleaned.append("\n".join(lines))
    return ("\n\n".join(cleaned) + "\n").encode("utf-8")


def fmt(value, decimals):
    """A float with fixed decimals; None stays missing."""
    if value is None:
        return None
    return f"{value:.{decimals}f}"


def clamp(x, low, high):
    return max(low, min(high, x))


def logistic(z):
    return 1.0 / (1.0 + math.exp(-z))
