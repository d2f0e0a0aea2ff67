"""Service-wide counters for the administrators' totals (`GET /admin/stats`), written where
the facts change so that reading them never walks the table."""
