# Start the training: `accelerate launch` runs the script once per GPU with the
# config written above. Its output is shown here as it comes.
import subprocess
import sys

accelerate_file = __ACCELERATE_FILE__
script_file = __SCRIPT_FILE__
command = [sys.executable, "-m", "accelerate.commands.launch", "--config_file", accelerate_file, script_file]
with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1) as run:
    for line in run.stdout:
        print(line, end="")
if run.returncode != 0:
    raise RuntimeError(f"training stopped with exit code {run.returncode}: see the output above")
print("Training finished; the result is in", __OUTPUT_DIR__)
