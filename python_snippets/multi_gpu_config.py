# Several GPUs: write the engine's own config file. `accelerate launch` reads it in
# the next cells and starts one training process per GPU.
import json

import yaml

accelerate_file = __ACCELERATE_FILE__
# >>> if DEEPSPEED
deepspeed_file = __DEEPSPEED_FILE__
# <<< DEEPSPEED
accelerate_config = {
    "compute_environment": "LOCAL_MACHINE",
    "distributed_type": __DISTRIBUTED_TYPE__,  # MULTI_GPU is DDP: a whole copy of the model per GPU
    "num_machines": 1,
    "num_processes": __NUM_PROCESSES__,  # one training process per GPU
    "machine_rank": 0,
    "mixed_precision": __MIXED_PRECISION__,
    "use_cpu": __USE_CPU__,
    "downcast_bf16": "no",
    "rdzv_backend": "static",
    "same_network": True,
}
# >>> if FSDP
# FSDP (PyTorch Fully Sharded Data Parallel): each GPU keeps 1/N of the weights,
# gradients and optimizer states, and gathers one decoder layer at a time to compute.
accelerate_config["fsdp_config"] = {
    "fsdp_sharding_strategy": "FULL_SHARD",
    "fsdp_auto_wrap_policy": "TRANSFORMER_BASED_WRAP",  # one shard unit per decoder layer
    "fsdp_backward_prefetch": "BACKWARD_PRE",
    "fsdp_forward_prefetch": False,
    "fsdp_offload_params": __FSDP_OFFLOAD__,  # True: the shards live in CPU RAM (slower, less GPU memory)
    # Only the first process reads the checkpoint and sends the weights to the others
    # (off for a CPU rehearsal: accelerate needs a GPU to broadcast from).
    "fsdp_cpu_ram_efficient_loading": __FSDP_EFFICIENT_LOADING__,
    "fsdp_sync_module_states": __FSDP_EFFICIENT_LOADING__,
    "fsdp_use_orig_params": False,
    "fsdp_state_dict_type": "SHARDED_STATE_DICT",
    # Activation checkpointing by FSDP itself, around each shard unit (the script
    # leaves the Trainer's own off): the weights are gathered once per pass.
    "fsdp_activation_checkpointing": __FSDP_CHECKPOINTING__,
}
# <<< FSDP
# >>> if DEEPSPEED
# DeepSpeed ZeRO: stage 2 splits gradients and optimizer states over the GPUs,
# stage 3 the weights too. "auto" values are filled in from the training settings.
deepspeed_config = {
    "zero_optimization": {
        "stage": __ZERO_STAGE__,
        "offload_optimizer": {"device": __OFFLOAD_OPTIMIZER__},  # "cpu": optimizer states in CPU RAM
# >>> if ZERO3
        "offload_param": {"device": __OFFLOAD_PARAM__},  # "cpu": weights in CPU RAM between uses
        "stage3_prefetch_bucket_size": "auto",
        "stage3_param_persistence_threshold": "auto",
        "stage3_gather_16bit_weights_on_model_save": True,
# <<< ZERO3
        "overlap_comm": True,
        "contiguous_gradients": True,
        "reduce_bucket_size": "auto",
    },
    # No "optimizer" section: the Trainer builds the optimizer the script names.
    # DeepSpeed's own (FusedAdam, CPUAdam) would be compiled on first use, which
    # needs the CUDA toolkit and a compiler, and would replace the planned one.
# >>> if OFFLOAD
    # With the optimizer in CPU RAM, that is PyTorch's AdamW stepping there:
    # slower than DeepSpeed's CPUAdam, but nothing to compile.
    "zero_force_ds_cpu_optimizer": False,
# <<< OFFLOAD
    "bf16": {"enabled": "auto"},
    "fp16": {"enabled": "auto"},
    "gradient_accumulation_steps": "auto",
    "gradient_clipping": "auto",
    "train_batch_size": "auto",
    "train_micro_batch_size_per_gpu": "auto",
}
with open(deepspeed_file, "w") as f:
    json.dump(deepspeed_config, f, indent=2)
accelerate_config["deepspeed_config"] = {
    "deepspeed_config_file": deepspeed_file,
    "zero3_init_flag": __ZERO3_INIT__,
}
# With a DeepSpeed file, precision comes from it ("auto": the training settings).
del accelerate_config["mixed_precision"]
# <<< DEEPSPEED

with open(accelerate_file, "w") as f:
    yaml.safe_dump(accelerate_config, f, sort_keys=False)
print(f"Wrote {accelerate_file} for {accelerate_config['num_processes']} processes ({accelerate_config['distributed_type']})")
