"""crewplan: who does what between an SME's in-house team and its agency, and where
the AI marketing money goes."""
