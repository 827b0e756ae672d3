#!/usr/bin/env python
"""Django's command-line utility."""

import os
import sys

if __name__ == "__main__":
    # VERWIJSINDEX_ROLE=hub runs this codebase as the national hub (docs/federation.md)
    default = "verwijsindex.settings.hub" if os.environ.get("VERWIJSINDEX_ROLE") == "hub" else "verwijsindex.settings.dev"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
