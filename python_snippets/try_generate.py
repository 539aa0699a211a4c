# Try the model: ask it something and print its answer.
import torch

prompt = __PROMPT__
if tokenizer.chat_template:
    # Chat models expect the conversation in their own format; the tokenizer knows it.
    messages = [{"role": "user", "content": prompt}]
# >>> if THINKING
    # enable_thinking=False: Qwen3 answers directly instead of reasoning first
    # (a <think> block that would use up the new tokens).
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True, enable_thinking=False)
# <<< THINKING
# >>> unless THINKING
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
# <<< THINKING
else:
    text = prompt
inputs = tokenizer(text, return_tensors="pt").to(model.device)
model.eval()  # switch off dropout for a steady answer
# >>> if AUTOCAST
# The same mixed precision as training: the 32-bit adapters meet 16-bit layers.
with torch.no_grad(), torch.autocast(device_type=model.device.type, dtype=__COMPUTE_DTYPE__):
    output = model.generate(**inputs, max_new_tokens=__MAX_NEW_TOKENS__, pad_token_id=tokenizer.pad_token_id)
# <<< AUTOCAST
# >>> unless AUTOCAST
with torch.no_grad():
    output = model.generate(**inputs, max_new_tokens=__MAX_NEW_TOKENS__, pad_token_id=tokenizer.pad_token_id)
# <<< AUTOCAST
# >>> if SEQ2SEQ
answer = tokenizer.decode(output[0], skip_special_tokens=True)  # the decoder wrote only the answer
# <<< SEQ2SEQ
# >>> unless SEQ2SEQ
answer = tokenizer.decode(output[0][inputs["input_ids"].shape[1]:], skip_special_tokens=True)  # drop the prompt
# <<< SEQ2SEQ
print(answer)
