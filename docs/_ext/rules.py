"""Sphinx extension for numbered spec rules.

``.. rule:: SCAN-TAPS-3``
    Defines a rule.  Options: ``:title:`` (required), ``:phase:``, ``:status:`` (``active``,
    the default, or ``retired``), ``:since:``.  The body is the rule's text.  It renders the
    id and the title as one heading-like line, with the anchor ``rule-scan-taps-3`` and an
    index entry.  A malformed id, a missing title, an unknown status or a second definition
    of the same id is a warning (an error under ``-W``).

``:rule:`SCAN-TAPS-3```
    Links to the rule.  An unknown id is a warning, with or without ``-n``.

``.. rule-index::``
    A table of every rule: id | title | implemented at | tested by.  "Implemented at" lists
    the ``path:line`` of every file under ``reference/`` whose text contains the id;
    "tested by" lists the tests carrying ``@pytest.mark.rule("ID")``.  Both are found by
    ``rule_ids`` (the same code ``tests/test_spec_links.py`` uses), at every build.

Config values: ``rules_root`` (the repository root; default: the parent of the directory of
``conf.py``), ``rules_spec_dir``, ``rules_code_dir``, ``rules_test_dir`` (relative to it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import GenericObject
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

import rule_ids

logger = logging.getLogger(__name__)

OBJTYPE = "rule"

# env.spec_rules: rule id -> {"docname", "title", "status", "lineno"}
# env.spec_rule_index_docs: docnames that contain a rule-index (rebuilt on every build)


def _rules(env: BuildEnvironment) -> dict[str, dict[str, Any]]:
    if not hasattr(env, "spec_rules"):
        env.spec_rules = {}
    return env.spec_rules


def _index_docs(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, "spec_rule_index_docs"):
        env.spec_rule_index_docs = set()
    return env.spec_rule_index_docs


class RuleDirective(GenericObject):
    option_spec = {
        **GenericObject.option_spec,
        "title": directives.unchanged,
        "phase": directives.unchanged,
        "status": directives.unchanged,
        "since": directives.unchanged,
    }

    def handle_signature(self, sig: str, signode: addnodes.desc_signature) -> str:
        rule_id = sig.strip()
        title = self.options.get("title", "").strip()
        status = self.options.get("status", "active").strip()
        if not rule_ids.is_rule_id(rule_id):
            logger.warning(
                "malformed rule id %r: expected PREFIX-WORD-N with PREFIX one of %s",
                rule_id,
                ", ".join(rule_ids.PREFIXES),
                location=self.get_location(),
            )
        if not title:
            logger.warning("rule %s has no :title:", rule_id, location=self.get_location())
        if status not in rule_ids.STATUSES:
            logger.warning(
                "rule %s: unknown :status: %r (expected one of %s)",
                rule_id,
                status,
                ", ".join(rule_ids.STATUSES),
                location=self.get_location(),
            )
        signode.clear()
        signode += addnodes.desc_name(rule_id, rule_id)
        if title:
            signode += addnodes.desc_annotation(f" — {title}", f" — {title}")
        if status == "retired":
            signode += addnodes.desc_annotation(" (retired)", " (retired)")
        return rule_id

    def add_target_and_index(self, name: str, sig: str, signode: addnodes.desc_signature) -> None:
        rules = _rules(self.env)
        if name in rules:
            first = rules[name]
            logger.warning(
                "duplicate definition of rule %s (first defined in %s, line %s)",
                name,
                first["docname"],
                first["lineno"],
                location=self.get_location(),
            )
            return
        anchor = make_id(self.env, self.state.document, OBJTYPE, name.lower())  # rule-scan-taps-3
        signode["ids"].append(anchor)
        self.state.document.note_explicit_target(signode)
        self.indexnode["entries"].append(("pair", f"{name}; spec rule", anchor, "", None))
        self.env.get_domain("std").note_object(OBJTYPE, name, anchor, location=signode)
        rules[name] = {
            "docname": self.env.docname,
            "title": self.options.get("title", "").strip(),
            "status": self.options.get("status", "active").strip(),
            "lineno": self.lineno,
        }


class rule_index(nodes.General, nodes.Element):
    """Placeholder for the table; replaced by RuleIndexTransform before references resolve."""


class RuleIndexDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        _index_docs(self.env).add(self.env.docname)
        return [rule_index()]


def _paths(config: Any) -> tuple[Path, Path, Path, Path]:
    root = Path(config.rules_root) if config.rules_root else Path(config.confdir).parent
    return (
        root,
        root / config.rules_spec_dir,
        root / config.rules_code_dir,
        root / config.rules_test_dir,
    )


def _site_list(sites: list[rule_ids.Site]) -> nodes.Node:
    """One paragraph per file, in first-seen order: ``path:13, 31`` for code lines, the
    file then its test names (one per line) for tests.  Compact, so the table stays
    readable at the theme's content width (styled by _static/rules.css)."""
    if not sites:
        return nodes.paragraph("", "", nodes.emphasis("", "none"))
    groups: dict[str, list[str]] = {}
    is_test: dict[str, bool] = {}
    for site in sites:
        if site.test:
            path, _, name = site.test.partition("::")
            groups.setdefault(path, []).append(name)
            is_test[path] = True
        else:
            groups.setdefault(site.path, []).append(str(site.line))
            is_test.setdefault(site.path, False)
    box = nodes.container(classes=["rule-sites"])
    for path, items in groups.items():
        para = nodes.paragraph(classes=["rule-site"])
        if is_test[path]:
            para += nodes.literal("", path, classes=["rule-site-file"])
            for name in items:
                para += nodes.inline("", "", nodes.literal("", name), classes=["rule-site-test"])
        else:
            para += nodes.literal("", f"{path}:{', '.join(items)}", classes=["rule-site-file"])
        box += para
    return box


def _row(*cells: nodes.Node) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        row += nodes.entry("", cell)
    return row


class RuleIndexTransform(SphinxPostTransform):
    """Fill every rule-index with the table.  Runs at write time, when all documents have
    been read, and before ReferencesResolver (priority 10), so the id links it inserts are
    ordinary ``:rule:`` references."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        placeholders = list(self.document.findall(rule_index))
        if not placeholders:
            return
        root, _spec, code_dir, test_dir = _paths(self.config)
        implemented = rule_ids.find_mentions(code_dir, root)
        tested = rule_ids.find_test_markers(test_dir, root)
        rules = sorted(_rules(self.env).items(), key=lambda kv: (kv[1]["docname"], kv[1]["lineno"]))
        for placeholder in placeholders:
            placeholder.replace_self(self._table(rules, implemented, tested))

    def _table(self, rules, implemented, tested) -> nodes.Node:
        if not rules:
            return nodes.paragraph("", "No rules are defined yet.")
        tgroup = nodes.tgroup(cols=4)
        for width in (16, 24, 26, 34):
            tgroup += nodes.colspec(colwidth=width)
        header = [nodes.paragraph("", h) for h in ("Rule", "Title", "Implemented at", "Tested by")]
        tgroup += nodes.thead("", _row(*header))
        body = nodes.tbody()
        for rule_id, info in rules:
            ref = addnodes.pending_xref(
                "",
                nodes.literal(rule_id, rule_id, classes=["xref", "std", "std-rule"]),
                refdomain="std",
                reftype=OBJTYPE,
                reftarget=rule_id,
                refexplicit=False,
                refwarn=True,
                refdoc=self.env.docname,
            )
            title = info["title"] + (" (retired)" if info["status"] == "retired" else "")
            body += _row(
                nodes.paragraph("", "", ref),
                nodes.paragraph("", title),
                _site_list(implemented.get(rule_id, [])),
                _site_list(tested.get(rule_id, [])),
            )
        tgroup += body
        return nodes.table("", tgroup, classes=["rule-index", "colwidths-given"])


# -- environment bookkeeping (incremental and parallel builds) ---------------------------


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    rules = _rules(env)
    for rule_id in [i for i, info in rules.items() if info["docname"] == docname]:
        del rules[rule_id]
    _index_docs(env).discard(docname)


def merge_info(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: Any) -> None:
    rules = _rules(env)
    for rule_id, info in _rules(other).items():
        if info["docname"] not in docnames:  # the worker's copy of what was read before
            continue
        if rule_id in rules:
            logger.warning(
                "duplicate definition of rule %s (also in %s)",
                rule_id,
                rules[rule_id]["docname"],
                location=(info["docname"], info["lineno"]),
            )
        else:
            rules[rule_id] = info
    _index_docs(env).update(_index_docs(other) & docnames)


def always_rebuild_index(app: Sphinx, env: BuildEnvironment, added, changed, removed):
    """The index depends on reference/ and tests/, which Sphinx does not watch."""
    return sorted(_index_docs(env) - set(removed))


def check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    """The rules Sphinx read must be the rules tests/test_spec_links.py sees."""
    root, spec_dir, _code, _tests = _paths(app.config)
    parsed = {rule.id for rule in rule_ids.parse_spec(spec_dir, root)}
    for rule_id, info in sorted(_rules(env).items()):
        if rule_id not in parsed:
            logger.warning(
                "rule %s is not visible to the link checker: rules must be defined in "
                "%s/*.rst with '.. rule::' starting in column 0",
                rule_id,
                app.config.rules_spec_dir,
                location=(info["docname"], info["lineno"]),
            )
    for rule_id in sorted(parsed - set(_rules(env))):
        logger.warning(
            "rule %s is defined in %s/ but was not read by Sphinx", rule_id, spec_dir.name
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("rules_root", "", "env", types=[str])
    app.add_config_value("rules_spec_dir", "spec", "env", types=[str])
    app.add_config_value("rules_code_dir", "reference", "env", types=[str])
    app.add_config_value("rules_test_dir", "tests", "env", types=[str])

    # add_object_type registers the object type for the std domain; the directive and the
    # role are then replaced by ours (options, checks; a warning for unknown ids).
    app.add_object_type(OBJTYPE, OBJTYPE, objname="spec rule")
    app.add_directive_to_domain("std", OBJTYPE, RuleDirective, override=True)
    app.add_role_to_domain("std", OBJTYPE, XRefRole(warn_dangling=True), override=True)

    app.add_node(rule_index)
    app.add_directive("rule-index", RuleIndexDirective)
    app.add_post_transform(RuleIndexTransform)

    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-get-outdated", always_rebuild_index)
    app.connect("env-check-consistency", check_consistency)
    return {
        "version": "1",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
