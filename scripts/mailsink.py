"""Development SMTP sink: keeps every message sent to 127.0.0.1:8025 as a .eml file for the dev mailbox."""

import os
import signal
import sys
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller

MAILBOX = Path(os.environ.get("DEV_MAILBOX_DIR", Path(__file__).resolve().parent.parent / ".data" / "mail"))


class KeepMessages:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        MAILBOX.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        (MAILBOX / name).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8025
    controller = Controller(KeepMessages(), hostname="127.0.0.1", port=port)
    controller.start()
    # `make run` stops its children with SIGTERM; stop the SMTP server cleanly then too
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    print(f"[mailsink] listening on 127.0.0.1:{port}, keeping mail in {MAILBOX}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
