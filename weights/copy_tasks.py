#!/usr/bin/env python3
"""Writes the copying curriculum for the default entropy model (configs/default-copy.yaml).

Usage: python3 weights/copy_tasks.py <work dir>      (after weights/prepare_mix.py <work dir>)

A model trained on the corpus alone does not use its context: a string written twice costs it as much the second
time as the first. Copying from context (an "induction head": find where the current bytes occurred before, predict
what followed them) forms only after a long plateau on ordinary text, but quickly on tasks where nothing else can be
predicted. So the curriculum teaches it in steps, each a file in <work dir>, then brings the corpus back:

  copy-short.jsonl  random strings of 5-30 printable characters written twice with '|' between: copying at a
                    fixed distance after a marker, learnt first
  copy-gap.jsonl    random strings of 5-100 characters repeated after a gap of random length and content, so that
                    only the content, not a marker or a distance, says where the copy starts
  copy-long.jsonl   the same with strings of 5-450 characters: distances up to the 512-byte window
  copy-mix.jsonl    16 MiB: train.jsonl's documents drawn at random, with such repeats, repeated spans of real
                    text and JSON-like records (keys that recur, values that change) making 30 % of the bytes
  copy-settle.jsonl the same with other documents and 10 % repeats, for the last, lower learning-rate step

Every file is a fixed pseudo-random function of its seed and train.jsonl, so two runs write the same bytes.
"""
import json
import math
import os
import random
import string
import sys

PRINTABLE = "".join(chr(c) for c in range(33, 127))
ALPHABETS = [(PRINTABLE, 0.5), (string.ascii_letters + string.digits, 0.25), (string.ascii_lowercase, 0.25)]
SEPARATORS = ["|", ": ", "\n", " ", " = ", "\t", ", "]


def log_uniform(rng, lo, hi):
    """Lengths spread evenly over their orders of magnitude, so short and long copies are both common."""
    return int(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def random_string(rng, alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


def marked_pair(rng):
    s = random_string(rng, PRINTABLE, rng.randint(5, 30))
    return s + "|" + s


def gapped_repeat(rng, longest, text_gap=None):
    """A string, a gap, the string again; the gap (also before the first copy, cut short) keeps the copy's start and
    distance unpredictable. text_gap, if given, draws some gaps from real text instead of the string's alphabet."""
    alphabet = rng.choices([a for a, _ in ALPHABETS], [w for _, w in ALPHABETS])[0]
    s = random_string(rng, alphabet, log_uniform(rng, 5, longest))
    if text_gap is not None and rng.random() < 0.4:
        gap = rng.choice(SEPARATORS) if rng.random() < 0.3 else text_gap(rng.randint(5, 150))
    else:
        gap = random_string(rng, alphabet, rng.randint(0, 80))
    return gap[:rng.randint(0, len(gap))] + s + gap + s


def records(rng):
    keys = [random_string(rng, string.ascii_letters + "_", rng.randint(3, 18)) for _ in range(rng.randint(2, 6))]
    rows = []
    for _ in range(rng.randint(3, 12)):
        name = random_string(rng, string.ascii_letters, rng.randint(2, 8))
        values = ", ".join(f'"{k}": "{rng.randint(0, 10 ** rng.randint(1, 6))}"' for k in keys)
        rows.append(f'  "{name}": {{{values}}}')
    return "{\n" + ",\n".join(rows) + "\n}"


def write(path, docs):
    """Whole file or nothing: a temporary file renamed into place."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for text in docs:
            f.write(json.dumps({"text": text}) + "\n")
    os.replace(tmp, path)


def mixed(rng, corpus, synthetic_share, total_bytes):
    """Corpus documents drawn at random (so that the stage reads rows from all of the corpus), with synthetic ones
    placed between them until they make synthetic_share of the bytes; total_bytes in all."""
    def snippet(n):
        doc = corpus[rng.randrange(len(corpus))]
        start = rng.randrange(max(1, len(doc) - n))
        return doc[start:start + n]

    def synthetic():
        r = rng.random()
        if r < 0.5:
            return gapped_repeat(rng, 450, snippet)
        if r < 0.8:  # a span of real text, other text, the span again
            s = snippet(log_uniform(rng, 10, 450))
            sep = rng.choice(SEPARATORS) if rng.random() < 0.3 else snippet(rng.randint(5, 150))
            return snippet(rng.randint(0, 200)) + s + sep + s + snippet(rng.randint(0, 100))
        return records(rng)

    made = kept = 0
    for i in rng.sample(range(len(corpus)), len(corpus)):
        if made + kept >= total_bytes:
            return
        doc = corpus[i]
        while made < (made + kept + len(doc)) * synthetic_share:
            text = synthetic()
            made += len(text)
            yield text
        kept += len(doc)
        yield doc


def main(work):
    train = os.path.join(work, "train.jsonl")
    if not os.path.isfile(train):
        sys.exit(f"{train}: not found; run python3 weights/prepare_mix.py {work} first")
    with open(train, encoding="utf-8") as f:
        corpus = [json.loads(line)["text"] for line in f]
    r = random.Random(101)
    write(os.path.join(work, "copy-short.jsonl"), (marked_pair(r) for _ in range(120_000)))
    r = random.Random(102)
    write(os.path.join(work, "copy-gap.jsonl"), (gapped_repeat(r, 100) for _ in range(60_000)))
    r = random.Random(103)
    write(os.path.join(work, "copy-long.jsonl"), (gapped_repeat(r, 450) for _ in range(30_000)))
    r = random.Random(104)
    write(os.path.join(work, "copy-mix.jsonl"), mixed(r, corpus, 0.3, 16 << 20))
    r = random.Random(105)
    write(os.path.join(work, "copy-settle.jsonl"), mixed(r, corpus, 0.1, 16 << 20))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[2])
    main(sys.argv[1])
