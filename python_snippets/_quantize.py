quant_config = BitsAndBytesConfig(
# >>> if FOUR_BIT
    load_in_4bit=True,  # 4 bits per weight instead of 16: about a quarter of the memory
    bnb_4bit_quant_type="nf4",  # NF4, the 4-bit format QLoRA was designed with
    bnb_4bit_use_double_quant=True,  # also compress the scaling constants (saves ~0.4 bit per weight)
    bnb_4bit_compute_dtype=__COMPUTE_DTYPE__,  # the number format the matrix products run in
# >>> if FLOAT_STORAGE
    # FSDP and DeepSpeed ZeRO-3 can split only float tensors over the GPUs: the packed
    # 4-bit weights are stored in the compute dtype (bitsandbytes docs, "FSDP-QLoRA").
    bnb_4bit_quant_storage=__COMPUTE_DTYPE__,
# <<< FLOAT_STORAGE
# <<< FOUR_BIT
# >>> unless FOUR_BIT
    load_in_8bit=True,  # 8 bits per weight: half of 16-bit
# <<< FOUR_BIT
# >>> if NEW_HEAD
    # The classification head is new (not in the checkpoint) and small: keep it
    # unquantized so it can be trained in full precision.
    llm_int8_skip_modules=__SKIP_MODULES__,
# <<< NEW_HEAD
)
