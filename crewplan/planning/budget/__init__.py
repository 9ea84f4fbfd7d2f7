"""The budget plan: versions, lines, health, charts, the plan file and its import (step 4).
Pure cores: `plan.py`, `health.py`, `charts.py`, `xlsx.py`."""
