"""PyTensor's ``pytensor.tensor.slinalg`` (scipy's linear algebra): the same functions as
:mod:`reference.tensor.linalg` (OP-LINALG-*)."""

from reference.tensor.linalg import (
    Cholesky,
    CholeskySolve,
    Eigvalsh,
    Expm,
    Solve,
    SolveTriangular,
    block_diag,
    cho_solve,
    cholesky,
    eigvalsh,
    expm,
    lu,
    lu_factor,
    lu_solve,
    ordqz,
    pivot_to_permutation,
    qr,
    qz,
    schur,
    solve,
    solve_continuous_lyapunov,
    solve_discrete_are,
    solve_discrete_lyapunov,
    solve_sylvester,
    solve_triangular,
)

__all__ = ["Cholesky", "CholeskySolve", "Eigvalsh", "Expm", "Solve", "SolveTriangular", "block_diag",
           "cho_solve", "cholesky", "eigvalsh", "expm", "lu", "lu_factor", "lu_solve", "ordqz",
           "pivot_to_permutation", "qr", "qz", "schur", "solve", "solve_continuous_lyapunov",
           "solve_discrete_are", "solve_discrete_lyapunov", "solve_sylvester", "solve_triangular"]
