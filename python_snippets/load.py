# Load the model and its tokenizer (the tool that turns text into token numbers).
import torch
from transformers import AutoTokenizer, __AUTO_CLASS__

# >>> include _load
