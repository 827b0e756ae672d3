"""Region pages: the region's design tokens as a stylesheet (no inline styles under the CSP)."""

import re

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control

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
