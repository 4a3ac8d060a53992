"""Convert SQuAD v1.1 JSON into newsbot's JSONL articles, one paragraph per record (ids `squad-AA-PPP`).

Usage: python scripts/squad_to_jsonl.py SQUAD.json OUT.jsonl, then `newsbot ingest OUT.jsonl`.
(`newsbot eval SQUAD.json` does this by itself; this is for indexing SQuAD as an ordinary corpus.)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.evaluation import squad_items


def convert(source: Path, target: Path) -> int:
    """Write the paragraph records; returns how many."""
    _, records = squad_items(source)
    target.write_text("".join(json.dumps(r) + "\n" for r in records))
    return len(records)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(f"{convert(Path(sys.argv[1]), Path(sys.argv[2]))} paragraphs -> {sys.argv[2]}")
