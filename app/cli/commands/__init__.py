"""The commands, a module per area; each has `register(group)`."""
