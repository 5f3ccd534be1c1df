#!/usr/bin/env python3
"""Makes a corpus of hostile inputs, runs ./blt ingest over each beside small files, and checks what must hold.

Each case is a folder of ten small text files plus one hostile input. For each, the script runs the ingest under
/usr/bin/time and checks: the exit code, that every small file was written, what errors.jsonl says of the hostile
input, and that peak RSS stays within --rss-ratio of a run over small files of as many tokens (so that both runs
last about as long: a JVM's native garbage and heap grow with the length of a run, not with the documents).
Cases: a long text file (read in parts), a photo-sized PNG and a 4000 x 4000 grey PNG (model input cut in parts),
a large executable (read whole, cut in parts), one over --max-document-bytes (refused alone), a decompression bomb
(refused by its header), a truncated PNG, a symbolic-link loop and a dangling link, two file names that are not
UTF-8. Then a run is killed with SIGKILL mid-way and resumed: nothing missing, nothing twice.

Usage (from the project's root, after `mvn -q -DskipTests package`):
    python3 bench/hostile_ingest.py [--work /tmp/hostile] [--text-mb 8] [--weights W --model-config C]
By default it runs the small fixture model (fixtures/upstream/entropy_swa), so that the whole corpus takes minutes;
pass --weights weights/default.safetensors (or the released model) to measure with a real one.
Prints one line per check and `N passed, M failed` last; exits 1 when a check failed.
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import time
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail), flush=True)


def png(path, width, height, channels, pixels=None):
    """A PNG of width x height (8-bit grey or RGB); pixels: bytes of one row, repeated, or None for zeros."""
    row = pixels if pixels is not None else bytes(width * channels)
    raw = b"".join(b"\x00" + row for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    colour = {1: 0, 3: 2}[channels]
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def bomb(path, side):
    """A tiny PNG whose header claims side x side pixels: refused before decoding."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b""))


def words(n_bytes, seed):
    rnd = random.Random(seed)
    vocab = ["the", "model", "reads", "bytes", "of", "any", "document", "and", "patches", "entropy", "window",
             "water", "filling", "sphere", "shell", "prominence", "tokens", "layer", "attention"]
    out, size = [], 0
    while size < n_bytes:
        line = " ".join(rnd.choice(vocab) for _ in range(12)) + "\n"
        out.append(line)
        size += len(line)
    return "".join(out)[:n_bytes]


def small_files(folder, count=10, size=3000):
    os.makedirs(folder, exist_ok=True)
    for i in range(count):
        with open(os.path.join(folder, "small%02d.txt" % i), "w") as f:
            f.write(words(size, i))


def ingest(args, inputs, out, extra=()):
    cmd = ["/usr/bin/time", "-f", "rss_kb=%M", os.path.join(ROOT, "blt"), "ingest", "--input", *inputs,
           "--output", out, *model_args(args), *extra]
    p = subprocess.run(cmd, capture_output=True, text=True)
    m = re.search(r"rss_kb=(\d+)", p.stderr)
    return p.returncode, (int(m.group(1)) / 1024 if m else float("nan")), p.stderr


def model_args(args):
    return ["--weights", args.weights] + (["--model-config", args.model_config] if args.model_config else [])


def lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def run_case(args, name, make, expect_code, expect_error=None):
    """One hostile input beside ten small files, against a run over small files of as many tokens."""
    if args.only and name not in args.only.split(","):
        return None
    folder = os.path.join(args.work, name)
    shutil.rmtree(folder, ignore_errors=True)
    small_files(folder)
    make(folder)
    out = os.path.join(args.work, "out-" + name)
    shutil.rmtree(out, ignore_errors=True)
    code, rss, err = ingest(args, [folder], out)
    check(name + ": exit code " + str(expect_code), code == expect_code, "got %d: %s" % (code, err.strip()[-400:]))
    done = {m["id"] for m in lines(os.path.join(out, "manifest.jsonl"))}
    check(name + ": every small file written", all("small%02d.txt" % i in done for i in range(10)), str(sorted(done)))
    errors = lines(os.path.join(out, "errors.jsonl"))
    if expect_error:
        check(name + ": errors.jsonl says " + repr(expect_error),
              any(expect_error in e.get("reason", "") for e in errors), json.dumps(errors)[:400])
    else:
        check(name + ": no errors", not errors, json.dumps(errors)[:400])
    baseline = os.path.join(args.work, "baseline-" + name)
    shutil.rmtree(baseline, ignore_errors=True)
    tokens = sum(m["tokens"] for m in lines(os.path.join(out, "manifest.jsonl")))
    small_files(baseline, count=max(10, tokens // 3002))
    base_out = os.path.join(args.work, "out-baseline-" + name)
    shutil.rmtree(base_out, ignore_errors=True)
    base_code, base_rss, base_err = ingest(args, [baseline], base_out)
    check(name + ": the run over small files succeeds", base_code == 0, base_err.strip()[-300:])
    check("%s: peak RSS %.0f MB within %.1fx of small files of as many tokens (%.0f MB)"
          % (name, rss, args.rss_ratio, base_rss), rss <= args.rss_ratio * base_rss)
    return out


def resume_after_kill(args):
    folder = os.path.join(args.work, "kill")
    shutil.rmtree(folder, ignore_errors=True)
    small_files(folder, count=40)
    with open(os.path.join(folder, "long.txt"), "w") as f:
        f.write(words(args.text_mb << 20, 99))
    out = os.path.join(args.work, "out-kill")
    shutil.rmtree(out, ignore_errors=True)
    cmd = [os.path.join(ROOT, "blt"), "ingest", "--quiet", "--input", folder, "--output", out, *model_args(args)]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 600
    while time.time() < deadline and len(lines(os.path.join(out, "manifest.jsonl"))) < 5 and p.poll() is None:
        time.sleep(0.5)
    p.send_signal(signal.SIGKILL)
    p.wait()
    code = subprocess.run(cmd + ["--resume"], capture_output=True, text=True).returncode
    ids = [m["id"] for m in lines(os.path.join(out, "manifest.jsonl"))]
    parts = (args.text_mb << 20) // (1 << 20)
    check("kill -9 then --resume: exit 0", code == 0)
    check("kill -9 then --resume: nothing twice", len(ids) == len(set(ids)), str(ids))
    check("kill -9 then --resume: nothing missing", len(set(ids)) >= 40 + parts, "%d ids" % len(set(ids)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", default="/tmp/hostile")
    ap.add_argument("--text-mb", type=int, default=8, help="size of the long text file")
    ap.add_argument("--weights", default=os.path.join(ROOT, "fixtures", "upstream", "entropy_swa.safetensors"))
    ap.add_argument("--model-config", default=os.path.join(ROOT, "fixtures", "upstream", "entropy_swa.json"))
    ap.add_argument("--rss-ratio", type=float, default=1.5)
    ap.add_argument("--only", help="comma-separated cases to run (default: all), e.g. long-text,photo")
    ap.add_argument("--quick", action="store_true",
                    help="smaller cases (1 MB text, 1000 x 750 photo, 2000 x 2000 grey, /bin/bash as the executable): "
                     "the same checks in about half an hour")
    args = ap.parse_args()
    if args.weights.endswith("default.safetensors") and args.model_config.endswith("entropy_swa.json"):
        args.model_config = None
    os.makedirs(args.work, exist_ok=True)
    scale = 2 if args.quick else 1
    if args.quick:
        args.text_mb = min(args.text_mb, 1)

    def long_text(d):
        with open(os.path.join(d, "long.txt"), "w") as f:
            f.write(words(args.text_mb << 20, 7))

    def photo(d):
        w, h = 2000 // scale, 1500 // scale
        row = bytes((x * 7 + c * 50) % 256 for x in range(w) for c in range(3))
        png(os.path.join(d, "photo.png"), w, h, 3, row)

    def grey(d):
        png(os.path.join(d, "grey.png"), 4000 // scale, 4000 // scale, 1)

    def executable(d):
        big = ["/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so", "/usr/bin/python3"]
        elf = next((p for p in (["/bin/bash"] if args.quick else big) if os.path.exists(p)), sys.executable)
        shutil.copy(elf, os.path.join(d, "program.so"))

    def oversized(d):
        with open(os.path.join(d, "blob.bin"), "wb") as f:
            f.write(b"\x00" + os.urandom((64 << 20) + 1))

    def decompression_bomb(d):
        bomb(os.path.join(d, "bomb.png"), 40000)

    def truncated(d):
        path = os.path.join(d, "cut.png")
        png(path, 300, 300, 3, bytes(range(256)) * 3 + bytes(132))
        size = os.path.getsize(path)
        with open(path, "r+b") as f:
            f.truncate(size // 2)

    def links(d):
        os.makedirs(os.path.join(d, "sub"))
        os.symlink("..", os.path.join(d, "sub", "loop"))
        os.symlink("nowhere.txt", os.path.join(d, "dangling.txt"))

    def names(d):
        for b in (b"name\xff.txt", b"name\xfe.txt"):
            with open(os.path.join(os.fsencode(d), b), "w") as f:
                f.write("a file whose name is not UTF-8")

    run_case(args, "long-text", long_text, 0)
    run_case(args, "photo", photo, 0)
    run_case(args, "grey-4000", grey, 0)
    run_case(args, "executable", executable, 0)
    run_case(args, "over-limit", oversized, 1, "more than the maximum")
    run_case(args, "bomb", decompression_bomb, 1, "exceeds the budget")
    run_case(args, "truncated", truncated, 1, "truncated")
    run_case(args, "links", links, 1, "dangling symbolic link")
    out = run_case(args, "names", names, 0)
    if out:
        ids = {m["id"] for m in lines(os.path.join(out, "manifest.jsonl"))}
        check("names: both non-UTF-8 names ingested under distinct ids", {"name%FF.txt", "name%FE.txt"} <= ids,
              str(ids))
    if not args.only or "kill" in args.only.split(","):
        resume_after_kill(args)
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
