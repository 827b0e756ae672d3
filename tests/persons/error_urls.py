"""The project's URLs plus a page that fails with a BSN in its exception (for the redaction tests)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from verwijsindex.urls import urlpatterns as project_urlpatterns

LEAKED_BSN = "999970033"


@login_not_required
def failing_view(request):
    bsn = LEAKED_BSN  # a local variable the technical 500 page would show
    raise ValueError(f"could not place a signal for BSN {bsn}")


urlpatterns = [*project_urlpatterns, path("kapot/", failing_view)]
