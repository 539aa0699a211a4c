# >>> include _classify_rows


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
