"""`python -m model_advisor COMMAND`: the package's command line."""
import sys

USAGE = """usage: python -m model_advisor COMMAND

commands:
  probe    print this runtime's GPU report as one line of JSON (schema/gpu-report.schema.json)
  measure  trace one training step of the cells on fake tensors: the peak GPU memory
           (measure MODEL --gpu t4 --method qlora [--seq-len N] [--batch N] [--optimizer …] [--json])
"""


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["probe"] and len(args) == 1:
        from model_advisor.probe import main as probe_main

        return probe_main([])
    if args[:1] == ["measure"]:
        from model_advisor.measure import main as measure_main

        return measure_main(args[1:])
    if args[:1] in (["-h"], ["--help"]):
        sys.stdout.write(USAGE)
        return 0
    sys.stderr.write(USAGE)
    return 2


if __name__ == "__main__":
    sys.exit(main())
