"""Goals and KPIs: step 1 of the AI marketing budget. Pure cores: `smart.py`, `kpis.py`."""
