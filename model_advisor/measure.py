"""`measure()`: one training step of the cells' own libraries, traced on fake tensors.

The estimate (the TypeScript core) is a hand-written model of transformers, peft, TRL and
bitsandbytes. This module is its referee: it builds the model from its config with no
weights (PyTorch's meta device, then fake tensors: `torch._subclasses.fake_tensor.FakeTensorMode`
allocates nothing), applies the recipe the cells run — the settings come from the core's own
plan (`fit --json` through engine.py, never a copy) — and runs forward, backward and the
optimizer step of the installed libraries, counting every tensor storage they allocate.

What is counted is what `torch.cuda.max_memory_allocated` would report on the GPU: live tensor
storages, each rounded up to the CUDA caching allocator's 512-byte blocks. Not counted: the
CUDA context and the allocator's reserve beyond its blocks (the core prices both apart), and
cuBLAS/cuDNN workspaces.

The trace runs on this machine's CPU (fake CPU tensors: a CPU-only torch refuses fake CUDA
tensors in some ops) but takes the GPU's code path where a library branches on the device;
each such place is patched below with the source line it follows. A deep model is traced at
one and two decoder layers and extrapolated by depth (the peak is linear in the layer count).

    python -m model_advisor measure Qwen/Qwen2.5-7B-Instruct --gpu t4 --method qlora \\
        --seq-len 1024 --batch 2 --optimizer adamw --json
"""
import contextlib
import json
import math
import os
import sys
import time
import types
import weakref

from model_advisor.engine import engine_path, run

MIB = 1024 * 1024
# The CUDA caching allocator rounds every request up to 512 bytes (kMinBlockSize,
# c10/cuda/CUDACachingAllocator.cpp); `max_memory_allocated` counts those blocks.
BLOCK = 512
# `fit --optimizer` words, as the core's CLI takes them (src/cli/estimate.ts OPTIMIZER_FLAGS).
OPTIMIZERS = ("adamw", "adamw-8bit", "paged-adamw-8bit", "adafactor", "sgd")
METHODS = ("full", "lora", "qlora")
# The causal-LM tasks, the ones the cells train with TRL's SFTTrainer.
SFT_TASKS = ("chat", "generation", "code")


class MeasureError(RuntimeError):
    """The trace cannot run for this model or recipe; the message says why, in a user's words."""


class RemoteCodeNeeded(MeasureError):
    """The family exists only in the model's own code: tracing it would run that code."""


# ---------------------------------------------------------------------------------------------
# The plan: what the core says the cells run (engine.py runs the same bundle as the CLI).


def _answer(result):
    if result["code"] != 0:
        raise MeasureError(result["err"].removeprefix("model-advisor: ").strip())
    return json.loads(result["out"])


def _model_spec(model):
    """(the argument the bundle takes, the files it reads, the config dict)."""
    spec = os.fspath(model)
    if os.path.exists(spec):
        path = os.path.join(spec, "config.json") if os.path.isdir(spec) else spec
        with open(path, encoding="utf-8") as f:
            text = f.read()
        return engine_path(path), {engine_path(path): text}, json.loads(text)
    catalog = {m["id"]: m for m in _answer(run(["models", "--json"]))}
    if spec not in catalog:
        raise MeasureError(f"unknown model {spec!r}: not in the catalog and not a config.json path")
    return spec, {}, catalog[spec]["config"]


def plan(model, gpu, method, seq_len=None, batch=None, optimizer=None):
    """The core's plan for these choices: `fit --json` (settings, recipe, breakdown) and the GPU profile."""
    if method not in METHODS:
        raise MeasureError(f"method must be one of {', '.join(METHODS)} (the tracer traces training), not {method!r}")
    arg, files, config = _model_spec(model)
    argv = ["fit", arg, "--gpu", gpu, "--method", method]
    if seq_len is not None:
        argv += ["--seq-len", str(int(seq_len))]
    if batch is not None:
        argv += ["--batch", str(int(batch))]
    if optimizer is not None:
        if optimizer not in OPTIMIZERS:
            raise MeasureError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, not {optimizer!r}")
        argv += ["--optimizer", optimizer]
    try:
        fit = _answer(run(argv + ["--json"], files))
    except MeasureError as e:
        if "unknown model family" not in str(e):
            raise
        # A family the estimator does not count: the plan the cells follow for it (its
        # settings, `fit --settings-only`), and the trace is the estimate (`fit` is None).
        fit = dict(_answer(run(argv + ["--settings-only"], files)), breakdown=None)
    profiles = {p["id"]: p for p in _answer(run(["gpus", "--json"]))}
    profile = profiles.get(fit["gpu"])
    if profile is None:
        raise MeasureError(f"--gpu {gpu!r}: the tracer needs a GPU profile (`model-advisor gpus`), not a size")
    return {"fit": fit, "gpu": profile, "config": config}


def fit_allocated_mib(fit):
    """`fit`'s allocated part: its total less the CUDA context and the allocator allowance
    (None for a family the estimator does not count)."""
    b = fit["breakdown"]
    if b is None:
        return None
    return fit["total_mib"] - b.get("cuda_context_mib", 0) - b.get("allocator_overhead_mib", 0)


# ---------------------------------------------------------------------------------------------
# The tracker: live fake storages, allocation by allocation.


class _Tracker:
    """Every storage an op creates, with when it was made and freed (a TorchDispatchMode above
    FakeTensorMode, so it sees each op's fake outputs). The peak is the most bytes live at once."""

    def __init__(self, block=BLOCK):
        self.block = block
        self.live = 0
        self.peak = 0
        self.peak_at = 0
        # Each phase's own peak (live bytes, when): a deep model's peak can fall in another phase
        # than a shallow one's (the optimizer step's copies grow with depth faster than backward).
        self.phase = None
        self.phase_peaks = {}
        self.clock = 0
        self.records = {}  # storage key -> [bytes, made, freed, what made it]
        self._refs = {}

    def add(self, t, label="resident"):
        import torch  # noqa: PLC0415

        if not isinstance(t, torch.Tensor):
            return
        st = t.untyped_storage()
        key = id(st)
        rec = self.records.get(key)
        if rec is not None and rec[2] is None:
            return
        size = -(-st.nbytes() // self.block) * self.block
        self.clock += 1
        self.records[key] = rec = [size, self.clock, None, label]
        self.live += size
        if self.live > self.peak:
            self.peak, self.peak_at = self.live, self.clock
        if self.phase is not None and self.live > self.phase_peaks[self.phase][0]:
            self.phase_peaks[self.phase] = [self.live, self.clock]

        def freed(_ref, rec=rec, key=key):
            self.clock += 1
            rec[2] = self.clock
            self.live -= rec[0]
            self._refs.pop(key, None)

        self._refs[key] = weakref.ref(st, freed)

    def key(self, t):
        return id(t.untyped_storage())

    def enter(self, phase):
        self.phase = phase
        if phase not in self.phase_peaks:
            self.phase_peaks[phase] = [self.live, self.clock]

    def largest_at(self, when, n=8):
        """The n largest storages live at `when`, summed by what made them (op, shape, dtype, pass)."""
        groups = {}
        for rec in self.records.values():
            if rec[1] <= when and (rec[2] is None or rec[2] > when):
                g = groups.setdefault(rec[3], [0, 0])
                g[0] += rec[0]
                g[1] += 1
        top = sorted(groups.items(), key=lambda kv: -kv[1][0])[:n]
        return [{"made_by": k, "count": c, "mib": round(b / MIB, 1)} for k, (b, c) in top]

    def live_at(self, keys, when):
        total = 0
        for k in keys:
            rec = self.records.get(k)
            if rec is not None and rec[1] <= when and (rec[2] is None or rec[2] > when):
                total += rec[0]
        return total



def _dispatch_mode(tracker, on_op=None):
    import torch  # noqa: PLC0415
    from torch.utils._python_dispatch import TorchDispatchMode  # noqa: PLC0415
    from torch.utils._pytree import tree_flatten  # noqa: PLC0415

    class Mode(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            if on_op is not None:
                replaced = on_op(func, args, kwargs)
                if replaced is not NotImplemented:
                    out = replaced
                else:
                    out = func(*args, **kwargs)
            else:
                out = func(*args, **kwargs)
            label = None
            for t in tree_flatten(out)[0]:
                if isinstance(t, torch.Tensor):
                    if label is None:
                        backward = torch._C._current_graph_task_id() != -1
                        label = f"{func.__name__} {'backward' if backward else 'forward'}"
                    tracker.add(t, f"{label} {tuple(t.shape)} {str(t.dtype).removeprefix('torch.')}")
            return out

    return Mode()


# ---------------------------------------------------------------------------------------------
# Building the model the cells load, with no weights.


class RemoteCode(str):
    """A model whose classes are its repository's own code (`auto_map`, trust_remote_code): a Hub
    id or a local folder. Tracing it imports and runs that code with the user's permissions, so
    it is built only when the caller passes one of these (the panel: only on an explicit click)."""


# Where a remote-code config keeps its depth (ChatGLM: num_layers; GPT-2 style: n_layer).
_DEPTH_FIELDS = ("num_hidden_layers", "num_layers", "n_layer", "n_layers")


def _remote_config_object(ref, layers):
    from transformers import AutoConfig  # noqa: PLC0415

    try:
        # Downloads (or reads) config.json and the repository's configuration code, no weights.
        cfg = AutoConfig.from_pretrained(str(ref), trust_remote_code=True)
    except Exception as e:  # noqa: BLE001 - the repository's own code may raise anything
        raise MeasureError(f"cannot read {ref}'s config with its own code: {type(e).__name__}: {e}") from None
    field = next((f for f in _DEPTH_FIELDS if isinstance(getattr(cfg, f, None), int)), None)
    if field is None:
        raise MeasureError(f"{ref}'s config names no layer count ({', '.join(_DEPTH_FIELDS)})")
    full = getattr(cfg, field)
    if layers is not None:
        setattr(cfg, field, layers)
    return cfg, full


def _config_object(config, layers):
    from transformers import AutoConfig  # noqa: PLC0415

    if isinstance(config, RemoteCode):
        return _remote_config_object(config, layers)
    data = dict(config)
    model_type = data.pop("model_type", None)
    if model_type is None:
        raise MeasureError("the config has no model_type: transformers cannot build it")
    from transformers import CONFIG_MAPPING  # noqa: PLC0415

    if model_type not in CONFIG_MAPPING and isinstance(data.get("auto_map"), dict):
        raise RemoteCodeNeeded(f"{model_type!r} is defined by the model's own code (trust_remote_code): "
                           "it is traced only when you allow that code to run")
    # transformers 5's strict configs reject an int where a float is declared (a JSON that wrote
    # 30.0 as 30): every known float field back to a float.
    if model_type not in CONFIG_MAPPING:
        raise MeasureError(f"transformers {__import__('transformers').__version__} has no {model_type!r} model type: it cannot build this config")
    for k in ("final_logit_softcapping", "attn_logit_softcapping", "rope_theta", "rms_norm_eps", "layer_norm_eps", "initializer_range"):
        if isinstance(data.get(k), int) and not isinstance(data.get(k), bool):
            data[k] = float(data[k])
    for k in ("auto_map", "architectures", "_name_or_path", "transformers_version", "quantization_config"):
        data.pop(k, None)
    try:
        cfg = AutoConfig.for_model(model_type, **data)
    except Exception as e:  # noqa: BLE001 - strict configs raise their own validation errors
        raise MeasureError(f"transformers {__import__('transformers').__version__} cannot build a {model_type!r} config: {e}") from None
    full = cfg.num_hidden_layers
    if layers is not None:
        cfg.num_hidden_layers = layers
        # Families with per-layer lists (Gemma-2's layer_types, Qwen's sliding windows) follow the depth.
        if isinstance(getattr(cfg, "layer_types", None), list):
            cfg.layer_types = cfg.layer_types[:layers]
    return cfg, full


def _is_bnb_4bit(module):
    import bitsandbytes as bnb  # noqa: PLC0415

    return isinstance(module, bnb.nn.Linear4bit)


def _fake_parameters(model, fake, qlora, compute_dtype):
    """Meta parameters → fake tensors (tied weights stay one tensor); 4-bit layers quantized
    through bitsandbytes' registered fake ops. Returns the quantization states' tensors."""
    import torch  # noqa: PLC0415
    from torch import nn  # noqa: PLC0415

    extra = []
    done = {}
    if qlora:
        import bitsandbytes.functional as F  # noqa: PLC0415

        # quantize_blockwise builds its 8-bit code with .tolist() (functional.py
        # create_dynamic_map): made once on real tensors, as bitsandbytes caches it.
        if "dynamic" not in F.name2qmap:
            F.name2qmap["dynamic"] = F.create_dynamic_map()
    with fake:
        for module in model.modules():
            for name, p in list(module._parameters.items()):
                if p is None:
                    continue
                if id(p) in done:
                    module._parameters[name] = done[id(p)]
                    continue
                if qlora and _is_bnb_4bit(module) and name == "weight":
                    import bitsandbytes.functional as F  # noqa: PLC0415

                    w = torch.empty(p.shape, dtype=compute_dtype)
                    # bitsandbytes/nn/modules.py Params4bit._quantize: blocksize 64, nf4,
                    # double quant (compress_statistics), uint8 storage.
                    packed, state = F.quantize_4bit(w, blocksize=64, compress_statistics=True, quant_type="nf4", quant_storage=torch.uint8)
                    del w
                    new = nn.Parameter(packed, requires_grad=False)
                    new.quant_state = state
                    module.quant_state = None
                    extra += [state.absmax, state.code, state.offset, state.state2.absmax, state.state2.code]
                else:
                    new = nn.Parameter(torch.empty(p.shape, dtype=p.dtype), requires_grad=p.requires_grad)
                module._parameters[name] = new
                done[id(p)] = new
            for name, b in list(module._buffers.items()):
                if b is not None:
                    module._buffers[name] = torch.empty(b.shape, dtype=b.dtype)
    # Rotary tables and other non-persistent buffers are recomputed by some families at init:
    # computed here on fake tensors, they take what their own code allocates.
    return extra


def _build(config, layers, method, compute_dtype, attention, lora_r, lora_alpha, checkpointing, fake):
    """The model the cells train, on meta then fake tensors (`fake` a FakeTensorMode), or with
    real CPU tensors (`fake` None: the check against a real run)."""
    import torch  # noqa: PLC0415
    from transformers import AutoModelForCausalLM  # noqa: PLC0415

    cfg, full_depth = _config_object(config, layers)
    load_dtype = torch.float32 if method == "full" else compute_dtype
    kwargs = {"dtype": load_dtype}
    if attention is not None:
        kwargs["attn_implementation"] = attention
    if isinstance(config, RemoteCode):
        kwargs["trust_remote_code"] = True
    with torch.device("meta") if fake is not None else contextlib.nullcontext():
        try:
            model = AutoModelForCausalLM.from_config(cfg, **kwargs)
        except (ValueError, KeyError, TypeError, ImportError) as e:
            raise MeasureError(f"transformers cannot build this config: {e}") from None
        except Exception as e:  # noqa: BLE001 - a repository's own modeling code may raise anything
            if not isinstance(config, RemoteCode):
                raise
            raise MeasureError(f"the model's own code could not build it: {type(e).__name__}: {e}") from None
    if method == "qlora":
        from transformers import BitsAndBytesConfig  # noqa: PLC0415
        from transformers.integrations.bitsandbytes import replace_with_bnb_linear  # noqa: PLC0415
        from transformers.quantizers.base import get_keys_to_not_convert  # noqa: PLC0415

        # What the cells' quantize cell asks for (python_snippets/quantize.py); the modules left
        # alone are transformers' choice at load (quantizers/base.py get_keys_to_not_convert).
        qc = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True, bnb_4bit_compute_dtype=compute_dtype)
        model = replace_with_bnb_linear(model, modules_to_not_convert=get_keys_to_not_convert(model), quantization_config=qc)
    with _quiet():
        model.train()
        if method == "qlora":
            for p in model.parameters():
                p.requires_grad = False  # python_snippets/lora.py: freeze the base model
        if checkpointing:
            # python_snippets/lora.py and the Trainer (activation_checkpointing=True, non-reentrant)
            model.activation_checkpointing_enable(activation_checkpointing_kwargs={"use_reentrant": False})
            if method != "full":
                model.enable_input_require_grads()
        # TRL 1.16 SFTTrainer.__init__ (trl/trainer/sft_trainer.py:1144) patches the base
        # model's forward with the fused, tiled LM head; the cells' model is already a
        # PeftModel, so it patches get_base_model(): the same module as patched here.
        from trl.trainer.utils import add_fused_lm_head  # noqa: PLC0415

        add_fused_lm_head(model, outputs=("log_probs", "entropy", "is_top1"))
        if method != "full":
            from peft import LoraConfig, get_peft_model  # noqa: PLC0415

            # python_snippets/lora.py; built on meta like the base (peft moves each adapter to
            # its base layer's device), made fake below with everything else.
            lora = LoraConfig(r=lora_r, lora_alpha=lora_alpha, lora_dropout=0.05, target_modules="all-linear", task_type="CAUSAL_LM")
            model = get_peft_model(model, lora)
            for p in model.parameters():
                if p.requires_grad:
                    p.data = p.data.float()  # python_snippets/lora.py: adapters learn in fp32
    if fake is None:
        if method == "qlora":
            raise MeasureError("a real QLoRA run is not built here (the check runs LoRA and full)")
        return model, [], full_depth
    extra = _fake_parameters(model, fake, method == "qlora", compute_dtype)
    with fake:
        # Buffers computed at init (rotary inv_freq) were meta: recompute them from the config.
        for module in model.modules():
            if hasattr(module, "rope_init_fn") and hasattr(module, "inv_freq"):
                inv_freq, _ = module.rope_init_fn(module.config, None)
                module.inv_freq = inv_freq
                module.original_inv_freq = inv_freq
    return model, extra, full_depth


@contextlib.contextmanager
def _quiet():
    import warnings  # noqa: PLC0415

    from transformers.utils import logging as hf_logging  # noqa: PLC0415

    level = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            yield
        finally:
            hf_logging.set_verbosity(level)


# ---------------------------------------------------------------------------------------------
# The GPU's branches, where a library asks which device it is on.


@contextlib.contextmanager
def _mask_values_known():
    """transformers drops the 4-D mask and lets sdpa take is_causal when no position is padded
    (masking_utils.py:252 _ignore_causal_mask_sdpa); it will not read a fake tensor's values
    (`is_tracing`) and builds the mask (and repeats K/V, sdpa_attention.py use_gqa_in_sdpa).
    The trace's mask is all ones, as the collator's is for full-length samples: answer with
    what the function answers for no padding."""
    import transformers.masking_utils as mu  # noqa: PLC0415

    original = mu._ignore_causal_mask_sdpa

    def known(padding_mask, *args, **kwargs):
        return original(None, *args, **kwargs)

    mu._ignore_causal_mask_sdpa = known
    try:
        yield
    finally:
        mu._ignore_causal_mask_sdpa = original


@contextlib.contextmanager
def _gpu_branches():
    """TRL's fused head on CUDA runs Triton kernels on torch-allocated buffers; take that branch
    and stub only the launches (they write into buffers the wrapper already allocated)."""
    import trl.kernels.chunked_logprob as ck  # noqa: PLC0415
    import trl.trainer.utils as tu  # noqa: PLC0415

    class _Launch:
        # `_forward_kernel[(n,)](...)` / `_backward_kernel[(n, blocks)](...)` (chunked_logprob.py
        # ChunkedLogProbFunction.forward/backward): Triton writes into `tile` and the (N,)
        # statistics in place; no torch allocation.
        def __getitem__(self, grid):
            return lambda *a, **k: None

    class _Triton:
        @staticmethod
        def cdiv(a, b):
            return -(-a // b)

    saved = {
        (ck, "_use_triton"): ck._use_triton,
        (ck, "_forward_kernel"): ck._forward_kernel,
        (ck, "_backward_kernel"): ck._backward_kernel,
        (ck, "_addmm_fp32"): ck._addmm_fp32,
        (tu, "_use_triton"): tu._use_triton,
    }
    had_triton = hasattr(ck, "triton")
    old_triton = getattr(ck, "triton", None)
    try:
        ck._use_triton = lambda device: True  # chunked_logprob.py `_use_triton`: CUDA has Triton
        tu._use_triton = lambda device: True  # trl/trainer/utils.py:1642 `compact`: only valid positions
        ck._forward_kernel = _Launch()
        ck._backward_kernel = _Launch()
        ck.triton = _Triton()

        def _addmm_cuda(acc, a, b):
            # chunked_logprob.py `_addmm_fp32`: on CUDA, `torch.addmm(acc, a, b,
            # out_dtype=torch.float32, out=acc)` writes into acc (no fp32 copies of a and b).
            return None

        ck._addmm_fp32 = _addmm_cuda
        yield
    finally:
        for (mod, name), value in saved.items():
            setattr(mod, name, value)
        if had_triton:
            ck.triton = old_triton
        elif hasattr(ck, "triton"):
            del ck.triton


def _op_hook():
    """Per-op stand-ins for a CUDA kernel choice the CPU dispatcher would not make."""
    import torch  # noqa: PLC0415

    index = torch.ops.aten.index.Tensor
    gemm = getattr(torch.ops.bitsandbytes, "gemm_4bit", None) if hasattr(torch.ops, "bitsandbytes") else None

    def hook(func, args, kwargs):
        if func is index and any(i is not None and i.dtype == torch.bool for i in args[1]):
            # `hidden_states[mask]` / `labels[mask]` (trl/trainer/utils.py:1645): the mask is
            # every position (the trace's labels are all valid), a data-dependent shape on fake
            # tensors. Same result: a copy of the selected rows.
            x = args[0]
            mask = next(i for i in args[1] if i is not None)
            return x.reshape(-1, *x.shape[mask.dim():]).clone()
        if gemm is not None and func is gemm.default:
            A, B, shapeB, absmax, blocksize, quant_type = args[:6]
            M = A.numel() // A.shape[-1]
            # bitsandbytes/backends/cuda/ops.py gemm_4bit: past M = 1,536 rows
            # (`_gemm_4bit_custom_max_m`) CUDA dequantizes the weight into a temporary and
            # calls F.linear (`_dequant_linear_fallback`); below, the fused kernel writes only
            # the output.
            if M > 1536:
                bias = kwargs.get("bias", args[6] if len(args) > 6 else None)
                absmax_8bit = kwargs.get("absmax_8bit")
                absmax_code = kwargs.get("absmax_code")
                absmax_offset = kwargs.get("absmax_offset")
                if absmax_8bit is not None:
                    absmax = torch.ops.bitsandbytes.dequantize_blockwise.default(absmax_8bit, absmax, absmax_code, 256, torch.float32) + absmax_offset
                B_dq = torch.ops.bitsandbytes.dequantize_4bit.default(B, absmax, blocksize, quant_type, shapeB, A.dtype)
                return torch.nn.functional.linear(A, B_dq, bias)
        return NotImplemented

    return hook


# ---------------------------------------------------------------------------------------------
# One step, as the Trainer runs it.


def _optimizer(model, name, foreach=True):
    import torch  # noqa: PLC0415
    from transformers import Trainer  # noqa: PLC0415

    trained = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    # Trainer.create_optimizer: weight decay on all but biases and norms (trainer.py
    # get_decay_parameter_names), two parameter groups.
    decay = set(Trainer.get_decay_parameter_names(None, model))
    groups = [
        {"params": [p for n, p in trained if n in decay], "weight_decay": 0.0},
        {"params": [p for n, p in trained if n not in decay], "weight_decay": 0.0},
    ]
    groups = [g for g in groups if g["params"]]
    if name == "adamw_torch":
        # On CUDA, torch.optim.AdamW defaults to the foreach implementation
        # (torch/optim/optimizer.py _default_to_fused_or_foreach); on CPU it would not.
        return torch.optim.AdamW(groups, lr=2e-4, foreach=foreach)
    if name == "sgd":
        return torch.optim.SGD(groups, lr=2e-4, foreach=foreach)
    if name == "adafactor":
        from transformers.optimization import Adafactor  # noqa: PLC0415

        return Adafactor(groups, lr=2e-4, scale_parameter=False, relative_step=False)
    return None  # 8-bit: priced analytically (bitsandbytes' paged optimizer calls .item())


def _eight_bit_state_bytes(model):
    """bitsandbytes' 8-bit Adam: two uint8 states per parameter plus one fp32 absmax per 256
    (blockwise, bitsandbytes/optim/optimizer.py Optimizer8bit.init_state, block size 256);
    tensors under 4,096 elements keep fp32 states (`min_8bit_size`)."""
    total = 0
    for p in model.parameters():
        if not p.requires_grad:
            continue
        n = p.numel()
        if n < 4096:
            total += 2 * _round(4 * n)
        else:
            total += 2 * (_round(n) + _round(4 * math.ceil(n / 256)))
    return total


def _param_count(model, base_only=False):
    """Every parameter once (tied weights once), a 4-bit weight by the shape it was quantized from;
    `base_only`: the model's own, without LoRA's adapters."""
    total = 0
    for name, p in model.named_parameters():
        if base_only and ".lora_" in name:
            continue
        state = getattr(p, "quant_state", None)
        total += math.prod(state.shape) if state is not None else p.numel()
    return total


def _round(n):
    return -(-n // BLOCK) * BLOCK


def _allocator_peak(prof):
    """The peak of the CPU allocator's own allocations in a profiled region (torch.profiler with
    profile_memory: each allocation and free, with its size), above what was live before it."""
    from torch._C._profiler import _EventType  # noqa: PLC0415

    events = []
    stack = list(prof.profiler.kineto_results.experimental_event_tree())
    while stack:
        e = stack.pop()
        if e.tag == _EventType.Allocation:
            events.append((e.start_time_ns, e.extra_fields.alloc_size))
        stack.extend(e.children)
    events.sort()
    live = peak = 0
    for _, size in events:
        live += size
        peak = max(peak, live)
    return peak


def _trace_once(config, layers, settings, compute_dtype, attention, path="cuda", real=False):
    """One traced training step at `layers` decoder layers. `path` "cuda": the GPU's branches
    (the product's trace); "cpu": this CPU's own code path, which a real run (`real`) can check.
    A real run also returns the CPU allocator's peak over the measured step."""
    import torch  # noqa: PLC0415
    from torch._subclasses.fake_tensor import FakeTensorMode  # noqa: PLC0415

    method = settings["method"]
    gpu_path = path == "cuda"
    # On the GPU's path each storage is a 512-byte block of the caching allocator; the CPU's
    # allocator is compared byte for byte.
    tracker = _Tracker(BLOCK if gpu_path else 1)
    fake = None if real else FakeTensorMode(allow_non_fake_inputs=True)
    branches = _gpu_branches if gpu_path else contextlib.nullcontext
    with branches():
        model, extra, full_depth = _build(config, layers, method, compute_dtype, attention, settings["loraR"], settings["loraAlpha"], settings["gradientCheckpointing"], fake)
    mode = _dispatch_mode(tracker, _op_hook() if gpu_path else None)
    analytic = []
    allocator_peak = None
    with branches(), _mask_values_known(), fake if fake is not None else contextlib.nullcontext(), mode, _quiet():
        resident = list(model.parameters()) + list(model.buffers()) + extra
        for t in resident:
            tracker.add(t)
        param_keys = {tracker.key(t) for t in resident}
        trained = [p for p in model.parameters() if p.requires_grad]
        opt = _optimizer(model, settings["optimizer"], foreach=gpu_path)
        if opt is None:
            analytic.append({"term": "optimizer_state", "why": f"{settings['optimizer']}: bitsandbytes' 8-bit states, counted from their layout (its step calls .item(), which fake tensors cannot answer)", "bytes": _eight_bit_state_bytes(model)})
        b, s = settings["batch"], settings["seqLen"]
        # Autocast as the Trainer's fp16/bf16 flags set it (accelerate); fp32 computes without.
        autocast = torch.autocast("cpu", dtype=compute_dtype) if compute_dtype != torch.float32 else contextlib.nullcontext()

        # The collator's attention mask: every position real (samples at the full length).
        attention_mask = torch.ones((b, s), dtype=torch.long)

        def micro_step():
            ids = torch.zeros((b, s), dtype=torch.long)
            labels = torch.ones((b, s), dtype=torch.long)
            with autocast:
                # trl/trainer/sft_trainer.py:1611-1618, compute_loss's default branch
                out = model(input_ids=ids, attention_mask=attention_mask, labels=labels, use_cache=False, fused_lm_head=True)
                per_token_loss = -out.log_probs
                loss = per_token_loss.sum() / out.label_mask.sum().clamp(min=1)
            loss.backward()

        def step():
            if opt is None:
                return
            # Trainer._inner_training_loop: clip_grad_norm_(max_grad_norm=1.0), optimizer.step()
            torch.nn.utils.clip_grad_norm_(trained, 1.0, foreach=gpu_path)
            opt.step()

        def zero_grad():
            for p in trained:
                p.grad = None  # optimizer.zero_grad(set_to_none=True)

        def measured():
            # Gradient accumulation: the second micro-step runs with the first one's gradients
            # alive (a third adds nothing new).
            tracker.enter("forward_backward")
            for _ in range(min(max(1, int(settings.get("gradAccum", 1))), 2)):
                micro_step()
            grads = {tracker.key(p.grad) for p in trained if p.grad is not None}
            tracker.enter("optimizer_step")
            step()
            tracker.phase = None
            return grads

        # A first step creates the optimizer's states; the second is the one measured.
        micro_step()
        step()
        zero_grad()
        state_keys = set()
        if opt is not None:
            for st in opt.state.values():
                state_keys.update(tracker.key(v) for v in st.values() if isinstance(v, torch.Tensor))
        base = tracker.live
        tracker.peak, tracker.peak_at = tracker.live, tracker.clock
        if real:
            with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], profile_memory=True) as prof:
                grad_keys = measured()
            allocator_peak = _allocator_peak(prof)
        else:
            grad_keys = measured()
        def parts_at(at, peak):
            parts = {
                "parameters": tracker.live_at(param_keys, at),
                "gradients": tracker.live_at(grad_keys, at),
                "optimizer_state": tracker.live_at(state_keys, at),
            }
            parts["activations_and_temporaries"] = peak - sum(parts.values())
            return parts

        at = tracker.peak_at
        parts = parts_at(at, tracker.peak)
        phases = {name: {"peak_bytes": peak, "parts": parts_at(when, peak)} for name, (peak, when) in tracker.phase_peaks.items()}
        result = {
            "peak_bytes": tracker.peak,
            "step_peak_bytes": tracker.peak - base,
            "allocator_step_peak_bytes": allocator_peak,
            "parts": parts,
            "params": _param_count(model, base_only=True),
            "trained_params": sum(p.numel() for p in trained),
            "full_depth": full_depth,
            "analytic": analytic,
            "at_peak": tracker.largest_at(at),
            "phases": phases,
        }
    return result


def _layer_period(config):
    """The shortest repeat of the config's per-layer kinds (`layer_types`), 1 without them."""
    cfg, depth = _config_object(config, None)
    kinds = list(getattr(cfg, "layer_types", None) or [])
    if not kinds:
        return 1
    for p in range(1, max(1, depth // 2) + 1):
        if all(kinds[i] == kinds[i % p] for i in range(len(kinds))):
            return p
    return 1


def _depth_traces(config, settings, compute_dtype, attention, layers):
    """(peak bytes, parts, params, analytic, depth) at full depth: two shallow traces extrapolated
    (the step's memory is affine in the layer count), or one trace at `layers` exactly."""
    if layers is not None:
        t = _trace_once(config, layers, settings, compute_dtype, attention)
        return t["peak_bytes"], dict(t["parts"]), t["params"], t["analytic"], layers, t["trained_params"]
    # Families that alternate layer kinds (Gemma-2: sliding and full attention, each with its own
    # mask) repeat every `period` layers: trace one and two periods, extrapolate by periods.
    period = _layer_period(config)
    one = _trace_once(config, period, settings, compute_dtype, attention)
    two = _trace_once(config, 2 * period, settings, compute_dtype, attention)
    depth = one["full_depth"]

    def ext(a, b):
        return a + (b - a) * (depth - period) / period

    # Each phase extrapolated on its own; the peak is the larger at full depth.
    best = None
    for name in one["phases"]:
        a, b = one["phases"][name], two["phases"][name]
        peak = ext(a["peak_bytes"], b["peak_bytes"])
        if best is None or peak > best[0]:
            best = (peak, {k: ext(a["parts"][k], b["parts"][k]) for k in a["parts"]})
    analytic = [dict(a, bytes=ext(a["bytes"], b["bytes"])) for a, b in zip(one["analytic"], two["analytic"])]
    return best[0], best[1], ext(one["params"], two["params"]), analytic, depth, ext(one["trained_params"], two["trained_params"])


def main(argv):
    """`python -m model_advisor measure MODEL --gpu … --method …`: prints the trace (JSON with --json)."""
    import argparse  # noqa: PLC0415

    if argv[:2] == ["--request", "-"]:
        return request_main(sys.stdin)

    parser = argparse.ArgumentParser(prog="python -m model_advisor measure", description="Trace one training step of the cells on fake tensors: the peak GPU memory the libraries allocate, no weights read.")
    parser.add_argument("model", help="a catalog id or a config.json (or its folder)")
    parser.add_argument("--gpu", required=True, help='a GPU profile ("t4", "a100-40gb"; `model-advisor gpus`)')
    parser.add_argument("--method", required=True, choices=METHODS)
    parser.add_argument("--seq-len", type=int)
    parser.add_argument("--batch", type=int)
    parser.add_argument("--optimizer", choices=OPTIMIZERS)
    parser.add_argument("--task", choices=SFT_TASKS)
    parser.add_argument("--layers", type=int, help="trace at this depth exactly (default: 1 and 2 layers, extrapolated)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        r = measure(args.model, args.gpu, args.method, seq_len=args.seq_len, batch=args.batch, optimizer=args.optimizer, task=args.task, layers=args.layers)
    except (MeasureError, ValueError) as e:
        sys.stderr.write(f"model-advisor: {e}\n")
        return 2
    except ImportError as e:
        sys.stderr.write(f"model-advisor: the tracer needs torch, transformers, peft, trl and bitsandbytes: {e}\n")
        return 2
    if args.json:
        sys.stdout.write(json.dumps(r) + "\n")
        return 0
    st = r["settings"]
    lines = [
        f"{r['model']} ({r['params']:,.0f} parameters) · {r['method']} · {r['gpu']} · {st['seq_len']:,} tokens × batch {st['batch']} · {st['compute_dtype']}, {st['optimizer']}",
        f"Traced peak: {r['peak_allocated_mib']:,.0f} MiB allocated " + (
            f"(fit's allocated part: {r['fit_allocated_mib']:,} MiB)" if r["fit_allocated_mib"] is not None
            else "(the estimator does not count this family: the trace is the estimate)"),
    ]
    lines += [f"  {k.replace('_', ' ')}: {v:,.0f} MiB" for k, v in r["parts_mib"].items()]
    lines += [f"  analytic: {a['term']} {a['mib']:,.0f} MiB ({a['why']})" for a in r["analytic"]]
    d = r["depth"]
    lines.append(f"{d['layers']} layers{' extrapolated from ' + ' and '.join(map(str, d['traced_layers'])) if d['extrapolated'] else ''}; {r['seconds']} s")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def measure(model, gpu, method="qlora", seq_len=None, batch=None, optimizer=None, task=None, layers=None):
    """Trace one training step of the cells for `model` on `gpu`; return the peak and its parts.

        model_advisor.measure("Qwen/Qwen2.5-7B-Instruct", "t4", "qlora", seq_len=1024, batch=2)

    `model`: a catalog id or a config.json (or its folder); `gpu`: a profile ("t4", "a100-40gb");
    `method`: full, lora or qlora; seq_len, batch, optimizer as `fit` takes them (its defaults
    otherwise: the cells' plan). `layers`: trace at that depth exactly instead of extrapolating
    from one and two layers. No weights are read or downloaded.
    """
    if task is not None and task not in SFT_TASKS:
        raise MeasureError(f"task {task!r}: the tracer follows the SFT cells ({', '.join(SFT_TASKS)}) for now")
    started = time.perf_counter()
    p = plan(model, gpu, method, seq_len=seq_len, batch=batch, optimizer=optimizer)
    fit, profile, config = p["fit"], p["gpu"], p["config"]
    # The cells load "eager" for the families without sdpa (recipe.ts cellsAttention), sdpa else.
    attention = "eager" if fit["recipe"]["attention"] == "eager" else "sdpa"
    traced = trace(config, fit["settings"], bool(profile.get("bf16")), attention, layers)
    return {"model": fit["model"], "gpu": fit["gpu"], **traced, "fit_allocated_mib": fit_allocated_mib(fit),
            "seconds": round(time.perf_counter() - started, 2)}


def trace(config, settings, bf16, attention="sdpa", layers=None):
    """One traced step at a plan's settings, as the core names them (`fit --json`'s "settings",
    the panel's plan): method, seqLen, batch, gradAccum, optimizer, loraR, loraAlpha,
    gradientCheckpointing. `config`: the config.json as a dict, or a RemoteCode (its own code
    runs); `bf16`: the GPU computes in bf16 (else fp16: T4, V100)."""
    import torch  # noqa: PLC0415

    started = time.perf_counter()
    if settings.get("method") not in METHODS:
        raise MeasureError(f"method must be one of {', '.join(METHODS)} (the tracer traces training), not {settings.get('method')!r}")
    # terms.ts computeDtype: bf16 where the GPU has it natively, fp16 below (T4, V100).
    compute_dtype = torch.bfloat16 if bf16 else torch.float16
    peak, parts, params, analytic, depth, trained = _depth_traces(config, settings, compute_dtype, attention, layers)
    for a in analytic:
        parts[a["term"]] += a["bytes"]
        peak += a["bytes"]
    period = _layer_period(config) if layers is None else None
    return {
        "method": settings["method"],
        "params": params,
        "trained_params": trained,
        "peak_allocated_mib": round(peak / MIB, 1),
        "parts_mib": {k: round(v / MIB, 1) for k, v in parts.items()},
        "settings": {
            "seq_len": settings["seqLen"], "batch": settings["batch"], "grad_accum": settings["gradAccum"],
            "optimizer": settings["optimizer"], "lora_r": settings["loraR"],
            "gradient_checkpointing": settings["gradientCheckpointing"],
            "compute_dtype": str(compute_dtype).removeprefix("torch."), "attention": attention,
            "loss": "trl-fused-lm-head",
        },
        "depth": {"layers": depth, "traced_layers": [layers] if layers is not None else [period, 2 * period], "extrapolated": layers is None},
        "analytic": [{"term": a["term"], "why": a["why"], "mib": round(a["bytes"] / MIB, 1)} for a in analytic],
        "versions": _versions(),
        "seconds": round(time.perf_counter() - started, 2),
    }


# ---------------------------------------------------------------------------------------------
# "Measure exactly" in the panel (the sidebar and the widget): one request, one JSON answer.
#
# The panel sends its own plan (the one its cells follow) and the model's config; the kernel
# traces it in a child process of its own Python, so that a trace past its budget can be stopped
# (a thread cannot be) and the user's kernel keeps none of the tracer's modules or memory.

# Seconds a trace may take before it is stopped and the estimate stands. Measured on this
# 2-core machine (`python -m model_advisor measure … --json`, wall time with the imports):
# Qwen2.5-0.5B-Instruct QLoRA on a T4 9.9 s, Qwen2.5-7B-Instruct 8.3 s (5.3 s of trace,
# ~5 s importing torch, transformers, peft and trl); a cold Colab disk can triple the imports.
BUDGET_S = 120
# What a trace imports, by method (the name pip installs); bitsandbytes for 4-bit weights and 8-bit optimizers.
_NEEDS = ("torch", "transformers", "peft", "trl")
_REQUEST_KEYS = {"config", "settings", "bf16", "attention", "layers", "remote", "source"}
_SETTING_KEYS = {"method": str, "seqLen": int, "batch": int, "gradAccum": int, "optimizer": str, "loraR": int, "loraAlpha": (int, float), "gradientCheckpointing": bool}


def missing_packages(settings):
    """The packages this trace needs that this Python cannot import (found, not imported)."""
    import importlib.util  # noqa: PLC0415

    needs = list(_NEEDS)
    if settings.get("method") == "qlora" or "8bit" in str(settings.get("optimizer", "")):
        needs.append("bitsandbytes")
    return [name for name in needs if importlib.util.find_spec(name) is None]


def checked_request(request):
    """The panel's request, every field checked; MessageError-like ValueError on anything else."""
    if not isinstance(request, dict) or set(request) - _REQUEST_KEYS or not {"config", "settings", "bf16"} <= set(request):
        raise ValueError(f"a measure request is a JSON object with config, settings and bf16 (and only {', '.join(sorted(_REQUEST_KEYS))})")
    config, settings = request["config"], request["settings"]
    if not isinstance(config, dict) or not isinstance(config.get("model_type"), str):
        raise ValueError("config must be the model's config.json, with its model_type")
    if not isinstance(settings, dict):
        raise ValueError("settings must be the plan's settings")
    for key, kind in _SETTING_KEYS.items():
        value = settings.get(key)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ValueError(f"settings.{key} is missing or not a {getattr(kind, '__name__', 'number')}")
    if settings["method"] not in METHODS:
        raise ValueError(f"only training is traced ({', '.join(METHODS)}), not {settings['method']!r}")
    if not 1 <= settings["seqLen"] <= 131_072 or not 1 <= settings["batch"] <= 4096:
        raise ValueError("settings.seqLen or settings.batch is out of range")
    if type(request["bf16"]) is not bool or request.get("attention", "sdpa") not in ("sdpa", "eager"):
        raise ValueError("bf16 is true or false; attention is sdpa or eager")
    layers = request.get("layers")
    if layers is not None and (type(layers) is not int or not 1 <= layers <= 512):
        raise ValueError("layers is a whole number of decoder layers")
    remote = request.get("remote")
    if remote is not None and (type(remote) is not str or not remote.strip() or "\n" in remote):
        raise ValueError("remote is the model's Hub id or folder")
    if request.get("source", "hf") not in ("hf", "mirror", "modelscope"):
        raise ValueError("source is hf, mirror or modelscope")
    return request


def _one_line(text, limit=400):
    """A library's message as the one line the panel shows."""
    line = " ".join(text.split()) or "no message"
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _answer_line(answer):
    return json.dumps(answer, allow_nan=False)


def request_main(stream):
    """`python -m model_advisor measure --request -`: a panel request on stdin, one JSON answer on
    stdout — {"ok": true, "trace": {...}} or {"ok": false, "code": "bad_config" | "failed", "message"}."""
    try:
        request = checked_request(json.load(stream))
    except (ValueError, json.JSONDecodeError) as e:
        sys.stdout.write(_answer_line({"ok": False, "code": "failed", "message": str(e)}) + "\n")
        return 2
    config = RemoteCode(request["remote"]) if request.get("remote") else request["config"]
    try:
        with _quiet():
            traced = trace(config, request["settings"], request["bf16"], request.get("attention", "sdpa"), request.get("layers"))
    except MeasureError as e:
        code = "remote_code" if isinstance(e, RemoteCodeNeeded) else "bad_config"
        sys.stdout.write(_answer_line({"ok": False, "code": code, "message": _one_line(str(e))}) + "\n")
        return 2
    except Exception as e:  # noqa: BLE001 - a library may fail anywhere on an odd config: one line, the estimate stands
        sys.stdout.write(_answer_line({"ok": False, "code": "failed", "message": _one_line(f"{type(e).__name__}: {e}")}) + "\n")
        return 2
    sys.stdout.write(_answer_line({"ok": True, "trace": traced}) + "\n")
    return 0


def kernel_answer(request, budget_s=BUDGET_S):
    """The panel's "Measure exactly", run where the kernel runs: never raises. The answer:
    {"ok": true, "trace": {...}, "seconds"} or {"ok": false, "code", "message"} where code is
    "missing" (with "missing": [packages]), "bad_config", "timeout", "remote_code" or "failed"."""
    import subprocess  # noqa: PLC0415

    started = time.perf_counter()
    try:
        request = checked_request(request)
    except ValueError as e:
        return {"ok": False, "code": "failed", "message": str(e)}
    missing = missing_packages(request["settings"])
    if missing:
        return {"ok": False, "code": "missing", "missing": missing,
                "message": f"this kernel cannot import {', '.join(missing)} (pip install {' '.join(missing)})"}
    if request.get("remote") and request.get("source") == "modelscope":
        return {"ok": False, "code": "remote_code", "message": "a model's own code is fetched from Hugging Face or its mirror, not ModelScope"}
    env = dict(os.environ)
    # The child finds this very package, wherever the kernel imported it from.
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = here + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if request.get("source") == "mirror" and not env.get("HF_ENDPOINT"):
        env["HF_ENDPOINT"] = "https://hf-mirror.com"  # huggingface_hub reads it at import (constants.py)
    # No GPU is touched: the trace runs on fake CPU tensors (a CUDA torch would still start its
    # context on a CUDA call; hide the devices so none is made).
    env["CUDA_VISIBLE_DEVICES"] = ""
    try:
        proc = subprocess.run([sys.executable, "-m", "model_advisor", "measure", "--request", "-"],
                              input=json.dumps(request), capture_output=True, text=True, env=env,
                              timeout=budget_s, check=False)
    except subprocess.TimeoutExpired:
        # subprocess.run kills the child on a timeout and waits for it: nothing is left running.
        return {"ok": False, "code": "timeout", "message": f"the trace took longer than {budget_s:g} s and was stopped"}
    except OSError as e:
        return {"ok": False, "code": "failed", "message": f"cannot start {sys.executable}: {e}"}
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    try:
        answer = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"ok": False, "code": "failed", "message": f"the trace stopped (exit {proc.returncode}): {tail[:300]}"}
    answer["seconds"] = round(time.perf_counter() - started, 2)
    return answer


def _versions():
    import importlib.metadata as md  # noqa: PLC0415

    out = {}
    for name in ("torch", "transformers", "peft", "trl", "bitsandbytes"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = None
    return out


class _CallableModule(types.ModuleType):
    """`model_advisor.measure(...)` calls `measure`: the package's attribute is this module."""

    def __call__(self, *args, **kwargs):
        return measure(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
