"""The federation's handlers on the signals hooks (registered in FederationConfig.ready())."""

from . import regional
from .tasks import outbox_send_soon


def on_signal_placed(signal) -> None:
    if regional.signal_federate(signal=signal) is not None:
        outbox_send_soon()


def on_signals_ending(signals, reason) -> None:
    regional.signals_unfederate(signals=signals, reason=reason)
    if regional.linked():
        outbox_send_soon()
