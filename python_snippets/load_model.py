# Load the model and its tokenizer.
# The id is a Hugging Face model (or a local folder) the advisor chose for this GPU.
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

model_id = __MODEL_ID__

tokenizer = AutoTokenizer.from_pretrained(model_id)
model = AutoModelForCausalLM.from_pretrained(
    model_id,
    dtype=__DTYPE__,  # bf16 on GPUs that have it (compute capability 8.0+), else fp16
    device_map="auto",  # place the layers on the GPU, spilling to CPU only if they do not fit
)
print(f"Loaded {model_id}: {model.num_parameters():,} parameters on {model.device}")
