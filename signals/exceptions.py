"""Refusals of the signal services, each with its own clear Dutch message for the professional."""

from django.utils.translation import gettext_lazy as _


class SignalRefused(Exception):
    """Base class; `message` is shown to the user. It never contains a BSN or a youth's name."""

    message = _("Het signaal kan niet worden afgegeven.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class YouthTooOld(SignalRefused):
    message = _(
        "Deze persoon is 23 jaar of ouder. Een signaal kan alleen worden afgegeven voor een jeugdige tot 23 jaar."
    )


class YouthDeceased(SignalRefused):
    message = _("Deze persoon is volgens de BRP overleden. Op een overleden persoon kan geen signaal worden afgegeven.")


class SignalAlreadyActive(SignalRefused):
    message = _(
        "U heeft al een actief signaal op deze jeugdige. U kunt per jeugdige één actief signaal hebben; "
        "u vindt het bij Mijn signalen."
    )


class OrganisationInactive(SignalRefused):
    message = _(
        "Uw organisatie neemt op dit moment niet deel aan de verwijsindex. Neem contact op met de coördinator "
        "van uw organisatie."
    )


class ConvenantNotStarted(SignalRefused):
    message = _(
        "Het convenant van uw organisatie met de regio is nog niet ingegaan. U kunt signalen afgeven vanaf de "
        "ingangsdatum van het convenant."
    )


class NotAProfessional(SignalRefused):
    message = _("U bent geen meldingsbevoegde van deze organisatie en kunt namens haar geen signaal afgeven.")


class InformingIncomplete(SignalRefused):
    message = _(
        "Leg vast wie is geïnformeerd, wanneer en hoe; of waarom informeren is uitgesteld of achterwege blijft."
    )


class SignalNotActive(SignalRefused):
    message = _("Dit signaal is niet meer actief.")


class TransferRefused(SignalRefused):
    message = _("Het signaal kan niet worden overgedragen.")


class BirthDateMismatch(SignalRefused):
    code = "birth_date_mismatch"
    field = "birth_date"  # a form shows the refusal next to this field (core.form_pages.refusal_show)
    message = _("De geboortedatum past niet bij dit burgerservicenummer. Controleer beide gegevens.")


class NotYourSignal(SignalRefused):
    message = _("U kunt alleen handelen op uw eigen signalen, of op signalen van een collega die u waarneemt.")


class ExtensionRefused(SignalRefused):
    message = _("Het signaal kan niet worden verlengd.")


class InformingUpdateRefused(SignalRefused):
    message = _("Het informeren kan niet worden bijgewerkt.")


class CoverRefused(SignalRefused):
    message = _("De waarneming kan niet worden vastgelegd.")


class UnbornNotAllowed(SignalRefused):
    message = _(
        "In deze regio kunnen geen signalen op een ongeboren kind worden afgegeven. De regio heeft dat in haar "
        "convenant zo afgesproken."
    )


class ExpectedBirthDateRefused(SignalRefused):
    message = _("Vul een verwachte geboortedatum in.")
