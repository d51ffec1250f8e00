"""Site operations: database backups and restores for SQLite and PostgreSQL."""
