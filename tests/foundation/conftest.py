"""Fixtures of the foundation tests."""

import importlib

import pytest
from django.urls import clear_url_caches

import verwijsindex.urls


@pytest.fixture
def mailbox(settings, tmp_path):
    """The dev profile's mailbox setting; the URLs are mounted again as the dev profile would."""
    settings.DEV_MAILBOX_DIR = tmp_path
    importlib.reload(verwijsindex.urls)
    clear_url_caches()
    yield tmp_path
    settings.DEV_MAILBOX_DIR = None
    importlib.reload(verwijsindex.urls)
    clear_url_caches()
