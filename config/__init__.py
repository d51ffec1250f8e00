"""Project configuration: settings, root URLconf and the WSGI/ASGI entry points."""
