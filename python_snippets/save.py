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
# The trained model is freed first, to make room for that copy.
merge_now = False
if merge_now:
    import gc

    import torch
    from peft import PeftModel

    model = trainer = None  # free the training copy (run the load cell again to use it)
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()
    base = __AUTO_CLASS__.from_pretrained(
        model_path,
# >>> if TORCH_DTYPE
        torch_dtype=__MERGE_DTYPE__,  # transformers 4 names it torch_dtype
# <<< TORCH_DTYPE
# >>> unless TORCH_DTYPE
        dtype=__MERGE_DTYPE__,
# <<< TORCH_DTYPE
# >>> if GPU
        device_map="auto",  # on the GPU (spilling to CPU RAM only if needed): a runtime's RAM is often smaller
# <<< GPU
# >>> if NUM_LABELS
        num_labels=__NUM_LABELS__,
# <<< NUM_LABELS
# >>> if LABEL_NAMES
        num_labels=len(label_names),
        id2label=dict(enumerate(label_names)),
        label2id={name: number for number, name in enumerate(label_names)},
# <<< LABEL_NAMES
# >>> if REMOTE_CODE
        trust_remote_code=True,  # the same permission the load cell gave this model's own code
# <<< REMOTE_CODE
    )
    merged = PeftModel.from_pretrained(base, save_dir).merge_and_unload()
    merged.save_pretrained(save_dir + "-merged", max_shard_size="2GB")  # small files load with little RAM
    tokenizer.save_pretrained(save_dir + "-merged")
    print("Merged model saved to", save_dir + "-merged")
# <<< ADAPTER
