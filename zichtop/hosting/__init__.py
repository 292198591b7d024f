"""Hosting: nginx in front of gunicorn (`make serve`). Imports core and starts the web app as
a separate process."""
