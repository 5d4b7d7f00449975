"""Reads over the union tree and its members that join tables or need SQL aggregation."""
