# >>> include _sample_rows
# >>> if DEFAULT_HUB
dataset_name = __HUB_DATASET__  # or a dataset of yours: a hub id, or a .jsonl/.csv file
dataset = load_dataset(dataset_name, split="train")  # a dataset on the Hugging Face hub
# <<< DEFAULT_HUB
# >>> include _data
