"""Region pages anyone may load: the theme stylesheet and the page for parents and youths."""

import re

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from .. import selectors

# a token value may only hold characters that cannot break out of a CSS declaration
_SAFE_VALUE = re.compile(r"^[#\w\s.,%()'\"-]{1,100}$")


_SAFE_NAME = re.compile(r"^[a-z0-9-]{1,60}$")


@login_not_required
@cache_control(max_age=300)
def theme_css(request):
    if request.region is None:
        raise Http404
    lines = [
        f"  --{name}: {value};"
        for name, value in sorted(request.region.theme_tokens.items())
        if _SAFE_NAME.match(str(name)) and _SAFE_VALUE.match(str(value))
    ]
    css = ".vi-theme {\n" + "\n".join(lines) + "\n}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")


@login_not_required
@cache_control(max_age=300, public=True)
def public_information(request):
    """The region's page for parents and youths: what the verwijsindex is and how to use their rights."""
    if request.region is None:
        raise Http404
    facts = selectors.region_public_facts(region=request.region)
    return render(
        request,
        "regions/public_information.html",
        {"facts": facts, "title": _("Informatie voor ouders en jongeren")},
    )
