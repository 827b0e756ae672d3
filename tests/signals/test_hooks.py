"""The hook registry: handlers are called in order, once each, with the arguments promised."""

from signals import hooks


def test_registering_a_handler_twice_calls_it_once(monkeypatch):
    monkeypatch.setattr(hooks.placed, "_handlers", [])
    calls = []

    def handler(signal):
        calls.append(signal)

    hooks.register_signal_placed(handler)
    hooks.register_signal_placed(handler)
    hooks.signal_placed("s")
    assert calls == ["s"]


def test_ending_and_transfer_handlers_receive_reason_and_old_professional(monkeypatch):
    monkeypatch.setattr(hooks.ending, "_handlers", [])
    monkeypatch.setattr(hooks.ending_batch, "_handlers", [])
    monkeypatch.setattr(hooks.ending_batch, "_last", [])
    monkeypatch.setattr(hooks.transferred, "_handlers", [])
    seen = []
    hooks.register_signal_ending(lambda signal, reason: seen.append(("ending", signal, reason)))
    hooks.register_signal_transferred(lambda signal, old: seen.append(("transferred", signal, old)))
    hooks.signal_ending("s", "concern_gone")
    hooks.signal_transferred("s", "p")
    assert seen == [("ending", "s", "concern_gone"), ("transferred", "s", "p")]


def test_batch_ending_handlers_run_once_per_batch_and_single_handlers_once_per_signal(monkeypatch):
    monkeypatch.setattr(hooks.ending, "_handlers", [])
    monkeypatch.setattr(hooks.ending_batch, "_handlers", [])
    monkeypatch.setattr(hooks.ending_batch, "_last", [])
    seen = []
    # a handler that writes to the logbook runs after all others, whatever the order of registration
    hooks.register_signals_ending(lambda signals, reason: seen.append(("logbook", tuple(signals))), writes_logbook=True)
    hooks.register_signals_ending(lambda signals, reason: seen.append(("batch", tuple(signals), reason)))
    hooks.register_signal_ending(lambda signal, reason: seen.append(("one", signal, reason)))
    hooks.signals_ending(["a", "b"], "expired")
    hooks.signal_ending("c", "concern_gone")
    assert seen == [
        ("batch", ("a", "b"), "expired"),
        ("one", "a", "expired"),
        ("one", "b", "expired"),
        ("logbook", ("a", "b")),
        ("batch", ("c",), "concern_gone"),
        ("one", "c", "concern_gone"),
        ("logbook", ("c",)),
    ]
