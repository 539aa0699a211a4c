"""Tiny random models of every family the catalog names a native transformers class for, saved
like a downloaded checkpoint (no hub needed).

Each folder holds config.json, the weights and a word-level tokenizer built from the words of
the tiny datasets, so the generated cells load it exactly as they would a real model. A
generative family comes in two variants: with a chat template ("llama") and without one, like a
base model ("llama-base").
"""
import json
import os

# A chat template in the common ChatML form (Qwen2's), so the "try it" cell takes its chat path.
CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
# Qwen3's switch, as its own template has it: unless enable_thinking is false, the answer opens
# with a <think> block (and 64 new tokens are spent reasoning). With enable_thinking=False the
# template writes an empty block, so the model answers directly.
QWEN3_CHAT = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n"
    "{% if enable_thinking is defined and enable_thinking is false %}<think>\n\n</think>\n\n{% endif %}{% endif %}"
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

GENERATIVE = ("llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "phi3", "gpt2", "bloom")
# Families of the models people fine-tune now (issue 19): Gemma 3 text-only (1B) and multimodal
# (4B-27B: AutoModelForCausalLM builds Gemma3ForConditionalGeneration, vision tower and all),
# Qwen3.5's text model (hybrid Gated DeltaNet + gated attention), SmolLM3, OLMo 3. Chat
# variants only: the base-model path (no chat template) is the older families' to cover.
CURRENT = ("gemma3_text", "gemma3", "qwen3_5_text", "smollm3", "olmo3", "gpt_oss")
# Gemma 4 E-size (vision and audio towers, per-layer embeddings, KV sharing: AutoModelForCausalLM
# builds Gemma4ForConditionalGeneration), Gemma 3n as published (a multimodal checkpoint whose
# text model the cells load with Gemma3nForCausalLM) and Ministral 3 (mistral3: Pixtral +
# ministral3, loaded with AutoModelForImageTextToText). Two cases each in the matrix, not the
# rotation: test_cells_run.py NEWEST_CASES.
NEWEST = ("gemma4", "gemma3n", "mistral3")
ENCODERS = ("bert", "xlm-roberta")
SEQ2SEQ = ("t5", "mt5", "marian")
# Every family; an older generative one also as "<family>-base" (no chat template).
FAMILIES = GENERATIVE + CURRENT + NEWEST + ENCODERS + SEQ2SEQ
VARIANTS = tuple(f for g in GENERATIVE for f in (g, g + "-base")) + CURRENT + ENCODERS + SEQ2SEQ
# The newest families run two chosen cases each, not the rotation over VARIANTS.


def family_of(variant):
    if variant == "gpt2-chinese":
        return "gpt2"
    return variant[:-5] if variant.endswith("-base") else variant


def _bert_character_tokenizer():
    """GPT2-chinese's kind (uer/gpt2-chinese-cluecorpussmall): BERT's WordPiece tokenizer, one token
    per Chinese character, [CLS]/[SEP]/[PAD] and no end-of-text token, no chat template."""
    from transformers import BertTokenizerFast

    # Every CJK Unified Ideograph: the sample rows and prompts are encoded, not turned into [UNK].
    chars = [chr(c) for c in range(0x4E00, 0xA000)] + list("，。！？：；、（）“”0123456789")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + WORDS + chars
    return BertTokenizerFast(vocab={tok: i for i, tok in enumerate(vocab)}, tokenize_chinese_chars=True,
                             do_lower_case=False)


def _tokenizer(variant):
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    if variant == "gpt2-chinese":
        return _bert_character_tokenizer()
    family = family_of(variant)
    encoder = family in ENCODERS
    if encoder:
        specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
    else:
        specials = ["<pad>", "<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>", "<think>", "</think>"]
    vocab = {tok: i for i, tok in enumerate(specials + WORDS + ["user", "assistant", "system", "\n"])}
    if family == "qwen2":
        # transformers loads a qwen2 folder with Qwen2Tokenizer, which rebuilds a byte-level BPE from
        # the vocabulary: a word-level one would drop every unknown piece (a Chinese prompt becomes
        # zero tokens). A tiny byte-level BPE, trained on the sample texts, encodes any text.
        from tokenizers import decoders, trainers

        core = Tokenizer(models.BPE())
        core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        core.decoder = decoders.ByteLevel()
        core.train_from_iterator(TEXTS + WORDS, trainers.BpeTrainer(
            vocab_size=400, special_tokens=specials, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
        tok = PreTrainedTokenizerFast(tokenizer_object=core, unk_token="<unk>", bos_token="<s>", eos_token="</s>",
                                      additional_special_tokens=specials[4:])
        if not variant.endswith("-base"):
            tok.chat_template = CHATML
        return tok
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token=specials[1]))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    if encoder:
        core.post_processor = processors.TemplateProcessing(
            # A pair as BERT's tokenizer writes it (question answering): [CLS] A [SEP] B [SEP], B as type 1.
            single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
            special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
        return PreTrainedTokenizerFast(tokenizer_object=core, pad_token="[PAD]", unk_token="[UNK]",
                                       cls_token="[CLS]", sep_token="[SEP]")
    if family in SEQ2SEQ:
        core.post_processor = processors.TemplateProcessing(single="$A </s>", special_tokens=[("</s>", vocab["</s>"])])
        return PreTrainedTokenizerFast(tokenizer_object=core, pad_token="<pad>", unk_token="<unk>", eos_token="</s>")
    tok = PreTrainedTokenizerFast(tokenizer_object=core, unk_token="<unk>", bos_token="<s>", eos_token="</s>",
                                  additional_special_tokens=["<|im_start|>", "<|im_end|>", "<think>", "</think>"])
    if not variant.endswith("-base"):
        tok.chat_template = QWEN3_CHAT if family in ("qwen3", "qwen3_5_text") else CHATML
    # gpt2 and the -base variants keep no chat template; gpt2 no pad token: the cells must cope.
    return tok


def _config(family, vocab_size):
    import transformers as tf

    decoder = dict(vocab_size=vocab_size, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                   num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                   bos_token_id=2, eos_token_id=3)
    if family == "llama":
        return tf.LlamaConfig(**decoder, pad_token_id=0)
    if family == "mistral":
        return tf.MistralConfig(**decoder)
    if family == "qwen2":
        return tf.Qwen2Config(**decoder, tie_word_embeddings=True)
    if family == "qwen3":
        return tf.Qwen3Config(**decoder, head_dim=16, tie_word_embeddings=True)
    if family == "gemma":
        return tf.GemmaConfig(**decoder, head_dim=16, pad_token_id=0)
    if family == "gemma2":
        return tf.Gemma2Config(**decoder, head_dim=16, pad_token_id=0, sliding_window=64)
    if family == "phi3":
        return tf.Phi3Config(**decoder, pad_token_id=0)
    if family == "gemma3_text":
        return tf.Gemma3TextConfig(**decoder, head_dim=16, pad_token_id=0, sliding_window=8, sliding_window_pattern=2)
    if family == "gemma3":
        text = dict(decoder, head_dim=16, pad_token_id=0, sliding_window=8, sliding_window_pattern=2)
        vision = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                      image_size=28, patch_size=14, vision_use_head=False)
        return tf.Gemma3Config(text_config=text, vision_config=vision, mm_tokens_per_image=4,
                               boi_token_index=vocab_size - 3, eoi_token_index=vocab_size - 2,
                               image_token_index=vocab_size - 1)
    if family == "qwen3_5_text":
        # 32 value heads, as Qwen3.5-4B/9B have: in_proj_a/in_proj_b have one output per value head,
        # and bitsandbytes' CPU repacking of a 4-bit Linear for an eval forward asserts that outputs
        # come in blocks of 32 (functional.py `_convert_weight_packed_for_cpu`, AVX-512 BF16 CPUs).
        return tf.Qwen3_5TextConfig(**decoder, head_dim=16, tie_word_embeddings=True, linear_num_key_heads=2,
                                    linear_num_value_heads=32, linear_key_head_dim=8, linear_value_head_dim=8,
                                    layer_types=["linear_attention", "full_attention"])
    if family == "gemma4":
        # The E-sizes' layout in small: per-layer inputs, the last layer of each kind sharing K/V,
        # wider full-attention heads, double-wide MLPs on the sharing layers, both towers.
        text = dict(decoder, num_hidden_layers=4, head_dim=16, global_head_dim=32, pad_token_id=0, sliding_window=8,
                    layer_types=["sliding_attention", "full_attention"] * 2, num_kv_shared_layers=2,
                    hidden_size_per_layer_input=64, vocab_size_per_layer_input=vocab_size, use_double_wide_mlp=True)
        # Every 4-bit Linear at least 64 wide in and a multiple of 32 out: bitsandbytes' CPU
        # repacking for an eval forward (functional.py `_convert_weight_packed_for_cpu`) needs both.
        vision = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=1, num_attention_heads=2,
                      num_key_value_heads=2, head_dim=32)
        audio = dict(hidden_size=64, num_hidden_layers=1, num_attention_heads=2, output_proj_dims=64)
        return tf.Gemma4Config(text_config=text, vision_config=vision, audio_config=audio,
                               boi_token_id=vocab_size - 6, eoi_token_id=vocab_size - 5, image_token_id=vocab_size - 4,
                               video_token_id=vocab_size - 3, boa_token_id=vocab_size - 2, eoa_token_index=vocab_size - 1,
                               audio_token_id=vocab_size - 7)
    if family == "gemma3n":
        # The text config of a Gemma 3n checkpoint (built below as the published layout). Widths in
        # multiples of 32 for bitsandbytes' CPU repacking (see qwen3_5_text); AltUp's coefficient
        # layers (n and n² outputs: 4 and 16 in the real model) cannot be, so Gemma 3n runs LoRA only here.
        return tf.Gemma3nTextConfig(**dict(decoder, num_hidden_layers=4), head_dim=16, pad_token_id=0, sliding_window=8,
                                    layer_types=["sliding_attention", "full_attention"] * 2, num_kv_shared_layers=2,
                                    hidden_size_per_layer_input=64, vocab_size_per_layer_input=vocab_size,
                                    laurel_rank=32, altup_num_inputs=2, activation_sparsity_pattern=[0.0] * 4)
    if family == "mistral3":
        text = dict(decoder, model_type="ministral3", head_dim=16, pad_token_id=0)
        vision = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=1, num_attention_heads=2,
                      image_size=32, patch_size=16)
        return tf.Mistral3Config(text_config=text, vision_config=vision, image_token_index=vocab_size - 1,
                                 tie_word_embeddings=False)
    if family == "gpt_oss":
        # Random bf16 weights: the published MXFP4 experts (quantization_config quant_method mxfp4)
        # are what transformers dequantizes without the MXFP4 kernels; this is the dequantized model.
        return tf.GptOssConfig(**decoder, head_dim=16, pad_token_id=0, sliding_window=8, num_local_experts=4,
                               num_experts_per_tok=2, layer_types=["sliding_attention", "full_attention"])
    if family == "smollm3":
        return tf.SmolLM3Config(**decoder, pad_token_id=0)
    if family == "olmo3":
        return tf.Olmo3Config(**decoder, pad_token_id=0, sliding_window=8,
                              layer_types=["sliding_attention", "full_attention"])
    if family == "gpt2-chinese":
        # uer's config names no bos/eos: GPT2Config's defaults (50256) lie outside its 21,128 tokens.
        return tf.GPT2Config(vocab_size=vocab_size, n_embd=64, n_layer=2, n_head=4, n_positions=256)
    if family == "gpt2":
        return tf.GPT2Config(vocab_size=vocab_size, n_embd=64, n_layer=2, n_head=4, n_positions=256,
                             bos_token_id=2, eos_token_id=3)
    if family == "bloom":
        return tf.BloomConfig(vocab_size=vocab_size, hidden_size=64, n_layer=2, n_head=4, bos_token_id=2,
                              eos_token_id=3, pad_token_id=0)
    if family == "bert":
        return tf.BertConfig(vocab_size=vocab_size, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                             num_attention_heads=4, max_position_embeddings=256, pad_token_id=0,
                             architectures=["BertForMaskedLM"])
    if family == "xlm-roberta":
        return tf.XLMRobertaConfig(vocab_size=vocab_size, hidden_size=64, intermediate_size=128,
                                   num_hidden_layers=2, num_attention_heads=4, max_position_embeddings=256,
                                   pad_token_id=0, bos_token_id=2, eos_token_id=3,
                                   architectures=["XLMRobertaForMaskedLM"])
    seq2seq = dict(vocab_size=vocab_size, pad_token_id=0, eos_token_id=3, decoder_start_token_id=0)
    if family == "t5":
        return tf.T5Config(**seq2seq, d_model=64, d_kv=16, d_ff=128, num_layers=2, num_heads=4)
    if family == "mt5":
        return tf.MT5Config(**seq2seq, d_model=64, d_kv=16, d_ff=128, num_layers=2, num_heads=4)
    if family == "marian":
        return tf.MarianConfig(**seq2seq, d_model=64, encoder_layers=2, decoder_layers=2,
                               encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=128,
                               decoder_ffn_dim=128, max_position_embeddings=256)
    raise ValueError("no tiny model for %r" % family)


def build(variant, folder):
    """Save a tiny random model of `variant` with its tokenizer into `folder`; return the folder."""
    import torch
    import transformers as tf

    family = family_of(variant)
    torch.manual_seed(0)
    tok = _tokenizer(variant)
    # Room above the tokenizer's ids: transformers may map a family to its own tokenizer class on
    # loading (Qwen2 adds a padding token), so the model's vocabulary must not end at len(tok).
    config = _config("gpt2-chinese" if variant == "gpt2-chinese" else family, len(tok) + 16)
    auto = (tf.AutoModelForMaskedLM if family in ENCODERS
            else tf.AutoModelForSeq2SeqLM if family in SEQ2SEQ else tf.AutoModelForCausalLM)
    if family == "mistral3":
        auto = tf.AutoModelForImageTextToText
    model = auto.from_config(config, dtype=torch.float32)
    os.makedirs(folder, exist_ok=True)
    if family == "gemma3n":
        _save_as_gemma3n_checkpoint(model, config, folder)
    else:
        model.save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


def _save_as_gemma3n_checkpoint(model, text_config, folder):
    """A Gemma 3n checkpoint as google/gemma-3n-* publish it: config model_type "gemma3n" with a
    text_config, the text weights under model.language_model.*, and tower weights beside them. The
    real vision tower is a timm MobileNetV5 (not installed here): a stand-in tensor under its
    prefix shows the cells' Gemma3nForCausalLM leaves the towers out."""
    import torch
    from safetensors.torch import save_file

    state = {}
    for name, tensor in model.state_dict().items():
        if name == "lm_head.weight":
            continue  # tied to the embeddings, as published
        state[("model.language_model." + name[len("model."):]) if name.startswith("model.") else name] = tensor.contiguous()
    state["model.vision_tower.timm_model.conv_stem.conv.weight"] = torch.zeros(8, 3, 3, 3)
    state["model.audio_tower.subsample_conv_projection.input_proj_linear.weight"] = torch.zeros(8, 8)
    save_file(state, os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
    config = {"architectures": ["Gemma3nForConditionalGeneration"], "model_type": "gemma3n",
              "text_config": text_config.to_dict(), "vision_config": {"model_type": "gemma3n_vision"},
              "audio_config": {"model_type": "gemma3n_audio"}, "tie_word_embeddings": True}
    with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f)
    model.generation_config.save_pretrained(folder)


def write_dataset(path, kind="text"):
    """A tiny .jsonl dataset: "text" rows, "messages" rows (a chat), "text" + "label" rows, or
    "source" + "target" rows (translation)."""
    with open(path, "w") as f:
        for i, text in enumerate(TEXTS):
            row = {
                "text": {"text": text},
                "chat": {"messages": [{"role": "user", "content": "what is " + text.split()[1]},
                                      {"role": "assistant", "content": text}]},
                "classification": {"text": text, "label": i % 2},
                "translation": {"source": text, "target": " ".join(reversed(text.split()))},
            }[kind]
            f.write(json.dumps(row) + "\n")
    return path


# The output projection of each MLP, per family: scaled up, its products pass float16's 65,504.
MLP_OUT = {"t5": "DenseReluDense.wo", "mt5": "DenseReluDense.wo", "llama": "mlp.down_proj"}


def build_overflowing(variant, folder, scale=1e6):
    """A tiny model whose activations overflow float16 and stay finite in float32 — the way T5's
    real weights behave under fp16 autocast (its fp16 clamps act only on a float16 hidden state,
    and under autocast the residual stream is float32): each MLP's output weights × `scale`."""
    import torch
    import transformers as tf

    build(variant, folder)
    family = family_of(variant)
    auto = tf.AutoModelForSeq2SeqLM if family in SEQ2SEQ else tf.AutoModelForCausalLM
    model = auto.from_pretrained(folder, dtype=torch.float32)
    with torch.no_grad():
        for name, param in model.named_parameters():
            if name.endswith(MLP_OUT[family] + ".weight"):
                param.mul_(scale)
    model.save_pretrained(folder)
    return folder
