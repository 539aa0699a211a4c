import math

from transformers import TrainerCallback


# >>> include _nan_guard
if torch.cuda.is_available():
    for device in range(torch.cuda.device_count()):
        torch.cuda.reset_peak_memory_stats(device)  # measure the peak of training alone
# >>> if CPU_FP16
# A GPU trains fp16 under autocast; accelerate does not autocast fp16 on a CPU
# (only bf16), so the simulation wraps training in the autocast the GPU would use.
with torch.autocast("cpu", dtype=torch.float16):
    train_result = trainer.train()
# <<< CPU_FP16
# >>> unless CPU_FP16
train_result = trainer.train()
# <<< CPU_FP16
