"""Response curves and the budget allocation optimizer (DESIGN.md F). Pure cores:
`optimize/curves.py`, `optimize/allocate.py`. Not installed yet."""
