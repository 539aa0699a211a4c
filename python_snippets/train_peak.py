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
else:
    peak_reserved_mib = peak_allocated_mib = None
# >>> if SIMULATE
    print(f"A simulation on the CPU: no GPU memory to measure ({estimate_mib} MiB estimated for the GPU)")
# <<< SIMULATE
# >>> unless SIMULATE
    print(f"No GPU here, so no GPU memory to measure ({estimate_mib} MiB estimated for the GPU)")
# <<< SIMULATE
