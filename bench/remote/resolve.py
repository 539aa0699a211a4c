"""The remote-code stacks' pins resolved by pip for Colab's Python, once, with the network.

For each stack in src/core/codegen/remoteStack.ts (read from the compiled lib/), asks pip what it
would install for Python 3.12 from wheels only, into an empty target (nothing installed counts):

    pip install --dry-run --quiet --python-version 3.12 --only-binary=:all: \
        --target <empty folder> --report <file> <every pin of the stack>

and writes bench/remote/resolved.json: per stack the command, the pins asked for and every
distribution pip chose (torch among them: on Colab the runtime's own satisfies the pins and stays).
A pin that does not resolve fails the run. jest (codegen/__tests__/remoteStack.test.ts) holds the
cells' pins to this record, so a pin changed without a new resolution fails there, offline.

    npm run build:lib && python bench/remote/resolve.py      # needs PyPI; about a minute
"""
import datetime
import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "bench", "remote", "resolved.json")
PYTHON = "3.12"


def stacks():
    script = "process.stdout.write(JSON.stringify(require('./lib/core/codegen/remoteStack').REMOTE_STACKS))"
    return json.loads(subprocess.run(["node", "-e", script], cwd=REPO, check=True, capture_output=True, text=True).stdout)


def resolve(pins):
    requirements = ["%s==%s" % (name, version) for name, version in sorted(pins.items())]
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        command = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--python-version", PYTHON,
                   "--only-binary=:all:", "--target", os.path.join(tmp, "target"), "--report", report, *requirements]
        subprocess.run(command, check=True)
        with open(report) as f:
            chosen = json.load(f)["install"]
    shown = ["pip", *command[3:]]
    shown[shown.index("--target") + 1] = "<empty folder>"
    shown[shown.index("--report") + 1] = "<report.json>"
    return " ".join(shown), {i["metadata"]["name"].lower(): i["metadata"]["version"] for i in chosen}


def main():
    pip_version = subprocess.run([sys.executable, "-m", "pip", "--version"], check=True, capture_output=True, text=True).stdout.split()[1]
    record = {"date": datetime.date.today().isoformat(), "python": PYTHON, "pip": pip_version, "stacks": {}}
    for name, stack in sorted(stacks().items()):
        command, resolved = resolve(stack["pins"])
        for package, version in stack["pins"].items():
            assert resolved.get(package) == version, "%s: pip chose %s %s, not the pin %s" % (name, package, resolved.get(package), version)
        record["stacks"][name] = {"command": command, "pins": stack["pins"], "resolved": dict(sorted(resolved.items()))}
        print("%s: %d distributions, the pins as asked" % (name, len(resolved)))
    with open(OUT, "w") as f:
        json.dump(record, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", os.path.relpath(OUT, REPO))


if __name__ == "__main__":
    main()
