from email.message import EmailMessage

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.accounts.factories import professional
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _keep(folder, name, *, subject="Uitnodiging", text="Open http://midden-nederland.localhost/x/", html=None):
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = "noreply@verwijsindex.localhost"
    message["To"] = "iemand@example.nl"
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    (folder / f"{name}.eml").write_bytes(message.as_bytes())


def test_mailbox_is_not_mounted_in_the_test_profile(region):
    with pytest.raises(NoReverseMatch):
        reverse("devmail:list")
    assert Client(HTTP_HOST="localhost").get("/dev/mail/").status_code == 404


def test_mailbox_lists_kept_mail_and_shows_the_text_on_any_host_from_this_machine(mailbox):
    _keep(mailbox, "1700000000000000000-0000abcd", subject="Eerste")
    _keep(mailbox, "1700000000000000001-0000abce", subject="Tweede")
    client = Client(HTTP_HOST="localhost")
    listing = client.get(reverse("devmail:list"))
    assert listing.status_code == 200
    content = listing.content.decode()
    assert content.index("Tweede") < content.index("Eerste")

    detail = client.get(reverse("devmail:detail", args=["1700000000000000000-0000abcd"]))
    assert detail.status_code == 200
    assert 'href="http://midden-nederland.localhost/x/"' in detail.content.decode()


def test_mail_html_is_served_sandboxed_under_its_own_strict_csp(mailbox):
    _keep(mailbox, "1700000000000000002-0000abcf", html="<p>Hallo</p><script>alert(1)</script>")
    client = Client(HTTP_HOST="localhost")
    detail = client.get(reverse("devmail:detail", args=["1700000000000000002-0000abcf"])).content.decode()
    assert "<iframe" in detail and "sandbox" in detail
    assert "<script>alert(1)</script>" not in detail

    html = client.get(reverse("devmail:html", args=["1700000000000000002-0000abcf"]))
    policy = html["Content-Security-Policy"]
    assert policy.startswith("sandbox")
    assert "default-src 'none'" in policy
    assert "script-src" not in policy
    assert html["X-Frame-Options"] == "SAMEORIGIN"
    download = client.get(reverse("devmail:html", args=["1700000000000000002-0000abcf"]) + "?download=1")
    assert download["Content-Disposition"].startswith("attachment")


def test_mailbox_refuses_paths_that_are_not_message_ids(mailbox):
    (mailbox.parent / "geheim.eml").write_text("Subject: geheim\n\nniet voor jou")
    client = Client(HTTP_HOST="localhost")
    assert client.get("/dev/mail/..%2Fgeheim/").status_code == 404
    assert client.get("/dev/mail/geheim/").status_code == 404


def test_mailbox_is_closed_to_other_machines_unless_logged_in_as_demo_account(mailbox, region, organisation):
    _keep(mailbox, "1700000000000000003-0000abd0")
    remote = Client(HTTP_HOST="localhost", REMOTE_ADDR="192.0.2.10")
    assert remote.get(reverse("devmail:list")).status_code == 403

    real_user = professional(organisation)
    remote_real = client_for(real_user, region)
    assert remote_real.get(reverse("devmail:list"), REMOTE_ADDR="192.0.2.10").status_code == 403

    demo_user = professional(organisation)
    demo_user.is_demo = True
    demo_user.save()
    remote_demo = client_for(demo_user, region)
    assert remote_demo.get(reverse("devmail:list"), REMOTE_ADDR="192.0.2.10").status_code == 200
