"""The main navigation: the pages each role uses, in the order of a working day, the current one marked.

A person with several roles in the region gets the pages of each role once. A page whose app is not
mounted (a URL name that does not resolve) is left out rather than breaking every page.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# role -> (URL name, label); the roles are accounts.models.Role values
_PAGES_BY_ROLE = {
    "professional": [
        ("signals:list", _("Mijn signalen")),
        ("signals:place", _("Signaal afgeven")),
        ("matching:my_matches", _("Mijn matches")),
        ("rights:advice_list", _("Adviesvragen")),
        ("letters:informing_letters", _("Brieven")),
        ("signals:profile", _("Mijn gegevens")),
    ],
    "organisation_coordinator": [
        ("signals:organisation_professionals", _("Meldingsbevoegden")),
        ("signals:organisation_covers", _("Waarnemingen")),
        ("regions:my_organisation", _("Mijn organisatie")),
        ("accounts:user_list", _("Gebruikers")),
        ("api_clients:list", _("API-koppelingen")),
    ],
    "municipal_staff": [
        ("rights:queue", _("Verzoeken")),
        ("rights:request_register", _("Verzoek registreren")),
    ],
    "process_manager": [
        ("rights:queue", _("Verzoeken")),
        ("regions:manage_home", _("Beheer")),
        ("reports:statistics", _("Statistiek")),
        ("audit:logbook", _("Logboek")),
        ("accounts:user_list", _("Gebruikers")),
    ],
    "followup_monitor": [
        # the monitor moves from regions to matching with the match object; whichever is mounted is shown
        ("regions:followup_monitor", _("Opvolging")),
        ("matching:monitor", _("Opvolging")),
    ],
}


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    current: bool


def navigation_for(*, roles, path: str) -> list[NavItem]:
    pages = [("home", "/", _("Start"))]
    seen = {"home"}
    for role in roles:
        for name, label in _PAGES_BY_ROLE.get(role, ()):
            if name in seen or any(str(label) == str(shown) for _n, _u, shown in pages):
                continue
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            seen.add(name)
            pages.append((name, url, label))
    # the current page is the one whose URL is the longest start of the path ("/" only on the start page)
    matching = [url for _name, url, _label in pages if path == url or (url != "/" and path.startswith(url))]
    current = max(matching, key=len, default=None)
    return [NavItem(url=url, label=str(label), current=url == current) for _name, url, label in pages]


def main_navigation(request):
    memberships = getattr(request, "memberships", None)
    if not memberships:
        return {}
    roles = list(dict.fromkeys(m.role for m in memberships))
    return {"main_navigation": navigation_for(roles=roles, path=request.path)}
