# Add LoRA adapters: small trainable matrices beside each frozen weight matrix.
# Only the adapters learn, so the gradients and optimizer states stay small.
import torch
from peft import LoraConfig, get_peft_model

# >>> if QUANTIZE
# Prepare the 4-bit model for training. We do this by hand instead of calling
# peft's prepare_model_for_kbit_training, which would also copy the embeddings,
# the norms and the output layer to 32-bit (gigabytes for a large vocabulary,
# and a 32-bit norm would feed 32-bit values to the 16-bit layers after it).
# The norms stay in 16-bit: they compute their statistics in 32-bit anyway.
for param in model.parameters():
    param.requires_grad = False  # freeze the base model
# <<< QUANTIZE
# >>> if CHECKPOINTING
# Activation (gradient) checkpointing: recompute activations during the backward
# pass instead of storing them all; slower, but far less memory.
model.activation_checkpointing_enable(activation_checkpointing_kwargs={"use_reentrant": False})
model.enable_input_require_grads()  # lets gradients reach the adapters through the frozen layers
# <<< CHECKPOINTING

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
model = get_peft_model(model, lora_config)
for param in model.parameters():
    if param.requires_grad:
        param.data = param.data.float()  # adapters learn in 32-bit precision
model.print_trainable_parameters()
