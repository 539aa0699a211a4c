# Log in to Hugging Face. This model is gated: first open its page, accept the
# license with your account, then log in here with your own access token.
# The token is never written into this notebook.
import os
import sys

# >>> if CACHE_DIR
# huggingface_hub reads HF_HOME and HF_ENDPOINT once, when it is first imported:
# they are set here, before the import below (the next cell sets them too).
os.environ["HF_HOME"] = __CACHE_DIR__
# <<< CACHE_DIR
# >>> if MIRROR
os.environ["HF_ENDPOINT"] = __MIRROR_URL__  # log in through the same mirror the weights come from
# <<< MIRROR
# >>> if MODELSCOPE
print("The weights come from ModelScope: no Hugging Face login is needed.")
# <<< MODELSCOPE
# >>> unless MODELSCOPE
from huggingface_hub import login

print("Accept the license first at:", __LICENSE_PAGE__)
if "google.colab" in sys.modules:
    # On Colab: add the token once under Secrets (the key icon on the left) with
    # the name HF_TOKEN and allow this notebook to read it.
    from google.colab import userdata

    login(token=userdata.get("HF_TOKEN"))
else:
    # Elsewhere: paste the token when asked (https://huggingface.co/settings/tokens).
    login()
# <<< MODELSCOPE
