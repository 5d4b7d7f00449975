"""Writes to the union tree and its members; one function per business action."""
