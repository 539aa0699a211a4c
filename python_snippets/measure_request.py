# "Measure exactly": one training step of the panel's plan, traced on fake tensors by the
# advisor's tracer (model_advisor/measure.py kernel_answer) in a child process of this
# kernel's Python, stopped past its time budget. No weights are read or downloaded. The advisor
# runs this silently in the kernel; it prints one JSON line and leaves no name behind.
import importlib.util
import json

request = json.loads(__REQUEST__)
budget_s = __BUDGET_S__

if importlib.util.find_spec("model_advisor") is None:
    answer = {"ok": False, "code": "missing", "missing": ["jupyterlab-model-advisor"],
              "message": "this kernel cannot import model_advisor (pip install jupyterlab-model-advisor)"}
else:
    try:
        from model_advisor.measure import kernel_answer
    except ImportError:
        answer = {"ok": False, "code": "missing", "missing": ["jupyterlab-model-advisor"],
                  "message": "this kernel's model_advisor has no tracer (pip install -U jupyterlab-model-advisor)"}
    else:
        answer = kernel_answer(request, budget_s)
print(json.dumps(answer))
