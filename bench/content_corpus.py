"""The content checks on real material (figures go to docs/benchmarks.md):

1. vocabulary errors per 10,000 characters on Taiwan marketing copy (target 0) and on
   mainland copy (must be many), each Taiwan error listed;
2. the risky-claims check on the regulators' own example lists
   (tests/work/data/claims_official.toml): recall on the wording they name as illegal, per
   product category, and false alarms on the wording they name as usually allowed
   (target 0), each miss and each false alarm listed.

The copy is other people's and is not committed: the corpus is a folder of .txt files in
`taiwan/` and `mainland/`, given on the command line (default: bench/corpus/, which git
ignores). A file may start with header lines `key: value` (`source: <url>`,
`category: food`); the category is used when the claims check runs on the copy.

Run: .venv/bin/python bench/content_corpus.py [corpus_dir] [--lists path] [--quiet]
"""

import argparse
import dataclasses
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crewplan.work.checks import DEFAULT_RULES, ERROR, Rules, check  # noqa: E402

HEADER_KEYS = ("source", "category", "note")


def read_copy(path: Path) -> tuple[dict[str, str], str]:
    """The header lines and the body of a corpus file."""
    header: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    while lines and ":" in lines[0] and lines[0].split(":", 1)[0].strip() in HEADER_KEYS:
        key, value = lines.pop(0).split(":", 1)
        header[key.strip()] = value.strip()
    return header, "\n".join(lines)


def rules_for(category: str) -> Rules:
    return dataclasses.replace(DEFAULT_RULES, product_category=category)


def vocabulary_errors(text: str) -> list[tuple[int, int, str]]:
    return [
        (f.start, f.end, f.replacement)
        for f in check(text, None, DEFAULT_RULES)
        if f.code == "vocabulary" and f.severity == ERROR
    ]


def bench_vocabulary(corpus: Path, quiet: bool) -> None:
    for side in ("taiwan", "mainland"):
        files = sorted((corpus / side).glob("*.txt"))
        characters = 0
        errors: Counter[str] = Counter()
        per_file = []
        converted_characters = 0
        for path in files:
            _header, body = read_copy(path)
            found = vocabulary_errors(body)
            characters += len(body)
            if path.name.startswith("s2t-"):
                converted_characters += len(body)
            per_file.append((path.name, len(found)))
            for start, end, replacement in found:
                errors[f"{body[start:end]} → {replacement}"] += 1
                if side == "taiwan" and not quiet:
                    context = body[max(0, start - 12) : end + 12].replace("\n", " ")
                    found_text = body[start:end]
                    print(f"  taiwan error {path.name}: {found_text} → {replacement}  …{context}…")
        total = sum(errors.values())
        rate = total / characters * 10_000 if characters else 0.0
        clean = sum(1 for _name, n in per_file if n == 0)
        print(
            f"vocabulary, {side}: {len(files)} files, {characters:,} characters, "
            f"{total} errors = {rate:.1f} per 10,000 characters; "
            f"{clean} files without an error"
        )
        if side == "mainland":
            counts = sorted(n for _name, n in per_file)
            converted = sorted(n for name, n in per_file if name.startswith("s2t-"))
            print(
                f"  errors per mainland file: fewest {counts[0]}, median "
                f"{counts[len(counts) // 2]}"
                + (
                    f"; of the {len(converted)} in traditional characters (s2t): "
                    f"fewest {converted[0]}, median {converted[len(converted) // 2]}, "
                    f"{sum(converted) / converted_characters * 10_000:.1f} per 10,000 characters"
                    if converted
                    else ""
                )
            )
            if not quiet:
                print(f"  most frequent: {errors.most_common(15)}")


def bench_claims_on_copy(corpus: Path, quiet: bool) -> None:
    """The claims the check finds in the Taiwan copy, for a reviewer to judge (the copy
    is not labelled: a claim there may be real)."""
    found: Counter[str] = Counter()
    characters = 0
    for path in sorted((corpus / "taiwan").glob("*.txt")):
        header, body = read_copy(path)
        characters += len(body)
        for f in check(body, None, rules_for(header.get("category", ""))):
            if f.code == "risky_claim":
                found[f"{body[f.start : f.end]} ({f.params.get('kind', '')})"] += 1
    total = sum(found.values())
    print(f"claims in the Taiwan copy (to review by hand): {total} in {characters:,} characters")
    if not quiet:
        print(f"  {sorted(found.items(), key=lambda item: -item[1])}")


def claim_found(text: str, category: str) -> bool:
    return any(f.code == "risky_claim" for f in check(text, None, rules_for(category)))


def bench_claims(lists_path: Path, quiet: bool) -> None:
    lists = tomllib.loads(lists_path.read_text(encoding="utf-8"))["list"]
    caught: Counter[str] = Counter()
    illegal: Counter[str] = Counter()
    alarms: list[str] = []
    permitted = 0
    misses: list[str] = []
    for entry in lists:
        category = entry["category"]
        for phrase in entry["phrases"]:
            found = claim_found(phrase, category)
            if entry["verdict"] == "illegal":
                illegal[category] += 1
                caught[category] += found
                if not found:
                    misses.append(f"{category}: {phrase}   ({entry['source']})")
            else:
                permitted += 1
                if found:
                    alarms.append(f"{category}: {phrase}   ({entry['source']})")
    for category in sorted(illegal):
        share = caught[category] / illegal[category]
        print(
            f"claims recall, {category}: {caught[category]} of {illegal[category]} "
            f"illegal examples caught ({share:.0%})"
        )
    all_caught, all_illegal = sum(caught.values()), sum(illegal.values())
    print(f"claims recall, all: {all_caught} of {all_illegal} ({all_caught / all_illegal:.0%})")
    print(f"claims false alarms on permitted wording: {len(alarms)} of {permitted}")
    if not quiet:
        for line in misses:
            print(f"  missed {line}")
        for line in alarms:
            print(f"  false alarm {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "bench" / "corpus"))
    parser.add_argument(
        "--lists", default=str(ROOT / "tests" / "work" / "data" / "claims_official.toml")
    )
    parser.add_argument("--quiet", action="store_true", help="figures only")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not (corpus / "taiwan").is_dir() or not (corpus / "mainland").is_dir():
        parser.error(f"{corpus} needs taiwan/ and mainland/ folders of .txt files")
    bench_vocabulary(corpus, args.quiet)
    bench_claims(Path(args.lists), args.quiet)
    bench_claims_on_copy(corpus, args.quiet)


if __name__ == "__main__":
    main()
