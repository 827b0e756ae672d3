"""Regions' handler on persons' youth changes: a move into another region becomes a move notice."""

from persons.models import Youth

from .services import move_notice_record


def on_youth_changed(change) -> None:
    if not change.moved or not change.new_municipality_code:
        return
    youth = Youth.objects.filter(pk=change.youth_id).first()
    if youth is None:
        return
    move_notice_record(
        youth=youth,
        old_municipality_code=change.old_municipality_code or "",
        new_municipality_code=change.new_municipality_code,
    )
