"""Django's PostgreSQL backend, opening connections again for a short while when the server is
restarting (see base.py). ENGINE = "home.core.db.postgresql"."""
