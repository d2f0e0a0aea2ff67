"""The administrators' console: every user with their usage, a per-user quota, disabling and
re-enabling accounts, service-wide totals and the audit log of what administrators did
(API.md "Account security and administration")."""
