"""A minimal Django project (no apps, no middleware, no database) serving the bare view, so
`make bench` can tell what the site's settings and middleware add to Django itself."""
