# Fine-tune the text-to-text model (translation, summarization) with transformers' Trainer.
# Each row of the dataset needs a "source" column (the input text) and a "target"
# column (the text the model should write).
import torch
from datasets import Dataset, load_dataset
from transformers import DataCollatorForSeq2Seq, Trainer, TrainingArguments

# >>> include _sample_rows
# >>> include _data


def tokenize(batch):
    # Longer texts are cut here: the memory estimate assumed this length.
    return tokenizer(text=batch["source"], text_target=batch["target"], truncation=True, max_length=__SEQ_LEN__)


dataset = dataset.map(tokenize, batched=True, remove_columns=dataset.column_names)

# >>> include _training_args
trainer = Trainer(
    model=model,
    args=training_args,
    train_dataset=dataset,
    processing_class=tokenizer,
    data_collator=DataCollatorForSeq2Seq(tokenizer, model=model),  # pads inputs and targets per batch
)
# >>> include _train_run
