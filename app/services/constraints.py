"""Which database rule refused a write, so a service can turn a lost race into a field message."""

from sqlalchemy.exc import IntegrityError


def broken_rule(error: IntegrityError) -> str:
    """The name of the constraint that refused a write. PostgreSQL names it; SQLite lists a unique
    rule's columns, from which the naming convention (``uq_<table>_<columns>``) rebuilds the name."""
    diag = getattr(error.orig, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None):
        return diag.constraint_name
    message = str(error.orig)
    prefix = "UNIQUE constraint failed: "
    if message.startswith(prefix):
        columns = [c.strip() for c in message[len(prefix):].split(",")]
        table = columns[0].split(".")[0]
        return f"uq_{table}_" + "_".join(c.split(".", 1)[1] for c in columns)
    return message
