"""`python -m model_advisor COMMAND`: the package's command line."""
import sys

USAGE = """usage: python -m model_advisor COMMAND

commands:
  probe    print this runtime's GPU report as one line of JSON (schema/gpu-report.schema.json)
"""


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["probe"] and len(args) == 1:
        from model_advisor.probe import main as probe_main

        return probe_main([])
    if args[:1] in (["-h"], ["--help"]):
        sys.stdout.write(USAGE)
        return 0
    sys.stderr.write(USAGE)
    return 2


if __name__ == "__main__":
    sys.exit(main())
