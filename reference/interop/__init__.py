"""Bridges between ``reference`` and the libraries it specifies.

``reference.interop.pytensor`` (needs the optional ``pytensor`` dependency,
``pip install reference[pytensor]``) converts PyTensor graphs into reference graphs and
checks compiled PyTensor functions against the oracle.
"""
