def tokenize(batch, max_length):
    # Longer texts are cut at max_length (None: nothing is cut, as the data check measures).
    return tokenizer(batch["text"], truncation=max_length is not None, max_length=max_length)
