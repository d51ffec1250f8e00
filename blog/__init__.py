"""Blog: the series of posts, Markdown pipeline, content sync, feeds, sitemaps, comments."""
