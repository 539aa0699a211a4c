"""The advisor as a notebook widget (anywidget): Colab, Jupyter Notebook 7, JupyterLab, VS Code.

The front end is the built `static/widget.js` (src/widget): the same panel as the JupyterLab
sidebar. This side only measures the runtime (the same gpu_probe.py, in this process) and
answers a fixed set of messages from the front end. What a message may do is written here and
nowhere else: no message runs code, imports a module by name, or writes a file.

Messages (front end → kernel), each a dict with a "type" and, when it wants an answer, an
integer "id" that the answer repeats:
    {"type": "probe"}                       measure the runtime again ("Check again")
    {"type": "cells", "cells": [...]}        put the cells where this notebook host can take
                                             them from the kernel (Colab's scratch cell)
    {"type": "copy", "cells": [...]}         keep the cells the user copied (`last_cells`)
    {"type": "hub", "model": str, "source": "hf" | "mirror" | "modelscope"}
                                             read a Hub id's config.json (the shipped
                                             hub_config.py, the id and source as values)
    {"type": "record", "folder": str}       read the run record the train cell left in
                                             folder (relative, no ".."): the shipped
                                             run_record.py, the folder as a value; it reads
                                             that one file and nothing else
    {"type": "measure", "request": {...}}    "Measure exactly": trace the panel's plan on fake
                                             tensors (model_advisor.measure.kernel_answer, in a
                                             child process, stopped past its budget)
Each cell is {"cell_type": "code" | "markdown", "source": str}; nothing else is accepted.
"""
import contextlib
import json
import io
import pathlib
import re
import sys

import anywidget
import traitlets

from model_advisor.measure import BUDGET_S, checked_request, kernel_answer
from model_advisor.probe import gpu_report

_STATIC = pathlib.Path(__file__).parent / "static"

MESSAGE_TYPES = ("probe", "cells", "copy", "hub", "record", "measure")
HUB_SOURCES = ("hf", "mirror", "modelscope")
# A Hub id: owner/name, each part starting with a letter or digit (the catalog's idProblem is stricter).
HUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
HUB_TIMEOUT_S = 20
# The same bounds the extension checks (src/ui/panel/bridge.ts): a dozen cells is usual.
MAX_CELLS = 64
MAX_SOURCE = 200_000
MAX_ID = 2**53 - 1
MAX_FOLDER = 500
# How long Colab may take to answer: it asks the user to confirm the scratch cell.
COLAB_TIMEOUT_S = 60


class MessageError(ValueError):
    """A message the widget does not act on; the answer says why."""


def valid_cells(value):
    """The cells of a message as a new list of plain dicts, or MessageError."""
    if not isinstance(value, list) or not value or len(value) > MAX_CELLS:
        raise MessageError(f"cells must be a list of 1 to {MAX_CELLS} cells")
    cells = []
    for cell in value:
        if not isinstance(cell, dict) or set(cell) != {"cell_type", "source"}:
            raise MessageError('each cell is {"cell_type", "source"} and nothing else')
        kind, source = cell["cell_type"], cell["source"]
        if kind not in ("code", "markdown") or type(source) is not str or len(source) > MAX_SOURCE:
            raise MessageError("a cell is code or markdown, with a string source")
        cells.append({"cell_type": kind, "source": source})
    return cells


def percent_script(cells):
    """The cells as one text, in the percent format the front end copies (codegen/formats.ts)."""
    parts = []
    for cell in cells:
        if cell["cell_type"] == "code":
            parts.append("# %%\n" + cell["source"].rstrip() + "\n")
        else:
            lines = cell["source"].splitlines() or [""]
            parts.append("# %% [markdown]\n" + "\n".join("# " + l if l else "#" for l in lines) + "\n")
    return "\n".join(parts)


def hub_answer(model, source):
    """What the sidebar's kernel fetch prints for a Hub id, run here from the shipped hub_config.py.

    The id and the source reach the snippet as values in its namespace (its `__MODEL_ID__`
    placeholders are names), never as text spliced into code.
    """
    from model_advisor.probe import snippet_source  # noqa: PLC0415

    namespace = {"__name__": "model_advisor_hub", "__MODEL_ID__": model, "__SOURCE__": source,
                 "__ENDPOINT__": None, "__TIMEOUT_S__": HUB_TIMEOUT_S}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(snippet_source("hub_config.py"), "<model-advisor hub>", "exec"), namespace)  # noqa: S102
    return json.loads(out.getvalue().strip().splitlines()[-1])


def record_answer(folder):
    """What the sidebar's kernel read of a run record prints, run here from the shipped run_record.py."""
    from model_advisor.probe import snippet_source  # noqa: PLC0415

    namespace = {"__name__": "model_advisor_record", "__FOLDER__": folder}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(snippet_source("run_record.py"), "<model-advisor run record>", "exec"), namespace)  # noqa: S102
    return json.loads(out.getvalue().strip().splitlines()[-1])


def valid_folder(value):
    """A run's output folder as the cells name it: relative, inside the notebook's folder."""
    if type(value) is not str or not value.strip() or len(value) > MAX_FOLDER or "\0" in value:
        raise MessageError("folder must be a relative path")
    parts = value.replace("\\", "/").split("/")
    if value.startswith(("/", "~")) or ".." in parts or re.match(r"^[A-Za-z]:", value):
        raise MessageError("folder must be a relative path inside the notebook's folder")
    return value


def in_colab():
    """True inside a Colab kernel: its `google.colab` is imported at start."""
    return "google.colab" in sys.modules


def enable_colab_widgets():
    """Colab renders third-party widgets only through its custom widget manager.

    Guarded: a missing, partial or fake `google.colab` must break nothing, so any failure is
    swallowed and the widget still displays (Colab then shows its own hint). anywidget 0.11
    enables it too, once per session, when it can: ours goes through the same cached call then,
    so the manager is enabled once. Returns whether it was enabled.
    """
    if not in_colab():
        return False
    try:
        from google.colab import output  # noqa: PLC0415 (only inside Colab)

        try:
            from anywidget._util import enable_custom_widget_manager_once  # noqa: PLC0415
        except ImportError:  # another anywidget: call Colab directly
            enable_custom_widget_manager_once = output.enable_custom_widget_manager
        if _colab_output_usable(output):
            enable_custom_widget_manager_once()
        else:
            output.enable_custom_widget_manager()
        return True
    except Exception:  # noqa: BLE001 - anything a fake or changed module raises
        return False


def _colab_output_usable(module):
    """Whether google.colab.output has what anywidget calls on it unguarded (0.11: the manager, _widgets)."""
    return callable(getattr(module, "enable_custom_widget_manager", None)) and hasattr(
        getattr(module, "_widgets", None), "_installed_url")


@contextlib.contextmanager
def _broken_colab_hidden():
    """Hide a google.colab.output that lacks what anywidget uses, while anywidget looks for it.

    anywidget enables Colab's widget manager itself when "google.colab.output" is imported, and
    an old, changed or fake module then raises inside the widget's constructor and display.
    """
    name = "google.colab.output"
    module = sys.modules.get(name)
    if module is None or _colab_output_usable(module):
        yield
        return
    del sys.modules[name]
    try:
        yield
    finally:
        sys.modules.setdefault(name, module)


def colab_scratch_cell(text):
    """Colab's own way for kernel code to hand the user cells: a scratch cell holding `text`."""
    from google.colab import _message  # noqa: PLC0415 (only inside Colab)

    _message.blocking_request(
        "add_scratch_cell",
        request={"content": text, "openInBottomPane": False},
        timeout_sec=COLAB_TIMEOUT_S,
    )


def measure():
    """(the probe's JSON report, "") or ("", why not): gpu_probe.py in this process, as `python -m model_advisor probe`."""
    try:
        return json.dumps(gpu_report()), ""
    except Exception as e:  # noqa: BLE001 - the probe never raises; a broken install might
        return "", f"{type(e).__name__}: {e}"


class AdvisorWidget(anywidget.AnyWidget):
    """The Model Advisor panel in a cell's output. Create it with `model_advisor.show()`."""

    _esm = _STATIC / "widget.js"
    _css = _STATIC / "widget.css"

    # State the front end reads. It may also write synced traits (any widget front end can),
    # so none of them decides what this side does: the Colab check reads sys.modules.
    report = traitlets.Unicode("").tag(sync=True)  # the probe's JSON line
    probe_error = traitlets.Unicode("").tag(sync=True)
    probing = traitlets.Bool(False).tag(sync=True)
    language = traitlets.Unicode("auto").tag(sync=True)  # "auto", "en", "zh-Hans", "zh-Hant"
    colab = traitlets.Bool(False).tag(sync=True)
    # "Measure exactly": seconds before the kernel stops a trace (the estimate then stands).
    measure_budget_s = BUDGET_S

    def __init__(self, language="auto", **kwargs):
        # Measured before the widget opens, so its first state already shows the runtime.
        report, error = measure()
        with _broken_colab_hidden():
            super().__init__(language=language, colab=in_colab(), report=report, probe_error=error, **kwargs)
        self.last_cells = ""  # the cells the user last copied, as one percent-format text
        self._shown_in_cell = None  # the execution count of the cell whose show() displayed it
        self.on_msg(self._on_message)

    def _repr_mimebundle_(self, **kwargs):
        with _broken_colab_hidden():
            return super()._repr_mimebundle_(**kwargs)

    def _ipython_display_(self):
        # `model_advisor.show()` as a cell's last line: show() has displayed the panel, and
        # IPython's displayhook would display the returned widget a second time as Out[N].
        # IPython's DisplayFormatter.format asks _ipython_display_ first and shows nothing more
        # when it exists, so the second one is skipped here, in that cell only: the same widget
        # displayed in a later cell (`w` alone) is another view of it, as for any ipywidget.
        if self._shown_in_cell is not None and self._shown_in_cell == _execution_count():
            return
        from IPython.display import publish_display_data  # noqa: PLC0415

        bundle = self._repr_mimebundle_()
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        publish_display_data(data, metadata)

    def probe(self):
        """Measure the runtime again ("Check again"); the front end shows "checking" meanwhile."""
        self.probing = True
        try:
            self.report, self.probe_error = measure()
        finally:
            self.probing = False

    def handle(self, message):
        """Act on one front-end message; returns the answer (a dict). Never raises."""
        answer = {"type": "error", "ok": False}
        try:
            if not isinstance(message, dict):
                raise MessageError("a message is a JSON object")
            kind = message.get("type")
            if kind not in MESSAGE_TYPES:
                raise MessageError(f"unknown message type (known: {', '.join(MESSAGE_TYPES)})")
            answer["type"] = kind
            msg_id = message.get("id")
            if msg_id is not None:
                if type(msg_id) is not int or not 0 <= msg_id <= MAX_ID:
                    raise MessageError("id must be a non-negative integer")
                answer["id"] = msg_id
            allowed = {"type", "id"} | {"cells": {"cells"}, "copy": {"cells"}, "hub": {"model", "source"},
                                         "record": {"folder"}, "measure": {"request"}}.get(kind, set())
            if set(message) - allowed:
                raise MessageError(f"{kind} takes only {', '.join(sorted(allowed))}")
            if kind == "probe":
                self.probe()
                answer.update(ok=not self.probe_error)
            elif kind == "hub":
                model, source = message.get("model"), message.get("source")
                if type(model) is not str or not HUB_ID.match(model) or ".." in model:
                    raise MessageError("model must be a Hub id, owner/name")
                if source not in HUB_SOURCES:
                    raise MessageError(f"source must be one of {', '.join(HUB_SOURCES)}")
                try:
                    answer.update(ok=True, answer=hub_answer(model, source))
                except Exception as e:  # noqa: BLE001 - the snippet answers failures itself; this is a bug's net
                    answer.update(ok=False, message=f"the Hub fetch failed: {type(e).__name__}: {e}")
            elif kind == "record":
                folder = valid_folder(message.get("folder"))
                try:
                    answer.update(ok=True, answer=record_answer(folder))
                except Exception as e:  # noqa: BLE001 - the snippet answers failures itself; this is a bug's net
                    answer.update(ok=False, message=f"the record could not be read: {type(e).__name__}: {e}")
            elif kind == "measure":
                # The request is data, checked field by field (measure.py checked_request): nothing
                # in it is code, a module name or a path written to. The trace runs in a child process.
                try:
                    request = checked_request(message.get("request"))
                except ValueError as e:
                    raise MessageError(str(e)) from None
                answer.update(ok=True, answer=kernel_answer(request, self.measure_budget_s))
            elif kind == "copy":
                cells = valid_cells(message.get("cells"))
                self.last_cells = percent_script(cells)
                answer.update(ok=True, count=len(cells))
            else:  # "cells": the kernel-side insert path, which only Colab offers
                cells = valid_cells(message.get("cells"))
                if not in_colab():
                    answer.update(ok=False, path="none", message="no kernel-side way to insert cells here")
                else:
                    try:
                        colab_scratch_cell(percent_script(cells))
                        answer.update(ok=True, path="colab", count=len(cells))
                    except Exception as e:  # noqa: BLE001 - Colab's API is private and may change
                        answer.update(ok=False, path="none", message=f"Colab did not take the cells: {type(e).__name__}")
        except MessageError as e:
            answer.update(ok=False, message=str(e))
        return answer

    def _on_message(self, _widget, content, _buffers):
        self.send(self.handle(content))


def show(language="auto"):
    """Display the advisor in this cell's output once, and return the widget (not displayed again as Out[N]).

    Outside a notebook (a script, a terminal) it prints one line saying so and returns None.
    In Colab this first turns on Colab's custom widget manager (guarded), which anywidget needs.
    `language`: "auto" (the browser's), "en", "zh-Hans" or "zh-Hant".
    """
    if language not in ("auto", "en", "zh-Hans", "zh-Hant"):
        raise ValueError(f'language must be "auto", "en", "zh-Hans" or "zh-Hant", not {language!r}')
    if not _in_kernel():
        # A script or a terminal has no output to draw a panel in: say so, not an object's repr.
        print(NEEDS_A_NOTEBOOK)
        return None
    enable_colab_widgets()
    widget = AdvisorWidget(language=language)
    try:
        from IPython.display import display  # noqa: PLC0415

        display(widget)
    except ImportError:
        pass
    widget._shown_in_cell = _execution_count()
    return widget


NEEDS_A_NOTEBOOK = ("model_advisor.show() draws its panel in a notebook's output (Jupyter, Colab, VS Code); "
                    "here, use model_advisor.check(\"Qwen/Qwen2.5-7B-Instruct\") or model_advisor.cells(...).")


def _in_kernel():
    """True in a Jupyter kernel (ipykernel, Colab's subclass of it): where a widget can display."""
    try:
        from IPython import get_ipython  # noqa: PLC0415
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _execution_count():
    """The running cell's number in IPython (constant while the cell runs), or None outside IPython."""
    try:
        from IPython import get_ipython  # noqa: PLC0415
    except ImportError:
        return None
    shell = get_ipython()
    return None if shell is None else shell.execution_count
