# >>> include _sample_rows
# >>> include _data

label_names = [model.config.id2label[i] for i in range(model.config.num_labels)]
# A hub dataset names its tags in its features: they must be the head's, in the same order.
tag_feature = getattr(dataset.features["ner_tags"], "feature", None)
dataset_tags = getattr(tag_feature, "names", None)
if dataset_tags is not None and list(dataset_tags) != label_names:
    raise ValueError(f"This dataset's tags are {list(dataset_tags)}, the model's head has {label_names}: "
                     "set label_names in the load cell to the dataset's list and run the cells again from there.")
if not tokenizer.is_fast:
    raise ValueError("Aligning tags to word pieces needs a fast tokenizer (tokenizer.is_fast); this model has none.")


def tag_number(tag):
    return label_names.index(tag) if isinstance(tag, str) else int(tag)


# >>> include _tokenize_words


def tokenize_and_align(batch, max_length):
    # The first piece of each word carries the word's tag; the other pieces and the
    # special tokens get -100, which the loss ignores.
    encoded = encode_words(batch, max_length)
    encoded["labels"] = []
    for row, tags in enumerate(batch["ner_tags"]):
        labels, previous = [], None
        for word in encoded.word_ids(row):
            labels.append(-100 if word is None or word == previous else tag_number(tags[word]))
            previous = word
        encoded["labels"].append(labels)
    return encoded


dataset = dataset.map(tokenize_and_align, batched=True, fn_kwargs={"max_length": max_length},
                      remove_columns=dataset.column_names)
# Hold out a tenth of the rows to score the tagger on sentences it did not train on.
# A dataset this small is scored on its training rows: that shows the cell works, not how good the model is.
if len(dataset) >= 20:
    split = dataset.train_test_split(test_size=0.1, seed=0)
    train_data, eval_data = split["train"], split["test"]
else:
    train_data = eval_data = dataset

trainer = Trainer(
    model=model,
    args=training_args,
    train_dataset=train_data,
    processing_class=tokenizer,
    data_collator=DataCollatorForTokenClassification(tokenizer),  # pads the words and their tags (with -100)
)
