"""Match detection across youths, families, addresses and regions; the match coordinator; follow-up."""
