# Fine-tune the classifier with transformers' Trainer.
# Each row of the dataset needs a "text" column and an integer "label" column.
import torch
from datasets import Dataset, load_dataset
from transformers import DataCollatorWithPadding, Trainer, TrainingArguments

# >>> include _max_length
# >>> include _training_args

# >>> include _classify
# >>> include _train_run
