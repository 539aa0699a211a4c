# >>> include _sample_rows
# >>> include _data
if not tokenizer.is_fast:
    raise ValueError("Finding the answer's tokens needs a fast tokenizer (tokenizer.is_fast); this model has none.")
# >>> include _qa_pairs


def to_windows(batch):
    # A context longer than max_length is cut into windows that overlap by stride
    # tokens, so an answer near a cut is whole in one of them; the question is
    # never cut. The memory estimate assumed this length.
    encoded = tokenizer(
        *question_and_context(batch),
        truncation="only_second" if question_first else "only_first",
        max_length=__SEQ_LEN__,
        stride=__STRIDE__,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
    )
    context_id = 1 if question_first else 0
    encoded["start_positions"], encoded["end_positions"] = [], []
    for window, offsets in enumerate(encoded["offset_mapping"]):
        answers = batch["answers"][encoded["overflow_to_sample_mapping"][window]]
        in_context = [k for k, s in enumerate(encoded.sequence_ids(window)) if s == context_id]
        start = end = 0  # no answer in this window: point at the first token ([CLS])
        if answers["answer_start"]:
            first_char = answers["answer_start"][0]
            last_char = first_char + len(answers["text"][0])
            if offsets[in_context[0]][0] <= first_char and offsets[in_context[-1]][1] >= last_char:
                start = next(k for k in in_context if offsets[k][1] > first_char)
                end = next(k for k in reversed(in_context) if offsets[k][0] < last_char)
        encoded["start_positions"].append(start)
        encoded["end_positions"].append(end)
    encoded.pop("offset_mapping")
    encoded.pop("overflow_to_sample_mapping")
    return encoded


dataset = dataset.map(to_windows, batched=True, remove_columns=dataset.column_names)

trainer = Trainer(
    model=model,
    args=training_args,
    train_dataset=dataset,
    processing_class=tokenizer,
    data_collator=DataCollatorWithPadding(tokenizer),  # pads each batch to its longest window
)
