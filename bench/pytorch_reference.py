"""Forward throughput of the released entropy model's shape in PyTorch, for side-by-side timing with ./blt bench.

An independent eager implementation written from the model's definition (not upstream's code): RMSNorm, interleaved
RoPE (theta 10000), dense causal attention (what upstream's CPU path computes; torch < 2.0 has no sdpa, so it is
written out), SwiGLU FFN, untied output head, entropies from log-softmax. Random weights, float32, no grad.

    python3 bench/pytorch_reference.py --seq 1024 --batch 1 --threads 2 --runs 5

Prints tokens_per_second=<median> last, like ./blt bench. Not run in CI (PyTorch is not a project dependency).
With --paced it speaks bench/side_by_side.py's protocol, as ./blt bench --paced does.
"""
import argparse
import statistics
import sys
import time

import torch

DIM, LAYERS, HEADS, VOCAB, HIDDEN = 768, 14, 12, 260, 2048
HEAD_DIM = DIM // HEADS


def rope_tables(seq):
    freqs = 1.0 / (10000.0 ** (torch.arange(0, HEAD_DIM, 2).float() / HEAD_DIM))
    angles = torch.outer(torch.arange(seq).float(), freqs)            # [S, hd/2]
    return angles.cos(), angles.sin()


def rope(x, cos, sin):                                                 # x [B, S, H, hd], pairs (2i, 2i+1)
    x = x.view(*x.shape[:-1], HEAD_DIM // 2, 2)
    a, b = x[..., 0], x[..., 1]
    c, s = cos[None, :, None, :], sin[None, :, None, :]
    return torch.stack((a * c - b * s, a * s + b * c), dim=-1).flatten(-2)


def rms_norm(x, w):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * w


def make_weights():
    g = torch.Generator().manual_seed(1)
    r = lambda *shape: torch.randn(*shape, generator=g) * 0.02
    layers = [dict(wq=r(DIM, DIM), wk=r(DIM, DIM), wv=r(DIM, DIM), wo=r(DIM, DIM), w1=r(HIDDEN, DIM),
                   w2=r(DIM, HIDDEN), w3=r(HIDDEN, DIM), an=torch.ones(DIM), fn=torch.ones(DIM))
              for _ in range(LAYERS)]
    return dict(emb=r(VOCAB, DIM), layers=layers, norm=torch.ones(DIM), out=r(VOCAB, DIM))


def forward(w, tokens):
    b, s = tokens.shape
    cos, sin = rope_tables(s)
    mask = torch.full((s, s), float("-inf")).triu(1)
    x = w["emb"][tokens]
    for l in w["layers"]:
        h = rms_norm(x, l["an"])
        q = rope((h @ l["wq"].T).view(b, s, HEADS, HEAD_DIM), cos, sin).transpose(1, 2)
        k = rope((h @ l["wk"].T).view(b, s, HEADS, HEAD_DIM), cos, sin).transpose(1, 2)
        v = (h @ l["wv"].T).view(b, s, HEADS, HEAD_DIM).transpose(1, 2)
        att = torch.softmax(q @ k.transpose(-1, -2) / HEAD_DIM ** 0.5 + mask, dim=-1) @ v
        x = x + att.transpose(1, 2).reshape(b, s, DIM) @ l["wo"].T
        h = rms_norm(x, l["fn"])
        x = x + (torch.nn.functional.silu(h @ l["w1"].T) * (h @ l["w3"].T)) @ l["w2"].T
    logp = torch.log_softmax(rms_norm(x, w["norm"]) @ w["out"].T, dim=-1)
    return -(logp.exp() * logp).sum(-1), x.norm(dim=-1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seq", type=int, default=1024)
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--paced", action="store_true",
                   help="print 'ready', then run once per stdin line, printing seconds=<s>, until end of input")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    w = make_weights()
    tokens = torch.randint(4, 260, (a.batch, a.seq))
    times = []
    with torch.no_grad():
        forward(w, tokens)
        if a.paced:
            print("ready", flush=True)
        for _ in (sys.stdin if a.paced else range(a.runs)):
            t = time.perf_counter()
            forward(w, tokens)
            times.append(time.perf_counter() - t)
            if a.paced:
                print(f"seconds={times[-1]:.6f}", flush=True)
    print(f"torch={torch.__version__} seq={a.seq} batch={a.batch} threads={a.threads}")
    print(f"median_seconds={statistics.median(times):.4f}")
    print(f"tokens_per_second={a.seq * a.batch / statistics.median(times):.2f}")


if __name__ == "__main__":
    main()
