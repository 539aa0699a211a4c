# Fine-tune extractive question answering with transformers' Trainer: the model
# learns to point at the first and the last token of the answer inside the context.
# Each row needs "question", "context" and "answers" = {"text": [...],
# "answer_start": [...]} (the SQuAD and CMRC 2018 form; answer_start counts
# characters into the context; empty lists: the context holds no answer).
import torch
from datasets import Dataset, load_dataset
from transformers import DataCollatorWithPadding, Trainer, TrainingArguments

# >>> include _training_args

# >>> include _qa
# >>> include _train_run
