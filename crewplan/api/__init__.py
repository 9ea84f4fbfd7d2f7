"""JSON API with OpenAPI schema and per-workspace tokens (DESIGN.md G). It authorizes
through `workspaces/access.py` like the views. Not installed yet."""
