# The training script: `accelerate launch` (next cell) runs it once per GPU.
# A launched process does not see this notebook's variables, so the script loads
# the model and the data itself, with the same recipe as the cells above.
import math

import torch
from accelerate import PartialState
from datasets import Dataset, load_dataset
# >>> if LORA
from peft import LoraConfig, get_peft_model
# <<< LORA
from transformers import AutoTokenizer, __AUTO_CLASS__, TrainerCallback
# >>> if QUANTIZE
from transformers import BitsAndBytesConfig
# <<< QUANTIZE
# >>> if SFT
from trl import SFTConfig, SFTTrainer
# <<< SFT
# >>> if CLASSIFY
from transformers import DataCollatorWithPadding, Trainer, TrainingArguments
# <<< CLASSIFY
# >>> if SEQ2SEQ
from transformers import DataCollatorForSeq2Seq, Trainer, TrainingArguments
# <<< SEQ2SEQ
# >>> if TOKEN
from transformers import DataCollatorForTokenClassification, Trainer, TrainingArguments
# <<< TOKEN
# >>> if QA
from transformers import DataCollatorWithPadding, Trainer, TrainingArguments
# <<< QA

model_path = __MODEL_PATH__
output_dir = __OUTPUT_DIR__
state = PartialState()  # which process this is, and its device
max_length = __SEQ_LEN__  # longer samples are cut here: the memory estimate assumed this length

# The training settings come first: with DeepSpeed ZeRO-3 they make from_pretrained
# load each weight straight into its shard.
training_args = __ARGS_CLASS__(
    output_dir=output_dir,
    per_device_train_batch_size=__BATCH__,  # per GPU: each process takes its own samples
    gradient_accumulation_steps=__GRAD_ACCUM__,
# >>> if SFT
    max_length=max_length,
# <<< SFT
    max_steps=__MAX_STEPS__,  # a first, short run; -1 means one pass over the dataset
    learning_rate=__LEARNING_RATE__,
    optim=__OPTIMIZER__,
# >>> if FSDP
    # FSDP recomputes the activations itself (fsdp_activation_checkpointing in the
    # config file): the Trainer's own checkpointing would gather each layer's weights
    # once more in the backward pass.
    activation_checkpointing=False,
    # Reduce (and shard) the gradients after every micro-batch: accumulating without
    # that would keep a whole unsharded gradient on each GPU.
    accelerator_config={"gradient_accumulation_kwargs": {"sync_each_batch": True}},
# <<< FSDP
# >>> unless FSDP
    activation_checkpointing=__CHECKPOINTING__,
    activation_checkpointing_kwargs={"use_reentrant": False},
# <<< FSDP
    bf16=__BF16__,
    fp16=__FP16__,
# >>> if CPU
    use_cpu=True,  # a CPU rehearsal of the multi-GPU run (gloo instead of NCCL)
# <<< CPU
    ddp_find_unused_parameters=False,  # every trained weight gets its gradient in each step
    logging_steps=1,
    logging_nan_inf_filter=False,  # log a nan or infinite loss as it is: the guard below stops on it
    save_strategy="steps",  # a checkpoint every save_steps: a disconnected session keeps its work
    save_steps=__SAVE_STEPS__,
    save_total_limit=1,  # only the latest checkpoint is kept on disk
    report_to="none",
)

# The model and its tokenizer, loaded as the cells for one GPU load them.
# >>> if QUANTIZE
# >>> include _quantize
# <<< QUANTIZE
# >>> include _load
model.config.use_cache = False  # the cache is for generating, not training

# >>> if LORA
# >>> include _lora_config
# >>> unless SFT
# >>> include _peft_model
# <<< SFT
# <<< LORA

# The data, read and prepared as the training cell for one GPU does it.
# >>> if SFT
# >>> include _sft_data

trainer = SFTTrainer(
    model=model,
    args=training_args,
    train_dataset=dataset,
    processing_class=tokenizer,
# >>> if LORA
    peft_config=lora_config,
# <<< LORA
)
# >>> if RECAST
# TRL stores the adapters of a 4-bit model in bfloat16; put them back in 32-bit,
# which every GPU supports (a T4 has no native bfloat16).
for param in trainer.model.parameters():
    if param.requires_grad:
        param.data = param.data.float()
# <<< RECAST
# <<< SFT
# >>> if CLASSIFY
# >>> include _classify
# <<< CLASSIFY
# >>> if SEQ2SEQ
# >>> include _seq2seq
# <<< SEQ2SEQ
# >>> if TOKEN
# >>> include _ner
# <<< TOKEN
# >>> if QA
# >>> include _qa
# <<< QA


# >>> include _nan_guard
trainer.train()
if state.is_main_process:
    print(f"Trained on {state.num_processes} processes ({trainer.accelerator.distributed_type})")
# >>> if TOKEN

# How well does it tag? Every process predicts its share of the held-out rows,
# the Trainer gathers them, and the main process prints the score.
# >>> include _ner_score


prediction = trainer.predict(eval_data)
if state.is_main_process:
    print_tag_score(prediction)
# <<< TOKEN

# FSDP keeps the weights in shards: gather them into one file to save (peft's FSDP guide).
if trainer.is_fsdp_enabled:
    trainer.accelerator.state.fsdp_plugin.set_state_dict_type("FULL_STATE_DICT")
trainer.save_model(output_dir)
if state.is_main_process:
    tokenizer.save_pretrained(output_dir)
