"""Convert SQuAD v1.1 JSON into newsbot's JSONL articles (one paragraph per record) and a question file.

Usage: python scripts/squad_to_jsonl.py SQUAD.json OUT_DIR
Writes OUT_DIR/paragraphs.jsonl ({id, title, text}) and OUT_DIR/questions.jsonl ({id, q, answers, paragraph}).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def convert(source: Path, out_dir: Path) -> tuple[int, int]:
    """Write the paragraphs and questions; returns their counts."""
    data = json.loads(source.read_text())["data"]
    out_dir.mkdir(parents=True, exist_ok=True)
    n_par = n_q = 0
    with (out_dir / "paragraphs.jsonl").open("w") as pars, (out_dir / "questions.jsonl").open("w") as qs:
        for a_index, article in enumerate(data):
            title = article["title"].replace("_", " ")
            for p_index, paragraph in enumerate(article["paragraphs"]):
                pid = f"squad-{a_index:02d}-{p_index:03d}"
                pars.write(json.dumps({"id": pid, "title": title, "text": paragraph["context"]}) + "\n")
                n_par += 1
                for qa in paragraph["qas"]:
                    answers = sorted({a["text"] for a in qa["answers"]})
                    record = {
                        "id": qa["id"],
                        "q": qa["question"],
                        "answers": answers,
                        "paragraph": pid,
                        "article": a_index,
                    }
                    qs.write(json.dumps(record) + "\n")
                    n_q += 1
    return n_par, n_q


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(convert(Path(sys.argv[1]), Path(sys.argv[2])))
