"""E-mail to a region's process managers (also the answer to core.notices for apps below regions)."""

from notifications.services import mail_with_link

from ..models import Region
from ..selectors import process_managers_of_region


def process_managers_notify(*, region: Region, also=(), **message) -> None:
    """E-mail the region's active process managers (and the active people in `also`) once each.

    `message`: the keyword arguments of notifications.services.mail_with_link (kind, subject, template, context,
    dedupe_key, path). Each outbox row is keyed `<dedupe_key>:<user id>`, so a second call sends nobody anything
    twice. The caller keeps BSNs and youths' names out of subject and context.
    """
    recipients = {user.pk: user for user in process_managers_of_region(region=region)}
    for user in also:
        if user is not None and user.is_active:
            recipients.setdefault(user.pk, user)
    mail_with_link(recipients=recipients.values(), region=region, **message)


def process_managers_told(*, region, **message) -> None:
    """The handler of core.notices: `region` None tells the process managers of every region."""
    for each in [region] if region is not None else Region.objects.order_by("pk"):
        process_managers_notify(region=each, **message)
