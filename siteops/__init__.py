"""Site operations: database backups and restores for SQLite and PostgreSQL, and who a request
comes from (`siteops.clients`) for every rate limit."""
