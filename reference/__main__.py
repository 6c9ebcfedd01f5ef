"""Command line: ``python -m reference demo | info | bench | trace | survey-pytensor``."""

from __future__ import annotations

import argparse
import platform
import sys

import numpy as np


def demo() -> int:
    """Run the seed guide's examples and print their results; run each again on the Python
    path only (``mode="python"``) and say whether both paths agree bit for bit."""
    from reference.config import config
    from reference.examples import EXAMPLES

    disagreements = 0
    for name, example in EXAMPLES.items():
        print(f"== {name}: {example.__doc__.strip()}")
        results = example()  # default mode: loops whose step lowers run in the C kernel
        for value in results:
            print(value)
        with config.change_flags(mode="python"):
            python_results = example()
        same = _same(results, python_results)
        disagreements += not same
        print(f"-- default path and Python path agree bit for bit: {'yes' if same else 'NO'}")
        print()
    return 1 if disagreements else 0


def _same(a: object, b: object) -> bool:
    if isinstance(a, list | tuple):
        return isinstance(b, list | tuple) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    x, y = np.asarray(a), np.asarray(b)
    return x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y, equal_nan=x.dtype.kind in "fc")


def info() -> int:
    """Versions and the C kernel's status."""
    import reference
    from reference import _cloop

    print(f"reference {reference.__version__}")
    print(f"python {platform.python_version()}, numpy {np.__version__}")
    print(_cloop.kernel_status())
    if _cloop.HAVE_CLOOP:  # KERN-EXACT-3: what the import-time self-check found on this machine
        from reference._cloop import selfcheck, specialise

        print(selfcheck.results().summary())
        print(specialise.status())
    return 0


def _trace_command(argv: list[str]) -> int:
    """``trace FILE.py [args]``: run a script, print a per-step table of each loop it ran."""
    from reference.trace import main as trace_main

    return trace_main(argv)


def _bench_command(argv: list[str]) -> int:
    """``bench [--quick] [--repeat N] [--peers] [--only w1 w2 ...]``: the kernel's benchmarks."""
    from reference._cloop.bench import main as bench_main

    return bench_main(argv)


def _survey_command(argv: list[str]) -> int:
    """``survey-pytensor [--examples N] [--backends py,numba] [--rst FILE]``."""
    from reference.interop.survey import main as survey_main

    return survey_main(argv)


#: commands that parse their own arguments
COMMANDS_WITH_ARGUMENTS = {"trace": _trace_command, "survey-pytensor": _survey_command,
                           "bench": _bench_command}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in COMMANDS_WITH_ARGUMENTS:
        return COMMANDS_WITH_ARGUMENTS[argv[0]](argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m reference",
        epilog="also: bench [--quick], trace FILE.py, survey-pytensor (each with its own --help)")
    parser.add_argument("command", choices=["demo", "info"])
    args = parser.parse_args(argv)
    return {"demo": demo, "info": info}[args.command]()


if __name__ == "__main__":
    sys.exit(main())
