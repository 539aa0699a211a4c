# Add LoRA adapters: small trainable matrices beside each frozen weight matrix.
# Only the adapters learn, so the gradients and optimizer states stay small.
import torch
from peft import LoraConfig, get_peft_model

# >>> if QUANTIZE
# Prepare the 4-bit model for training by hand, as the other cells do: freeze
# the base model, so that only the adapters below learn.
for param in model.parameters():
    param.requires_grad = False
# <<< QUANTIZE
# >>> if CHECKPOINTING
# Activation (gradient) checkpointing: recompute activations during the backward
# pass instead of storing them all; slower, but far less memory. This model's
# own code decides how it recomputes.
model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
model.enable_input_require_grads()  # lets gradients reach the adapters through the frozen layers
# <<< CHECKPOINTING

lora_config = LoraConfig(
    r=__LORA_R__,  # rank: the size of each adapter
    lora_alpha=__LORA_ALPHA__,  # scaling of the adapter's output (alpha / r)
    lora_dropout=0.05,
    target_modules=__TARGET_MODULES__,  # every linear layer of its blocks, by the names its code gives them
    task_type="CAUSAL_LM",
)
model = get_peft_model(model, lora_config)
for param in model.parameters():
    if param.requires_grad:
        param.data = param.data.float()  # adapters learn in 32-bit precision
model.print_trainable_parameters()
