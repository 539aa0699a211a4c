# The GPU probe: what this runtime offers for running or fine-tuning a language model.
#
# It runs inside the notebook's own kernel (the GPU belongs to the runtime, not to the
# browser), sent by the JupyterLab sidebar as silent code into a throwaway globals dict,
# and in-process by `python -m model_advisor probe`. Rules it keeps, because it runs in
# someone else's session:
#   - it prints exactly one line, the JSON report (schema/gpu-report.schema.json), and
#     nothing else; it never raises: every failure becomes an entry in "errors";
#   - it imports only the standard library and never imports torch (that costs seconds);
#     torch is consulted only when the user has already imported it;
#   - it is fast: one `nvidia-smi` query killed after 1 s (Colab's own resource monitor
#     gives nvidia-smi 1 s too), package versions read from metadata without importing.
# A value that cannot be known is null, never a guess.
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import warnings
from importlib import metadata

SCHEMA_VERSION = 1

# One nvidia-smi call may take this long before it is killed.
NVIDIA_SMI_TIMEOUT_S = 1.0

# The fields asked of nvidia-smi, in the order of the CSV it prints. `compute_cap` needs a
# driver from 510 on; older drivers refuse the whole query ("Field "compute_cap" is not a
# valid field to query."), so the probe asks again without it.
SMI_FIELDS = ["index", "name", "memory.total", "memory.used", "memory.free", "compute_cap", "driver_version"]
SMI_FIELDS_OLD_DRIVER = [f for f in SMI_FIELDS if f != "compute_cap"]

# nvidia-smi writes these for a field it cannot read (under MIG, on some GeForce cards, in WSL).
SMI_UNKNOWN = {"", "N/A", "[N/A]", "[Not Supported]", "Not Supported", "[Unknown Error]", "[Insufficient Permissions]"}

# The libraries the advice depends on; versions come from their installed metadata.
PACKAGES = ["torch", "transformers", "peft", "bitsandbytes", "trl", "accelerate", "modelscope"]

MIB = 1024 * 1024


def detect_platform(environ, modules):
    # Colab sets COLAB_RELEASE_TAG (and COLAB_GPU on GPU runtimes) in every kernel's
    # environment, and its kernels import google.colab at start. Kaggle's kernels carry
    # KAGGLE_KERNEL_RUN_TYPE ("Interactive" or "Batch").
    if "COLAB_RELEASE_TAG" in environ or "COLAB_GPU" in environ or "google.colab" in modules:
        return "colab"
    if "KAGGLE_KERNEL_RUN_TYPE" in environ:
        return "kaggle"
    return "local"


def run_nvidia_smi(executable, fields, timeout_s):
    """Run one nvidia-smi query; returns (exit_code, stdout, stderr) or (None, "", reason)."""
    args = [executable, "--query-gpu=" + ",".join(fields), "--format=csv,noheader,nounits"]
    try:
        proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            # Its own process group, so a hang is killed with everything it started.
            start_new_session=(os.name == "posix"),
            # On Windows, no console window flashes up from a kernel that has none.
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
    except OSError as exc:
        return None, "", "could not start nvidia-smi: %s" % exc
    try:
        out, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        try:
            if os.name == "posix":
                os.killpg(proc.pid, 9)
            else:
                proc.kill()
        except OSError:
            pass
        # A process stuck inside the driver may not die at once; do not wait for it
        # (subprocess.run would), just stop reading its pipes.
        try:
            proc.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            pass
        for pipe in (proc.stdout, proc.stderr):
            try:
                pipe.close()
            except OSError:
                pass
        return None, "", "nvidia-smi did not answer within %g s and was stopped" % timeout_s
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def smi_int(text):
    text = text.strip()
    if text in SMI_UNKNOWN:
        return None
    try:
        value = int(float(text))
    except ValueError:
        return None
    return value if value >= 0 else None


def smi_text(text):
    text = text.strip()
    return None if text in SMI_UNKNOWN else text


def smi_capability(text):
    text = smi_text(text)
    if text is None:
        return None
    major, dot, minor = text.partition(".")
    return text if dot and major.isdigit() and minor.isdigit() else None


def parse_smi_csv(stdout, fields):
    """Rows of `--format=csv,noheader,nounits` -> (gpus, lines that did not parse)."""
    gpus, bad = [], []
    for line in stdout.splitlines():
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split(",")]
        if len(cells) != len(fields):
            # A GPU name never holds a comma in nvidia-smi's list; a line of another
            # width is not the CSV we asked for.
            bad.append(line.strip())
            continue
        row = dict(zip(fields, cells))
        index = smi_int(row["index"])
        name = smi_text(row["name"])
        if index is None or name is None:
            bad.append(line.strip())
            continue
        gpus.append({
            "index": index,
            "name": name,
            "memory_total_mib": smi_int(row["memory.total"]),
            "memory_used_mib": smi_int(row["memory.used"]),
            "memory_free_mib": smi_int(row["memory.free"]),
            # Drivers before 510 cannot tell; null rather than a guess from the name.
            "compute_capability": smi_capability(row["compute_cap"]) if "compute_cap" in row else None,
            "driver_version": smi_text(row["driver_version"]),
        })
    return gpus, bad


def first_line(text):
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:300]
    return ""


def query_nvidia_gpus(errors, timeout_s=NVIDIA_SMI_TIMEOUT_S):
    """The NVIDIA GPUs nvidia-smi lists; [] with an entry in errors when it cannot tell."""
    executable = shutil.which("nvidia-smi")
    if executable is None:
        errors.append({"source": "nvidia-smi", "message": "nvidia-smi is not on PATH (no NVIDIA driver here)"})
        return []
    fields = SMI_FIELDS
    code, out, err = run_nvidia_smi(executable, fields, timeout_s)
    if code not in (None, 0) and "compute_cap" in out + err:
        fields = SMI_FIELDS_OLD_DRIVER
        code, out, err = run_nvidia_smi(executable, fields, timeout_s)
    if code is None:
        errors.append({"source": "nvidia-smi", "message": err})
        return []
    if code != 0:
        said = first_line(out) or first_line(err) or "no message"
        errors.append({"source": "nvidia-smi", "message": "nvidia-smi failed (exit code %d): %s" % (code, said)})
        return []
    gpus, bad = parse_smi_csv(out, fields)
    if bad:
        errors.append({"source": "nvidia-smi", "message": "nvidia-smi printed what is not the CSV asked for: %r" % bad[0][:300]})
    elif not gpus:
        errors.append({"source": "nvidia-smi", "message": "nvidia-smi listed no GPU"})
    return visible_gpus(gpus, os.environ.get("CUDA_VISIBLE_DEVICES"), errors)


def visible_gpus(gpus, cuda_visible_devices, errors):
    # nvidia-smi lists every GPU of the machine; CUDA_VISIBLE_DEVICES hides some from
    # torch. Indices are honoured; UUID or MIG names would need another query, so then the
    # list stays whole and errors says so.
    if cuda_visible_devices is None:
        return gpus
    wanted = [t.strip() for t in cuda_visible_devices.split(",") if t.strip()]
    if not all(t.isdigit() for t in wanted):
        if wanted and wanted != ["-1"]:
            errors.append({"source": "nvidia-smi", "message": "CUDA_VISIBLE_DEVICES=%s names GPUs the probe cannot match; all GPUs are listed" % cuda_visible_devices})
            return gpus
        wanted = []
    by_index = {g["index"]: g for g in gpus}
    return [by_index[int(t)] for t in wanted if int(t) in by_index]


def detect_backend(gpus, modules, system, machine):
    if gpus:
        return "cuda"
    torch = modules.get("torch")
    # Consult torch only if the user already imported it (never import it here).
    if torch is not None:
        try:
            if getattr(getattr(torch, "version", None), "hip", None):
                return "rocm"
            mps = getattr(getattr(torch, "backends", None), "mps", None)
            if mps is not None and mps.is_available():
                return "mps"
        except Exception:
            pass
    # Apple silicon always has a Metal GPU that torch's "mps" device uses.
    if system == "Darwin" and machine == "arm64":
        return "mps"
    # /dev/kfd is the ROCm kernel driver's device node (AMD GPUs).
    if os.path.exists("/dev/kfd"):
        return "rocm"
    return "cpu"


def read_key_values(path):
    values = {}
    with open(path) as f:
        for line in f:
            key, _, rest = line.partition(":") if ":" in line else line.partition(" ")
            parts = rest.split()
            if parts and parts[0].isdigit():
                values[key.strip()] = int(parts[0])
    return values


def read_int_file(path):
    try:
        with open(path) as f:
            text = f.read().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def own_cgroups(self_cgroup):
    """{"v2": path, "v1": path} of this process's memory cgroup, from /proc/self/cgroup."""
    found = {}
    try:
        with open(self_cgroup) as f:
            for line in f:
                number, controllers, path = line.rstrip("\n").split(":", 2)
                if number == "0" and controllers == "":
                    found["v2"] = path
                elif "memory" in controllers.split(","):
                    found["v1"] = path
    except (OSError, ValueError):
        pass
    return found


def cgroup_levels(mount, path):
    """The cgroup folders from this process's own up to the mount's root, those that exist."""
    levels = []
    path = "/" + path.strip("/")
    while True:
        folder = os.path.join(mount, path.lstrip("/"))
        if os.path.isdir(folder):
            levels.append(folder)
        if path == "/":
            return levels
        path = os.path.dirname(path)


def cgroup_memory(cgroup_root, self_cgroup="/proc/self/cgroup"):
    """(limit, in use) in bytes of the memory cgroup this process lives in, or (None, None)."""
    # A limit set on any ancestor binds too, so the smallest along the way counts. Inside a
    # container the own path may not exist under the mount (it is the container's root).
    # cgroup v2: memory.max ("max" when unlimited) and memory.current; v1: limit_in_bytes
    # (a huge number when unlimited) and usage_in_bytes. Page cache the kernel can drop
    # (inactive_file) is not counted as in use, as `docker stats` does.
    own = own_cgroups(self_cgroup)
    unified = os.path.join(cgroup_root, "unified")  # v2 beside v1 ("hybrid" systemd layout)
    for limit_name, usage_name, inactive_key, mount, path in (
        ("memory.max", "memory.current", "inactive_file", cgroup_root, own.get("v2", "/")),
        ("memory.max", "memory.current", "inactive_file", unified, own.get("v2", "/")),
        ("memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file",
         os.path.join(cgroup_root, "memory"), own.get("v1", "/")),
    ):
        levels = cgroup_levels(mount, path)
        limits = [read_int_file(os.path.join(level, limit_name)) for level in levels]
        limits = [limit for limit in limits if limit is not None and limit < 1 << 60]
        if not limits:
            continue
        usage = read_int_file(os.path.join(levels[0], usage_name))
        if usage is not None:
            try:
                usage -= read_key_values(os.path.join(levels[0], "memory.stat")).get(inactive_key, 0)
            except OSError:
                pass
        return min(limits), usage
    return None, None


def read_ram(errors, meminfo_path="/proc/meminfo", cgroup_root="/sys/fs/cgroup", self_cgroup="/proc/self/cgroup"):
    """(total, available) system RAM in MiB; a container's limit wins over the host's RAM."""
    total = available = None
    try:
        info = read_key_values(meminfo_path)  # values in kB
        if "MemTotal" in info:
            total = info["MemTotal"] * 1024
        if "MemAvailable" in info:
            available = info["MemAvailable"] * 1024
    except OSError:
        try:
            total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        except (AttributeError, ValueError, OSError):
            pass
    # In a container (Kaggle, many cloud notebooks) /proc/meminfo shows the host.
    limit, usage = cgroup_memory(cgroup_root, self_cgroup)
    if limit is not None:
        total = limit if total is None else min(total, limit)
        if usage is not None:
            free = max(limit - usage, 0)
            available = free if available is None else min(available, free)
    if total is None:
        errors.append({"source": "ram", "message": "system memory is not readable here"})
    return (None if total is None else total // MIB), (None if available is None else available // MIB)


def model_cache_dir(environ):
    # Where huggingface_hub downloads models (its constants.py): HF_HUB_CACHE, else
    # $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub.
    if environ.get("HF_HUB_CACHE"):
        return environ["HF_HUB_CACHE"]
    home = environ.get("HF_HOME") or os.path.join(
        environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "huggingface")
    return os.path.join(home, "hub")


def read_disk(errors, environ):
    """(free MiB, the folder measured) where models would be downloaded."""
    path = os.path.abspath(os.path.expanduser(model_cache_dir(environ)))
    # The cache may not exist yet: measure the nearest folder that does.
    while not os.path.isdir(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    try:
        return shutil.disk_usage(path).free // MIB, path
    except OSError as exc:
        errors.append({"source": "disk", "message": "free disk space at %s is not readable: %s" % (path, exc)})
        return None, path


def package_versions():
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except Exception:  # PackageNotFoundError, or a broken install's metadata
            versions[name] = None
    return versions


def section(errors, source, compute, fallback):
    # One part of the report that fails must not cost the others.
    try:
        return compute()
    except Exception as exc:
        errors.append({"source": source, "message": "%s: %s" % (type(exc).__name__, exc)})
        return fallback


def gpu_report():
    """The report as a dict (schema/gpu-report.schema.json)."""
    started = time.perf_counter()
    errors = []
    modules = sys.modules
    system, machine = platform.system(), platform.machine()
    on_apple = system == "Darwin"
    # macOS has no NVIDIA driver since 10.14: do not look for nvidia-smi there.
    gpus = [] if on_apple else section(errors, "nvidia-smi", lambda: query_nvidia_gpus(errors), [])
    ram_total, ram_available = section(errors, "ram", lambda: read_ram(errors), (None, None))
    disk_free, disk_path = section(errors, "disk", lambda: read_disk(errors, os.environ), (None, None))
    return {
        "schema_version": SCHEMA_VERSION,
        "platform": section(errors, "platform", lambda: detect_platform(os.environ, modules), "local"),
        "backend": section(errors, "backend", lambda: detect_backend(gpus, modules, system, machine), "cpu"),
        "gpus": gpus,
        "ram_total_mib": ram_total,
        "ram_available_mib": ram_available,
        "disk_free_mib": disk_free,
        "disk_path": disk_path,
        "python": platform.python_version(),
        "packages": section(errors, "packages", package_versions, {name: None for name in PACKAGES}),
        "errors": errors,
        "elapsed_ms": round((time.perf_counter() - started) * 1000, 1),
    }


if __name__ == "__main__":
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            report = gpu_report()
        except Exception as exc:  # a bug here must still answer with a report
            report = {
                "schema_version": SCHEMA_VERSION, "platform": "local", "backend": "cpu", "gpus": [],
                "ram_total_mib": None, "ram_available_mib": None, "disk_free_mib": None, "disk_path": None,
                "python": platform.python_version(), "packages": {name: None for name in PACKAGES},
                "errors": [{"source": "probe", "message": "%s: %s" % (type(exc).__name__, exc)}],
                "elapsed_ms": 0,
            }
        print(json.dumps(report, separators=(",", ":")))
