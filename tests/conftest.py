"""Shared test setup: Hypothesis profiles and the session's record of ``rule`` markers."""

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
# docs/_ext/rule_ids.py holds the rule-id regex and the spec/test/code scanners, shared
# with the Sphinx extension; it is plain Python.
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

import rule_ids  # noqa: E402

# -- Hypothesis ---------------------------------------------------------------------------
# HYPOTHESIS_PROFILE picks one; `dev` when unset.  An explicit load also overrides the
# `ci` profile Hypothesis would load by itself when the CI variable is set.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    print_blob=True,
    max_examples=50,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile(
    "deep", max_examples=20_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


# -- rule markers -------------------------------------------------------------------------


@dataclass
class CollectedRuleMarkers:
    """The ``rule`` markers on the tests of this session (as pytest applied them, so also
    markers built at run time that ``rule_ids.find_test_markers`` cannot read)."""

    #: rule id -> node ids of the collected tests that carry it
    by_id: dict[str, list[str]] = field(default_factory=dict)
    #: "node id: rule(args)" for markers without exactly well-formed string ids
    malformed: list[str] = field(default_factory=list)


RULE_MARKERS = pytest.StashKey[CollectedRuleMarkers]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    collected = CollectedRuleMarkers()
    for item in items:
        for mark in item.iter_markers(name="rule"):
            ids = mark.args
            if not ids or mark.kwargs or not all(isinstance(i, str) for i in ids):
                collected.malformed.append(f"{item.nodeid}: rule{mark.args!r}")
                continue
            for rule_id in ids:
                collected.by_id.setdefault(rule_id, []).append(item.nodeid)
                if not rule_ids.is_rule_id(rule_id):
                    collected.malformed.append(f"{item.nodeid}: rule({rule_id!r})")
    config.stash[RULE_MARKERS] = collected


@pytest.fixture(scope="session")
def collected_rule_markers(pytestconfig: pytest.Config) -> CollectedRuleMarkers:
    return pytestconfig.stash[RULE_MARKERS]
