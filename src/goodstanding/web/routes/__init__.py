"""The app's routers: ``api`` (JSON under /api/v1), ``auth`` (sign-in), ``pages*`` (the UI)."""
