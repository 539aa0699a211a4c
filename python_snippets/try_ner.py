# Try the model: tag the words of one sentence and print the entities found.
import torch

text = __PROMPT__
# >>> if CHARACTERS
words = [c for c in text if not c.isspace()]  # one character per word, as the Chinese training rows have them
# <<< CHARACTERS
# >>> unless CHARACTERS
words = text.split()
# <<< CHARACTERS
inputs = tokenizer(words, is_split_into_words=True, return_tensors="pt", truncation=True).to(model.device)
model.eval()  # switch off dropout for a steady answer
# >>> if AUTOCAST
# The same mixed precision as training: the 32-bit head meets 16-bit layers.
with torch.no_grad(), torch.autocast(device_type=model.device.type, dtype=__COMPUTE_DTYPE__):
    logits = model(**inputs).logits
# <<< AUTOCAST
# >>> unless AUTOCAST
with torch.no_grad():
    logits = model(**inputs).logits
# <<< AUTOCAST
predicted = logits[0].argmax(dim=-1).tolist()
tags, previous = [], None
for position, word in enumerate(inputs.word_ids(0)):
    if word is not None and word != previous:
        tags.append(model.config.id2label[predicted[position]])  # the tag of the word's first piece
    previous = word
# B- opens an entity, I- continues it, O is outside any entity.
entities = []
for word, tag in zip(words, tags):
    kind = tag[2:]
    if tag.startswith("I-") and entities and entities[-1][0] == kind and entities[-1][2]:
        entities[-1][1].append(word)
    elif tag.startswith(("B-", "I-")):
        entities.append([kind, [word], True])
    elif entities:
        entities[-1][2] = False  # the entity ended
# >>> if CHARACTERS
joiner = ""
# <<< CHARACTERS
# >>> unless CHARACTERS
joiner = " "
# <<< CHARACTERS
print("Tags:", list(zip(words, tags)))
for kind, entity_words, _ in entities:
    print(f"Entity {kind}: {joiner.join(entity_words)}")
if not entities:
    print("No entities found (a model trained for a few steps rarely finds any yet).")
