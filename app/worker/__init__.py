"""The upload worker: S3 notifications from SQS, verification and thumbnails.

The Lambda entry point is `app.worker.handler.handler`; nothing here imports it, so the
event parsing and the poller can be imported without loading Pillow.
"""
