"""The distinct outcomes of looking a person up, each with its own clear message for the user."""

from django.utils.translation import gettext_lazy as _


class PersonLookupError(Exception):
    """Base class; `message` is shown to the user. It never contains the BSN."""

    message = _("De persoon kon niet worden opgezocht.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class BsnInvalid(PersonLookupError):
    message = _("Dit is geen geldig burgerservicenummer. Controleer de negen cijfers.")
    field = "bsn"  # a form shows the refusal next to this field (core.form_pages.refusal_show)


class PersonNotFound(PersonLookupError):
    message = _("Er is geen persoon met dit burgerservicenummer gevonden in de BRP.")


class PersonNotMatched(PersonLookupError):
    """No person with this BSN and this date of birth: the BRP does not know the BSN, or the date is not theirs.

    One answer for both, so that nobody learns whether a BSN exists or guesses a date of birth.
    """

    message = _(
        "Er is geen persoon gevonden met dit burgerservicenummer en deze geboortedatum. Controleer beide gegevens."
    )


class PersonDeceased(PersonLookupError):
    message = _("Deze persoon is volgens de BRP overleden. Op een overleden persoon kan geen signaal worden afgegeven.")


class BrpUnavailable(PersonLookupError):
    message = _(
        "De BRP is op dit moment niet bereikbaar. Uw invoer is bewaard; probeer het over een paar minuten opnieuw."
    )
