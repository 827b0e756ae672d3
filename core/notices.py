"""Telling a region's process managers something, asked by apps below regions (the logbook, the look-up guards).

Regions registers the one handler (regions.services.process_managers_notify) in RegionsConfig.ready(); an app
that asks does not import regions. `region=None` tells the process managers of every region.
"""

from core.hooks import Hook

process_managers_told = Hook("process managers told")


def process_managers_notify(
    *, region, kind: str, subject: str, template: str, context: dict, dedupe_key: str, path: str | None = None
) -> None:
    """E-mail the active process managers of `region` (every region when None) once each; no BSN or name inside."""
    process_managers_told.send(
        region=region, kind=kind, subject=subject, template=template, context=context, dedupe_key=dedupe_key, path=path
    )
