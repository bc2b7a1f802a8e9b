"""Helpers shared by every domain: the warehouse connection, the Chinese column labels."""
