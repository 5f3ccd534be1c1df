#!/usr/bin/env python3
"""`./blt ingest` end to end against upstream BLT's own entropy computation, on the same documents and weights,
in turns: tokens per second and peak RSS of each.

Three steps; any of them can be given in one call (they run in this order):

  1. a corpus: N documents, lengths log-uniform between 100 and 20,000 bytes (a FineWeb-Edu-like mix of short and
     long pages), cut at UTF-8 character boundaries from the text files under the --from paths (plain or .gz;
     files that are not UTF-8 text are skipped). The same seed and files give the same corpus.
       python3 bench/ingest_vs_upstream.py --make-corpus /tmp/ivu/corpus --docs 40 --seed 1 --from /usr/share/doc

  2. weights both sides load: upstream's LMTransformer at the released entropy model's shape (768 x 14, 12 heads,
     vocab 260, window 512) with torch.manual_seed(0) and init_weights(), saved by the peer in upstream's
     checkpoint layout (consolidated.pth + params.json) and converted by `./blt convert` to model.safetensors.
       python3 bench/ingest_vs_upstream.py --make-weights /tmp/ivu/weights [--dim 64 --layers 2 --heads 4 --window 16]

  3. the runs, alternating whole runs (ours, upstream, upstream, ours, ...) for --pairs pairs:
       python3 bench/ingest_vs_upstream.py --corpus /tmp/ivu/corpus --weights /tmp/ivu/weights --pairs 3

Ours: `./blt ingest --input corpus.jsonl --output OUT --weights model.safetensors --overwrite --modality text
--threshold 1.335442066192627`, timed as a whole process by /usr/bin/time (wall seconds, peak RSS): JVM start,
model load, scoring, patching, and writing every output file (embeddings included).
Upstream: bench/ingest_upstream_peer.py under the peer venv's Python (torch 2, /work/shared/peer/README.md), also
timed as a whole process; it computes what upstream's data pipeline computes per document (BltTokenizer().encode,
calculate_entropies with patching_batch_size=1 on CPU, find_entropy_patch_start_ids) and reports its loop's own
seconds, the real and the padded tokens and ru_maxrss as well. On CPU upstream can only run sdpa attention, which
is plain causal: no sliding window, and every document padded to 8192 tokens (see that script's docstring).

Tokens are what each side feeds its model: BOS, the document's bytes, EOS (upstream's tokenizer adds both, and so
does ingest). tokens/s = tokens / whole-process wall seconds. The first pair also compares the entropies both sides
computed for --compare documents: positions before the sliding window fills (all of a document no longer than the
window) see the same keys on both sides and should agree to float32 round-off (~1e-5); later positions are printed
too, labelled as expected to differ. Runs and the comparison are also written to WORK/runs.jsonl.

Before the runs: build the project (mvn -q -DskipTests package), and set up the peer (a venv with torch 2 and
upstream's source: /work/shared/peer/README.md). Run the driver with python3 (standard library only); keep the
machine otherwise idle while it measures. Ingest writes its full outputs into WORK/ours-out every run (with the
released shape a few KB per token: embeddings and patch embeddings).
"""
import argparse
import gzip
import json
import math
import os
import random
import shlex
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MIN_BYTES, MAX_BYTES = 100, 20_000
RELEASED_THRESHOLD = 1.335442066192627


# ---------------------------------------------------------------------------------------------------------------
# 1. corpus

def _text_files(paths):
    """Regular files under the paths, sorted (so the corpus does not depend on directory order); no symlinks,
    which would repeat a file."""
    found = []
    for path in paths:
        if os.path.isfile(path):
            found.append(path)
            continue
        if not os.path.isdir(path):
            sys.exit(f"ingest_vs_upstream: --from {path}: no such file or directory")
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames.sort()
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                if os.path.isfile(full) and not os.path.islink(full):
                    found.append(full)
    return sorted(set(found))


def _read_text(path):
    """The file's bytes if it is UTF-8 text (after gunzip for .gz), else None."""
    try:
        with open(path, "rb") as f:
            data = f.read()
        if path.endswith(".gz"):
            data = gzip.decompress(data)
    except (OSError, EOFError, gzip.BadGzipFile):
        return None
    if len(data) < 64 or b"\0" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    # Binary that happens to decode (control bytes other than tab, newline, CR) is not prose.
    control = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r")
    if control > len(text) // 100:
        return None
    return data


def _is_char_start(pool, i):
    return i >= len(pool) or (pool[i] & 0xC0) != 0x80


def make_corpus(out_dir, docs, seed, sources, min_bytes=MIN_BYTES, max_bytes=MAX_BYTES):
    rng = random.Random(seed)
    files = _text_files(sources)
    rng.shuffle(files)  # a varied pool without reading every file
    # Enough text that documents rarely overlap; the cap keeps a large --from quick to read.
    want = max(16 << 20, docs * max_bytes)
    pieces, size, used = [], 0, 0
    for path in files:
        data = _read_text(path)
        if data is None:
            continue
        pieces.append(data)
        size += len(data) + 2
        used += 1
        if size >= want:
            break
    pool = b"\n\n".join(pieces)
    if len(pool) < max_bytes + 8:
        sys.exit(f"ingest_vs_upstream: only {len(pool)} bytes of UTF-8 text under {sources}; "
                 f"need at least {max_bytes + 8}")

    os.makedirs(out_dir, exist_ok=True)
    lengths = []
    path = os.path.join(out_dir, "corpus.jsonl")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        for k in range(docs):
            want_len = int(round(math.exp(rng.uniform(math.log(min_bytes), math.log(max_bytes)))))
            start = rng.randrange(0, len(pool) - want_len - 4)
            while not _is_char_start(pool, start):
                start += 1
            end = start + want_len
            # back to a character start; forward instead where going back would fall under the minimum
            back = end
            while not _is_char_start(pool, back):
                back -= 1
            if back - start >= min_bytes:
                end = back
            else:
                while not _is_char_start(pool, end):
                    end += 1
            text = pool[start:end].decode("utf-8")
            lengths.append(end - start)
            f.write(json.dumps({"id": f"doc-{k:05d}", "text": text}, ensure_ascii=False) + "\n")
    os.replace(path + ".tmp", path)
    desc = {"docs": docs, "seed": seed, "min_bytes_asked": min_bytes, "max_bytes_asked": max_bytes, "from": [os.path.abspath(s) for s in sources], "files_read": used,
            "pool_bytes": len(pool), "bytes": sum(lengths), "min_bytes": min(lengths),
            "median_bytes": statistics.median(lengths), "max_bytes": max(lengths)}
    with open(os.path.join(out_dir, "corpus.json"), "w") as f:
        json.dump(desc, f, indent=1)
        f.write("\n")
    print(f"corpus {path}: {docs} documents, {desc['bytes']} bytes (min {desc['min_bytes']}, median "
          f"{desc['median_bytes']:g}, max {desc['max_bytes']}) from {used} files", flush=True)


def read_corpus(corpus_dir):
    path = os.path.join(corpus_dir, "corpus.jsonl")
    if not os.path.isfile(path):
        sys.exit(f"ingest_vs_upstream: {path} not found (make it with --make-corpus)")
    docs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                docs.append((d["id"], len(d["text"].encode("utf-8"))))
    return path, docs


# ---------------------------------------------------------------------------------------------------------------
# 2. weights

def peer_env(threads):
    env = dict(os.environ)
    env["OMP_NUM_THREADS"] = str(threads)
    env["MKL_NUM_THREADS"] = str(threads)
    return env


def peer_cmd(a):
    return [a.peer_python, os.path.join(HERE, "ingest_upstream_peer.py"), "--upstream", a.upstream,
            "--imports-helper", a.imports_helper]


def make_weights(a):
    os.makedirs(a.make_weights, exist_ok=True)
    cmd = peer_cmd(a) + ["--save-weights", a.make_weights, "--dim", str(a.dim), "--layers", str(a.layers),
                         "--heads", str(a.heads), "--window", str(a.window)]
    print("$ " + shlex.join(cmd), flush=True)
    subprocess.run(cmd, check=True, env=peer_env(a.threads))
    out = os.path.join(a.make_weights, "model.safetensors")
    cmd = [a.blt, "convert", "--in", a.make_weights, "--out", out]
    print("$ " + shlex.join(cmd), flush=True)
    subprocess.run(cmd, check=True)


# ---------------------------------------------------------------------------------------------------------------
# 3. runs

def timed(cmd, env, log_path, time_path):
    """Runs cmd under /usr/bin/time; returns (exit code, stdout, wall seconds, peak RSS MB)."""
    full = ["/usr/bin/time", "-o", time_path, "-f", "%e %M"] + cmd
    with open(log_path, "w") as log:
        proc = subprocess.run(full, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    wall = rss = float("nan")
    try:
        with open(time_path) as f:
            # the last line: /usr/bin/time puts "Command exited with non-zero status" before it
            wall_s, rss_kb = f.read().strip().splitlines()[-1].split()
            wall, rss = float(wall_s), float(rss_kb) / 1024.0
    except (OSError, ValueError, IndexError):
        pass
    return proc.returncode, proc.stdout, wall, rss


def _fail(side, cmd, code, log_path):
    with open(log_path, errors="replace") as f:
        tail = f.read()[-3000:]
    sys.exit(f"ingest_vs_upstream: {side} exited with {code}: {shlex.join(cmd)}\n--- {log_path} (end) ---\n{tail}")


def run_ours(a, corpus_file, weights_file, work, k):
    out = os.path.join(work, "ours-out")
    cmd = [a.blt, "ingest", "--input", corpus_file, "--output", out, "--weights", weights_file, "--overwrite",
           "--modality", "text", "--threshold", repr(a.threshold)] + shlex.split(a.ingest_args)
    log = os.path.join(work, f"ours-{k}.log")
    code, _, wall, rss = timed(cmd, peer_env(a.threads), log, os.path.join(work, "time.txt"))
    if code != 0:
        _fail("ours", cmd, code, log)
    tokens, names = 0, {}
    with open(os.path.join(out, "manifest.jsonl")) as f:
        for line in f:
            row = json.loads(line)
            tokens += row["tokens"]
            names[row["id"]] = row["name"]
    return {"side": "ours", "run": k, "wall_seconds": wall, "tokens": tokens, "docs": len(names),
            "tokens_per_second": tokens / wall, "peak_rss_mb": rss, "names": names, "out": out, "cmd": cmd}


def run_upstream(a, corpus_file, weights_dir, work, k, dump_ids):
    cmd = peer_cmd(a) + ["--weights", weights_dir, "--corpus", corpus_file, "--threads", str(a.threads),
                         "--threshold", repr(a.threshold)]
    if dump_ids:
        cmd += ["--dump", os.path.join(work, "upstream-dump.json"), "--dump-ids", ",".join(dump_ids)]
    log = os.path.join(work, f"upstream-{k}.log")
    code, stdout, wall, rss = timed(cmd, peer_env(a.threads), log, os.path.join(work, "time.txt"))
    if code != 0:
        _fail("upstream", cmd, code, log)
    lines = [ln for ln in stdout.splitlines() if ln.startswith("result ")]
    if not lines:
        _fail("upstream (no result line)", cmd, code, log)
    r = json.loads(lines[-1][len("result "):])
    return {"side": "upstream", "run": k, "wall_seconds": wall, "tokens": r["tokens"], "docs": r["docs"],
            "tokens_per_second": r["tokens"] / wall, "peak_rss_mb": rss, "peer": r, "cmd": cmd}


def describe(r):
    s = (f"run {r['run']:>2} {r['side']:<8} wall_s={r['wall_seconds']:.2f} docs={r['docs']} tokens={r['tokens']} "
         f"tok_s={r['tokens_per_second']:.1f} peak_rss_mb={r['peak_rss_mb']:.0f}")
    if r["side"] == "upstream":
        p = r["peer"]
        s += (f" (loop_s={p['loop_seconds']:.2f} loop_tok_s={p['tokens_per_second']} padded_tokens="
              f"{p['padded_tokens']} load_s={p['load_seconds']:.2f} ru_maxrss_mb={p['peak_rss_mb']:.0f})")
    return s


# ---------------------------------------------------------------------------------------------------------------
# entropy agreement

_DTYPES = {"F32": ("f", 4), "F64": ("d", 8), "I32": ("i", 4), "I64": ("q", 8)}


def read_safetensors(path, names):
    """The named 1-D tensors of a .safetensors file as lists (little-endian, as the format prescribes)."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        base = 8 + n
        out = {}
        for name in names:
            t = header[name]
            code, width = _DTYPES[t["dtype"]]
            begin, end = t["data_offsets"]
            f.seek(base + begin)
            out[name] = list(struct.unpack(f"<{(end - begin) // width}{code}", f.read(end - begin)))
    return out


def pick_compare(docs, window, k):
    """Up to k documents: half of the longest that fit in the window (all positions should agree), the rest
    spread over the lengths of the longer ones (their first `window` positions should agree)."""
    if k <= 0:
        return []
    by_len = sorted(docs, key=lambda d: (d[1], d[0]))
    fits = [d for d in by_len if window is None or d[1] + 2 <= window]
    longer = [d for d in by_len if not (window is None or d[1] + 2 <= window)]
    n_long = min(len(longer), k - min(len(fits), (k + 1) // 2))
    chosen = fits[len(fits) - (k - n_long):] if k > n_long else []
    if n_long:
        step = (len(longer) - 1) / max(n_long - 1, 1)
        chosen += [longer[round(i * step)] for i in range(n_long)]
    return sorted({d[0] for d in chosen})


def compare(ours, dump_path, ids, window):
    with open(dump_path) as f:
        theirs = json.load(f)
    report = []
    agree_max = beyond_max = 0.0
    for doc_id in ids:
        if doc_id not in theirs or doc_id not in ours["names"]:
            print(f"entropies {doc_id}: missing on {'upstream' if doc_id not in theirs else 'our'} side")
            continue
        u = theirs[doc_id]
        o = read_safetensors(os.path.join(ours["out"], ours["names"][doc_id] + ".safetensors"),
                             ["entropies", "tokens", "patch_indices"])
        n = len(u["entropies"])
        if o["tokens"] != u["tokens"]:
            print(f"entropies {doc_id}: the sides' tokens differ ({len(o['tokens'])} vs {n}); not compared")
            continue
        diffs = [abs(x - y) for x, y in zip(o["entropies"], u["entropies"])]
        w = n if window is None else min(n, window)
        within = max(diffs[:w])
        beyond = max(diffs[w:]) if n > w else None
        agree_max = max(agree_max, within)
        line = f"entropies {doc_id} tokens={n}: "
        if beyond is None:
            line += f"all {n} positions (within the window) max_abs_diff={within:.3g}"
        else:
            beyond_max = max(beyond_max, beyond)
            line += (f"first {w} positions (within the window) max_abs_diff={within:.3g}; positions {w}.. "
                     f"max_abs_diff={beyond:.3g} (expected to differ: no window on upstream's CPU path"
                     + ("; and upstream cuts at 8192 tokens" if n > 8192 else "") + ")")
        # Patch starts agree only where the entropies do, so compare them on documents within the window.
        if beyond is None:
            same = o["patch_indices"] == u["patch_starts"]
            line += f"; patch starts {'same' if same else 'DIFFER'} ({len(u['patch_starts'])})"
        print(line, flush=True)
        report.append({"id": doc_id, "tokens": n, "within_window": within, "beyond_window": beyond})
    if report:
        print(f"entropy_max_abs_diff_within_window={agree_max:.3g}"
              + (f" beyond_window={beyond_max:.3g} (expected to differ)" if beyond_max else ""), flush=True)
    return report


# ---------------------------------------------------------------------------------------------------------------

def run_pairs(a):
    corpus_file, docs = read_corpus(a.corpus)
    weights_file = os.path.join(a.weights, "model.safetensors")
    for needed in (weights_file, os.path.join(a.weights, "params.json"), os.path.join(a.weights, "consolidated.pth")):
        if not os.path.isfile(needed):
            sys.exit(f"ingest_vs_upstream: {needed} not found (make the weights with --make-weights)")
    with open(os.path.join(a.weights, "params.json")) as f:
        params = json.load(f)["entropy_model"]
    window = params.get("sliding_window")
    work = a.work or tempfile.mkdtemp(prefix="ingest-vs-upstream-")
    os.makedirs(work, exist_ok=True)
    ids = pick_compare(docs, window, a.compare)
    total_bytes = sum(n for _, n in docs)
    print(f"corpus {corpus_file}: {len(docs)} documents, {total_bytes} bytes; model dim {params['dim']} x "
          f"{params['n_layers']} layers, window {window}; {a.threads} threads; work {work}", flush=True)

    runs = []
    log = open(os.path.join(work, "runs.jsonl"), "a")
    for pair in range(a.pairs):
        order = ("ours", "upstream") if pair % 2 == 0 else ("upstream", "ours")
        for side in order:
            k = len(runs) + 1
            if side == "ours":
                r = run_ours(a, corpus_file, weights_file, work, k)
            else:
                r = run_upstream(a, corpus_file, a.weights, work, k, ids if pair == 0 else [])
            runs.append(r)
            print(describe(r), flush=True)
            log.write(json.dumps({x: y for x, y in r.items() if x not in ("names",)}) + "\n")
            log.flush()
        if pair == 0:
            ours = next(r for r in runs if r["side"] == "ours")
            theirs = next(r for r in runs if r["side"] == "upstream")
            if ours["tokens"] != theirs["tokens"]:
                print(f"warning: the sides counted different tokens ({ours['tokens']} vs {theirs['tokens']})")
            if ids:
                rep = compare(ours, os.path.join(work, "upstream-dump.json"), ids, window)
                log.write(json.dumps({"entropy_comparison": rep, "window": window}) + "\n")
                log.flush()
    log.close()

    mine = [r for r in runs if r["side"] == "ours"]
    theirs = [r for r in runs if r["side"] == "upstream"]
    m_ours = statistics.median(r["tokens_per_second"] for r in mine)
    m_up = statistics.median(r["tokens_per_second"] for r in theirs)
    m_loop = statistics.median(r["peer"]["tokens_per_second"] for r in theirs)
    per_pair = [o["tokens_per_second"] / u["tokens_per_second"] for o, u in zip(mine, theirs)]
    print(f"ours:     median {m_ours:.1f} tokens/s end to end over {len(mine)} runs, peak RSS "
          f"{max(r['peak_rss_mb'] for r in mine):.0f} MB")
    print(f"upstream: median {m_up:.1f} tokens/s end to end over {len(theirs)} runs ({m_loop:.1f} over its "
          f"entropy loop alone; {theirs[0]['peer']['padded_tokens']} padded tokens computed for "
          f"{theirs[0]['tokens']} real), peak RSS {max(r['peak_rss_mb'] for r in theirs):.0f} MB")
    print(f"ratio_ours_over_upstream={m_ours / m_up:.3f} (of the medians; median of the pairs' ratios "
          f"{statistics.median(per_pair):.3f}; above 1: ours is faster)", flush=True)


def main():
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__[__doc__.index("\n\n") + 2:],
        # wide enough that the help's examples stay on one line
        formatter_class=lambda prog: argparse.RawDescriptionHelpFormatter(prog, width=118, max_help_position=32))
    g = p.add_argument_group("1. corpus")
    g.add_argument("--make-corpus", metavar="DIR", help="write DIR/corpus.jsonl (+ corpus.json describing it)")
    g.add_argument("--docs", type=int, default=200, metavar="N", help="documents to write (default 200)")
    g.add_argument("--seed", type=int, default=0, metavar="S", help="corpus seed (default 0)")
    g.add_argument("--min-bytes", type=int, default=MIN_BYTES, metavar="B", help=f"shortest document (default {MIN_BYTES})")
    g.add_argument("--max-bytes", type=int, default=MAX_BYTES, metavar="B", help=f"longest document (default {MAX_BYTES})")
    g.add_argument("--from", dest="sources", nargs="+", metavar="PATH",
                   help="files or folders of text to cut documents from, e.g. /usr/share/doc")
    g = p.add_argument_group("2. weights (upstream-size random weights, torch.manual_seed(0) + init_weights())")
    g.add_argument("--make-weights", metavar="DIR", help="write DIR/consolidated.pth, params.json, model.safetensors")
    g.add_argument("--dim", type=int, default=768, metavar="D", help="default 768 (the released entropy model)")
    g.add_argument("--layers", type=int, default=14, metavar="L", help="default 14")
    g.add_argument("--heads", type=int, default=12, metavar="H", help="default 12")
    g.add_argument("--window", type=int, default=512, metavar="W", help="sliding window, default 512")
    g = p.add_argument_group("3. runs")
    g.add_argument("--corpus", metavar="DIR", help="a --make-corpus folder (default: the one just made)")
    g.add_argument("--weights", metavar="DIR", help="a --make-weights folder (default: the one just made)")
    g.add_argument("--pairs", type=int, default=0, metavar="N", help="pairs of runs, ours and upstream's, alternating")
    g.add_argument("--compare", type=int, default=6, metavar="K",
                   help="documents whose entropies the first pair compares (default 6; 0: none)")
    g.add_argument("--work", metavar="DIR", help="outputs and logs (default: a new temporary folder)")
    g.add_argument("--threads", type=int, default=2, metavar="T", help="OMP_NUM_THREADS for both sides, torch threads (default 2)")
    g.add_argument("--threshold", type=float, default=RELEASED_THRESHOLD, metavar="NATS",
                   help="patch threshold for both sides (default: the released model's)")
    g.add_argument("--ingest-args", default="", metavar="ARGS",
                   help="more options for ./blt ingest, e.g. --ingest-args=\"--batch 4 --dtype f32\"")
    g = p.add_argument_group("where things are")
    g.add_argument("--blt", default=os.path.join(ROOT, "blt"), metavar="PATH", help="the project's launcher (default: ./blt)")
    g.add_argument("--peer-python", default="/tmp/peer-venv/bin/python", metavar="PATH",
                   help="a Python with torch 2 (default /tmp/peer-venv/bin/python)")
    g.add_argument("--upstream", default="/tmp/upstream-blt", metavar="DIR",
                   help="facebookresearch/blt source checkout (default /tmp/upstream-blt)")
    g.add_argument("--imports-helper", default=os.path.join(ROOT, "..", "shared", "peer", "upstream_imports.py"),
                   metavar="PATH",
                   help="upstream_imports.py (default: ../shared/peer/ beside the project)")
    a = p.parse_args()

    if not (a.make_corpus or a.make_weights or a.pairs):
        p.error("nothing to do: give --make-corpus, --make-weights and/or --pairs")
    if a.make_corpus and not a.sources:
        p.error("--make-corpus needs --from PATH...")
    if a.make_corpus and a.docs < 1:
        p.error("--docs must be at least 1")
    if a.make_corpus and not 1 <= a.min_bytes <= a.max_bytes:
        p.error("need 1 <= --min-bytes <= --max-bytes")
    if a.make_weights or a.pairs:
        for path, what in ((a.peer_python, "--peer-python"), (a.upstream, "--upstream"),
                           (a.imports_helper, "--imports-helper")):
            if not os.path.exists(path):
                p.error(f"{what} {path} does not exist (set-up: /work/shared/peer/README.md)")
    if a.make_corpus:
        make_corpus(a.make_corpus, a.docs, a.seed, a.sources, a.min_bytes, a.max_bytes)
    if a.make_weights:
        make_weights(a)
    if a.pairs:
        a.corpus = a.corpus or a.make_corpus
        a.weights = a.weights or a.make_weights
        if not a.corpus or not a.weights:
            p.error("--pairs needs --corpus and --weights (or --make-corpus/--make-weights in the same call)")
        run_pairs(a)


if __name__ == "__main__":
    main()
