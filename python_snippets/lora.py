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

# >>> include _lora_config
# >>> include _peft_model
model.print_trainable_parameters()
