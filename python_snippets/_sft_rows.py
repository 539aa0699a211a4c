# >>> if SAMPLE
# Replace with your data: a few sample rows, in the form this tokenizer can read
# (conversations with a chat template, plain text without one). Set dataset_name
# to a Hugging Face dataset id or to your own .jsonl/.csv file.
dataset_name = None
if dataset_name is None:
    if tokenizer.chat_template:
        sample_rows = __SAMPLE_CHAT__
    else:
        sample_rows = __SAMPLE_TEXT__
    dataset = Dataset.from_list(sample_rows)
elif dataset_name.endswith((".json", ".jsonl", ".csv")):
    dataset = load_dataset("csv" if dataset_name.endswith(".csv") else "json", data_files=dataset_name, split="train")
else:
    dataset = load_dataset(dataset_name, split="train")
# <<< SAMPLE
# >>> if DEFAULT_HUB
# Conversations ("messages") need the tokenizer's chat template; a model without
# one (a base model) trains on plain text instead. Or set your own dataset here.
dataset_name = __HUB_CHAT__ if tokenizer.chat_template else __HUB_TEXT__
dataset = load_dataset(dataset_name, split="train")  # a dataset on the Hugging Face hub
# <<< DEFAULT_HUB
# >>> include _data
