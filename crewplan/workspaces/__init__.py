"""Workspaces (one company each), teams, memberships with roles, invitations, and the
access layer every view goes through (`access.py`) over the rule table (`permissions.py`)."""
