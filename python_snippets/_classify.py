# >>> include _sample_rows
# >>> if DEFAULT_HUB
dataset_name = __HUB_DATASET__  # or a dataset of yours: a hub id, or a .jsonl/.csv file
dataset = load_dataset(dataset_name, split="train")  # a dataset on the Hugging Face hub
# <<< DEFAULT_HUB
# >>> include _data


def tokenize(batch):
    # Longer texts are cut here: the memory estimate assumed this length.
    return tokenizer(batch["text"], truncation=True, max_length=__SEQ_LEN__)


dataset = dataset.map(tokenize, batched=True)

trainer = Trainer(
    model=model,
    args=training_args,
    train_dataset=dataset,
    processing_class=tokenizer,
    data_collator=DataCollatorWithPadding(tokenizer),  # pads each batch to its longest text
)
