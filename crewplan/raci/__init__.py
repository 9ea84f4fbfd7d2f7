"""Executable RACI matrix (DESIGN.md B): functions, activities, R/A/C/I assignments,
versions and sign-off. Pure core: `raci/validation.py`. Not installed yet (issue 3)."""
