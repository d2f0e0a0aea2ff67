"""Background work `make run` runs beside the API (the upload worker's queue poller)."""


def start() -> None:
    """Start local background work; the worker issue adds the SQS poller here."""


def stop() -> None:
    """Stop it cleanly."""
