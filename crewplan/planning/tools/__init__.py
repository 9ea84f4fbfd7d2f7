"""AI tools, resources and skills, evaluation, ROI estimates: steps 2–3 of the AI marketing
budget. Pure cores: `roi.py`, `evaluation.py`, `skills.py`."""
