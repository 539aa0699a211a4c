# Try the model: classify one text and print the predicted label.
import torch

text = __PROMPT__
inputs = tokenizer(text, return_tensors="pt", truncation=True).to(model.device)
model.eval()  # switch off dropout for a steady answer
# >>> if AUTOCAST
# The same mixed precision as training: the 32-bit classifier meets 16-bit layers.
with torch.no_grad(), torch.autocast(device_type=model.device.type, dtype=__COMPUTE_DTYPE__):
    logits = model(**inputs).logits
# <<< AUTOCAST
# >>> unless AUTOCAST
with torch.no_grad():
    logits = model(**inputs).logits
# <<< AUTOCAST
label_id = int(logits.argmax(dim=-1)[0])
print("Predicted label:", model.config.id2label.get(label_id, label_id))
