"""Testing helpers for ``reference`` and for code that uses it as an oracle.

``reference.testing.gradcheck``: :func:`verify_grad` (PyTensor's drop-in) and
:class:`numeric_grad`, finite-difference checks of :func:`reference.grad`.
"""

from reference.testing.gradcheck import (
    GradientError,
    central_difference,
    numeric_grad,
    verify_grad,
)

__all__ = ["GradientError", "central_difference", "numeric_grad", "verify_grad"]

# The oracle interface (spec chapter 6): compare another implementation with the
# reference.  ``reference.testing.strategies`` (Hypothesis strategies of scan programs) is
# imported on its own, since it needs Hypothesis.
from reference.testing.compare import (  # noqa: E402
    MismatchError,
    Report,
    assert_matches,
    compare,
    compare_arrays,
    ulp_distance,
)

__all__ += ["MismatchError", "Report", "assert_matches", "compare", "compare_arrays", "ulp_distance"]
