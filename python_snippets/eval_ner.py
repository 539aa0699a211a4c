# How well does it tag? Entity-level F1 (seqeval, the usual NER score: an entity
# counts only when its words and its type are both right) if seqeval is
# installed, else the share of words whose tag is right.
# >>> include _ner_score


# >>> if CPU_FP16
with torch.autocast("cpu", dtype=torch.float16):
    prediction = trainer.predict(eval_data)
# <<< CPU_FP16
# >>> unless CPU_FP16
prediction = trainer.predict(eval_data)
# <<< CPU_FP16
print_tag_score(prediction)
