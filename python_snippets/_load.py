# >>> if DEFINE_PATH
model_path = __MODEL_PATH__  # a Hugging Face id (downloaded on first use) or a folder on this machine
# <<< DEFINE_PATH

# >>> if LABEL_NAMES
# The tags the new head predicts, in the order of your data's ner_tags numbers
# (B- opens an entity, I- continues it, O is outside any entity).
label_names = __LABEL_NAMES__
# <<< LABEL_NAMES
# >>> if WARNINGS
for warning in __WARNINGS__:
    print("Warning:", warning)
# <<< WARNINGS
# >>> if REMOTE_CODE
# This model ships its own Python code in its repository, which transformers
# runs only when you allow it (trust_remote_code=True below). Do so only for
# models from publishers you trust: that code runs with your permissions.
# <<< REMOTE_CODE
# >>> include _tokenizer

model = __AUTO_CLASS__.from_pretrained(
    model_path,
    dtype=__DTYPE__,  # the number format of the weights, chosen for this GPU and method
# >>> if QUANTIZE
    quantization_config=quant_config,  # the compact weights set up above
# <<< QUANTIZE
# >>> if WHOLE_COPY
    device_map=state.device,  # DDP / ZeRO-2: a whole copy on this process's device
# <<< WHOLE_COPY
# >>> if GPU
# >>> unless QUANTIZE
    device_map="auto",  # put the layers on the GPU (spilling to CPU only if they do not fit)
# <<< QUANTIZE
# >>> if QUANTIZE
    device_map="auto",  # put the layers on the GPU: quantized layers cannot spill to the CPU, so all must fit
# <<< QUANTIZE
# <<< GPU
# >>> if NUM_LABELS
    num_labels=__NUM_LABELS__,  # how many classes the new classification head predicts
# <<< NUM_LABELS
# >>> if LABEL_NAMES
    num_labels=len(label_names),
    id2label=dict(enumerate(label_names)),  # the tags by number: the trained model prints names, not numbers
    label2id={name: number for number, name in enumerate(label_names)},
# <<< LABEL_NAMES
# >>> if ATTENTION
    attn_implementation=__ATTENTION__,  # "sdpa": PyTorch's fused attention; "eager": the plain one, for families without sdpa
# <<< ATTENTION
# >>> if REMOTE_CODE
    trust_remote_code=True,
# <<< REMOTE_CODE
)
# >>> if CLASSIFIER
model.config.pad_token_id = tokenizer.pad_token_id  # the classifier must know which tokens are padding
# <<< CLASSIFIER
# >>> if EOS_FROM_SEP
if eos_from_sep:
    model.generation_config.eos_token_id = tokenizer.eos_token_id  # generating stops at that token too
# <<< EOS_FROM_SEP
print(f"Loaded {model_path}: {model.num_parameters():,} parameters on {model.device}")
