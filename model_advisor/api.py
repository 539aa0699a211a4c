"""`check()`, `cells()`, `notebook()`: the advisor without a UI, in a plain cell or a script.

Each builds the arguments of one `model-advisor` command and runs it in the core's bundle
(engine.py): the same answers as the sidebar, the widget and the CLI, never a second estimator.
Without `gpu=`, the GPU is this runtime's, measured by the same gpu_probe.py the sidebar uses.
"""
import html
import json
import os
import re

from model_advisor.engine import engine_path, run

METHODS = ("inference", "full", "lora", "qlora")
REPORT_PATH = "/model-advisor/report.json"
NOTEBOOK_PATH = "/model-advisor/out.ipynb"
# The longest length the panel takes (src/ui/panel/choices.ts MAX_SEQ_LEN): 10**9 tokens is a typo, not a plan.
MAX_SEQ_LEN = 131_072
# cells()/notebook() options → the CLI's `cells` flags (src/cli/cells.ts CELL_OPTIONS, less those
# named by the positional arguments): each takes a string, an int or a list of strings; a switch
# takes True. tests/test_api.py holds this list to the CLI's own.
CELL_OPTIONS = ("task", "dataset", "source", "max_steps", "steps", "lang", "prompt", "labels", "save_dir", "cache_dir",
                "data_lang", "max_new_tokens", "seq_len", "batch", "grad_accum", "dtype", "strategy", "simulate_on_cpu", "report")
CELL_SWITCHES = ("simulate_on_cpu",)


def _model_args(model, files):
    """A catalog id as it is; a config.json (or its folder) is read here and handed to the bundle."""
    if not isinstance(model, (str, os.PathLike)) or not os.fspath(model).strip():
        raise ValueError("model must be a catalog id (\"Qwen/Qwen2.5-7B-Instruct\") or a path to a config.json")
    spec = os.fspath(model)
    if os.path.exists(spec):
        config = os.path.join(spec, "config.json") if os.path.isdir(spec) else spec
        try:
            with open(config, encoding="utf-8") as f:
                files[engine_path(config)] = f.read()
        except OSError as e:
            raise ValueError(f"cannot read {config}: {e.strerror}") from None
        return engine_path(config)
    return spec


def _gpu_args(gpu, files):
    """--gpu for a profile or a size; without one, this runtime's probe report."""
    if gpu is not None:
        if not isinstance(gpu, str) or not gpu.strip():
            raise ValueError('gpu must be a profile id ("t4", "a100-40gb") or a size ("24GB")')
        return ["--gpu", gpu]
    from model_advisor.probe import gpu_report  # noqa: PLC0415

    files[REPORT_PATH] = json.dumps(gpu_report())
    return ["--report", REPORT_PATH]


def _method_args(method):
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    return ["--method", method]


def _python_names(message):
    """The CLI's message in the words of a Python call: `--seq-len` is the argument `seq_len`."""
    return re.sub(r"--([a-z][a-z0-9-]*)", lambda m: m.group(1).replace("-", "_"), message)


def _answer(result):
    """The command's output, or its message as the error a user can act on (naming Python arguments)."""
    if result["code"] == 2:
        raise ValueError(_python_names(result["err"].removeprefix("model-advisor: ").strip()))
    if result["code"] != 0:
        raise RuntimeError(result["err"].strip())
    return result


def estimate(model, method="qlora", seq_len=None, gpu=None):
    """The estimate as a dict (the CLI's `fit --json`), and the table the CLI prints."""
    files = {}
    argv = ["fit", _model_args(model, files), *_method_args(method), *_gpu_args(gpu, files)]
    if seq_len is not None:
        if type(seq_len) is not int or not 0 < seq_len <= MAX_SEQ_LEN:
            raise ValueError(f"seq_len must be a whole number of tokens from 1 to {MAX_SEQ_LEN:,}, not {seq_len!r}")
        argv += ["--seq-len", str(seq_len)]
    data = json.loads(_answer(run(argv + ["--json"], files))["out"])
    table = _answer(run(argv, files))["out"]
    return data, table


class Estimate(dict):
    """The estimate as a dict (the CLI's `fit --json`) that a notebook displays as its table.

    As a cell's last line IPython shows `_repr_pretty_` / `_repr_html_`: the table the CLI prints,
    not 83 lines of dict. For code it is the dict (`e["verdict"]`, `json.dumps(e)`); `table`
    holds the text.
    """

    def __init__(self, data, table):
        super().__init__(data)
        self.table = table

    def _repr_pretty_(self, p, cycle):
        p.text(self.table.rstrip("\n"))

    def _repr_html_(self):
        return f"<pre>{html.escape(self.table.rstrip())}</pre>"


class Cells(str):
    """The cells as one percent-format script (a `str` for code) that a notebook displays as code.

    A plain `str` as a cell's last line is its repr: one 11,000-character line of escapes.
    """

    def _repr_pretty_(self, p, cycle):
        p.text(str(self).rstrip("\n"))

    def _repr_markdown_(self):
        # A fence longer than any run of backticks in the script, so nothing inside closes it.
        longest = max((len(run) for run in str(self).split("\n") if set(run) == {"`"}), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}python\n{str(self).rstrip()}\n{fence}"


def _in_ipython():
    """True where IPython displays a cell's last value (a notebook, a console): the table is shown there, not printed."""
    try:
        from IPython import get_ipython  # noqa: PLC0415
    except ImportError:
        return False
    return get_ipython() is not None


def check(model, method="qlora", seq_len=None, gpu=None, quiet=False):
    """Whether `model` fits this runtime's GPU (or `gpu`), term by term: the estimate, shown as its table.

        model_advisor.check("Qwen/Qwen2.5-7B-Instruct", method="qlora", seq_len=1024)

    `model`: a catalog id or a config.json (or its folder); `method`: inference, full, lora or
    qlora; `gpu`: a profile ("t4") or a size ("24GB") instead of this runtime's. Returns an
    `Estimate` (a dict); a notebook displays it as the table, a script prints the table
    (not with `quiet`).
    """
    try:
        data, table = estimate(model, method=method, seq_len=seq_len, gpu=gpu)
    except ValueError as e:
        if "unknown model family" not in str(e) or method == "inference":
            raise
        # A family the estimator does not count: the tracer builds it with the installed
        # transformers, and its trace is the estimate.
        data, table = traced_estimate(model, method, seq_len, gpu, str(e))
    if not quiet and not _in_ipython():
        print(table, end="" if table.endswith("\n") else "\n")
    return Estimate(data, table)


def traced_estimate(model, method, seq_len, gpu, refusal):
    """(dict, table) for a family the estimator does not count: one training step of the cells'
    plan traced on fake tensors (model_advisor/measure.py), no weights read."""
    files = {}
    argv = ["fit", _model_args(model, files), *_method_args(method), *_gpu_args(gpu, files), "--settings-only"]
    if seq_len is not None:
        argv += ["--seq-len", str(seq_len)]
    planned = json.loads(_answer(run(argv, files))["out"])
    try:
        from model_advisor.measure import MeasureError, measure  # noqa: PLC0415

        traced = measure(model, planned["gpu"], method, seq_len=seq_len)
    except ImportError as e:
        raise ValueError(f"{refusal}; tracing it needs torch, transformers, peft and trl here ({e})") from None
    except MeasureError as e:
        raise ValueError(f"{refusal}; and the tracer cannot build it: {e}") from None
    st = traced["settings"]
    table = "\n".join([
        f"{traced['model']}: the estimator does not count its family, so this is the trace of one training step (no weights read).",
        f"{traced['params']:,.0f} parameters · {traced['method']} · {traced['gpu']} · {st['seq_len']:,} tokens × batch {st['batch']} · {st['compute_dtype']}, {st['optimizer']}",
        f"Traced peak: {traced['peak_allocated_mib']:,.0f} MiB allocated, before the CUDA context and the allocator's reserve.",
        *[f"  {k.replace('_', ' ')}: {v:,.0f} MiB" for k, v in traced["parts_mib"].items()],
        f"Traced with transformers {traced['versions'].get('transformers')} in {traced['seconds']} s.",
    ]) + "\n"
    return {"model": traced["model"], "gpu": traced["gpu"], "method": traced["method"], "known": False, "trace": traced}, table


def _cell_args(model, method, gpu, options, files):
    report = options.pop("report", None)
    if report is not None:
        # A probe report file (the CLI's --report): with gpu=, kept only when it describes that GPU.
        try:
            with open(os.fspath(report), encoding="utf-8") as f:
                files[REPORT_PATH] = f.read()
        except (OSError, TypeError) as e:
            raise ValueError(f"cannot read the report {report!r}: {getattr(e, 'strerror', None) or e}") from None
    if report is None:
        gpu_args = _gpu_args(gpu, files)  # this runtime's probe when gpu is None
    else:
        gpu_args = (_gpu_args(gpu, files) if gpu is not None else []) + ["--report", REPORT_PATH]
    argv = [_model_args(model, files), *_method_args(method), *gpu_args]
    for name, value in options.items():
        if name not in CELL_OPTIONS:
            raise TypeError(f"unknown option {name!r} (known: {', '.join(CELL_OPTIONS)})")
        if value is None or (name in CELL_SWITCHES and value is False):
            continue
        if name in CELL_SWITCHES:
            if value is not True:
                raise ValueError(f"{name} must be True or False, not {value!r}")
            argv.append("--" + name.replace("_", "-"))
            continue
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            value = ",".join(value)
        elif isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ValueError(f"{name} must be a string, a whole number or a list of strings")
        argv += ["--" + name.replace("_", "-"), str(value)]
    return argv


def cells(model, method="qlora", gpu=None, **options):
    """The notebook cells for `model` as one runnable percent-format script (`# %%`), as text.

    Options as for the CLI's `cells`, by their Python names: task, dataset, source, max_steps,
    steps, lang, prompt, labels, save_dir, cache_dir, data_lang, max_new_tokens, seq_len, batch,
    grad_accum, dtype ("nf4" or "int8" for 4-/8-bit inference), strategy, simulate_on_cpu=True,
    report (a probe report file).
    """
    files = {}
    return Cells(_answer(run(["cells", *_cell_args(model, method, gpu, options, files)], files))["out"])


def notebook(model, path, method="qlora", gpu=None, **options):
    """Write the same cells as a Jupyter notebook at `path` (and nowhere else); return the path."""
    if not isinstance(path, (str, os.PathLike)) or not os.fspath(path).strip():
        raise ValueError("path must name the .ipynb file to write")
    files = {}
    result = _answer(run(["notebook", *_cell_args(model, method, gpu, options, files), "-o", NOTEBOOK_PATH], files))
    text = result["written"].get(NOTEBOOK_PATH)
    if text is None:
        raise RuntimeError("the advisor wrote no notebook")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return os.fspath(path)
