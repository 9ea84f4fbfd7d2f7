"""What happened (DESIGN.md E): channels, the daily spend and performance imported from
the ad platforms' and analytics exports, expenses of the other budget lines, monthly AI
tool reviews, and the pages that compare them with the plan. Pure core:
`measure/parse.py` (the exports' layouts)."""
