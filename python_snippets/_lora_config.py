lora_config = LoraConfig(
    r=__LORA_R__,  # rank: the size of each adapter
    lora_alpha=__LORA_ALPHA__,  # scaling of the adapter's output (alpha / r)
    lora_dropout=0.05,
    target_modules="all-linear",  # every linear layer except the output layer
# >>> if HEAD_MODULES
    exclude_modules=__HEAD_MODULES__,  # the new head trains whole, beside the adapters (peft's modules_to_save)
# <<< HEAD_MODULES
    task_type=__TASK_TYPE__,
)
