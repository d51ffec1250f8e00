"""Following by email: readers follow a series (or the whole site) and get one email when a
part goes live; commenters who asked get one email per reply. Double opt-in, one-click
unsubscribe, every send recorded once in the database (docs/architecture.md)."""
