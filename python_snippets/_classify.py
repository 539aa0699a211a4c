# >>> include _classify_rows


# >>> include _tokenize_text


dataset = dataset.map(tokenize, batched=True, fn_kwargs={"max_length": max_length})

trainer = Trainer(
    model=model,
    args=training_args,
    train_dataset=dataset,
    processing_class=tokenizer,
    data_collator=DataCollatorWithPadding(tokenizer),  # pads each batch to its longest text
)
