"""Every page of the technical admin loads for a system administrator: each changelist and each add page."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from .world import ADMINISTRATOR, build_world


def _admin_pages():
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        yield model_admin, f"admin:{meta.app_label}_{meta.model_name}_changelist"
        yield model_admin, f"admin:{meta.app_label}_{meta.model_name}_add"


@pytest.mark.django_db
def test_every_admin_changelist_and_add_page_loads_for_a_system_administrator():
    own = build_world(slug="midden-nederland", name="Verwijsindex Midden-Nederland", cbs_code="0344", prefix="mn")
    client = own.client(ADMINISTRATOR)
    user = own.users[ADMINISTRATOR]
    pages = list(_admin_pages())
    assert len(pages) >= 10  # the apps register their models; an empty registry would pass vacuously
    failures = []
    for model_admin, name in pages:
        response = client.get(reverse(name))
        request = RequestFactory().get("/")
        request.user = user
        expected = 200
        if name.endswith("_add") and not model_admin.has_add_permission(request):
            expected = 403
        if response.status_code != expected:
            failures.append(f"{name}: {response.status_code} (expected {expected})")
    assert not failures, failures
