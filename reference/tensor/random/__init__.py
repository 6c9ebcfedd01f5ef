"""Random streams (``pt.random.RandomStream``)."""

from reference.tensor.random import utils
from reference.tensor.random.utils import RandomStream

__all__ = ["RandomStream", "utils"]
