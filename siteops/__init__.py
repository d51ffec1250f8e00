"""Site operations and site-wide pieces: the home page and health check, the page cache and
data versions every app's pages are keyed on, who a request comes from (`siteops.clients`)
for every rate limit, and database backups and restores for SQLite and PostgreSQL."""
