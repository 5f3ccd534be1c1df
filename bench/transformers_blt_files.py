"""Writes the test folders in Hugging Face transformers' BLT layout from the project's GQA fixture.

Run once (the outputs are committed under blt-samediff/src/test/resources/transformers-blt/):

    python3 -m venv /tmp/hf-venv
    /tmp/hf-venv/bin/pip install torch transformers safetensors numpy
    /tmp/hf-venv/bin/python bench/transformers_blt_files.py /work/shared/fixtures/upstream \
        blt-samediff/src/test/resources/transformers-blt

The files were made with transformers 5.18.0 and torch 2.13.0 (CPU). transformers itself builds and saves the
models (save_pretrained, safetensors); only the fixture's weights are put in with load_state_dict, under the
names transformers' conversion script gives upstream's tensors. Before saving, the patcher's logits on one
fixture sequence are compared with upstream's: the fixture uses a plain causal mask and sequences shorter than
512, so transformers' causal BltPatcher must reproduce them, which checks the renaming.
"""
import json
import os
import sys

import torch
import transformers
from safetensors.torch import load_file
from transformers import BltConfig, BltForCausalLM, BltPatcher
from transformers.models.blt.configuration_blt import BltPatcherConfig

# upstream state-dict name part -> transformers' (as in transformers' convert_blt_weights_to_hf.py)
RENAMES = [(".attention.wq.", ".self_attn.q_proj."), (".attention.wk.", ".self_attn.k_proj."),
           (".attention.wv.", ".self_attn.v_proj."), (".attention.wo.", ".self_attn.o_proj."),
           (".feed_forward.w1.", ".mlp.gate_proj."), (".feed_forward.w2.", ".mlp.down_proj."),
           (".feed_forward.w3.", ".mlp.up_proj."), (".attention_norm.", ".input_layernorm."),
           (".ffn_norm.", ".post_attention_layernorm.")]


def to_transformers(name):
    if name == "tok_embeddings.weight":
        return "embed_tokens.weight"
    if name == "output.weight":
        return "lm_head.weight"
    for old, new in RENAMES:
        name = name.replace(old, new)
    return name


def main(fixtures, out):
    args = json.load(open(os.path.join(fixtures, "entropy_gqa.json")))["lm_transformer_args"]
    tensors = load_file(os.path.join(fixtures, "entropy_gqa.safetensors"))
    state = {to_transformers(k): v for k, v in tensors.items() if not k.startswith("fixture.")}
    hidden = args["multiple_of"] * -(-int(8 * args["dim"] / 3) // args["multiple_of"])
    patcher_config = dict(vocab_size=args["vocab_size"], hidden_size=args["dim"], num_hidden_layers=args["n_layers"],
                          num_attention_heads=args["n_heads"], num_key_value_heads=args["n_kv_heads"],
                          max_position_embeddings=args["max_seqlen"], rms_norm_eps=args["norm_eps"],
                          intermediate_size=hidden,
                          rope_parameters={"rope_type": "default", "rope_theta": args["rope_theta"]})

    patcher = BltPatcher(BltPatcherConfig(**patcher_config))
    patcher.load_state_dict(state, strict=True)
    patcher.eval()
    tokens = tensors["fixture.short.tokens"].long().unsqueeze(0)
    with torch.no_grad():
        _, _, logits = patcher(tokens)
    diff = (logits[0] - tensors["fixture.short.logits"].reshape(logits.shape[1:])).abs().max().item()
    print("patcher logits vs upstream fixture: max abs diff", diff)
    assert diff < 1e-4, diff
    patcher.save_pretrained(os.path.join(out, "patcher"), safe_serialization=True)

    # a whole model, tiny apart from its patcher, stored in bf16 and in shards of 100 KB
    config = BltConfig(vocab_size=args["vocab_size"], patch_in_forward=True, patch_size=4,
                       encoder_hash_byte_group_size=[3, 4], encoder_hash_byte_group_vocab=8,
                       encoder_hash_byte_group_nb_functions=1, cross_attn_k=2,
                       patcher_config=patcher_config,
                       encoder_config=dict(hidden_size=16, num_attention_heads=2, num_hidden_layers=1,
                                           intermediate_size=32, hidden_size_global=32),
                       decoder_config=dict(hidden_size=16, num_attention_heads=2, num_hidden_layers=1,
                                           intermediate_size=32, hidden_size_global=32),
                       global_config=dict(hidden_size=32, num_attention_heads=2, num_hidden_layers=1,
                                          intermediate_size=64))
    torch.manual_seed(0)
    model = BltForCausalLM(config)
    model.model.patcher.load_state_dict(state, strict=True)
    model.to(torch.bfloat16)
    model.save_pretrained(os.path.join(out, "causal-lm"), safe_serialization=True, max_shard_size="100KB")
    print("transformers", transformers.__version__, "torch", torch.__version__)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
