# >>> include _sft_rows
if "messages" in dataset.column_names and not tokenizer.chat_template:
    raise ValueError("This dataset holds conversations (a \"messages\" column), but this model's tokenizer "
                     "has no chat template to format them: use a dataset with a \"text\" column instead.")
