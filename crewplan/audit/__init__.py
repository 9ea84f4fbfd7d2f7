"""The audit log: who changed what, when, before → after. Written by every service."""
