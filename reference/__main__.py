"""Command line: ``python -m reference demo | info``."""

from __future__ import annotations

import argparse
import platform
import sys

import numpy as np


def demo() -> int:
    """Run the seed guide's examples and print their results."""
    from reference.examples import EXAMPLES

    for name, example in EXAMPLES.items():
        print(f"== {name}: {example.__doc__.strip()}")
        for value in example():
            print(value)
        print()
    return 0


def info() -> int:
    """Versions and the C kernel's status."""
    import reference
    from reference import _cloop

    print(f"reference {reference.__version__}")
    print(f"python {platform.python_version()}, numpy {np.__version__}")
    print(f"C kernel: {_cloop.kernel_status()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reference")
    parser.add_argument("command", choices=["demo", "info"])
    args = parser.parse_args(argv)
    return {"demo": demo, "info": info}[args.command]()


if __name__ == "__main__":
    sys.exit(main())
