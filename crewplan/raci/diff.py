"""What changed between two versions of a matrix (pure, no Django)."""

from dataclasses import dataclass

from crewplan.raci.validation import Matrix, format_cell


@dataclass(frozen=True, slots=True)
class CellChange:
    change: str  # "added", "removed" or "changed"
    activity: str  # activity name (the newer one when both exist)
    function: str
    party: str  # party name
    before: str  # e.g. "R/A", "" when added
    after: str  # "" when removed


def diff_matrices(old: Matrix, new: Matrix) -> list[CellChange]:
    """Every cell whose roles differ, in the newer version's row and column order (cells
    only in the older version follow, in its order). Activities and parties are matched
    by key, so a renamed activity is one activity."""
    names = {a.key: a for a in old.activities} | {a.key: a for a in new.activities}
    parties = {p.key: p.name for p in old.parties} | {p.key: p.name for p in new.parties}
    order: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for matrix in (new, old):
        for activity in matrix.activities:
            for party in matrix.parties:
                key = (activity.key, party.key)
                if key not in seen:
                    seen.add(key)
                    order.append(key)
    changes = []
    for key in order:
        before = format_cell(old.cells.get(key, ()))
        after = format_cell(new.cells.get(key, ()))
        if before == after:
            continue
        kind = "added" if not before else "removed" if not after else "changed"
        activity = names[key[0]]
        changes.append(
            CellChange(kind, activity.name, activity.function, parties[key[1]], before, after)
        )
    return changes
