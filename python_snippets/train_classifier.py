# Fine-tune the classifier with transformers' Trainer.
# Each row of the dataset needs a "text" column and an integer "label" column.
import torch
from datasets import load_dataset
from transformers import DataCollatorWithPadding, Trainer, TrainingArguments

dataset_name = __DATASET__
# >>> if LOCAL_DATA
dataset = load_dataset(__DATA_FORMAT__, data_files=dataset_name, split="train")  # a file on this machine
# <<< LOCAL_DATA
# >>> unless LOCAL_DATA
dataset = load_dataset(dataset_name, split="train")  # a dataset on the Hugging Face hub
# <<< LOCAL_DATA


def tokenize(batch):
    # Longer texts are cut here: the memory estimate assumed this length.
    return tokenizer(batch["text"], truncation=True, max_length=__SEQ_LEN__)


dataset = dataset.map(tokenize, batched=True)

training_args = TrainingArguments(
    output_dir=__OUTPUT_DIR__,
    per_device_train_batch_size=__BATCH__,
    gradient_accumulation_steps=__GRAD_ACCUM__,  # the effective batch is batch x accumulation
    max_steps=__MAX_STEPS__,  # -1 means one pass over the dataset
    learning_rate=__LEARNING_RATE__,
    optim=__OPTIMIZER__,
    activation_checkpointing=__CHECKPOINTING__,  # recompute activations in the backward pass (the old name: gradient_checkpointing)
    activation_checkpointing_kwargs={"use_reentrant": False},
    bf16=__BF16__,  # bfloat16 mixed precision: only on GPUs of compute capability 8.0+
    fp16=__FP16__,  # float16 mixed precision: for older GPUs such as the T4
# >>> if CPU
    use_cpu=True,  # no GPU in this runtime: train on the CPU (slow; fine for a smoke test)
# <<< CPU
    logging_steps=1,
    save_strategy="no",  # the last cell saves the result
    report_to="none",
)
trainer = Trainer(
    model=model,
    args=training_args,
    train_dataset=dataset,
    processing_class=tokenizer,
    data_collator=DataCollatorWithPadding(tokenizer),  # pads each batch to its longest text
)
trainer.train()
