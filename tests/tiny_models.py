"""Tiny random models of the main families, saved like a downloaded checkpoint (no hub needed).

Each folder holds config.json, the weights and a word-level tokenizer built from the words of
the tiny dataset, so the generated cells load it exactly as they would a real model.
"""
import json
import os

# A chat template in the common ChatML form (Qwen2's), so the "try it" cell takes its chat path.
CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

TEXTS = [
    "the model learns to answer short questions",
    "fine tuning adapts a language model to your data",
    "a small adapter is trained while the base stays frozen",
    "quantized weights take four bits each",
    "this sentence is positive and happy",
    "this sentence is negative and sad",
]
WORDS = sorted({w for t in TEXTS for w in t.split()} | {"what", "is", "explain", "means", "in", "two", "sentences"})

FAMILIES = ("llama", "qwen2", "gpt2", "bert")


def _tokenizer(family):
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    if family == "bert":
        specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
    else:
        specials = ["<pad>", "<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"]
    vocab = {tok: i for i, tok in enumerate(specials + WORDS + ["user", "assistant", "system", "\n"])}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token=specials[1]))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    if family == "bert":
        core.post_processor = processors.TemplateProcessing(
            single="[CLS] $A [SEP]", special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
        tok = PreTrainedTokenizerFast(tokenizer_object=core, pad_token="[PAD]", unk_token="[UNK]",
                                      cls_token="[CLS]", sep_token="[SEP]")
    else:
        tok = PreTrainedTokenizerFast(tokenizer_object=core, unk_token="<unk>", bos_token="<s>", eos_token="</s>",
                                      additional_special_tokens=["<|im_start|>", "<|im_end|>"])
        if family in ("llama", "qwen2"):
            tok.chat_template = CHATML
        # gpt2 keeps no pad token and no chat template: the cells must cope with both.
    return tok


def _config(family, vocab_size):
    from transformers import BertConfig, GPT2Config, LlamaConfig, Qwen2Config

    if family == "llama":
        return LlamaConfig(vocab_size=vocab_size, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                           num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                           bos_token_id=2, eos_token_id=3, pad_token_id=0)
    if family == "qwen2":
        return Qwen2Config(vocab_size=vocab_size, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                           num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                           tie_word_embeddings=True, bos_token_id=2, eos_token_id=3)
    if family == "gpt2":
        return GPT2Config(vocab_size=vocab_size, n_embd=64, n_layer=2, n_head=4, n_positions=256,
                          bos_token_id=2, eos_token_id=3)
    return BertConfig(vocab_size=vocab_size, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                      num_attention_heads=4, max_position_embeddings=256, pad_token_id=0,
                      architectures=["BertForMaskedLM"])


def build(family, folder):
    """Save a tiny random `family` model with its tokenizer into `folder`; return the folder."""
    import torch
    from transformers import AutoModelForCausalLM, AutoModelForMaskedLM

    torch.manual_seed(0)
    tok = _tokenizer(family)
    # Room above the tokenizer's ids: transformers may map a family to its own tokenizer class on
    # loading (Qwen2 adds a padding token), so the model's vocabulary must not end at len(tok).
    config = _config(family, len(tok) + 16)
    auto = AutoModelForMaskedLM if family == "bert" else AutoModelForCausalLM
    model = auto.from_config(config, dtype=torch.float32)
    os.makedirs(folder, exist_ok=True)
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


def write_dataset(path, classification=False):
    """A tiny .jsonl dataset: "text" rows for generation, "text" + "label" rows for classification."""
    with open(path, "w") as f:
        for i, text in enumerate(TEXTS):
            row = {"text": text, "label": i % 2} if classification else {"text": text}
            f.write(json.dumps(row) + "\n")
    return path
