"""A stand-in for ChatGLM3's remote code, written here (no hub): a tiny model whose config.json maps
its classes to modeling files in the model's own folder (`auto_map`), loaded only with
trust_remote_code=True, shaped where it matters to the cells the way THUDM/chatglm3-6b's
modeling_chatglm.py is (read in a public copy of it, not copied):

- model_type "chatglm", architectures ["ChatGLMModel"], ChatGLM3's vocabulary (padded_vocab_size
  65,024), so the cells pick ChatGLM3's stack (codegen/remoteStack.ts);
- the output layer is `transformer.output_layer`, applied to sequence-first hidden states
  [seq, batch, hidden]; there is no `lm_head` and no `get_output_embeddings` override (transformers
  returns None: what TRL's fused head cannot serve);
- per block a fused `query_key_value` (multi-query: 2 key/value groups), `dense`, a SwiGLU
  `dense_h_to_4h` / `dense_4h_to_h`, RMSNorms; the forward computes its own loss from `labels`
  (shifted, in fp32);
- gradient checkpointing in the pre-4.35 format (`_set_gradient_checkpointing(module, value)`),
  which transformers 4 and 5 both fall back to.

The tokenizer is a word-level one over the tiny datasets' words, with ChatGLM3's prefix tokens
([gMASK], sop) and role tokens in a chat template of its form.
"""
import json
import os

import tiny_models as tiny

CONFIGURATION = '''\
from transformers import PretrainedConfig


class ChatGLMConfig(PretrainedConfig):
    model_type = "chatglm"

    def __init__(self, num_layers=2, padded_vocab_size=65024, hidden_size=64, ffn_hidden_size=128,
                 kv_channels=16, num_attention_heads=4, multi_query_attention=True, multi_query_group_num=2,
                 add_qkv_bias=True, add_bias_linear=False, rmsnorm=True, post_layer_norm=True,
                 layernorm_epsilon=1e-5, seq_length=256, **kwargs):
        self.num_layers = num_layers
        self.num_hidden_layers = num_layers  # GLM-4's config has both names; transformers 5's generate reads this one
        self.padded_vocab_size = padded_vocab_size
        self.hidden_size = hidden_size
        self.ffn_hidden_size = ffn_hidden_size
        self.kv_channels = kv_channels
        self.num_attention_heads = num_attention_heads
        self.multi_query_attention = multi_query_attention
        self.multi_query_group_num = multi_query_group_num
        self.add_qkv_bias = add_qkv_bias
        self.add_bias_linear = add_bias_linear
        self.rmsnorm = rmsnorm
        self.post_layer_norm = post_layer_norm
        self.layernorm_epsilon = layernorm_epsilon
        self.seq_length = seq_length
        super().__init__(**kwargs)
'''

MODELING = '''\
import torch
import torch.nn.functional as F
import torch.utils.checkpoint
from torch import nn
from transformers import GenerationMixin, PreTrainedModel
from transformers.modeling_outputs import BaseModelOutput, CausalLMOutputWithPast

from .configuration_chatglm import ChatGLMConfig


class RMSNorm(nn.Module):
    def __init__(self, size, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x):
        variance = x.float().pow(2).mean(-1, keepdim=True)
        return (self.weight * (x.float() * torch.rsqrt(variance + self.eps))).to(x.dtype)


class SelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.heads, self.groups, self.head_dim = config.num_attention_heads, config.multi_query_group_num, config.kv_channels
        width = self.heads * self.head_dim + 2 * self.groups * self.head_dim
        self.query_key_value = nn.Linear(config.hidden_size, width, bias=config.add_qkv_bias)
        self.dense = nn.Linear(self.heads * self.head_dim, config.hidden_size, bias=config.add_bias_linear)

    def forward(self, x, mask):
        # x: [seq, batch, hidden], sequence first
        seq, batch = x.shape[0], x.shape[1]
        q, k, v = self.query_key_value(x).split(
            [self.heads * self.head_dim, self.groups * self.head_dim, self.groups * self.head_dim], dim=-1)
        q = q.view(seq, batch, self.heads, self.head_dim).permute(1, 2, 0, 3)
        k = k.view(seq, batch, self.groups, self.head_dim).permute(1, 2, 0, 3).repeat_interleave(self.heads // self.groups, 1)
        v = v.view(seq, batch, self.groups, self.head_dim).permute(1, 2, 0, 3).repeat_interleave(self.heads // self.groups, 1)
        if mask is None:
            out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.dense(out.permute(2, 0, 1, 3).reshape(seq, batch, -1))


class MLP(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.dense_h_to_4h = nn.Linear(config.hidden_size, 2 * config.ffn_hidden_size, bias=config.add_bias_linear)
        self.dense_4h_to_h = nn.Linear(config.ffn_hidden_size, config.hidden_size, bias=config.add_bias_linear)

    def forward(self, x):
        gate, up = self.dense_h_to_4h(x).chunk(2, dim=-1)
        return self.dense_4h_to_h(F.silu(gate) * up)


class GLMBlock(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.input_layernorm = RMSNorm(config.hidden_size, config.layernorm_epsilon)
        self.self_attention = SelfAttention(config)
        self.post_attention_layernorm = RMSNorm(config.hidden_size, config.layernorm_epsilon)
        self.mlp = MLP(config)

    def forward(self, x, mask):
        x = x + self.self_attention(self.input_layernorm(x), mask)
        return x + self.mlp(self.post_attention_layernorm(x))


class GLMTransformer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.layers = nn.ModuleList([GLMBlock(config) for _ in range(config.num_layers)])
        self.final_layernorm = RMSNorm(config.hidden_size, config.layernorm_epsilon)
        self.gradient_checkpointing = False

    def forward(self, x, mask):
        for layer in self.layers:
            if self.gradient_checkpointing and self.training:
                x = torch.utils.checkpoint.checkpoint(layer, x, mask, use_reentrant=False)
            else:
                x = layer(x, mask)
        return self.final_layernorm(x)


class ChatGLMPreTrainedModel(PreTrainedModel):
    config_class = ChatGLMConfig
    base_model_prefix = "transformer"
    supports_gradient_checkpointing = True
    _no_split_modules = ["GLMBlock"]

    def _init_weights(self, module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            module.weight.data.normal_(0.0, 0.02)
            if getattr(module, "bias", None) is not None:
                module.bias.data.zero_()

    def _set_gradient_checkpointing(self, module, value=False):
        # The format of remote code written before transformers 4.35 (ChatGLM3's, Baichuan 2's).
        if isinstance(module, GLMTransformer):
            module.gradient_checkpointing = value


class Embedding(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.padded_vocab_size, config.hidden_size)

    def forward(self, input_ids):
        return self.word_embeddings(input_ids).transpose(0, 1).contiguous()  # [seq, batch, hidden]


class ChatGLMModel(ChatGLMPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.embedding = Embedding(config)
        self.encoder = GLMTransformer(config)
        self.output_layer = nn.Linear(config.hidden_size, config.padded_vocab_size, bias=False)
        self.post_init()

    def get_input_embeddings(self):
        return self.embedding.word_embeddings

    def forward(self, input_ids=None, attention_mask=None, inputs_embeds=None, **kwargs):
        x = self.embedding(input_ids) if inputs_embeds is None else inputs_embeds.transpose(0, 1)
        mask = None
        if attention_mask is not None and not bool(attention_mask.all()):
            seq = x.shape[0]
            causal = torch.ones(seq, seq, dtype=torch.bool, device=x.device).tril()
            mask = causal[None, None] & attention_mask.bool()[:, None, None, :]
        return BaseModelOutput(last_hidden_state=self.encoder(x, mask))


class ChatGLMForConditionalGeneration(ChatGLMPreTrainedModel, GenerationMixin):
    def __init__(self, config):
        super().__init__(config)
        self.transformer = ChatGLMModel(config)
        self.post_init()

    def forward(self, input_ids=None, attention_mask=None, position_ids=None, past_key_values=None,
                inputs_embeds=None, labels=None, use_cache=None, output_attentions=None,
                output_hidden_states=None, return_dict=None, **kwargs):
        hidden = self.transformer(input_ids=input_ids, attention_mask=attention_mask, inputs_embeds=inputs_embeds).last_hidden_state
        logits = self.transformer.output_layer(hidden).transpose(0, 1).contiguous()  # [batch, seq, vocab]
        loss = None
        if labels is not None:
            shifted = logits[:, :-1].float()
            loss = F.cross_entropy(shifted.reshape(-1, shifted.shape[-1]), labels[:, 1:].reshape(-1), ignore_index=-100)
        return CausalLMOutputWithPast(loss=loss, logits=logits)

    def prepare_inputs_for_generation(self, input_ids, attention_mask=None, **kwargs):
        # No cache: the whole text so far, every step (a stand-in need not be fast).
        return {"input_ids": input_ids, "attention_mask": attention_mask}
'''

CONFIG = {
    "model_type": "chatglm",
    "architectures": ["ChatGLMModel"],
    "auto_map": {
        "AutoConfig": "configuration_chatglm.ChatGLMConfig",
        "AutoModel": "modeling_chatglm.ChatGLMForConditionalGeneration",
        "AutoModelForCausalLM": "modeling_chatglm.ChatGLMForConditionalGeneration",
    },
    "num_layers": 2,
    "padded_vocab_size": 65024,
    "hidden_size": 64,
    "ffn_hidden_size": 128,
    "kv_channels": 16,
    "num_attention_heads": 4,
    "multi_query_attention": True,
    "multi_query_group_num": 2,
    "add_qkv_bias": True,
    "add_bias_linear": False,
    "rmsnorm": True,
    "post_layer_norm": True,
    "layernorm_epsilon": 1e-05,
    "seq_length": 256,
    "tie_word_embeddings": False,
    "torch_dtype": "float32",
}

# ChatGLM3's chat form: the prefix once, then each turn after its role token.
CHAT_TEMPLATE = (
    "{% for m in messages %}{% if loop.first %}[gMASK]sop{% endif %}<|{{ m['role'] }}|>\n{{ m['content'] }}{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)


def _tokenizer():
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    specials = ["<unk>", "<s>", "</s>", "<pad>", "[gMASK]", "sop", "<|system|>", "<|user|>", "<|assistant|>"]
    vocab = {token: i for i, token in enumerate(specials + tiny.WORDS)}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    tok = PreTrainedTokenizerFast(tokenizer_object=core, unk_token="<unk>", bos_token="<s>", eos_token="</s>",
                                  pad_token="<pad>", additional_special_tokens=specials[4:],
                                  # ChatGLM's tokenizer returns no token_type_ids (which its generate would refuse)
                                  model_input_names=["input_ids", "attention_mask"])
    tok.chat_template = CHAT_TEMPLATE
    return tok


def build_chatglm(folder):
    """Write the stand-in (config.json with auto_map, its two code files, random weights, tokenizer)."""
    import importlib
    import importlib.util
    import sys

    import torch

    os.makedirs(folder, exist_ok=True)
    for name, text in (("configuration_chatglm.py", CONFIGURATION), ("modeling_chatglm.py", MODELING)):
        with open(os.path.join(folder, name), "w") as f:
            f.write(text)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(CONFIG, f, indent=1)
    # The weights, made by the folder's own classes (loaded as transformers would: a package).
    package = "standin_chatglm_%d" % abs(hash(folder))
    spec = importlib.util.spec_from_file_location(package, os.path.join(folder, "__init__.py"), submodule_search_locations=[folder])
    open(os.path.join(folder, "__init__.py"), "w").close()
    module = importlib.util.module_from_spec(spec)
    sys.modules[package] = module
    spec.loader.exec_module(module)
    configuration = importlib.import_module(package + ".configuration_chatglm")
    modeling = importlib.import_module(package + ".modeling_chatglm")
    torch.manual_seed(0)
    fields = {k: v for k, v in CONFIG.items() if k not in ("model_type", "auto_map", "torch_dtype")}
    model = modeling.ChatGLMForConditionalGeneration(configuration.ChatGLMConfig(**fields))
    os.remove(os.path.join(folder, "__init__.py"))
    from safetensors.torch import save_file

    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
    _tokenizer().save_pretrained(folder)
    # transformers 5 names its class TokenizersBackend; the pinned 4.x stacks know it by its old name.
    path = os.path.join(folder, "tokenizer_config.json")
    with open(path) as f:
        tokenizer_config = json.load(f)
    tokenizer_config["tokenizer_class"] = "PreTrainedTokenizerFast"
    with open(path, "w") as f:
        json.dump(tokenizer_config, f, indent=1)
    return folder
