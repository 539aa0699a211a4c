# Fine-tune on your data with TRL's SFTTrainer (supervised fine-tuning).
# Each row of the dataset needs a "text" column, or "messages" (a chat), or
# "prompt" and "completion". A "messages" dataset needs a tokenizer with a chat
# template (TRL formats each conversation with it).
import torch
from datasets import Dataset, load_dataset
from trl import SFTConfig, SFTTrainer

# >>> include _sft_data

# >>> include _max_length
# >>> include _training_args
trainer = SFTTrainer(
    model=model,
    args=training_args,
    train_dataset=dataset,
    processing_class=tokenizer,
)
# >>> if QUANTIZE
# TRL stores the adapters of a 4-bit model in bfloat16; put them back in 32-bit,
# which every GPU supports (a T4 has no native bfloat16).
for param in trainer.model.parameters():
    if param.requires_grad:
        param.data = param.data.float()
# <<< QUANTIZE
# >>> include _train_run
