#!/usr/bin/env python3
"""Writes the copying curriculum of the default entropy model (stages 3-10 of configs/default-model.yaml).

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
  copy-settle.jsonl the same with other documents and 10 % repeats, for a lower learning-rate step
  copy-inside.jsonl 24 MiB of other documents with the repeats inside them, never at their start: spans of the
                    document itself again further on (up to 1,000 bytes back) and nested, indented JSON records,
                    for a step that also widens the window to 1,024 bytes
  copy-starts.jsonl 8 MiB: half of it such documents, half paragraphs of documents, each a document of its own, for
                    the next two steps: short inputs start right after BOS, and the random strings that opened the
                    documents of copy-mix and copy-settle had taught the model to expect noise there
  copy-far.jsonl    8 MiB the same, its documents 8 KB or longer and their spans from up to 8,000 bytes back, for the
                    last step, which widens the window to 4,096 bytes

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


def nested_records(rng):
    """Indented JSON whose keys recur at every level, as in data files: the structure is copied, the values not."""
    def level(depth):
        keys = [random_string(rng, string.ascii_letters + "_", rng.randint(2, 16)) for _ in range(rng.randint(2, 5))]
        nested = depth < 2 and rng.random() < 0.5
        def row():
            r = {k: (str(rng.randint(0, 10 ** rng.randint(1, 9))) if rng.random() < 0.7
                     else random_string(rng, string.ascii_lowercase, rng.randint(2, 10))) for k in keys}
            if nested:
                r[keys[0] + "s"] = level(depth + 1)
            return r
        rows = rng.randint(2, 6 if depth == 0 else 3)
        return {random_string(rng, string.ascii_letters, rng.randint(2, 6)): row() for _ in range(rows)}
    return json.dumps(level(0), indent=rng.choice([2, 4])) + "\n"


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


def inside(rng, corpus, synthetic_share, total_bytes, reach=1000, shortest=0):
    """Corpus documents drawn at random (those of at least `shortest` characters), each with repeats inserted at line
    breaks past its first 200 bytes: a span of up to 400 bytes from the last `reach` of the document, or nested
    records. A document's start stays as written, so the model is not taught that documents open with noise."""
    kept = 0
    for i in rng.sample(range(len(corpus)), len(corpus)):
        if kept >= total_bytes:
            return
        doc = corpus[i]
        if len(doc) < shortest:
            continue
        breaks = [j + 1 for j in range(200, len(doc)) if doc[j] == "\n"]
        budget = len(doc) * synthetic_share / (1 - synthetic_share)
        pieces, last = [], 0
        for at in sorted(rng.sample(breaks, min(len(breaks), round(budget / 225)))):
            if rng.random() < 0.95:
                start = rng.randrange(max(0, at - reach), at)
                piece = doc[start:min(at, start + log_uniform(rng, 10, 400))]
            else:
                piece = nested_records(rng)
            pieces += [doc[last:at], piece if piece.endswith("\n") else piece + "\n"]
            last = at
        text = "".join(pieces) + doc[last:]
        kept += len(text)
        yield text


def starts(rng, corpus, total_bytes, reach=1000, shortest=0):
    """Half the bytes documents as in inside(), half paragraphs (split at blank lines, at least 40 bytes) of documents
    drawn again, each its own document, shuffled together: many real starts of text after BOS."""
    docs = list(inside(rng, corpus, 0.15, total_bytes // 2, reach, shortest))
    made = sum(map(len, docs))
    for i in rng.sample(range(len(corpus)), len(corpus)):
        if made >= total_bytes:
            break
        paragraph = ""
        for part in corpus[i].split("\n\n"):
            paragraph = paragraph + "\n\n" + part if paragraph else part
            if len(paragraph) >= 40:
                docs.append(paragraph)
                made += len(paragraph)
                paragraph = ""
    rng.shuffle(docs)
    return docs


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
    r = random.Random(106)
    write(os.path.join(work, "copy-inside.jsonl"), inside(r, corpus, 0.15, 24 << 20))
    r = random.Random(107)
    write(os.path.join(work, "copy-starts.jsonl"), starts(r, corpus, 8 << 20))
    r = random.Random(108)
    write(os.path.join(work, "copy-far.jsonl"), starts(r, corpus, 8 << 20, reach=8000, shortest=8192))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[2])
    main(sys.argv[1])
