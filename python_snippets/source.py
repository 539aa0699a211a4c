# Where the model's files come from, and where they are kept on disk.
import os

# >>> if WARNINGS
for warning in __WARNINGS__:
    print("Warning:", warning)
# <<< WARNINGS
# >>> if CACHE_DIR
# Downloads are kept in this folder (Hugging Face reads HF_HOME). Set it before
# the first download; change it later and the files are downloaded again.
os.environ["HF_HOME"] = __CACHE_DIR__
# <<< CACHE_DIR
# >>> if MIRROR
# Download through a mirror of the Hugging Face hub, often much faster in
# mainland China. It must be set before huggingface_hub is first imported:
# restart the kernel if you add this line after a download has started.
os.environ["HF_ENDPOINT"] = __MIRROR_URL__
# <<< MIRROR
# >>> if MODELSCOPE
# Download from ModelScope (reachable in mainland China), then load from the
# local folder it returns.
from modelscope import snapshot_download

# >>> if CACHE_DIR
model_path = snapshot_download(__MODELSCOPE_ID__, cache_dir=__CACHE_DIR__)  # ModelScope keeps its own cache
# <<< CACHE_DIR
# >>> unless CACHE_DIR
model_path = snapshot_download(__MODELSCOPE_ID__)
# <<< CACHE_DIR
# <<< MODELSCOPE
# >>> unless MODELSCOPE
# A Hugging Face id (downloaded on first use) or a folder on this machine.
model_path = __MODEL_PATH__
# <<< MODELSCOPE
print("Model files:", model_path)
