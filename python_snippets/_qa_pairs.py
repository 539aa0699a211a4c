question_first = tokenizer.padding_side == "right"  # left-padding tokenizers take the context first


def question_and_context(batch):
    # The question and its context, in the order this tokenizer reads them.
    questions = [q.strip() for q in batch["question"]]
    return (questions, batch["context"]) if question_first else (batch["context"], questions)
