# How close was the estimate? (It counts what PyTorch allocates, like the
# measurement below; the CUDA context comes on top of both.)
estimate_mib = __ESTIMATE_MIB__  # None: the advisor could not estimate this model
if torch.cuda.is_available():
    peak_mib = torch.cuda.max_memory_allocated() / 2**20
    print(f"Peak GPU memory: {peak_mib:,.0f} MiB measured, {estimate_mib} MiB estimated")
else:
    print(f"No GPU here, so no GPU memory to measure ({estimate_mib} MiB estimated for the GPU)")
