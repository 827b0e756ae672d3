"""The hook registry: handlers are called in order, once each, with the arguments promised."""

from signals import hooks


def test_registering_a_handler_twice_calls_it_once(monkeypatch):
    monkeypatch.setattr(hooks, "_placed", [])
    calls = []

    def handler(signal):
        calls.append(signal)

    hooks.register_signal_placed(handler)
    hooks.register_signal_placed(handler)
    hooks.signal_placed("s")
    assert calls == ["s"]


def test_ending_and_transfer_handlers_receive_reason_and_old_professional(monkeypatch):
    monkeypatch.setattr(hooks, "_ending", [])
    monkeypatch.setattr(hooks, "_transferred", [])
    seen = []
    hooks.register_signal_ending(lambda signal, reason: seen.append(("ending", signal, reason)))
    hooks.register_signal_transferred(lambda signal, old: seen.append(("transferred", signal, old)))
    hooks.signal_ending("s", "concern_gone")
    hooks.signal_transferred("s", "p")
    assert seen == [("ending", "s", "concern_gone"), ("transferred", "s", "p")]
