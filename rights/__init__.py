"""Citizens' requests (inzage, kopie, correctie, bezwaar) handled by municipal staff and process managers."""
