"""The notebook widget's Python side, in a real IPython kernel spoken to as a front end would.

One kernel serves the module (fake nvidia-smi first on PATH, answering like a Colab T4). The
tests open the widget with `model_advisor.show()`, read the state the kernel sends with the
widget, and send the widget's own messages (comm_msg, method "custom") from the client side:
"probe", "cells", "copy", and hostile ones.
"""
import json
import os
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FAKE_SMI_CASE_ENV

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


class WidgetKernel:
    """A kernel session plus the widget protocol: show(), its state, and custom messages."""

    def __init__(self, kernel):
        self.kernel = kernel

    def run(self, code):
        content, messages = self.kernel.execute(code)
        assert content["status"] == "ok", content
        return messages

    def show(self, code="w = model_advisor.show()"):
        """Run `code`; returns (the AdvisorWidget's comm id, its state as opened, the messages)."""
        messages = self.run("import model_advisor\n" + code)
        shown = [m for m in messages if m["msg_type"] == "display_data" and WIDGET_MIME in m["content"]["data"]]
        assert len(shown) == 1, [m["msg_type"] for m in messages]
        model_id = shown[0]["content"]["data"][WIDGET_MIME]["model_id"]
        opened = [m for m in messages if m["msg_type"] == "comm_open" and m["content"]["comm_id"] == model_id]
        assert len(opened) == 1
        return model_id, opened[0]["content"]["data"]["state"], messages

    def send(self, comm_id, content, timeout=30):
        """Send one custom message to the widget; returns (its answers, state updates) until the kernel is idle."""
        client = self.kernel.client
        msg = client.session.msg("comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": content}})
        client.shell_channel.send(msg)
        answers, updates = [], {}
        while True:
            reply = client.get_iopub_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
                continue
            if reply["msg_type"] == "comm_msg" and reply["content"]["comm_id"] == comm_id:
                data = reply["content"]["data"]
                if data.get("method") == "custom":
                    answers.append(data["content"])
                elif data.get("method") in ("update", "echo_update"):
                    updates.update(data["state"])
            if reply["msg_type"] == "status" and reply["content"]["execution_state"] == "idle":
                return answers, updates

    def value(self, expression):
        return self.kernel.evaluate(expression)


@pytest.fixture(scope="module")
def wk(probe_kernel):
    probe_kernel.set_env(FAKE_SMI_CASE_ENV, "colab-t4")
    return WidgetKernel(probe_kernel)


def test_show_builds_the_widget_with_the_runtime_in_its_state(wk):
    _, state, _ = wk.show()
    report = json.loads(state["report"])
    assert [g["name"] for g in report["gpus"]] == ["Tesla T4"]
    assert report["gpus"][0]["memory_total_mib"] == 15360
    assert state["probe_error"] == "" and state["probing"] is False
    assert state["colab"] is False and state["language"] == "auto"
    # The front end is the built bundle, sent with the widget (anywidget's _esm).
    assert "render" in state["_esm"]


def test_the_readme_snippet_displays_one_panel(wk):
    # `model_advisor.show()` as the cell's last line: one panel, no second one as Out[N].
    _, _, messages = wk.show("model_advisor.show()")
    panels = [m for m in messages if m["msg_type"] in ("display_data", "execute_result")
              and WIDGET_MIME in m["content"].get("data", {})]
    assert [m["msg_type"] for m in panels] == ["display_data"]
    assert not [m for m in messages if m["msg_type"] == "execute_result"]


def test_the_widget_shown_again_in_a_later_cell_is_a_second_view(wk):
    comm_id, _, _ = wk.show("w = model_advisor.show()")
    later = [m for m in wk.run("w") if m["msg_type"] in ("display_data", "execute_result")
             and WIDGET_MIME in m["content"].get("data", {})]
    assert len(later) == 1 and later[0]["content"]["data"][WIDGET_MIME]["model_id"] == comm_id


def test_probe_again_measures_the_runtime_anew_and_answers(wk):
    comm_id, _, _ = wk.show()
    wk.kernel.set_env(FAKE_SMI_CASE_ENV, "colab-l4")
    try:
        answers, updates = wk.send(comm_id, {"type": "probe", "id": 7})
    finally:
        wk.kernel.set_env(FAKE_SMI_CASE_ENV, "colab-t4")
    assert answers == [{"type": "probe", "ok": True, "id": 7}]
    assert [g["name"] for g in json.loads(updates["report"])["gpus"]] == ["NVIDIA L4"]


CELLS = [
    {"cell_type": "markdown", "source": "# Fine-tune\nTwo lines."},
    {"cell_type": "code", "source": "import torch\nprint(torch.__version__)\n"},
]


def test_copy_keeps_the_cells_in_the_kernel(wk):
    comm_id, _, _ = wk.show("w = model_advisor.show()")
    answers, _ = wk.send(comm_id, {"type": "copy", "id": 1, "cells": CELLS})
    assert answers == [{"type": "copy", "ok": True, "id": 1, "count": 2}]
    assert wk.value("w.last_cells") == "# %% [markdown]\n# # Fine-tune\n# Two lines.\n\n# %%\nimport torch\nprint(torch.__version__)\n"


def test_without_colab_the_kernel_names_no_insert_path_so_the_widget_falls_back(wk):
    comm_id, _, _ = wk.show()
    answers, _ = wk.send(comm_id, {"type": "cells", "id": 2, "cells": CELLS})
    assert answers == [{"type": "cells", "ok": False, "id": 2, "path": "none",
                        "message": "no kernel-side way to insert cells here"}]


FAKE_COLAB = """
import sys, types
calls = []
google = types.ModuleType("google"); google.__path__ = []
colab = types.ModuleType("google.colab"); colab.__path__ = []
output = types.ModuleType("google.colab.output")
output.enable_custom_widget_manager = lambda: calls.append(("enable_custom_widget_manager",))
output._widgets = types.SimpleNamespace(_installed_url=None)  # what anywidget reads in Colab
message = types.ModuleType("google.colab._message")
message.blocking_request = lambda kind, request=None, timeout_sec=None: calls.append((kind, request, timeout_sec))
colab.output, colab._message, google.colab = output, message, colab
sys.modules.update({"google": google, "google.colab": colab, "google.colab.output": output,
                    "google.colab._message": message})
"""
FORGET_COLAB = "import sys\nfor name in ('google', 'google.colab', 'google.colab.output', 'google.colab._message'): sys.modules.pop(name, None)"


def test_in_colab_show_enables_its_widget_manager_and_cells_go_to_a_scratch_cell(wk):
    wk.run(FAKE_COLAB)
    try:
        comm_id, state, _ = wk.show()
        assert state["colab"] is True
        assert wk.value("calls") == [("enable_custom_widget_manager",)]
        answers, _ = wk.send(comm_id, {"type": "cells", "id": 3, "cells": CELLS})
        assert answers == [{"type": "cells", "ok": True, "id": 3, "path": "colab", "count": 2}]
        kind, request, timeout = wk.value("calls[-1]")
        assert kind == "add_scratch_cell" and timeout > 0
        assert request == {"content": wk.value("__import__('model_advisor.widget').widget.percent_script(%r)" % CELLS),
                           "openInBottomPane": False}
    finally:
        wk.run(FORGET_COLAB)


BROKEN_COLABS = {
    "no output module": "sys.modules['google.colab'] = types.ModuleType('google.colab')",
    "an empty output module": "sys.modules['google.colab'] = types.ModuleType('google.colab')\n"
                              "sys.modules['google.colab.output'] = types.ModuleType('google.colab.output')",
    "a manager that raises": "m = types.ModuleType('google.colab.output')\n"
                             "def enable_custom_widget_manager(): raise RuntimeError('no')\n"
                             "m.enable_custom_widget_manager = enable_custom_widget_manager\n"
                             "sys.modules['google.colab'] = types.ModuleType('google.colab')\n"
                             "sys.modules['google.colab.output'] = m",
}


@pytest.mark.parametrize("broken", sorted(BROKEN_COLABS))
def test_a_broken_google_colab_breaks_nothing(wk, broken):
    # A google.colab without the widget manager or the message API (a fake, an old or a new Colab).
    wk.run("import sys, types\n" + BROKEN_COLABS[broken])
    try:
        comm_id, state, _ = wk.show()
        assert state["colab"] is True and json.loads(state["report"])["gpus"]
        answers, _ = wk.send(comm_id, {"type": "cells", "id": 4, "cells": CELLS})
        assert answers[0]["ok"] is False and answers[0]["path"] == "none"
        assert answers[0]["message"].startswith("Colab did not take the cells")
    finally:
        wk.run(FORGET_COLAB)


HOSTILE = [
    {"type": "measure", "request": "x"}, {"type": "measure", "request": {"config": {}}},
    {"type": "measure", "request": {"config": {"model_type": "llama"}, "settings": {"method": "inference"}, "bf16": False}},
    None, [], "probe", 42, {"type": None}, {}, {"type": "exec", "code": "open('PWNED', 'w')"},
    {"type": "__import__", "name": "os"}, {"type": "probe", "code": "open('PWNED', 'w')"},
    {"type": "probe", "id": "1; import os"}, {"type": "probe", "id": -1}, {"type": "probe", "id": 2**60},
    {"type": "copy", "cells": "import os"}, {"type": "copy", "cells": []},
    {"type": "copy", "cells": [{"cell_type": "code", "source": "x", "path": "/etc/passwd"}]},
    {"type": "copy", "cells": [{"cell_type": "raw", "source": "x"}]},
    {"type": "copy", "cells": [{"cell_type": "code", "source": ["a", "b"]}]},
    {"type": "copy", "cells": [{"cell_type": "code", "source": "x" * 200_001}]},
    {"type": "copy", "cells": [{"cell_type": "code", "source": "x"}] * 65},
    {"type": "cells", "cells": CELLS, "path": "/tmp/PWNED.ipynb"},
    {"type": "cells", "cells": CELLS, "module": "os"},
    {"type": "save", "path": "PWNED.ipynb", "cells": CELLS},
    {"type": "hub", "model": "../../etc/passwd", "source": "hf"},
    {"type": "hub", "model": "Qwen/Qwen2.5-7B", "source": "file:///etc"},
    {"type": "hub", "model": "a/b\nimport os", "source": "hf"},
    {"type": "hub", "model": "a/b", "source": "hf", "endpoint": "http://evil.example"},
    {"type": "hub", "model": ["a/b"], "source": "hf"},
]


def test_hostile_messages_are_refused_and_change_nothing(wk, tmp_path):
    comm_id, _, _ = wk.show("w = model_advisor.show()")
    wk.run("import os, sys\nos.chdir(%r)\n_modules = set(sys.modules)" % str(tmp_path))
    for i, payload in enumerate(HOSTILE):
        answers, updates = wk.send(comm_id, payload)
        assert len(answers) == 1, payload
        assert answers[0]["ok"] is False and answers[0]["message"], (payload, answers)
        assert updates == {}, payload
    assert wk.value("w.last_cells") == ""
    assert os.listdir(tmp_path) == []
    assert wk.value("sorted(set(sys.modules) - _modules)") == []


@settings(max_examples=300, deadline=None)
@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["type", "id", "cells", "cell_type", "source", "path", "code", "x"]) | st.text(max_size=8),
        inner, max_size=5),
    max_leaves=20))
def test_fuzz_any_json_gets_an_answer_and_never_an_exception(payload):
    """In-process (no kernel): whatever arrives, handle() answers with a dict and acts only on valid shapes."""
    from model_advisor.widget import MESSAGE_TYPES, AdvisorWidget

    import model_advisor.widget as module

    module.hub_answer = lambda model, source: {"id": model, "source": source}  # no network in a fuzz
    widget = AdvisorWidget.__new__(AdvisorWidget)  # no comm, no probe: handle() alone
    widget.last_cells = ""
    widget.probe = lambda: None
    answer = AdvisorWidget.handle(widget, payload)
    assert isinstance(answer, dict) and answer["type"] in MESSAGE_TYPES + ("error",)
    if not answer["ok"]:
        assert widget.last_cells == ""


def test_hub_reads_a_model_through_the_kernel(wk):
    """"hub" runs the shipped hub_config.py with the id as a value (a local fake hub via HF_ENDPOINT)."""
    import fake_hub

    server, url = fake_hub.start()
    wk.kernel.set_env("HF_ENDPOINT", url)
    try:
        comm_id, _, _ = wk.show()
        answers, _ = wk.send(comm_id, {"type": "hub", "id": 5, "model": "ok/qwen-single", "source": "hf"})
        (answer,) = answers
        assert answer["ok"] is True and answer["id"] == 5
        assert answer["answer"]["config"]["json"]["model_type"] == "qwen2"
        answers, _ = wk.send(comm_id, {"type": "hub", "id": 6, "model": "nobody/nothing", "source": "hf"})
        assert answers[0]["ok"] is True and answers[0]["answer"]["config"]["status"] == 404
    finally:
        wk.kernel.set_env("HF_ENDPOINT", None)
        server.shutdown()
        server.server_close()


def test_measure_traces_the_panels_plan_through_the_comm(wk):
    """"measure": the widget's "Measure exactly", the same kernel_answer the sidebar's snippet calls."""
    config = {"model_type": "llama", "hidden_size": 64, "intermediate_size": 172, "num_hidden_layers": 2,
              "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 3000, "max_position_embeddings": 512,
              "rms_norm_eps": 1e-5}
    settings = {"method": "lora", "seqLen": 64, "batch": 1, "gradAccum": 1, "optimizer": "adamw_torch",
                "loraR": 4, "loraAlpha": 8, "gradientCheckpointing": True}
    comm_id, _, _ = wk.show()
    answers, _ = wk.send(comm_id, {"type": "measure", "id": 7, "request": {"config": config, "settings": settings, "bf16": True}}, timeout=180)
    (answer,) = answers
    assert answer["ok"] is True and answer["id"] == 7
    trace = answer["answer"]["trace"]
    assert trace["settings"]["compute_dtype"] == "bfloat16" and trace["settings"]["optimizer"] == "adamw_torch"
    assert trace["peak_allocated_mib"] > 0 and trace["depth"]["layers"] == 2


def test_the_kept_text_is_the_cli_s_percent_script(tmp_path):
    """widget.percent_script (for Colab's scratch cell and last_cells) matches the core's toPercentScript."""
    import model_advisor
    from model_advisor.widget import percent_script

    path = model_advisor.notebook("Qwen/Qwen2.5-0.5B-Instruct", tmp_path / "n.ipynb", gpu="t4")
    with open(path) as f:
        nb = json.load(f)
    cells = [{"cell_type": c["cell_type"], "source": "".join(c["source"])} for c in nb["cells"]]
    assert percent_script(cells) == model_advisor.cells("Qwen/Qwen2.5-0.5B-Instruct", gpu="t4")


def test_importing_the_package_loads_neither_the_widget_nor_the_engine():
    """`import model_advisor` stays light (bench/widget: import time); anywidget and QuickJS load on first use."""
    import subprocess
    import sys

    code = "import sys, model_advisor\nprint(sorted(m for m in ('anywidget', 'ipywidgets', 'quickjs', 'importlib.metadata') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_show_refuses_an_unknown_language_before_displaying_anything():
    import model_advisor

    with pytest.raises(ValueError, match="language must be"):
        model_advisor.show(language="fr")


def test_a_random_comm_id_is_not_the_widget(wk):
    # Messages for another comm never reach the widget (the kernel's comm manager routes by id).
    answers, _ = wk.send(uuid.uuid4().hex, {"type": "probe"})
    assert answers == []


def _results(messages):
    return [m["content"] for m in messages if m["msg_type"] == "execute_result"]


def _printed(messages):
    return "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream")


def test_check_as_a_cell_s_last_line_shows_its_table_once_and_is_still_the_dict(wk):
    messages = wk.run('import model_advisor\nmodel_advisor.check("Qwen/Qwen2.5-7B-Instruct", method="qlora", seq_len=1024, gpu="t4")')
    # The table once, as Out[N] — not printed, then an 83-line dict.
    assert _printed(messages) == ""
    [result] = _results(messages)
    text = result["data"]["text/plain"]
    assert text.startswith("Qwen/Qwen2.5-7B-Instruct (7,615,616,512 parameters) · qlora · Tesla T4")
    assert "→ fits" in text and "{'" not in text
    assert result["data"]["text/html"].startswith("<pre>Qwen/Qwen2.5-7B-Instruct")
    wk.run('e = model_advisor.check("Qwen/Qwen2.5-7B-Instruct", method="qlora", seq_len=1024, gpu="t4")')
    assert wk.value('isinstance(e, dict) and e["verdict"]') == "fits"
    assert wk.value('__import__("json").loads(__import__("json").dumps(e))["verdict"]') == "fits"


def test_cells_as_a_cell_s_last_line_displays_as_code_and_is_still_a_str(wk):
    messages = wk.run('import model_advisor\nmodel_advisor.cells("Qwen/Qwen2.5-0.5B-Instruct", method="qlora", gpu="t4")')
    [result] = _results(messages)
    text = result["data"]["text/plain"]
    # The script as it reads, line by line: not one repr line of "\n" escapes.
    assert text.startswith("# %% [markdown]\n# # Fine-tune `Qwen/Qwen2.5-0.5B-Instruct` on `Tesla T4`")
    assert "\\n" not in text.splitlines()[0]
    assert result["data"]["text/markdown"].startswith("```python\n# %% [markdown]\n")
    assert result["data"]["text/markdown"].endswith("\n```")
    wk.run('c = model_advisor.cells("Qwen/Qwen2.5-0.5B-Instruct", method="qlora", gpu="t4")')
    assert wk.value('isinstance(c, str) and "trainer.train()" in c') is True


def test_show_outside_a_notebook_says_so_in_one_line(tmp_path):
    import subprocess
    import sys

    script = "import model_advisor\nr = model_advisor.show()\nprint('RETURNED', r)"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "model_advisor.show() draws its panel in a notebook's output (Jupyter, Colab, VS Code); "
        'here, use model_advisor.check("Qwen/Qwen2.5-7B-Instruct") or model_advisor.cells(...).',
        "RETURNED None",
    ]


def test_check_refuses_a_length_no_model_takes():
    import model_advisor

    with pytest.raises(ValueError, match=r"seq_len must be a whole number of tokens from 1 to 131,072, not 1000000000"):
        model_advisor.check("Qwen/Qwen2.5-7B-Instruct", seq_len=10**9, gpu="t4")


def test_record_reads_the_train_cell_s_record_and_says_when_one_is_corrupt(wk, tmp_path):
    """"record" runs the shipped run_record.py on a relative folder: a record comes back as written,
    a missing one is "none", and a broken one (not JSON, NaN, not an object, too large) is "corrupt"
    with the reason, never an exception; a folder outside the notebook's is refused."""
    record = {"format": "model-advisor-run", "version": 1, "model": "Qwen/Qwen2.5-0.5B-Instruct", "gpu": "Tesla T4"}
    runs = tmp_path / "outputs"
    for name, text in {"ok": json.dumps(record), "text": "{not json", "nan": '{"peak": NaN}', "list": "[1, 2]",
                       "big": json.dumps({"pad": "x" * 70000})}.items():
        (runs / name).mkdir(parents=True)
        (runs / name / "model-advisor-run.json").write_text(text, encoding="utf-8")
    wk.run("import os as _os; _cwd = _os.getcwd(); _os.chdir(%r)" % str(tmp_path))
    try:
        comm_id, _, _ = wk.show()
        answers = {}
        for i, folder in enumerate(["outputs/ok", "outputs/none", "outputs/text", "outputs/nan", "outputs/list", "outputs/big"]):
            (answer,), _ = wk.send(comm_id, {"type": "record", "id": i, "folder": folder})
            assert answer["ok"] is True and answer["id"] == i
            answers[folder.split("/")[1]] = answer["answer"]
        assert answers["ok"]["status"] == "ok" and answers["ok"]["record"] == record
        assert answers["ok"]["path"] == os.path.join("outputs/ok", "model-advisor-run.json")
        assert answers["none"] == {"path": os.path.join("outputs/none", "model-advisor-run.json"), "status": "none"}
        for name in ("text", "nan", "list", "big"):
            assert answers[name]["status"] == "corrupt" and "record" not in answers[name], name
        assert "NaN" in answers["nan"]["message"] and "bytes" in answers["big"]["message"]
        for folder in ("../outside", "/etc", "~/x", "", 5):
            (answer,), _ = wk.send(comm_id, {"type": "record", "id": 9, "folder": folder})
            assert answer["ok"] is False and "relative" in answer["message"]
    finally:
        wk.run("_os.chdir(_cwd)")
