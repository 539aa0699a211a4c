# How close was the estimate? Both numbers are the memory PyTorch holds on the
# GPU (its allocator's reserve), summed over every GPU; the CUDA context comes
# on top of both in nvidia-smi.
import datetime
import json
import os

estimate_mib = __ESTIMATE_MIB__  # None: the advisor could not estimate this model
steps_per_second = train_result.metrics.get("train_steps_per_second")
if torch.cuda.is_available():
    devices = range(torch.cuda.device_count())
    peak_reserved_mib = sum(torch.cuda.max_memory_reserved(d) for d in devices) / 2**20
    peak_allocated_mib = sum(torch.cuda.max_memory_allocated(d) for d in devices) / 2**20
    print(f"Peak GPU memory: {peak_reserved_mib:,.0f} MiB measured ({peak_allocated_mib:,.0f} MiB of it in tensors), "
          f"{estimate_mib} MiB estimated")
# >>> if PER_GPU
    # The layers are spread over the GPUs: the fullest one runs out of memory first,
    # so each GPU's peak is shown beside the plan's figure for that GPU.
    per_gpu_estimate_mib = __PER_GPU_MIB__  # in device order, without the CUDA context
    for d, gpu_estimate_mib in zip(devices, per_gpu_estimate_mib):
        print(f"  GPU {d}: {torch.cuda.max_memory_reserved(d) / 2**20:,.0f} MiB measured, "
              f"{gpu_estimate_mib:,} MiB estimated")
# <<< PER_GPU
else:
    peak_reserved_mib = peak_allocated_mib = None
# >>> if SIMULATE
    print(f"A simulation on the CPU: no GPU memory to measure ({estimate_mib} MiB estimated for the GPU)")
# <<< SIMULATE
# >>> unless SIMULATE
    print(f"No GPU here, so no GPU memory to measure ({estimate_mib} MiB estimated for the GPU)")
# <<< SIMULATE

# How fast was it? The tokens the trainer fed the model (padding included: the
# GPU computed them too) over the run's time, its first slow steps included.
estimated_tokens_per_second = __ESTIMATED_TOKENS_PER_SECOND__  # None: no speed estimate for this GPU
run_seconds = train_result.metrics.get("train_runtime") or 0
tokens_seen = trainer.state.num_input_tokens_seen
tokens_per_second = tokens_seen / run_seconds if run_seconds > 0 and tokens_seen > 0 else None
if tokens_per_second is not None:
    speed_message = __SPEED_MESSAGE__ if torch.cuda.is_available() else __CPU_SPEED_MESSAGE__
    print(speed_message.format(measured=f"{tokens_per_second:,.0f}", estimated=f"{estimated_tokens_per_second or 0:,.0f}"))
    # The estimate assumes every sample as long as max_length; shorter samples
    # make shorter steps, which a GPU runs at fewer tokens per second.
    planned_tokens_per_step = __TOKENS_PER_STEP__
    measured_tokens_per_step = tokens_seen / max(train_result.global_step, 1)
    if measured_tokens_per_step < 0.8 * planned_tokens_per_step:
        print(__SHORT_STEPS_MESSAGE__.format(measured=f"{measured_tokens_per_step:,.0f}", planned=f"{planned_tokens_per_step:,}"))

# Both figures stay in a small file beside the checkpoints, where the advisor's
# panel reads them (it never looks into this notebook's variables). Written to a
# temporary name first, so a half-written record is never read.
run_record = {
    "format": "model-advisor-run",
    "version": 1,
    "advisor": __ADVISOR_VERSION__,
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "model": __MODEL_ID__,
    "method": __METHOD__,
    "settings": __RUN_SETTINGS__,
    "planned_gpu": __PLANNED_GPU__,
    "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,  # None: not a GPU's figures
    "gpu_count": torch.cuda.device_count() if torch.cuda.is_available() else 0,
    "simulated": __SIMULATED__,  # the GPU's recipe, run on a CPU
    "peak_mib": {
        "measured": None if peak_reserved_mib is None else round(peak_reserved_mib),
        "allocated": None if peak_allocated_mib is None else round(peak_allocated_mib),
        "estimated": estimate_mib,
    },
    "tokens_per_second": {
        "measured": None if tokens_per_second is None else round(tokens_per_second, 1),
        "estimated": estimated_tokens_per_second,
    },
    "steps": train_result.global_step,
    "tokens": tokens_seen,
    "seconds": round(run_seconds, 2),
}
record_path = os.path.join(trainer.args.output_dir, "model-advisor-run.json")
os.makedirs(trainer.args.output_dir, exist_ok=True)
with open(record_path + ".tmp", "w", encoding="utf-8") as record_file:
    json.dump(run_record, record_file, indent=1)
os.replace(record_path + ".tmp", record_path)
print(__RECORD_MESSAGE__.format(path=record_path))
