#!/usr/bin/env python3
"""The held-out table of a model card: bits per byte of an entropy model per domain, against gzip -9 and xz -9.

Usage: python3 bench/model_card.py --weights W --heldout DIR [--blt ./blt] [--window-bytes 16384]
                                   [--halves-detail DOMAIN ...]

DIR holds one folder per domain (prose, code, markup, json, ...), each with one sub-folder of documents per source,
as weights/prepare_mix.py writes them; a row per source and one per domain (its sources added up). Every document is
scored alone (`./blt eval`: BOS + bytes + EOS), and compressed alone by `gzip -9` and `xz -9` (headers included):
the same setting for all three, so the columns compare directly. A second table scores the first --window-bytes
bytes of every document at least that long, and gives bits per byte over their first and their second half: a model
that degrades once a document outgrows its attention window has the worse second half. As the halves are different
texts, and the second may be the harder (xz -9 finds it so on the held-out prose), the table also scores every
second half alone, from BOS: if the model uses what came before and does not lose its footing, the second half
scores better after the first than alone; --halves-detail lists a domain's documents one by one, with xz -9 of each
half alone, to tell where a difference comes from. A line measures copying: random lowercase strings, each
written twice in a row; a model that uses its context predicts the second copy far better than the first (log2 26 =
4.70 bits per byte is a uniform guess at a letter). The last line measures how far back it copies: a string of 300
random letters, held-out prose, the string again, scored against the same with another string first; what the
first copy saves on the second, per letter, at each distance (0 past the attention window).
"""
import argparse
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile


def documents(folder):
    for d, _, names in sorted(os.walk(folder)):
        for n in sorted(names):
            yield os.path.join(d, n)


GZIP, XZ = ["gzip", "-9", "-c"], ["xz", "-9", "-c"]


def compressed_bits(data, command):
    return 8 * len(subprocess.run(command, input=data, capture_output=True, check=True).stdout)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def compressed_files_bits(paths, command):
    return sum(compressed_bits(read_bytes(p), command) for p in paths)


def read_head(path, n):
    """(source/name, the first n bytes) of a document."""
    with open(path, "rb") as f:
        return os.path.join(os.path.basename(os.path.dirname(path)), os.path.basename(path)), f.read(n)


def halves(blt, weights, heads, folder):
    """./blt eval of the documents as they are, and of each with its halves swapped: that run's first half is each
    second half alone, from BOS."""
    swapped = folder + "-swapped"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(swapped, ignore_errors=True)
    os.makedirs(folder)
    os.makedirs(swapped)
    for i, (_, text) in enumerate(heads):
        half = len(text) // 2
        for where, content in ((folder, text), (swapped, text[half:] + text[:half])):
            with open(os.path.join(where, f"{i:05d}.txt"), "wb") as dst:
                dst.write(content)
    return evaluate(blt, weights, folder), evaluate(blt, weights, swapped)


def evaluate(blt, weights, folder):
    out = subprocess.run([blt, "eval", "--weights", weights, "--input", folder], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{folder}: ./blt eval failed: {out.stderr.strip().splitlines()[-1:]}")
    return {k: float(v) for k, v in (line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)}


def letters(rng, n):
    """n random lowercase letters."""
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))


def copy_reach(blt, weights, prose, folder, distances=(500, 900, 2000, 4000), strings=4, n=300):
    """Bits per letter that a first copy of a random string, distance bytes back across prose, saves on the second."""
    saved = []
    for d in distances:
        bits = []
        for copied in (True, False):
            where = os.path.join(folder, f"{d}-{copied}")
            os.makedirs(where)
            rng = random.Random(d)  # the same strings and prose for both runs
            for i in range(strings):
                s, other = letters(rng, n), letters(rng, n)
                start = rng.randrange(len(prose) - d - 200)
                lead, between = prose[start:start + 200], prose[start + 200:start + 200 + d - n]
                with open(os.path.join(where, f"{i}.txt"), "wb") as f:
                    f.write(lead + b" " + (s if copied else other).encode() + b" " + between + b" " + s.encode())
            scored = evaluate(blt, weights, where)
            bits.append(scored["loss_nats"] * scored["predictions"] / math.log(2))
        saved.append((d, (bits[1] - bits[0]) / (strings * n)))
    return saved


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--weights", required=True)
    ap.add_argument("--heldout", required=True)
    ap.add_argument("--blt", default="./blt")
    ap.add_argument("--window-bytes", type=int, default=16384)
    ap.add_argument("--halves-detail", nargs="*", default=[], metavar="DOMAIN",
                    help="also list these domains' halves document by document, with xz -9 of each half alone")
    a = ap.parse_args()
    domains = sorted(d for d in os.listdir(a.heldout) if os.path.isdir(os.path.join(a.heldout, d)))
    heads = {}  # domain: (name, first --window-bytes bytes) of each document at least that long
    for d in domains:
        docs = [p for p in documents(os.path.join(a.heldout, d)) if os.path.getsize(p) >= a.window_bytes]
        if docs:
            heads[d] = [read_head(p, a.window_bytes) for p in docs]
    for d in a.halves_detail:
        if d not in heads:
            sys.exit(f"--halves-detail {d}: {a.heldout} has no {d} document of {a.window_bytes:,} bytes or more")
    print("| domain | source | documents | bytes | this model | gzip -9 | xz -9 |")
    print("|---|---|---|---|---|---|---|")
    for d in domains:
        base = os.path.join(a.heldout, d)
        # one source per sub-folder (weights/prepare_mix.py's layout); the domain's row adds its sources up
        sources = sorted(s for s in os.listdir(base) if os.path.isdir(os.path.join(base, s))) or [""]
        total = {"docs": 0, "bytes": 0, "nats": 0.0, "gz": 0, "xz": 0}
        for s in sources:
            folder = os.path.join(base, s)
            paths = list(documents(folder))
            size = sum(os.path.getsize(p) for p in paths)
            r = evaluate(a.blt, a.weights, folder)
            gz, xz = compressed_files_bits(paths, GZIP), compressed_files_bits(paths, XZ)
            for k, v in (("docs", len(paths)), ("bytes", size), ("nats", r["loss_nats"] * r["predictions"]),
                         ("gz", gz), ("xz", xz)):
                total[k] += v
            if s:
                print(f"| {d} | {s} | {len(paths)} | {size:,} | {r['bits_per_byte']:.3f} | {gz / size:.3f} | "
                      f"{xz / size:.3f} |", flush=True)
        n = total["bytes"]
        print(f"| **{d}** | all | {total['docs']} | {n:,} | **{total['nats'] / math.log(2) / n:.3f}** | "
              f"{total['gz'] / n:.3f} | {total['xz'] / n:.3f} |", flush=True)
    print()
    print(f"First {a.window_bytes:,} bytes of every document at least that long, bits per byte:")
    print()
    print("| domain | documents | first half | second half | second half alone |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for d, docs in heads.items():
            r, alone = halves(a.blt, a.weights, docs, os.path.join(tmp, d))
            print(f"| {d} | {len(docs)} | {r['first_half_bits_per_byte']:.3f} | "
                  f"{r['second_half_bits_per_byte']:.3f} | {alone['first_half_bits_per_byte']:.3f} |", flush=True)
        for d in a.halves_detail:
            print()
            print(f"{d}, document by document; xz -9 compresses each half alone:")
            print()
            print("| document | first half | second half | second half alone | xz -9 first half | xz -9 second half |")
            print("|---|---|---|---|---|---|")
            for name, text in heads[d]:
                r, alone = halves(a.blt, a.weights, [(name, text)], os.path.join(tmp, d + "-one"))
                h = len(text) // 2
                print(f"| {name} | {r['first_half_bits_per_byte']:.3f} | {r['second_half_bits_per_byte']:.3f} | "
                      f"{alone['first_half_bits_per_byte']:.3f} | {compressed_bits(text[:h], XZ) / h:.3f} | "
                      f"{compressed_bits(text[h:], XZ) / (len(text) - h):.3f} |", flush=True)
        folder = os.path.join(tmp, "copies")
        os.makedirs(folder)
        rng = random.Random(7)
        for i, n in enumerate((100, 300, 900)):
            s = letters(rng, n)
            with open(os.path.join(folder, f"{i}.txt"), "w") as f:
                f.write(s + s)
        r = evaluate(a.blt, a.weights, folder)
        print()
        print(f"Copying: random lowercase strings of 100, 300 and 900 letters, each written twice; bits per byte on "
              f"the first copy {r['first_half_bits_per_byte']:.3f}, on the second {r['second_half_bits_per_byte']:.3f}")
        if "prose" in domains:
            prose = b"\n\n".join(read_bytes(p) for p in documents(os.path.join(a.heldout, "prose")))
            reach = copy_reach(a.blt, a.weights, prose, os.path.join(tmp, "reach"))
            print()
            print("Copying across held-out prose: bits a 300-letter string's first copy saves per letter on the second, "
                  + ", ".join(f"{d:,} bytes back {v:.2f}" for d, v in reach))


if __name__ == "__main__":
    main()
