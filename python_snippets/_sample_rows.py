# >>> if SAMPLE
# Replace with your data: a few sample rows, to show the columns this cell reads.
# Set dataset_name to a Hugging Face dataset id or to your own .jsonl/.csv file.
dataset_name = None
if dataset_name is None:
    dataset = Dataset.from_list(__SAMPLE_ROWS__)
elif dataset_name.endswith((".json", ".jsonl", ".csv")):
    dataset = load_dataset("csv" if dataset_name.endswith(".csv") else "json", data_files=dataset_name, split="train")
else:
    dataset = load_dataset(dataset_name, split="train")
# <<< SAMPLE
