"""Settings profiles: base (shared), dev, test and production."""
