def encode_words(batch, max_length):
    # The tokenizer splits each word into pieces. Longer texts are cut at max_length
    # (None: nothing is cut, as the data check measures).
    return tokenizer(batch["tokens"], is_split_into_words=True, truncation=max_length is not None,
                     max_length=max_length)
