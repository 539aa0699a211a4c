import numpy as np


def print_tag_score(prediction):
    true_tags, predicted_tags = [], []
    for predicted, labels in zip(np.argmax(prediction.predictions, axis=-1), prediction.label_ids):
        scored = labels != -100  # the first piece of each word
        true_tags.append([label_names[i] for i in labels[scored]])
        predicted_tags.append([label_names[i] for i in predicted[scored]])
    try:
        from seqeval.metrics import classification_report, f1_score
    except ImportError:
        right = sum(t == p for row, guess in zip(true_tags, predicted_tags) for t, p in zip(row, guess))
        words = sum(len(row) for row in true_tags)
        print(f"Token accuracy: {right / words:.1%} of {words} words (pip install seqeval for the entity F1)")
    else:
        print(f"Entity F1: {f1_score(true_tags, predicted_tags, zero_division=0):.3f}")
        print(classification_report(true_tags, predicted_tags, zero_division=0))
