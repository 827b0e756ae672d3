"""The counters are not edited by hand: no admin."""
