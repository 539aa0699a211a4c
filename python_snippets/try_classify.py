# Try the model: classify one text and print the predicted label.
import torch

text = __PROMPT__
inputs = tokenizer(text, return_tensors="pt", truncation=True).to(model.device)
model.eval()  # switch off dropout for a steady answer
with torch.no_grad():
    logits = model(**inputs).logits
label_id = int(logits.argmax(dim=-1)[0])
print("Predicted label:", model.config.id2label.get(label_id, label_id))
