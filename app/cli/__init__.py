"""`sharebox`: the command-line client. It speaks the public HTTP API only (httpx), and is
never shipped in the Lambda packages (Makefile `lambda-source` leaves it out)."""
