# Save the result, so you can load it again later without training.
save_dir = __SAVE_DIR__
model.save_pretrained(save_dir)
tokenizer.save_pretrained(save_dir)
print("Saved to", save_dir)
# >>> if ADAPTER
# Only the small LoRA adapter was saved (megabytes, not gigabytes). To load it
# later: load the base model as above, then
#     from peft import PeftModel
#     model = PeftModel.from_pretrained(model, save_dir)
# To make one standalone model instead, merge the adapter into a 16-bit (not
# 4-bit) copy of the base model: set merge_now to True and run this cell again.
# The merge happens in RAM and needs about twice the model's 16-bit size.
merge_now = False
if merge_now:
    from peft import PeftModel

    base = __AUTO_CLASS__.from_pretrained(
        model_path,
        dtype=__MERGE_DTYPE__,
# >>> if NUM_LABELS
        num_labels=__NUM_LABELS__,
# <<< NUM_LABELS
    )
    merged = PeftModel.from_pretrained(base, save_dir).merge_and_unload()
    merged.save_pretrained(save_dir + "-merged")
    tokenizer.save_pretrained(save_dir + "-merged")
    print("Merged model saved to", save_dir + "-merged")
# <<< ADAPTER
