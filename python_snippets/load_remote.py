# Load the model with its own code, on the library versions its repository
# states (the first cell installs them), and its tokenizer.
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

# >>> if DEFINE_PATH
model_path = __MODEL_PATH__  # a Hugging Face id (downloaded on first use) or a folder on this machine
# <<< DEFINE_PATH
# >>> if WARNINGS
for warning in __WARNINGS__:
    print("Warning:", warning)
# <<< WARNINGS
# This model ships its own Python code in its repository, which transformers
# runs only when you allow it (trust_remote_code=True below). Do so only for
# models from publishers you trust: that code runs with your permissions.
# >>> if SENTENCEPIECE_FIRST
# Baichuan 2's tokenizer asks for its vocabulary before it has loaded it, which
# transformers 4.34 and later do during setup ("no attribute 'sp_model'",
# baichuan-inc/Baichuan2#204). Load the vocabulary first, then run the
# tokenizer's own setup unchanged; its file is not edited.
import sentencepiece
from transformers.dynamic_module_utils import get_class_from_dynamic_module

tokenizer_class = get_class_from_dynamic_module("tokenization_baichuan.BaichuanTokenizer", model_path)


def load_vocabulary_first(self, vocab_file, sp_model_kwargs=None, **kwargs):
    self.sp_model = sentencepiece.SentencePieceProcessor(**(sp_model_kwargs or {}))
    self.sp_model.Load(vocab_file)
    tokenizer_class.own_init(self, vocab_file, sp_model_kwargs=sp_model_kwargs, **kwargs)


if not hasattr(tokenizer_class, "own_init"):  # once, even if this cell runs again
    tokenizer_class.own_init = tokenizer_class.__init__
    tokenizer_class.__init__ = load_vocabulary_first
# <<< SENTENCEPIECE_FIRST
tokenizer = AutoTokenizer.from_pretrained(model_path, trust_remote_code=True)
if tokenizer.pad_token is None:
    # Batches are padded to equal length; reuse the end-of-text token for padding.
    tokenizer.pad_token = tokenizer.eos_token

model = AutoModelForCausalLM.from_pretrained(
    model_path,
    torch_dtype=__DTYPE__,  # the number format of the weights (transformers 4 names it torch_dtype)
# >>> if QUANTIZE
    quantization_config=quant_config,  # the compact weights set up in the cell above
# <<< QUANTIZE
# >>> if GPU
# >>> unless QUANTIZE
    device_map="auto",  # put the layers on the GPU (spilling to CPU only if they do not fit)
# <<< QUANTIZE
# >>> if QUANTIZE
    device_map="auto",  # put the layers on the GPU: quantized layers cannot spill to the CPU, so all must fit
# <<< QUANTIZE
# <<< GPU
    trust_remote_code=True,
)
print(f"Loaded {model_path}: {model.num_parameters():,} parameters on {model.device}")
