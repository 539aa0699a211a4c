# >>> if REMOTE_CODE
tokenizer = AutoTokenizer.from_pretrained(model_path, trust_remote_code=True)
# <<< REMOTE_CODE
# >>> unless REMOTE_CODE
tokenizer = AutoTokenizer.from_pretrained(model_path)
# <<< REMOTE_CODE
# >>> if EOS_FROM_SEP
eos_from_sep = tokenizer.eos_token is None and tokenizer.sep_token is not None
if eos_from_sep:
    # A BERT-style tokenizer (GPT2-chinese has one) has no end-of-text token, which
    # training appends to each text and generating stops at: its [SEP] serves instead.
    tokenizer.eos_token = tokenizer.sep_token
    print(__EOS_NOTE__.format(token=tokenizer.sep_token))
# <<< EOS_FROM_SEP
if tokenizer.pad_token is None:
    # Batches are padded to equal length; reuse the end-of-text token for padding.
    tokenizer.pad_token = tokenizer.eos_token
