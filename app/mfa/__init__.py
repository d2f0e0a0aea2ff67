"""Two-factor (TOTP) login: the secret's sealed copy, code checks, and the log-in challenge."""
