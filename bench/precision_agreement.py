#!/usr/bin/env python3
"""How far `--precision bf16` moves ingest's outputs from float32's, on the same documents and weights.

Runs `./blt ingest` twice over the inputs (float32, then bf16, same threshold) and compares, document by
document: the largest and the mean absolute entropy difference (nats), and the share of positions where the two
make the same patch-start decision (patch_mask). Prints one line per input group and writes WORK/agreement.json.

  python3 bench/precision_agreement.py --weights weights/default.safetensors --work /tmp/pa \
      --input prose=mix/heldout/prose --input code=mix/heldout/code --max-bytes 100000

An input is LABEL=PATH (a file or a folder of text files; folders are read in name order until --max-bytes of that
group is reached, whole files only, at least one). Needs a CPU with bf16 instructions (AVX512_BF16 or AMX): the
bf16 run refuses to start elsewhere. Standard library only.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ingest_vs_upstream import read_safetensors  # noqa: E402


def pick_files(path, max_bytes):
    if os.path.isfile(path):
        return [path]
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(path) for f in fs)
    picked, total = [], 0
    for f in files:
        size = os.path.getsize(f)
        if picked and total + size > max_bytes:
            continue
        picked.append(f)
        total += size
        if total >= max_bytes:
            break
    return picked


def ingest(a, files, out, precision):
    cmd = [a.blt, "ingest", "--input", *files, "--output", out, "--overwrite", "--quiet", "--modality", "text",
           "--precision", precision]
    if a.threshold is not None:
        cmd += ["--threshold", repr(a.threshold)]
    if a.weights:
        cmd += ["--weights", a.weights]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"precision_agreement: {' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()}")
    names = {}
    with open(os.path.join(out, "manifest.jsonl")) as f:
        for line in f:
            row = json.loads(line)
            names[row["id"]] = row["name"]
    return names


def compare(a, label, files):
    base = os.path.join(a.work, label)
    runs = {p: ingest(a, files, os.path.join(base, p), p) for p in ("float32", "bf16")}
    worst, total_abs, positions, same = 0.0, 0.0, 0, 0
    starts32, starts16 = 0, 0
    for doc_id, name in runs["float32"].items():
        t = [read_safetensors(os.path.join(base, p, runs[p][doc_id] + ".safetensors"), ["entropies", "patch_mask"])
             for p in ("float32", "bf16")]
        for e32, e16, m32, m16 in zip(t[0]["entropies"], t[1]["entropies"], t[0]["patch_mask"], t[1]["patch_mask"]):
            d = abs(e32 - e16)
            worst = max(worst, d)
            total_abs += d
            positions += 1
            same += m32 == m16
            starts32 += m32 != 0
            starts16 += m16 != 0
    row = {"group": label, "files": len(files), "bytes": sum(os.path.getsize(f) for f in files),
           "documents": len(runs["float32"]), "positions": positions, "max_abs_entropy_diff": worst,
           "mean_abs_entropy_diff": total_abs / positions, "same_patch_decisions": same / positions,
           "patches_float32": starts32, "patches_bf16": starts16}
    print(f"{label}: {row['documents']} documents, {row['bytes']:,} bytes; entropy |bf16 - float32| max "
          f"{worst:.4f}, mean {row['mean_abs_entropy_diff']:.5f} nats; same patch-start decision at "
          f"{100 * row['same_patch_decisions']:.2f} % of positions; patches {starts32} (float32) vs {starts16} (bf16)")
    return row


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--input", action="append", required=True, metavar="LABEL=PATH")
    p.add_argument("--weights", help="weights file (default: the installation's default model)")
    p.add_argument("--threshold", type=float,
                   help="patch threshold for both runs (default: the model's recommended one, else the released one)")
    p.add_argument("--max-bytes", type=int, default=100_000, help="bytes per input group read from a folder")
    p.add_argument("--work", default="/tmp/precision-agreement", help="scratch folder (replaced)")
    p.add_argument("--blt", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "blt"))
    a = p.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    rows = []
    for spec in a.input:
        label, _, path = spec.partition("=")
        if not path:
            sys.exit(f"precision_agreement: --input {spec}: expected LABEL=PATH")
        rows.append(compare(a, label, pick_files(path, a.max_bytes)))
    with open(os.path.join(a.work, "agreement.json"), "w") as f:
        json.dump({"weights": a.weights, "threshold": a.threshold, "groups": rows}, f, indent=2)


if __name__ == "__main__":
    main()
