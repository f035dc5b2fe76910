"""One exception hierarchy whose messages tell the user what to do (in Japanese, as shown to users)."""


class HikeshiError(Exception):
    """Base class: the CLI prints the message on one line and exits non-zero; the API returns 4xx."""


class InputError(HikeshiError):
    """The user's input (text, JSON line, file) cannot be processed as given."""


class ConfigError(HikeshiError):
    """A configuration, policy or lexicon file is invalid; the message names the file and line."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")


class ModelError(HikeshiError):
    """A shipped model file is missing or unreadable; retrain with `python -m hikeshi.guard.train`."""


class NotFoundError(InputError):
    """A named object (incident, task, evidence) does not exist; the API answers 404."""


class ConflictError(HikeshiError):
    """Someone else changed the object first (a task already completed); the API answers 409."""
