# >>> include _sample_rows
# >>> include _data


# >>> include _tokenize_pairs


dataset = dataset.map(tokenize, batched=True, fn_kwargs={"max_length": max_length}, remove_columns=dataset.column_names)

trainer = Trainer(
    model=model,
    args=training_args,
    train_dataset=dataset,
    processing_class=tokenizer,
    data_collator=DataCollatorForSeq2Seq(tokenizer, model=model),  # pads inputs and targets per batch
)
