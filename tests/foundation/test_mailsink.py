"""The dev SMTP sink (scripts/mailsink.py) really keeps what is sent to it, and the dev mailbox reads it."""

import os
import smtplib
import socket
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.services
@pytest.mark.django_db
def test_mail_sent_through_the_sink_appears_on_the_dev_mailbox_page(mailbox):
    port = _free_port()
    sink = subprocess.Popen(
        [sys.executable, "scripts/mailsink.py", str(port)],
        cwd=ROOT,
        env={**os.environ, "DEV_MAILBOX_DIR": str(mailbox)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert "listening" in sink.stdout.readline()
        message = EmailMessage()
        message["Subject"] = "Proefbericht via de sink"
        message["From"] = "noreply@verwijsindex.localhost"
        message["To"] = "iemand@example.nl"
        message.set_content("Hallo vanuit de test.")
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.send_message(message)
        for _ in range(50):
            if list(mailbox.glob("*.eml")):
                break
            time.sleep(0.1)
        listing = Client(HTTP_HOST="localhost").get(reverse("devmail:list"))
        assert "Proefbericht via de sink" in listing.content.decode()
    finally:
        sink.terminate()
        assert sink.wait(10) is not None
