"""A local stand-in for the Hugging Face hub (and ModelScope's file API), for tests only.

Loopback only, a fixed set of repositories, every answer bounded in size and time:

    ok/mistral-sharded   config.json without num_key_value_heads + model.safetensors.index.json
    ok/qwen-single       config.json + one model.safetensors (header served by byte range)
    ok/gptq              a GPTQ 4-bit config (quantization_config)
    gated/model          401 without a token, 200 with "Bearer good-token"
    private/model        403
    remote/code          a config whose family only its own code knows (auto_map)
    slow/model           answers after SLOW_S seconds (past a 1 s timeout)
    anything else        404

Run it alone with `python tests/fake_hub.py --port 9020` (prints the address, serves until killed).
"""
import argparse
import json
import re
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

SLOW_S = 3

MISTRAL = {"architectures": ["MistralForCausalLM"], "model_type": "mistral", "hidden_size": 4096,
           "intermediate_size": 14336, "num_attention_heads": 32, "num_hidden_layers": 32,
           "vocab_size": 32000, "max_position_embeddings": 32768, "rms_norm_eps": 1e-05,
           "tie_word_embeddings": False, "torch_dtype": "bfloat16"}
QWEN = {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 896,
        "intermediate_size": 4864, "num_attention_heads": 14, "num_hidden_layers": 24,
        "num_key_value_heads": 2, "vocab_size": 151936, "max_position_embeddings": 32768,
        "tie_word_embeddings": True, "torch_dtype": "bfloat16"}
GPTQ = dict(QWEN, quantization_config={"quant_method": "gptq", "bits": 4, "group_size": 128})
REMOTE = {"architectures": ["MysteryForCausalLM"], "model_type": "mystery", "hidden_size": 1024,
          "auto_map": {"AutoModelForCausalLM": "modeling_mystery.MysteryForCausalLM"}}
INDEX = {"metadata": {"total_size": 14483464192}, "weight_map": {"lm_head.weight": "model-00003-of-00003.safetensors"}}


def safetensors_head():
    header = json.dumps({"__metadata__": {"format": "pt"},
                         "model.embed_tokens.weight": {"dtype": "BF16", "shape": [151936, 896], "data_offsets": [0, 272269312]},
                         "model.norm.weight": {"dtype": "BF16", "shape": [896], "data_offsets": [272269312, 272271104]}}).encode()
    return struct.pack("<Q", len(header)) + header


FILES = {
    ("ok/mistral-sharded", "config.json"): json.dumps(MISTRAL).encode(),
    ("ok/mistral-sharded", "model.safetensors.index.json"): json.dumps(INDEX).encode(),
    ("ok/qwen-single", "config.json"): json.dumps(QWEN).encode(),
    ("ok/qwen-single", "model.safetensors"): safetensors_head(),
    ("ok/gptq", "config.json"): json.dumps(GPTQ).encode(),
    ("remote/code", "config.json"): json.dumps(REMOTE).encode(),
    ("gated/model", "config.json"): json.dumps(QWEN).encode(),
    ("slow/model", "config.json"): json.dumps(QWEN).encode(),
}


class Hub(BaseHTTPRequestHandler):
    timeout = 10  # a client that stalls is dropped

    def log_message(self, *args):
        pass

    def send(self, status, body=b""):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        url = urlparse(self.path)
        m = re.fullmatch(r"/api/v1/models/(.+)/repo", url.path)
        if m:  # ModelScope
            repo, name = unquote(m.group(1)), parse_qs(url.query).get("FilePath", [""])[0]
        else:
            m = re.fullmatch(r"/(.+?/.+?)/resolve/main/(.+)", url.path)
            if not m:
                return self.send(404)
            repo, name = unquote(m.group(1)), unquote(m.group(2))
        if repo == "private/model":
            return self.send(403, b"Access to this model is restricted")
        if repo == "gated/model" and self.headers.get("Authorization") != "Bearer good-token":
            return self.send(401, b"Access to model gated/model is restricted")
        if repo == "slow/model":
            time.sleep(SLOW_S)
        body = FILES.get((repo, name))
        if body is None:
            return self.send(404, b"Entry not found")
        rng = re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers.get("Range", ""))
        if rng:
            start, end = int(rng.group(1)), int(rng.group(2))
            self.send_response(206)
            part = body[start:end + 1]
            self.send_header("Content-Length", str(len(part)))
            self.end_headers()
            self.wfile.write(part)
            return
        self.send(200, body)

    do_HEAD = do_GET


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up (the timeout test) is expected, not news


def start(port=0):
    """Serve on 127.0.0.1 in a daemon thread; returns (server, base URL). Call server.shutdown() after."""
    server = Server(("127.0.0.1", port), Hub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d" % server.server_address[1]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=9020)
    parser.add_argument("--seconds", type=int, default=900, help="stop after this long (bounded)")
    parser.add_argument("--slow", type=float, default=SLOW_S, help="how long slow/model takes to answer")
    args = parser.parse_args()
    SLOW_S = args.slow
    server, url = start(args.port)
    print(url, flush=True)
    time.sleep(args.seconds)
    server.shutdown()
