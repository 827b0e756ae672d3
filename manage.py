#!/usr/bin/env python
"""Django's command-line utility."""

import os
import sys

if __name__ == "__main__":
    # VERWIJSINDEX_ROLE=hub runs this codebase as the national hub (docs/federation.md)
    hub = os.environ.get("VERWIJSINDEX_ROLE") == "hub"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verwijsindex.settings.hub" if hub else "verwijsindex.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
