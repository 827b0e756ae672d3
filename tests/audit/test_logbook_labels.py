"""Every kind of event the code writes has a label (Dutch, and English when the UI is switched)."""

import re
from pathlib import Path

from django.utils import translation

from audit.actions import ACTION_LABELS, action_label

ROOT = Path(__file__).resolve().parent.parent.parent
APPS = ("accounts", "api", "audit", "letters", "matching", "notifications", "persons", "regions", "rights", "signals")
# action="code", "action": "code", an event declared as _event("code", ...), and constants such as ALERT_ACTION = "code"
WRITTEN = re.compile(r"""(?:\baction=|["']action["']:\s*|_ACTION\s*=\s*|\b_event\()["']([a-z_]+)["']""")
ARGPARSE_ACTIONS = {"store", "store_true", "store_false", "append", "count"}  # add_argument(action=...)


def _codes_written() -> set[str]:
    codes = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                codes.update(WRITTEN.findall(path.read_text()))
    return codes - ARGPARSE_ACTIONS


def test_every_action_the_code_writes_has_a_label():
    codes = _codes_written()
    assert len(codes) > 40  # the pattern still finds the call sites
    assert sorted(codes - set(ACTION_LABELS)) == []


def test_every_label_is_translated_to_english():
    with translation.override("nl"):
        dutch = {code: str(label) for code, label in ACTION_LABELS.items()}
    with translation.override("en"):
        english = {code: str(label) for code, label in ACTION_LABELS.items()}
        assert action_label("coordinator_rule_moved") == "Match coordination rule moved"
    assert [code for code in ACTION_LABELS if english[code] == dutch[code]] == []
