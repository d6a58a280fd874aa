"""Labelled short messages (text,label) from a domain specification.

A specification gives, per class, a relative frequency, its *concepts* (each a list of paraphrases that say the same
thing) and the *shared* concepts it tends to co-occur with (symptoms, account words or study words that several classes
use), plus the classes it is easily confused with. A message is a template filled with one or two concepts of its own
class, often a shared concept, sometimes a concept of a confusable class; then casual typing and typos. A small share of
messages is deliberately ambiguous: they mention a neighbouring class as strongly as their own. That keeps a
bag-of-words classifier well above chance but clearly below 1.0, which is what a fine-tuning demo needs.
"""
from .common import Rng, add_typos, casual, say, tidy


def class_counts(classes, total):
    """Exact per-class row counts proportional to the weights (largest remainder), so sizes are stable."""
    weights = {label: spec["weight"] for label, spec in classes.items()}
    norm = sum(weights.values())
    raw = {label: total * w / norm for label, w in weights.items()}
    counts = {label: int(v) for label, v in raw.items()}
    leftover = total - sum(counts.values())
    for label in sorted(raw, key=lambda l: (-(raw[l] - counts[l]), l))[:leftover]:
        counts[label] += 1
    return counts


def generate(spec, name, total, labels=None, noise=None):
    """Rows [text, label]; ``labels`` restricts the classes (the quickstart slice), ``noise`` overrides noise rates."""
    rng = Rng(name, "labelled")
    spec = dict(spec, noise=dict(spec["noise"], **(noise or {})))
    classes = {k: v for k, v in spec["classes"].items() if labels is None or k in labels}
    counts = class_counts(classes, total)
    order = [label for label in classes for _ in range(counts[label])]
    rng.shuffle(order)
    seen = set()
    rows = []
    for label in order:
        for _attempt in range(50):
            text = message(spec, classes, label, rng)
            key = text.lower()
            if key not in seen:
                seen.add(key)
                break
        rows.append([text, label])
    return rows


def message(spec, classes, label, rng):
    own = classes[label]
    concepts = own["concepts"]
    confusable = [c for c in own.get("confusable", []) if c in classes]
    shared = spec["shared"]
    noise = spec["noise"]

    first = rng.choice(rng.choice(concepts))
    roll = rng.random()
    if roll < noise["two_own"]:
        second = rng.choice(rng.choice(concepts))
    elif roll < noise["two_own"] + noise["with_shared"] and own.get("shared"):
        second = rng.choice(shared[rng.choice(own["shared"])])
    elif roll < noise["two_own"] + noise["with_shared"] + noise["with_confusable"] and confusable:
        other = classes[rng.choice(confusable)]
        second = rng.choice(rng.choice(other["concepts"]))
    else:
        second = None
    if second == first:
        second = None
    cue = None
    if rng.chance(noise["vague"]) and own.get("shared"):
        # Generic-only messages: the class shows only through shared concepts and a context sentence.
        first = rng.choice(shared[rng.choice(own["shared"])])
        second = rng.choice(shared[rng.choice(own["shared"])]) if rng.chance(0.5) else None
        cue = rng.choice(own["cues"])
    elif rng.chance(noise["cue"]):
        source = classes[rng.choice(confusable)] if confusable and rng.chance(0.3) else own
        cue = rng.choice(source["cues"])
    if second == first:
        second = None
    if second is not None and rng.chance(0.5):
        first, second = second, first

    slots = dict(spec["slots"])
    slots["main"] = first
    if second is None:
        template = rng.choice(spec["templates_one"])
    else:
        slots["second"] = second
        template = rng.choice(spec["templates_two"])
    text = say(template, rng, slots)
    if cue is not None:
        shape = rng.below(3)
        text = tidy(text + " " + cue + "." if shape == 0 else cue + ". " + text if shape == 1
                    else text + " (" + cue + ")")
    if rng.chance(noise["casual"]):
        text = casual(text, rng)
    if rng.chance(noise["typo_messages"]):
        text = add_typos(text, rng, noise["typo_rate"])
    return text
