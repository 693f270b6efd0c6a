"""The web app: FastAPI + Jinja2 + HTMX, server-rendered."""
