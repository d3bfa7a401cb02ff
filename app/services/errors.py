"""The one error type services raise: a stable machine-readable ``code`` plus a human message."""


class DomainError(Exception):
    """Raised by a service when a request cannot be done; views turn ``code`` into a field message
    or a JSON ``error``."""

    def __init__(self, code: str, message: object = None, *, field: str | None = None) -> None:
        # ``message`` may be a lazy translation: it is turned into text where it is shown, in the
        # language of that request.
        super().__init__(code)
        self.code = code
        self.message = message or code
        #: The form field the problem belongs to, when there is one.
        self.field = field
