"""PyTensor's ``pytensor.tensor.nlinalg`` (numpy's linear algebra): the same functions as
:mod:`reference.tensor.linalg` (OP-LINALG-*)."""

from reference.tensor.linalg import (
    SVD,
    Det,
    Eig,
    Eigh,
    MatrixInverse,
    MatrixPinv,
    det,
    eig,
    eigh,
    inv,
    kron,
    lstsq,
    matrix_dot,
    matrix_inverse,
    matrix_power,
    norm,
    pinv,
    slogdet,
    svd,
    tensorinv,
    tensorsolve,
    trace,
)

__all__ = ["SVD", "Det", "Eig", "Eigh", "MatrixInverse", "MatrixPinv", "det", "eig", "eigh", "inv", "kron",
           "lstsq", "matrix_dot", "matrix_inverse", "matrix_power", "norm", "pinv", "slogdet", "svd",
           "tensorinv", "tensorsolve", "trace"]
