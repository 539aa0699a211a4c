"""The generated notebooks on a real GPU: measured peak memory against the estimate.

For a few catalog models, built from their config.json with random weights (no hub: from_config,
saved, then quantized on load by the notebook itself), renders the QLoRA and LoRA notebooks for
this GPU with `model-advisor notebook` at sequence lengths 512, 1,024 and 2,048, runs each for
10 steps in a real IPython kernel, and writes bench/results/gpu-<date>.md and .json: per case
torch.cuda.max_memory_allocated and max_memory_reserved (summed over devices, as the train cell
reads them), the estimate (without the CUDA context), their ratio, and steps per second.

    python bench/gpu/run.py              # on a CUDA machine (about 5 minutes on one modern GPU)
    python bench/gpu/run.py --dry-run    # tiny shapes on the CPU, the same code path (make test)

The GPU profile comes from the probe's report of this machine (python_snippets/gpu_probe.py);
--dry-run uses the a100-40gb recipe with --simulate-on-cpu. Needs `npm run build:lib` first.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CATALOG = os.path.join(REPO, "src", "core", "catalog", "models.json")
MODELS = ("Qwen/Qwen2.5-0.5B-Instruct", "meta-llama/Llama-3.2-1B-Instruct", "Qwen/Qwen3-1.7B")
METHODS = ("qlora", "lora")
SEQ_LENS = (512, 1024, 2048)
DRY_SEQ_LENS = (32, 64, 128)
STEPS = 10
DRY_STEPS = 2
# Tiny shapes for --dry-run: the same families and code path, a few thousand parameters.
TINY = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, head_dim=16, vocab_size=512, max_position_embeddings=512)


def catalog_config(model_id):
    with open(CATALOG) as f:
        rows = json.load(f)
    rows = rows if isinstance(rows, list) else rows["models"]
    for row in rows:
        if row["id"] == model_id:
            return dict(row["config"])
    raise SystemExit("bench/gpu: %s is not in the catalog" % model_id)


def tokenizer_for(vocab_size):
    """A word-level tokenizer over random words; no chat template (plain-text data)."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    words = ["<pad>", "<unk>", "<s>", "</s>"] + ["w%d" % i for i in range(min(vocab_size, 4096) - 4)]
    core = Tokenizer(models.WordLevel(vocab={w: i for i, w in enumerate(words)}, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    return PreTrainedTokenizerFast(tokenizer_object=core, pad_token="<pad>", unk_token="<unk>",
                                   bos_token="<s>", eos_token="</s>"), words[4:]


def build_model(model_id, folder, dry_run):
    """config.json from the catalog (shrunk for --dry-run), random weights, saved in 16-bit."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    config = catalog_config(model_id)
    model_type = config.pop("model_type")
    config.pop("architectures", None)
    if dry_run:
        config.update(TINY)
    config.update(bos_token_id=2, eos_token_id=3, pad_token_id=0)
    cfg = AutoConfig.for_model(model_type, **config)
    device = "cpu" if dry_run or not torch.cuda.is_available() else "cuda"
    with torch.device(device):
        model = AutoModelForCausalLM.from_config(cfg, dtype=torch.bfloat16)
    model.save_pretrained(folder)
    tok, words = tokenizer_for(cfg.vocab_size)
    tok.save_pretrained(folder)
    del model
    if device == "cuda":
        torch.cuda.empty_cache()
    return words


def write_data(path, words, seq_len, rows=64):
    """Plain-text rows longer than seq_len tokens, so every sample is cut to exactly seq_len."""
    import random

    rng = random.Random(0)
    with open(path, "w") as f:
        for _ in range(rows):
            f.write(json.dumps({"text": " ".join(rng.choice(words) for _ in range(seq_len + 8))}) + "\n")
    return path


def render(model_dir, gpu_args, method, seq_len, steps, data, save_dir, out):
    cmd = ["node", os.path.join(REPO, "lib", "cli.js"), "notebook", model_dir, *gpu_args, "--method", method,
           "--max-steps", str(steps), "--seq-len", str(seq_len), "--batch", "1", "--grad-accum", "1",
           "--dataset", data, "--save-dir", save_dir, "--steps", "source,quantize,load,lora,train"
           if method == "qlora" else "source,load,lora,train", "-o", out]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit("bench/gpu: rendering failed: %s" % proc.stderr)
    with open(out) as f:
        return [c for c in json.load(f)["cells"] if c["cell_type"] == "code"]


class Kernel:
    def __init__(self):
        from jupyter_client.manager import KernelManager

        env = dict(os.environ, TOKENIZERS_PARALLELISM="false", HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1")
        self.manager = KernelManager(kernel_name="python3")
        self.manager.start_kernel(env=env)
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=120)

    def run(self, code, expressions=None):
        out = []
        reply = self.client.execute_interactive(code, user_expressions=expressions or {}, timeout=900,
                                                output_hook=lambda m: out.append(m))
        content = reply["content"]
        if content["status"] != "ok":
            text = "".join(m["content"].get("text", "") for m in out if m["msg_type"] == "stream")
            raise RuntimeError("%s: %s\n%s" % (content.get("ename"), content.get("evalue"), text[-2000:]))
        return content.get("user_expressions", {})

    def close(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


FREE = "%reset -f\nimport gc, torch\ngc.collect()\nif torch.cuda.is_available(): torch.cuda.empty_cache()"
READ = {k: k for k in ("peak_allocated_mib", "peak_reserved_mib", "estimate_mib", "steps_per_second")}


def gpu_args(dry_run, work):
    if dry_run:
        return ["--gpu", "a100-40gb", "--simulate-on-cpu"], "a100-40gb (simulated on the CPU)"
    report = os.path.join(work, "probe.json")
    with open(report, "w") as f:
        subprocess.run([sys.executable, os.path.join(REPO, "python_snippets", "gpu_probe.py")], stdout=f, check=True)
    import torch

    return ["--report", report], torch.cuda.get_device_name(0)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dry-run", action="store_true", help="tiny shapes on the CPU (the same code path)")
    ap.add_argument("--out", default=os.path.join(REPO, "bench", "results"), help="folder for gpu-<date>.md/.json")
    ap.add_argument("--models", default=",".join(MODELS), help="catalog ids, comma-separated")
    args = ap.parse_args(argv)
    if not args.dry_run:
        import torch

        if not torch.cuda.is_available():
            raise SystemExit("bench/gpu: no CUDA GPU here; use --dry-run to check the code path on the CPU")
    started = time.perf_counter()
    seq_lens, steps = (DRY_SEQ_LENS, DRY_STEPS) if args.dry_run else (SEQ_LENS, STEPS)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-gpu-") as work:
        gpu, gpu_name = gpu_args(args.dry_run, work)
        kernel = Kernel()
        try:
            for model_id in args.models.split(","):
                model_dir = os.path.join(work, model_id.replace("/", "--"))
                words = build_model(model_id, model_dir, args.dry_run)
                for seq_len in seq_lens:
                    data = write_data(os.path.join(work, "data-%d.jsonl" % seq_len), words, seq_len)
                    for method in METHODS:
                        save_dir = os.path.join(work, "out")
                        cells = render(model_dir, gpu, method, seq_len, steps, data, save_dir,
                                       os.path.join(work, "case.ipynb"))
                        kernel.run(FREE)
                        case_started = time.perf_counter()
                        for cell in cells:
                            kernel.run("".join(cell["source"]))
                        got = kernel.run("", READ)
                        value = {k: (eval(v["data"]["text/plain"]) if v.get("status") == "ok" else None)
                                 for k, v in got.items()}
                        est, reserved = value["estimate_mib"], value["peak_reserved_mib"]
                        results.append({
                            "model": model_id, "method": method, "seq_len": seq_len, "steps": steps,
                            "max_memory_allocated_mib": value["peak_allocated_mib"],
                            "max_memory_reserved_mib": reserved,
                            "estimate_mib": est,
                            "ratio_reserved_to_estimate": (reserved / est) if reserved and est else None,
                            "steps_per_second": value["steps_per_second"],
                            "wall_s": round(time.perf_counter() - case_started, 1),
                        })
                        print("%-36s %-5s %5d  %s" % (model_id, method, seq_len, json.dumps(results[-1]["max_memory_reserved_mib"])), flush=True)
        finally:
            kernel.close()
    total = time.perf_counter() - started
    write_results(args.out, results, gpu_name, args.dry_run, total)
    return 0


def write_results(folder, results, gpu_name, dry_run, total_s):
    os.makedirs(folder, exist_ok=True)
    date = datetime.date.today().isoformat()
    stem = os.path.join(folder, "gpu-%s%s" % ("dryrun-" if dry_run else "", date))
    doc = {"date": date, "gpu": gpu_name, "dry_run": dry_run, "total_s": round(total_s, 1), "cases": results}
    with open(stem + ".json", "w") as f:
        json.dump(doc, f, indent=1)

    def cell(v, fmt="{:,.0f}"):
        return "—" if v is None else fmt.format(v)

    lines = ["# Generated notebooks on %s (%s)" % (gpu_name, date), "",
             "%s Peak memory as the train cell reads it (summed over devices), against the advisor's "
             "estimate without the CUDA context. Batch 1, accumulation 1, %d steps. Total %.0f s." % (
                 "**Dry run: tiny shapes on the CPU, no GPU memory measured.**" if dry_run else "",
                 results[0]["steps"] if results else 0, total_s), "",
             "| model | method | seq | allocated MiB | reserved MiB | estimate MiB | reserved / estimate | steps/s |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append("| %s | %s | %d | %s | %s | %s | %s | %s |" % (
            r["model"], r["method"], r["seq_len"], cell(r["max_memory_allocated_mib"]), cell(r["max_memory_reserved_mib"]),
            cell(r["estimate_mib"]), cell(r["ratio_reserved_to_estimate"], "{:.2f}"), cell(r["steps_per_second"], "{:.2f}")))
    with open(stem + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("Wrote %s.md and .json" % stem)


if __name__ == "__main__":
    sys.exit(main())
