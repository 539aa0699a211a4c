# Fine-tune the tagger with transformers' Trainer: one label for every word
# (named-entity recognition). Each row needs "tokens", a list of words (for
# Chinese, one character each), and "ner_tags", one tag per word: a number
# that indexes label_names (the load cell), or the tag's name itself.
import torch
from datasets import Dataset, load_dataset
from transformers import DataCollatorForTokenClassification, Trainer, TrainingArguments

# >>> include _max_length
# >>> include _training_args

# >>> include _ner
# >>> include _train_run
