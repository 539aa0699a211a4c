"""The cache a generating model keeps, as we price it (src/core/memory/terms.ts `kvCacheBytes`),
against the cache transformers itself fills: a tiny random model of each family with layers that
do not keep a full KV cache — sliding-window layers (Gemma 3, gpt-oss, OLMo 3) keep the last
window of tokens, Gated DeltaNet layers (Qwen3.5, Qwen3-Next) a fixed-size state, KV-sharing layers
(Gemma 3n, Gemma 4) none — runs a prompt
on the CPU with `use_cache=True`, and the bytes of every tensor in its `past_key_values` must
equal ours, at two prompt lengths (so a cache that grew where it should not is caught).
"""
import json
import subprocess

import pytest
import torch
import transformers
from transformers import AutoConfig

from conftest import REPO

SMALL = dict(hidden_size=64, intermediate_size=96, num_attention_heads=4, num_key_value_heads=2, head_dim=16,
             vocab_size=128)
LINEAR = dict(linear_num_key_heads=2, linear_num_value_heads=4, linear_key_head_dim=8, linear_value_head_dim=8,
              linear_conv_kernel_dim=4)
CASES = {
    "gemma3_text": ("Gemma3ForCausalLM", dict(SMALL, num_hidden_layers=6, sliding_window=8)),
    "gpt_oss": ("GptOssForCausalLM", dict(SMALL, num_hidden_layers=4, sliding_window=8, num_local_experts=4,
                                          num_experts_per_tok=2)),
    "olmo3": ("Olmo3ForCausalLM", dict(SMALL, num_hidden_layers=4, sliding_window=8)),
    "qwen3_5_text": ("Qwen3_5ForCausalLM", dict(SMALL, num_hidden_layers=4, **LINEAR)),
    "qwen3_next": ("Qwen3NextForCausalLM", dict(SMALL, num_hidden_layers=4, num_experts=4, num_experts_per_tok=2,
                                                moe_intermediate_size=32, shared_expert_intermediate_size=32, **LINEAR)),
    "llama": ("LlamaForCausalLM", dict(SMALL, num_hidden_layers=2)),
    # KV sharing: the last layers reuse an earlier layer's cache and keep none (Gemma 3n, Gemma 4);
    # Gemma 4's full layers are wider (global_head_dim) and K = V there with their own KV heads.
    "gemma3n_text": ("Gemma3nForCausalLM", dict(SMALL, num_hidden_layers=10, num_kv_shared_layers=4, sliding_window=8,
                                                hidden_size_per_layer_input=16, vocab_size_per_layer_input=128,
                                                laurel_rank=8)),
    "gemma4_text": ("Gemma4ForCausalLM", dict(SMALL, num_hidden_layers=12, num_kv_shared_layers=4, sliding_window=8,
                                              global_head_dim=32, attention_k_eq_v=True, num_global_key_value_heads=1,
                                              hidden_size_per_layer_input=16, vocab_size_per_layer_input=128)),
}


def cache_bytes(cache):
    total = 0
    for value in vars(cache).values():
        for layer in value if isinstance(value, list) else []:
            for tensor in vars(layer).values():
                tensors = tensor if isinstance(tensor, (list, dict)) else [tensor]
                for t in (tensors.values() if isinstance(tensors, dict) else tensors):
                    if isinstance(t, torch.Tensor) and t.dim() > 1:
                        total += t.numel() * t.element_size()
    return total


def ours(config, tokens):
    script = (
        "const {modelShape}=require('./lib/core/memory/shape');const {kvCacheBytes}=require('./lib/core/memory/terms');"
        "const {findGpu}=require('./lib/core/gpu');const c=JSON.parse(process.argv[1]);"
        "process.stdout.write(String(kvCacheBytes(modelShape(c),{method:'inference',dtype:'fp32',seqLen:+process.argv[2],"
        "batch:1,gradAccum:1,loraR:16,loraAlpha:32,gradientCheckpointing:false,optimizer:'adamw_torch'},findGpu('cpu'))))"
    )
    done = subprocess.run(["node", "-e", script, json.dumps(config), str(tokens)], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


@pytest.mark.parametrize("family", sorted(CASES))
def test_cache_equals_transformers(family, built_lib):
    architecture, fields = CASES[family]
    built = AutoConfig.for_model(family, **fields)
    config = built.to_dict()
    for field in ("transformers_version", "dtype", "torch_dtype"):
        config.pop(field, None)
    config["architectures"] = [architecture]
    torch.manual_seed(0)
    model = getattr(transformers, architecture)(built).eval()
    for tokens in (5, 20):
        with torch.no_grad():
            out = model(torch.randint(0, 128, (1, tokens)), use_cache=True)
        assert cache_bytes(out.past_key_values) == ours(config, tokens), (family, tokens)
