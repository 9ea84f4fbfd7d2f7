"""Response curves and the budget allocation optimizer (DESIGN.md F). Pure cores:
`optimize/curves.py` (the curves), `optimize/fit.py`, `optimize/allocate.py`: numpy and
scipy only, no Django."""
