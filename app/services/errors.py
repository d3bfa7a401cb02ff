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


class DomainErrors(DomainError):
    """Every problem found in one pass, so a form with three mistakes shows all three after one
    submit. Its own code, message and field are the first problem's."""

    def __init__(self, problems: list[DomainError]) -> None:
        first = problems[0]
        super().__init__(first.code, first.message, field=first.field)
        self.problems = problems


def each_problem(error: DomainError) -> list[DomainError]:
    """The problems an error carries: several for ``DomainErrors``, else the error itself."""
    return list(error.problems) if isinstance(error, DomainErrors) else [error]


class ProblemList:
    """Runs checks that each raise a ``DomainError`` and keeps every problem instead of the first."""

    def __init__(self) -> None:
        self.found: list[DomainError] = []

    def check(self, function, *args, **kwargs):
        """``function(*args, **kwargs)``, or None when it raised a problem (kept for ``raise_any``)."""
        try:
            return function(*args, **kwargs)
        except DomainError as error:
            self.found.extend(each_problem(error))
            return None

    def raise_any(self) -> None:
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:
            raise DomainErrors(self.found)
