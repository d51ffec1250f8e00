"""Deployment tests: the site run the way production runs it, behind deploy/nginx.conf."""
