# Try the model: ask a question about a context and print the answer it points at.
import torch

question = __QUESTION__
context = __CONTEXT__
inputs = tokenizer(question, context, return_tensors="pt", truncation="only_second", max_length=__SEQ_LEN__,
                   return_offsets_mapping=True)
offsets = inputs.pop("offset_mapping")[0].tolist()
in_context = [k for k, s in enumerate(inputs.sequence_ids(0)) if s == 1]
inputs = inputs.to(model.device)
model.eval()  # switch off dropout for a steady answer
# >>> if AUTOCAST
# The same mixed precision as training: the 32-bit head meets 16-bit layers.
with torch.no_grad(), torch.autocast(device_type=model.device.type, dtype=__COMPUTE_DTYPE__):
    output = model(**inputs)
# <<< AUTOCAST
# >>> unless AUTOCAST
with torch.no_grad():
    output = model(**inputs)
# <<< AUTOCAST
start_scores = output.start_logits[0].float().tolist()
end_scores = output.end_logits[0].float().tolist()
# The best span inside the context: it starts before it ends, and is at most 30 tokens long.
best = max(
    ((start, end) for start in in_context for end in in_context if start <= end < start + 30),
    key=lambda span: start_scores[span[0]] + end_scores[span[1]],
)
answer = context[offsets[best[0]][0]:offsets[best[1]][1]]
print("Question:", question)
print("Answer:", answer)
