# Keep the big weight matrices in a compact form so the model fits in memory.
import torch
from transformers import BitsAndBytesConfig

# >>> include _quantize
