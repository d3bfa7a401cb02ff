"""Domain logic: typed functions that take a session, flush but never commit, and raise
``DomainError`` subclasses carrying a machine-readable code."""
