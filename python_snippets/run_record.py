# Reads the record the train cell left in its output folder (model-advisor-run.json),
# for the advisor's panel. Run silently in the kernel like the probe: it prints one JSON
# line and leaves no name behind. A record that is missing, too large, not JSON or not an
# object is an answer that says so, never an exception.
import json
import os

folder = __FOLDER__
path = os.path.join(folder, "model-advisor-run.json")
answer = {"path": path, "status": "none"}
max_bytes = 65536  # a record is about 1 KB; anything this large is not one


def refuse_constant(name):
    # NaN and Infinity are not JSON: the panel could not parse the answer.
    raise ValueError(f"{name} is not a JSON number")


try:
    size = os.path.getsize(path)
except OSError:
    size = None
if size is not None:
    try:
        if size > max_bytes:
            raise ValueError(f"{size:,} bytes, more than a record holds")
        with open(path, encoding="utf-8") as record_file:
            record = json.load(record_file, parse_constant=refuse_constant)
        if not isinstance(record, dict):
            raise ValueError("not a JSON object")
        answer.update(status="ok", record=record, modified=os.path.getmtime(path))
    except (OSError, ValueError) as e:
        answer.update(status="corrupt", message=f"{type(e).__name__}: {e}"[:300])
print(json.dumps(answer))
