# Write the training script to a file. `accelerate launch` (next cell) runs it
# once per GPU, each time in a fresh process that does not see this notebook's
# variables: the script loads the model and the data itself.
from pathlib import Path

script_file = __SCRIPT_FILE__
Path(script_file).write_text(__SCRIPT__, encoding="utf-8")  # the encoding Python reads a script in, whatever the system's
print("Wrote", script_file)
