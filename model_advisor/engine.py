"""The advisor's core from Python: the command line's bundle (static/engine.js) in a JavaScript engine.

Python never re-implements the estimator. `check()`, `cells()` and `notebook()` run the same
TypeScript core as the sidebar, the widget and `model-advisor` in node, through QuickJS (the
`quickjs` wheel from PyPI: 2.2 MB, no node needed). Where that wheel cannot load (a platform
it has no build for), the user's `node` runs the bundle instead. Measured in bench/ (see the
README): QuickJS starts in ~70 ms and answers in ~3 ms; mini-racer (V8) is a 22 MB wheel that
starts in ~300 ms; a node subprocess costs ~250 ms per call.

The bundle has no file system: the files a command reads come in as text (`files`), the files
it writes come back (`written`) and are written here, only at the path the caller gave.
"""
import json
import os
import pathlib
import shutil
import subprocess
import threading

_BUNDLE = pathlib.Path(__file__).parent / "static" / "engine.js"
_lock = threading.Lock()
_context = None
NODE_TIMEOUT_S = 60


class EngineError(RuntimeError):
    """The bundle could not run here (no engine, a missing build); the message says what to do."""


def _bundle_text():
    try:
        return _BUNDLE.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EngineError(
            f"{_BUNDLE} is missing: this is a source checkout that was not built (run `make build`)"
        ) from None


def _quickjs_context():
    global _context
    if _context is None:
        import quickjs  # noqa: PLC0415 - loaded on first use: `import model_advisor` stays light

        context = quickjs.Context()
        context.eval(_bundle_text())
        _context = context
    return _context


def _run_node(request):
    node = shutil.which("node")
    if node is None:
        raise EngineError("no JavaScript engine: `pip install quickjs` (or install node)")
    script = (
        "const fs=require('fs');(0,eval)(fs.readFileSync(process.argv[1],'utf8'));"
        "const q=JSON.parse(fs.readFileSync(0,'utf8'));"
        "ModelAdvisorEngine.run(q.argv,q.files).then(r=>process.stdout.write(JSON.stringify(r)))"
    )
    proc = subprocess.run(
        [node, "-e", script, str(_BUNDLE)], input=request, capture_output=True, text=True,
        timeout=NODE_TIMEOUT_S, check=False,
    )
    if proc.returncode != 0:
        raise EngineError(f"node could not run the advisor: {proc.stderr.strip()[:500]}")
    return proc.stdout


def engine_name():
    """"quickjs" or "node": the engine `run` uses here."""
    try:
        import quickjs  # noqa: F401, PLC0415

        return "quickjs"
    except ImportError:
        return "node"


def run(argv, files=None):
    """Run one `model-advisor` command; returns {"code", "out", "err", "written"}.

    `argv` is a list of strings, `files` maps absolute "/"-paths to their text.
    """
    if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
        raise TypeError("argv must be a list of strings")
    request = json.dumps({"argv": argv, "files": dict(files or {})})
    if engine_name() == "quickjs":
        with _lock:
            context = _quickjs_context()
            # The request travels as a JSON string literal: no text of the caller's is ever code.
            context.eval(f"ModelAdvisorEngine.begin({json.dumps(request)})")
            answer = context.eval("ModelAdvisorEngine.take()")
            while answer is None and context.execute_pending_job():
                answer = context.eval("ModelAdvisorEngine.take()")
        if answer is None:
            raise EngineError(f"{argv[0]} waited for what QuickJS cannot do here (a network fetch): "
                              "use the model's config.json, or node")
    else:
        if not _BUNDLE.is_file():
            _bundle_text()
        answer = _run_node(request)
    return json.loads(answer)


def engine_path(path):
    """A path as the bundle sees it: absolute, "/"-separated (POSIX as it is; C:\\x → /C:/x)."""
    absolute = os.path.abspath(os.fspath(path))
    if os.sep != "/":
        absolute = "/" + absolute.replace(os.sep, "/")
    return absolute
