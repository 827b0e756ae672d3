"""An in-memory e-mail back-end that counts the sessions it opens, and can refuse chosen messages mid-session."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

# per test: how many sessions were opened, and the subjects the server refuses (the session breaks on them)
opened: list[int] = [0]
refused: set[str] = set()


class EmailBackend(LocmemBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_open = False

    def open(self):
        if self.is_open:
            return False
        self.is_open = True
        opened[0] += 1
        return True

    def close(self):
        self.is_open = False

    def send_messages(self, messages):
        opened_here = self.open()
        try:
            for message in messages:
                if message.subject in refused:
                    raise smtplib.SMTPServerDisconnected("connection lost")
            return super().send_messages(messages)
        finally:
            if opened_here:
                self.close()
