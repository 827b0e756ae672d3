"""Refusals of matching actions, each with a Dutch message for the page."""

from django.utils.translation import gettext_lazy as _


class MatchActionRefused(Exception):
    message = _("Deze actie is niet mogelijk.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class NotCoordinator(MatchActionRefused):
    message = _("Alleen de matchregisseur kan dit doen.")


class NotAParticipant(MatchActionRefused):
    message = _("Deze professional heeft geen actief signaal in deze match.")


class NoProposalForYou(MatchActionRefused):
    message = _("Er is geen voorstel om de matchregie aan u over te dragen.")
