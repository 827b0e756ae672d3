"""Youths, BSN encryption and pseudonyms, and the BRP clients."""
