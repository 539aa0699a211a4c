# Log in to Hugging Face. This model is gated: first open its page, accept the
# license with your account, then log in here with your own access token.
# The token is never written into this notebook.
import sys

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
