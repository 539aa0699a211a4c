# Reads a model's config.json (and, when there is one, its safetensors index or the header of
# its single safetensors file) from the hub the user chose, without downloading any weights.
# The advisor runs this silently in the kernel, so the kernel's network, mirror and token are
# the ones used; it prints one JSON line and leaves no name behind.
import json
import os
import socket
import urllib.error
import urllib.parse
import urllib.request

model_id = __MODEL_ID__
source = __SOURCE__  # "hf", "mirror" or "modelscope"
endpoint = __ENDPOINT__  # None: HF_ENDPOINT if set, else the source's own address
timeout_s = __TIMEOUT_S__

if endpoint is None:
    if source == "modelscope":
        endpoint = "https://www.modelscope.cn"
    else:
        # huggingface_hub itself reads HF_ENDPOINT; a mirror without one is hf-mirror.com.
        fallback = "https://hf-mirror.com" if source == "mirror" else "https://huggingface.co"
        endpoint = os.environ.get("HF_ENDPOINT") or fallback
endpoint = endpoint.rstrip("/")
quoted_id = "/".join(urllib.parse.quote(part, safe="") for part in model_id.split("/"))


def file_url(name):
    if source == "modelscope":
        return (endpoint + "/api/v1/models/" + quoted_id + "/repo?Revision=master&FilePath="
                + urllib.parse.quote(name, safe=""))
    return endpoint + "/" + quoted_id + "/resolve/main/" + name


def hf_token():
    # The same places huggingface_hub looks: HF_TOKEN, then the file `huggingface-cli login` writes.
    token = os.environ.get("HF_TOKEN")
    if token:
        return token.strip()
    home = os.environ.get("HF_HOME") or os.path.join(os.path.expanduser("~"), ".cache", "huggingface")
    try:
        with open(os.path.join(home, "token")) as f:
            return f.read().strip() or None
    except OSError:
        return None


def fetch(name, byte_range=None):
    """One file: {"status": HTTP status | 0 (unreachable) | -1 (timeout), "body": bytes}."""
    headers = {"User-Agent": "model-advisor"}
    token = hf_token() if source != "modelscope" else None
    if token:
        headers["Authorization"] = "Bearer " + token
    if byte_range:
        headers["Range"] = "bytes=%d-%d" % byte_range
    request = urllib.request.Request(file_url(name), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return {"status": response.status, "body": response.read(4 * 1024 * 1024)}
    except urllib.error.HTTPError as e:
        return {"status": e.code, "detail": str(e.reason)}
    except (socket.timeout, TimeoutError) as e:
        return {"status": -1, "detail": str(e) or "timed out"}
    except urllib.error.URLError as e:
        if isinstance(e.reason, (socket.timeout, TimeoutError)):
            return {"status": -1, "detail": str(e.reason) or "timed out"}
        return {"status": 0, "detail": str(e.reason)}
    except OSError as e:
        return {"status": 0, "detail": str(e)}


def as_json(answer, body=None):
    """The answer as the advisor reads it: the parsed JSON when the file came."""
    out = {"status": answer["status"]}
    if "detail" in answer:
        out["detail"] = answer["detail"]
    data = answer.get("body") if body is None else body
    if answer["status"] in (200, 206) and data is not None:
        out["status"] = 200
        try:
            out["json"] = json.loads(data.decode("utf-8"))
        except ValueError as e:
            out["status"] = 422
            out["detail"] = "not JSON: %s" % e
    return out


report = {"id": model_id, "source": source, "config": as_json(fetch("config.json"))}
if report["config"]["status"] == 200:
    report["index"] = as_json(fetch("model.safetensors.index.json"))
    if report["index"]["status"] != 200:
        # A single file: its first 8 bytes are the header's length (little-endian), then the header.
        head = fetch("model.safetensors", (0, 7))
        if head["status"] in (200, 206) and len(head.get("body", b"")) >= 8:
            size = int.from_bytes(head["body"][:8], "little")
            if 0 < size <= 100 * 1024 * 1024:
                header = fetch("model.safetensors", (8, 8 + size - 1))
                report["header"] = as_json(header, header.get("body", b"")[:size])
print(json.dumps(report))
