"""Delivery tooling run by .github/workflows (and by hand): smoke test, preview cleanup."""
