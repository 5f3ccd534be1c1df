#!/usr/bin/env python3
"""The upstream side of bench/ingest_vs_upstream.py: upstream BLT's own entropy computation (facebookresearch/blt,
imported from a source checkout, not copied) over a corpus, on CPU. Run it with a Python that has PyTorch 2
(the peer venv, /work/shared/peer/README.md); the driver starts it, but it also runs on its own:

    OMP_NUM_THREADS=2 /tmp/peer-venv/bin/python bench/ingest_upstream_peer.py --upstream /tmp/upstream-blt \\
        --save-weights W/ [--dim 768 --layers 14 --heads 12 --window 512]
    OMP_NUM_THREADS=2 /tmp/peer-venv/bin/python bench/ingest_upstream_peer.py --upstream /tmp/upstream-blt \\
        --weights W/ --corpus C/corpus.jsonl [--dump entropies.json --dump-ids doc-00001,doc-00007]

--save-weights builds upstream's LMTransformer at the released entropy model's shape (or the --dim/--layers/--heads
overrides), seeds torch with 0, runs its init_weights() and writes upstream's checkpoint layout:
consolidated.pth = torch.save({"model": state_dict}) and params.json with an "entropy_model" object (what
upstream's load_entropy_model reads, plus the attention rule and window, which load_entropy_model hard-codes).

The run does per document what upstream's data pipeline does (bytelatent/preprocess/preprocess_entropies.py, then
PreprocessIterator's Patcher.patch): tokens = BltTokenizer().encode(text), i.e. BOS, byte + 4 ..., EOS (the
tokenizer's defaults add both), then calculate_entropies(tokens[None], model, patching_batch_size=1, device="cpu"),
then find_entropy_patch_start_ids(entropies, threshold=1.335442066192627, include_next_token=False).

What upstream's CPU path computes, and why it differs from the released model:
- load_entropy_model builds the model with attn_impl="xformers", attn_bias_type="local_block_causal",
  sliding_window=512; that mask exists only in xformers, which needs a GPU. On CPU the model must run
  attn_impl="sdpa", where upstream's create_causal_mask has no local_block_causal: with its own escape hatch
  (BLT_SUPPRESS_ATTN_ERROR=1, set here) it falls back to plain causal attention. So this computes a different
  function from the released model: no sliding window. Positions closer to the start than the window see the same
  keys either way and agree; later ones do not.
- load_entropy_model also sets torch's default dtype to bfloat16; this builds the model itself in float32 instead,
  so that both sides compute in float32.
- calculate_entropies pads every document to a multiple of max_length (8192) tokens and runs the whole padded
  length, so a short document costs a full 8192-token forward; a document longer than 8192 tokens is cut into
  8192-token chunks that see nothing of each other. Both the real tokens and the padded tokens computed are
  reported.

Prints one line `result {json}` on stdout: documents, real tokens, padded tokens, model-load and loop seconds,
tokens per second over the loop, peak RSS (ru_maxrss).
"""
import argparse
import json
import os
import resource
import sys
import time

RELEASED_THRESHOLD = 1.335442066192627
# upstream's calculate_entropies: getattr(model, "max_length", 8192); LMTransformer has no such attribute
UPSTREAM_MAX_LENGTH = 8192


def _load_upstream(upstream, helper):
    """upstream_imports.prepare_imports, imported by path (it lives outside the project)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("upstream_imports", helper)
    if spec is None or not os.path.isfile(helper):
        sys.exit(f"ingest_upstream_peer: {helper} not found (--imports-helper)")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.prepare_imports(upstream)


def _model_args(tr, params):
    # The released shape's fixed fields (upstream's entropy_model config); sizes come from params.json.
    kwargs = dict(dim=params["dim"], n_layers=params["n_layers"], n_heads=params["n_heads"],
                  vocab_size=params["vocab_size"], max_seqlen=params["max_seqlen"],
                  ffn_dim_multiplier=params["ffn_dim_multiplier"], multiple_of=params["multiple_of"],
                  norm_eps=params["norm_eps"], rope_theta=params["rope_theta"],
                  attn_bias_type="local_block_causal", sliding_window=params["sliding_window"])
    # sdpa is the only attention upstream runs on CPU (see the module docstring)
    kwargs["attn_impl"] = "sdpa"
    return tr.LMTransformerArgs(**kwargs)


def save_weights(U, a):
    import torch
    tr = U["tr"]
    params = {"dim": a.dim, "n_layers": a.layers, "n_heads": a.heads, "vocab_size": 260, "max_seqlen": 8192,
              "ffn_dim_multiplier": 1.0, "multiple_of": 256, "norm_eps": 1e-5, "rope_theta": 10000.0,
              "sliding_window": a.window, "attn_bias_type": "local_block_causal"}
    torch.manual_seed(0)
    model = tr.LMTransformer(_model_args(tr, params))
    model.init_weights()
    os.makedirs(a.save_weights, exist_ok=True)
    torch.save({"model": model.state_dict()}, os.path.join(a.save_weights, "consolidated.pth"))
    with open(os.path.join(a.save_weights, "params.json"), "w") as f:
        json.dump({"entropy_model": params}, f, indent=1)
        f.write("\n")
    n = sum(t.numel() for t in model.parameters())
    print(f"saved {a.save_weights}/consolidated.pth + params.json: dim {a.dim}, {a.layers} layers, "
          f"{a.heads} heads, window {a.window}, {n} parameters", flush=True)


def run(U, a):
    import torch
    # upstream_imports set the flex-attention switch; this one is upstream's documented escape to plain causal
    os.environ["BLT_SUPPRESS_ATTN_ERROR"] = "1"
    torch.set_num_threads(a.threads)
    tr, pt, tk = U["tr"], U["pt"], U["tk"]

    t0 = time.perf_counter()
    with open(os.path.join(a.weights, "params.json")) as f:
        params = json.load(f)["entropy_model"]
    model = tr.LMTransformer(_model_args(tr, params))
    state = torch.load(os.path.join(a.weights, "consolidated.pth"), map_location="cpu")["model"]
    model.load_state_dict(state)  # strict: every tensor must be there (upstream loads with strict=False)
    model.eval()
    for p in model.parameters():
        p.requires_grad = False
    load_s = time.perf_counter() - t0

    tokenizer = tk.BltTokenizer()  # upstream's defaults: add_bos=True, add_eos=True, no BPE delimiters
    dump_ids = set(filter(None, (a.dump_ids or "").split(",")))
    dumped = {}
    docs = real = padded = patches = 0
    t1 = time.perf_counter()
    with open(a.corpus, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            doc = json.loads(line)
            tokens = torch.tensor(tokenizer.encode(doc["text"]))
            scores, _ = pt.calculate_entropies(tokens[None], model, patching_batch_size=1, device="cpu")
            starts = pt.find_entropy_patch_start_ids(scores, threshold=a.threshold, include_next_token=False)
            n = tokens.numel()
            docs += 1
            real += n
            padded += -(-n // UPSTREAM_MAX_LENGTH) * UPSTREAM_MAX_LENGTH
            patches += starts.shape[1]
            if doc["id"] in dump_ids:
                dumped[doc["id"]] = {"tokens": tokens.tolist(), "entropies": scores[0].tolist(),
                                     "patch_starts": starts[0].tolist()}
    loop_s = time.perf_counter() - t1

    if a.dump:
        with open(a.dump, "w") as f:
            json.dump(dumped, f)
    # ru_maxrss is in KB on Linux
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    result = {"docs": docs, "tokens": real, "padded_tokens": padded, "patches": patches,
              "load_seconds": round(load_s, 3), "loop_seconds": round(loop_s, 3),
              "tokens_per_second": round(real / loop_s, 2) if loop_s > 0 else None,
              "padded_tokens_per_second": round(padded / loop_s, 2) if loop_s > 0 else None,
              "peak_rss_mb": round(peak_mb, 1), "threads": a.threads, "torch": torch.__version__,
              "attention": "sdpa, plain causal (BLT_SUPPRESS_ATTN_ERROR=1)"}
    print("result " + json.dumps(result), flush=True)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--upstream", required=True, help="facebookresearch/blt source checkout")
    p.add_argument("--imports-helper", default=os.path.join(here, "..", "..", "shared", "peer",
                                                            "upstream_imports.py"),
                   help="path of upstream_imports.py (default: ../shared/peer/ beside the project)")
    g = p.add_argument_group("make weights")
    g.add_argument("--save-weights", metavar="DIR", help="write consolidated.pth + params.json here and exit")
    g.add_argument("--dim", type=int, default=768)
    g.add_argument("--layers", type=int, default=14)
    g.add_argument("--heads", type=int, default=12)
    g.add_argument("--window", type=int, default=512, help="sliding_window written to params.json")
    g = p.add_argument_group("run")
    g.add_argument("--weights", metavar="DIR", help="folder with consolidated.pth + params.json")
    g.add_argument("--corpus", metavar="FILE", help="JSONL, one {\"id\", \"text\"} per line")
    g.add_argument("--threads", type=int, default=2)
    g.add_argument("--threshold", type=float, default=RELEASED_THRESHOLD)
    g.add_argument("--dump", metavar="FILE", help="write tokens, entropies, patch starts of --dump-ids as JSON")
    g.add_argument("--dump-ids", metavar="ID,ID", help="comma-separated document ids to dump")
    a = p.parse_args()
    if not a.save_weights and not (a.weights and a.corpus):
        p.error("give --save-weights DIR, or --weights DIR and --corpus FILE")
    U = _load_upstream(a.upstream, os.path.abspath(a.imports_helper))
    if a.save_weights:
        save_weights(U, a)
    else:
        run(U, a)


if __name__ == "__main__":
    main()
