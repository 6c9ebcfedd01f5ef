"""The one Sphinx configuration: guide pages in docs/, the spec in spec/ (via the docs/spec link).

Build (from the repository root, with the package installed):
    sphinx-build -W -n -b html    docs docs/_build/html
    sphinx-build -W -n -b doctest docs docs/_build/doctest
"""

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))

project = "reference"
author = "reference contributors"
copyright = "the reference contributors"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.mathjax",
    "sphinx.ext.intersphinx",
    "rules",
]

root_doc = "index"
exclude_patterns = ["_build"]
nitpicky = True  # unknown :rule: (and any other) references are warnings; -W makes them errors

html_theme = "furo"
html_title = "reference"
html_static_path = ["_static"]
html_css_files = ["rules.css"]  # rule headings, the rule index, example output

# rules extension: the repository root holds spec/, reference/ and tests/.
rules_root = str(DOCS.parent)

# The spec's examples (.. testcode:: / .. doctest::) are written as a user would write them.
doctest_global_setup = """
import numpy as np
import reference as pytensor
import reference.tensor as pt
"""

# intersphinx needs the network; only PyPI is reachable on the project's machines, and with
# -W a failed inventory download fails the build.  Offline, references into Python's and
# numpy's docs are left unresolved on purpose.
if os.environ.get("REFERENCE_DOCS_NETWORK") == "1":
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable", None),
    }
else:
    intersphinx_mapping = {}
    nitpick_ignore_regex = [(r"py:.*", r"(numpy|np|collections\.abc|typing|types)(\..*)?")]

# Names that docstrings mention in prose-like type hints without a documented target.
nitpick_ignore = [
    ("py:class", "Tracer"),
    ("py:class", "reference.trace.Tracer"),
    ("py:func", "start_trace"),
    ("py:class", "TensorType"),
    ("py:class", "reference.explain.Explanation"),
    ("py:mod", "reference.trace"),
    ("py:class", "reference.graph.shared.RandomGeneratorSharedVariable"),
]


def _mark_test_output(app, doctree):
    """Give the printed output of executed examples (``.. testoutput::``) the class
    ``testoutput``, so _static/rules.css can set it off from the code above it."""
    from docutils import nodes

    for block in doctree.findall(nodes.literal_block):
        if block.get("testnodetype") == "testoutput":
            block["classes"].append("testoutput")


def setup(app):
    app.connect("doctree-read", _mark_test_output)
