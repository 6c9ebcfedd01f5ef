"""The C kernel's benchmarks (issue 5): ``python benchmarks/bench_kernel.py [--quick] [--peers]``.

The same as ``python -m reference bench``; see ``reference/_cloop/bench.py`` for the loops,
the contenders and how the numbers are taken.
"""

import sys

from reference._cloop.bench import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
