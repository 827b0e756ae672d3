"""The logbook's one interface: a typed function per kind of event (audit/events.py), each with a label."""

import ast
import inspect
from pathlib import Path

import pytest

from audit import events
from audit.actions import ACTION_LABELS
from audit.models import LogEntry

ROOT = Path(__file__).resolve().parent.parent.parent
APPS = ("accounts", "api", "letters", "matching", "notifications", "persons", "regions", "reports", "rights", "signals")


def _event_functions():
    return [
        (name, function)
        for name, function in inspect.getmembers(events, inspect.isfunction)
        if function.__module__ == events.__name__ and name != "lookup_alert" and not name.startswith("_")
    ]


def test_every_event_function_writes_the_code_of_its_name_which_has_a_label(monkeypatch):
    written = []
    monkeypatch.setattr(events, "log_event", lambda *, action, **details: written.append(action))
    functions = _event_functions()
    assert len(functions) > 50
    for name, function in functions:
        needed = [
            parameter.name
            for parameter in inspect.signature(function).parameters.values()
            if parameter.default is inspect.Parameter.empty and parameter.kind is inspect.Parameter.KEYWORD_ONLY
        ]
        function(**dict.fromkeys(needed, 1))
        assert written[-1] == name, name
        assert name in ACTION_LABELS, name


def test_event_functions_take_keyword_arguments_only():
    for name, function in _event_functions():
        kinds = {parameter.kind for parameter in inspect.signature(function).parameters.values()}
        assert kinds <= {inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD}, name


def test_other_apps_write_to_the_logbook_only_through_the_event_functions():
    """`log_event(action="...", **details)` outside audit/ is what the typed functions replaced (issue 16)."""
    callers = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                called = getattr(node.func, "id", getattr(node.func, "attr", "")) if isinstance(node, ast.Call) else ""
                if called == "log_event":
                    callers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert callers == []


@pytest.mark.django_db
def test_an_event_function_writes_its_code_and_details_and_refuses_details_it_does_not_know():
    entry = events.municipality_added(region_id=None, cbs_code="0344")
    stored = LogEntry.objects.get(pk=entry.pk)
    assert (stored.action, stored.details) == ("municipality_added", {"cbs_code": "0344"})
    with pytest.raises(TypeError):
        events.municipality_added(cbs_code="0344", bsn="999990019")  # a detail the event does not carry
    with pytest.raises(TypeError):
        events.municipality_added(region_id=None)  # a detail the event needs


def test_an_act_by_a_covering_colleague_is_written_with_whom_the_act_was_for(monkeypatch):
    written = []
    monkeypatch.setattr(events, "log_event", lambda **event: written.append(event))
    events.match_handover_declined(signal_id=3, match="M-1")
    events.match_handover_declined(signal_id=3, match="M-1", on_behalf_of_user_id=7, acted_as="cover")
    assert written == [
        {"action": "match_handover_declined", "signal_id": 3, "match": "M-1"},
        {
            "action": "match_handover_declined",
            "signal_id": 3,
            "match": "M-1",
            "on_behalf_of_user_id": 7,
            "acted_as": "cover",
        },
    ]


@pytest.mark.django_db
def test_a_look_up_alert_must_be_one_of_the_guards_kinds():
    assert events.lookup_alert(kind="bsn_enumeration_suspected").action == "bsn_enumeration_suspected"
    with pytest.raises(ValueError, match="not a look-up alert"):
        events.lookup_alert(kind="signal_placed")
