# Keep the big weight matrices in a compact form so the model fits in memory.
import torch
from transformers import BitsAndBytesConfig

# >>> if FOUR_BIT
quant_config = BitsAndBytesConfig(
    load_in_4bit=True,  # 4 bits per weight instead of 16: about a quarter of the memory
    bnb_4bit_quant_type="nf4",  # NF4, the 4-bit format QLoRA was designed with
    bnb_4bit_use_double_quant=True,  # also compress the scaling constants (saves ~0.4 bit per weight)
    bnb_4bit_compute_dtype=__COMPUTE_DTYPE__,  # the number format the matrix products run in
)
# <<< FOUR_BIT
# >>> unless FOUR_BIT
quant_config = BitsAndBytesConfig(load_in_8bit=True)  # 8 bits per weight: half of 16-bit
# <<< FOUR_BIT
