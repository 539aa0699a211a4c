# >>> include _sample_rows
# >>> include _data


def tokenize(batch):
    # Longer texts are cut here: the memory estimate assumed this length.
    return tokenizer(text=batch["source"], text_target=batch["target"], truncation=True, max_length=__SEQ_LEN__)


dataset = dataset.map(tokenize, batched=True, remove_columns=dataset.column_names)

trainer = Trainer(
    model=model,
    args=training_args,
    train_dataset=dataset,
    processing_class=tokenizer,
    data_collator=DataCollatorForSeq2Seq(tokenizer, model=model),  # pads inputs and targets per batch
)
