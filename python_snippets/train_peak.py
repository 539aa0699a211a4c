# How close was the estimate? Both numbers are the memory PyTorch holds on the
# GPU (its allocator's reserve), summed over every GPU; the CUDA context comes
# on top of both in nvidia-smi.
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
