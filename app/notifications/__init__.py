"""Email notifications: what the API and the worker queue (outbox), and what the sender makes
of it (SES), off the request path."""
