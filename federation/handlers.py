"""The federation's handlers on the signals hooks (registered in FederationConfig.ready())."""

import logging
from functools import partial

from django.db import transaction

from . import regional

logger = logging.getLogger(__name__)


def _dispatch() -> None:
    from .tasks import federation_outbox_send_task

    try:
        federation_outbox_send_task.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - any broker error: the periodic send picks the message up
        logger.warning("federation outbox send not queued (broker unavailable); the periodic run sends it")


def on_signal_placed(signal) -> None:
    if regional.signal_federate(signal=signal) is not None:
        transaction.on_commit(partial(_dispatch), robust=True)


def on_signals_ending(signals, reason) -> None:
    regional.signals_unfederate(signals=signals, reason=reason)
    if regional.linked():
        transaction.on_commit(partial(_dispatch), robust=True)
