# Only the cffi hook lives here: setuptools has no pyproject.toml key for cffi_modules
# (cffi issue #55).  All metadata is in pyproject.toml.
from setuptools import setup

setup(cffi_modules=["reference/_cloop/_build.py:ffibuilder"])
