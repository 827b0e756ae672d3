"""Regions (tenants), their municipalities, organisations, convenant, coordinator rules and themes."""
