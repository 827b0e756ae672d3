"""Who may use each rights page: staff of the own municipality, process managers of the region, and nobody else.

Requests of another municipality or region do not exist for the user (404); a role without access gets 403.
"""

import pytest
from django.urls import reverse

from rights.models import AdviceTask
from tests.accounts.factories import municipal_staff, process_manager, professional
from tests.conftest import client_for
from tests.regions.factories import MunicipalityFactory, OrganisationFactory

from .conftest import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def rights_request(municipality, staff, youth, active_signal):
    return register(staff, municipality, kind="objection")


@pytest.fixture
def users(region, other_region, municipality, other_municipality, staff, other_staff, manager, active_signal):
    return {
        "staff": staff,
        "other_municipality_staff": other_staff,
        "manager": manager,
        "other_region_manager": process_manager(other_region),
        "other_region_staff": municipal_staff(MunicipalityFactory(region=other_region)),
        "professional": active_signal.professional,
        "other_professional": professional(OrganisationFactory(region=region)),
    }


REQUEST_PAGES = {
    # name: (method, {who: expected status on the request's own region host})
    "request_detail": (
        "get",
        {"staff": 200, "manager": 200, "other_municipality_staff": 404, "professional": 403, "other_professional": 403},
    ),
    "request_overview": (
        "get",
        {"staff": 200, "manager": 403, "other_municipality_staff": 404, "professional": 403, "other_professional": 403},
    ),
    "request_pdf": (
        "get",
        {"staff": 200, "manager": 403, "other_municipality_staff": 404, "professional": 403, "other_professional": 403},
    ),
    "request_complete": (
        "get",
        {"staff": 200, "manager": 403, "other_municipality_staff": 404, "professional": 403, "other_professional": 403},
    ),
    "request_advice": (
        "post",
        {"staff": 302, "manager": 302, "other_municipality_staff": 404, "professional": 403, "other_professional": 403},
    ),
    "request_decide": (
        "get",
        {"staff": 403, "manager": 200, "other_municipality_staff": 403, "professional": 403, "other_professional": 403},
    ),
    # issue #22: asking the other deployments through the hub (not linked here: back to the request with a message)
    "request_remote_signals": (
        "post",
        {"staff": 302, "manager": 403, "other_municipality_staff": 404, "professional": 403, "other_professional": 403},
    ),
}

CASES = [(page, who, status) for page, (_, expected) in REQUEST_PAGES.items() for who, status in expected.items()]


@pytest.mark.parametrize(("page", "who", "status"), CASES)
def test_request_pages_by_role_and_scope(region, users, rights_request, page, who, status):
    method, _ = REQUEST_PAGES[page]
    client = client_for(users[who], region)
    response = getattr(client, method)(reverse(f"rights:{page}", args=[rights_request.pk]))
    assert response.status_code == status


@pytest.mark.parametrize("page", REQUEST_PAGES)
@pytest.mark.parametrize("who", ["other_region_manager", "other_region_staff"])
def test_users_of_another_region_are_refused_on_this_host(region, users, rights_request, page, who):
    method, _ = REQUEST_PAGES[page]
    response = getattr(client_for(users[who], region), method)(reverse(f"rights:{page}", args=[rights_request.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("page", REQUEST_PAGES)
@pytest.mark.parametrize("who", ["other_region_manager", "other_region_staff"])
def test_on_their_own_host_requests_of_another_region_do_not_exist(other_region, users, rights_request, page, who):
    method, _ = REQUEST_PAGES[page]
    client = client_for(users[who], other_region)
    response = getattr(client, method)(reverse(f"rights:{page}", args=[rights_request.pk]))
    assert response.status_code in (403, 404)
    if page in ("request_detail", "request_advice"):
        assert response.status_code == 404


@pytest.mark.parametrize("page", [*REQUEST_PAGES, "queue", "request_register", "advice_list"])
def test_anonymous_is_sent_to_login(anonymous_client, rights_request, page):
    args = [rights_request.pk] if page in REQUEST_PAGES else []
    response = anonymous_client.get(reverse(f"rights:{page}", args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("who", "status", "sees"),
    [
        ("staff", 200, True),
        ("manager", 200, True),
        ("other_municipality_staff", 200, False),
        ("professional", 403, False),
    ],
)
def test_queue_shows_only_requests_in_scope(region, users, rights_request, who, status, sees):
    response = client_for(users[who], region).get(reverse("rights:queue"))
    assert response.status_code == status
    assert (rights_request.reference in response.content.decode()) is sees


def test_process_manager_of_another_region_sees_none_of_these_requests(other_region, users, rights_request):
    response = client_for(users["other_region_manager"], other_region).get(reverse("rights:queue"))
    assert response.status_code == 200
    assert rights_request.reference not in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("staff", 200), ("manager", 403), ("professional", 403)])
def test_only_municipal_staff_register_requests(region, users, who, status):
    assert client_for(users[who], region).get(reverse("rights:request_register")).status_code == status


def test_professional_never_sees_the_bsn_or_the_request(region, users, staff, rights_request, active_signal):
    client_for(staff, region).post(
        reverse("rights:request_advice", args=[rights_request.pk]), {"signals": [str(active_signal.pk)]}
    )
    task = AdviceTask.objects.get()
    client = client_for(users["professional"], region)
    from persons.bsn import bsn_decrypt

    bsn = bsn_decrypt(rights_request.bsn_encrypted)
    for url in (reverse("rights:advice_list"), reverse("rights:advice_detail", args=[task.pk])):
        html = client.get(url).content.decode()
        assert bsn not in html
        assert rights_request.requester_name not in html


@pytest.mark.parametrize(
    ("who", "status"),
    [("professional", 200), ("other_professional", 404), ("staff", 403), ("manager", 403)],
)
def test_advice_task_only_for_its_own_professional(region, users, staff, rights_request, active_signal, who, status):
    client_for(staff, region).post(
        reverse("rights:request_advice", args=[rights_request.pk]), {"signals": [str(active_signal.pk)]}
    )
    task = AdviceTask.objects.get()
    assert client_for(users[who], region).get(reverse("rights:advice_detail", args=[task.pk])).status_code == status
    post = client_for(users[who], region).post(reverse("rights:advice_detail", args=[task.pk]), {"advice": "remove"})
    task.refresh_from_db()
    assert (task.advice == "remove") is (who == "professional")
    assert post.status_code == (302 if who == "professional" else status)


def test_other_professionals_advice_list_is_empty(region, users, staff, rights_request, active_signal):
    client_for(staff, region).post(
        reverse("rights:request_advice", args=[rights_request.pk]), {"signals": [str(active_signal.pk)]}
    )
    html = client_for(users["other_professional"], region).get(reverse("rights:advice_list")).content.decode()
    assert active_signal.reference not in html
    assert "geen adviesvragen" in html
