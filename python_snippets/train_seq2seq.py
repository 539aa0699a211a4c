# Fine-tune the text-to-text model (translation, summarization) with transformers' Trainer.
# Each row of the dataset needs a "source" column (the input text) and a "target"
# column (the text the model should write).
import torch
from datasets import Dataset, load_dataset
from transformers import DataCollatorForSeq2Seq, Trainer, TrainingArguments

# >>> include _max_length
# >>> include _training_args

# >>> include _seq2seq
# >>> include _train_run
