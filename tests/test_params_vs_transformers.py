"""Our parameter counts (`model-advisor params`) against the models themselves.

For every catalog model whose family transformers ships, the class in `architectures[0]` is
built from the catalog's config on the meta device (no weights, no download) and
`sum(p.numel() for p in model.parameters())` — tied tensors once — must equal our count
exactly. Families whose code lives in the model's repository (trust_remote_code) are checked
against what their authors publish, cited per model.
"""
import json
import os
import subprocess

import pytest
import torch
import transformers
from transformers import CONFIG_MAPPING, AutoConfig, AutoModelForCausalLM

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(REPO, "lib", "cli.js")

with open(os.path.join(REPO, "src", "core", "catalog", "models.json")) as f:
    CATALOG = json.load(f)

NATIVE = [m for m in CATALOG if m["config"]["model_type"] in CONFIG_MAPPING]
REMOTE = [m for m in CATALOG if m["config"]["model_type"] not in CONFIG_MAPPING]


@pytest.fixture(scope="session")
def our_count(tmp_path_factory):
    """our_count(config) -> the JSON `node lib/cli.js params <config.json> --json` prints."""
    subprocess.run(["npm", "run", "build:lib"], cwd=REPO, check=True, capture_output=True)
    folder = tmp_path_factory.mktemp("configs")

    def count(config, name="config.json"):
        path = folder / name.replace("/", "__")
        path.write_text(json.dumps(config))
        done = subprocess.run(["node", CLI, "params", str(path), "--json"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return count


def transformers_count(config):
    """Parameters of `architectures[0]` built by transformers from this config, on the meta device."""
    fields = {k: v for k, v in config.items() if k not in ("model_type", "architectures")}
    built_config = AutoConfig.for_model(config["model_type"], **fields)
    model_class = getattr(transformers, config["architectures"][0])
    with torch.device("meta"):
        model = model_class(built_config)
    return sum(p.numel() for p in model.parameters())


def causal_lm_count(config):
    """What our cells' load class builds from this config, on the meta device: `AutoModelForCausalLM`,
    or for Gemma 3n the text class `Gemma3nForCausalLM` the cells name (its multimodal class needs timm;
    params/families/gemma4.ts says why the cells load the text model alone)."""
    fields = {k: v for k, v in config.items() if k not in ("model_type", "architectures")}
    built = AutoConfig.for_model(config["model_type"], **fields)
    with torch.device("meta"):
        if config["model_type"] == "gemma3n":
            model = transformers.Gemma3nForCausalLM(built.text_config)
        else:
            model = AutoModelForCausalLM.from_config(built)
    return type(model).__name__, sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("entry", NATIVE, ids=[m["id"] for m in NATIVE])
def test_count_equals_transformers(entry, our_count):
    ours = our_count(entry["config"], entry["id"])
    if ours["architecture"] == entry["config"]["architectures"][0]:
        assert ours["params"] == transformers_count(entry["config"]), ours["family"]
    else:
        # A vision-language checkpoint whose causal-LM class is its text model (Qwen3.5): we count
        # that class, because it is what the cells load.
        assert (ours["architecture"], ours["params"]) == causal_lm_count(entry["config"])


# The families added for issue 19, each built from its config class's own defaults (the whole
# `AutoConfig.for_model(type).to_dict()`, as a config.json that spells every field out), and a
# variant that turns the options on, so that the layout, not only the catalog's rows, is checked.
FAMILY_CONFIGS = {
    "gemma3_text": ("Gemma3ForCausalLM", {}),
    "gemma3": ("Gemma3ForConditionalGeneration", {}),
    "gemma3 (no pooling head)": ("Gemma3ForConditionalGeneration", {"vision_config": {
        "model_type": "siglip_vision_model", "hidden_size": 1152, "image_size": 896, "intermediate_size": 4304,
        "num_attention_heads": 16, "num_hidden_layers": 27, "patch_size": 14, "vision_use_head": False}}),
    "qwen3_5": ("Qwen3_5ForConditionalGeneration", {}),
    "qwen3_5_text": ("Qwen3_5ForCausalLM", {"tie_word_embeddings": True, "attention_bias": True}),
    "qwen3_next": ("Qwen3NextForCausalLM", {"num_hidden_layers": 8, "decoder_sparse_step": 2, "mlp_only_layers": [1]}),
    "gpt_oss": ("GptOssForCausalLM", {}),
    "olmo3": ("Olmo3ForCausalLM", {"num_key_value_heads": 8, "attention_bias": True}),
    "smollm3": ("SmolLM3ForCausalLM", {"mlp_bias": True, "tie_word_embeddings": False}),
    "glm4_moe": ("Glm4MoeForCausalLM", {"num_hidden_layers": 4, "head_dim": 128}),
    "glm4_moe (qk norms, shared experts)": ("Glm4MoeForCausalLM", {
        "num_hidden_layers": 4, "use_qk_norm": True, "first_k_dense_replace": 2, "n_shared_experts": 2, "attention_bias": True}),
    # Gemma 3n: AltUp, Laurel, per-layer embeddings, KV sharing; counted as the text class the cells load.
    "gemma3n_text": ("Gemma3nForCausalLM", {}),
    "gemma3n": ("Gemma3nForConditionalGeneration", {}),
    # Gemma 4: per-layer embeddings, KV sharing with double-wide MLPs, K = V full layers with their own
    # KV heads, the MoE block, and the vision and audio towers of Gemma4ForConditionalGeneration.
    "gemma4_text": ("Gemma4ForCausalLM", {}),
    "gemma4_text (kv sharing, k = v)": ("Gemma4ForCausalLM", {
        "num_kv_shared_layers": 10, "use_double_wide_mlp": True, "attention_k_eq_v": True, "num_global_key_value_heads": 2}),
    "gemma4_text (moe)": ("Gemma4ForCausalLM", {
        "num_hidden_layers": 6, "enable_moe_block": True, "num_experts": 16, "top_k_experts": 4, "moe_intermediate_size": 64,
        "hidden_size_per_layer_input": 0}),
    "gemma4 (vision, audio)": ("Gemma4ForConditionalGeneration", {
        "audio_config": {"model_type": "gemma4_audio"}, "vision_config": {"model_type": "gemma4_vision", "standardize": True}}),
    # Ministral 3: the text model, and the published mistral3 wrapper with Pixtral and the projector.
    "ministral3": ("Ministral3ForCausalLM", {}),
    "mistral3": ("Mistral3ForConditionalGeneration", {"text_config": {"model_type": "ministral3"}}),
    "mistral3 (tied, projector bias)": ("Mistral3ForConditionalGeneration", {
        "text_config": {"model_type": "ministral3", "tie_word_embeddings": True}, "tie_word_embeddings": True,
        "multimodal_projector_bias": True}),
}


@pytest.mark.parametrize("name", sorted(FAMILY_CONFIGS))
def test_new_family_from_its_config_class(name, our_count):
    family = name.split(" ")[0]
    architecture, overrides = FAMILY_CONFIGS[name]
    config = AutoConfig.for_model(family, **overrides).to_dict()
    for field in ("transformers_version", "dtype", "torch_dtype"):
        config.pop(field, None)
    config["architectures"] = [architecture]
    ours = our_count(config, name)
    if ours["architecture"] == architecture:
        assert ours["params"] == transformers_count(config)
    else:
        assert (ours["architecture"], ours["params"]) == causal_lm_count(config)


# Remote-code families: the published figure each count must reproduce.
# - THUDM/chatglm3-6b: its fp16 pytorch_model.bin.index.json says "total_size": 12487168064
#   (the same file as THUDM/chatglm2-6b, whose architecture and config it shares). The sum
#   includes the rotary `inv_freq` buffer, 32 fp16 values = 64 bytes, which is not a parameter.
# - Qwen/Qwen-7B: model.safetensors.index.json "total_size": 15442649088 (bf16, no buffers saved).
# - internlm/internlm2_5-7b-chat: its bf16 checkpoint holds 227 tensors of 7,737,708,544
#   elements (15,475,417,088 bytes), as recorded from the published safetensors.
PUBLISHED_TOTALS = {
    "THUDM/chatglm3-6b": (12487168064 - 64) // 2,
    "Qwen/Qwen-7B": 15442649088 // 2,
    "internlm/internlm2_5-7b-chat": 7737708544,
}


def native_equivalent(entry):
    """The transformers-native config its authors converted the same weights to, where they did.

    - THUDM/glm-4-9b-chat → THUDM/glm-4-9b-chat-hf (model_type "glm", GlmForCausalLM): the
      authors' own conversion of the same checkpoint into transformers' Glm classes.
    - Baichuan 2 publishes only rounded sizes ("7B", "13B"); its layout is Llama's with q, k, v
      fused into `W_pack` (3·h×h, the same parameters), an untied `NormHead` and no position
      weights (RoPE in 7B, ALiBi in 13B), so transformers' Llama of the same shape counts it.
    """
    c = entry["config"]
    if c["model_type"] == "chatglm":
        return {
            "model_type": "glm", "architectures": ["GlmForCausalLM"],
            "vocab_size": c["padded_vocab_size"], "hidden_size": c["hidden_size"],
            "intermediate_size": c["ffn_hidden_size"], "num_hidden_layers": c["num_layers"],
            "num_attention_heads": c["num_attention_heads"], "num_key_value_heads": c["multi_query_group_num"],
            "head_dim": c["kv_channels"], "attention_bias": c["add_qkv_bias"], "tie_word_embeddings": False,
            "pad_token_id": 0,
        }
    if c["model_type"] == "baichuan":
        return {
            "model_type": "llama", "architectures": ["LlamaForCausalLM"],
            "vocab_size": c["vocab_size"], "hidden_size": c["hidden_size"],
            "intermediate_size": c["intermediate_size"], "num_hidden_layers": c["num_hidden_layers"],
            "num_attention_heads": c["num_attention_heads"], "tie_word_embeddings": False, "pad_token_id": 0,
        }
    return None


@pytest.mark.parametrize("entry", REMOTE, ids=[m["id"] for m in REMOTE])
def test_remote_code_count_equals_published(entry, our_count):
    ours = our_count(entry["config"], entry["id"])["params"]
    if entry["id"] in PUBLISHED_TOTALS:
        assert ours == PUBLISHED_TOTALS[entry["id"]]
    equivalent = native_equivalent(entry)
    if equivalent is not None:
        assert ours == transformers_count(equivalent)
    assert entry["id"] in PUBLISHED_TOTALS or equivalent is not None, "no published figure to check against"


def test_every_catalog_model_is_checked():
    assert len(NATIVE) + len(REMOTE) == len(CATALOG)
    assert {m["config"]["model_type"] for m in REMOTE} <= {"chatglm", "baichuan", "qwen", "internlm2"}
