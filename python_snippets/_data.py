# >>> if LOCAL_DATA
dataset_name = __DATASET__
dataset = load_dataset(__DATA_FORMAT__, data_files=dataset_name, split="train")  # a file on this machine
# <<< LOCAL_DATA
# >>> if HUB_DATA
dataset_name = __DATASET__
dataset = load_dataset(dataset_name, split="train")  # a dataset on the Hugging Face hub
# <<< HUB_DATA
