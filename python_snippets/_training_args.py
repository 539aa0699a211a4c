training_args = __ARGS_CLASS__(
    output_dir=__OUTPUT_DIR__,  # checkpoint-N folders while training; the last cell saves the result here
    per_device_train_batch_size=__BATCH__,
    gradient_accumulation_steps=__GRAD_ACCUM__,  # the effective batch is batch x accumulation
# >>> if SFT
    max_length=max_length,  # set above: longer samples are cut there
# <<< SFT
    max_steps=__MAX_STEPS__,  # a first, short run; -1 means one pass over the dataset
    learning_rate=__LEARNING_RATE__,
    optim=__OPTIMIZER__,
    activation_checkpointing=__CHECKPOINTING__,  # recompute activations in the backward pass (the old name: gradient_checkpointing)
    activation_checkpointing_kwargs={"use_reentrant": False},
    bf16=__BF16__,  # bfloat16 mixed precision: only on GPUs of compute capability 8.0+
    fp16=__FP16__,  # float16 mixed precision: for older GPUs such as the T4
# >>> if CPU
# >>> if SIMULATE
    use_cpu=True,  # the simulation: the GPU's recipe, run on this CPU
# <<< SIMULATE
# >>> unless SIMULATE
    use_cpu=True,  # no GPU in this runtime: train on the CPU (slow; fine for a smoke test)
# <<< SIMULATE
# <<< CPU
    logging_steps=1,
    logging_nan_inf_filter=False,  # log a nan or infinite loss as it is: the guard below stops on it
    save_strategy="steps",  # a checkpoint every save_steps: a disconnected session keeps its work
    save_steps=__SAVE_STEPS__,
    save_total_limit=1,  # only the latest checkpoint is kept on disk
    include_num_input_tokens_seen="all",  # count the tokens trained on, for the speed printed after training
    report_to="none",
)
