"""How ingest time grows with the size of one article (issue 9.11): load, chunk and, optionally, the full ingest.

    python benchmarks/ingest_scaling.py 1 5 20            # load + chunk a single-line article of 1, 5, 20 MB
    python benchmarks/ingest_scaling.py 1 --ingest        # ... and ingest it into a fresh store (embedding included)

The article is one line of generated prose (no paragraph breaks: the worst case for the splitter).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from retrieval.chunking import chunk_article
from retrieval.loaders import load_file

_VOCABULARY = (
    "the council harbour minister said talks would resume after a vote on the budget while officials in Geneva "
    "and Kyiv met for about ninety minutes Mr. Smith Dr. Jones agreed on Jan. 5 that 120 troops left the U.S. base"
)
_WORDS = _VOCABULARY.split()


def prose(chars: int, seed: int = 0) -> str:
    """One line of `chars` characters of sentences made of news words."""
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < chars:
        sentence = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(8, 30))).capitalize() + "."
        out.append(sentence)
        size += len(sentence) + 1
    return " ".join(out)[:chars]


def main() -> None:
    """Print one line per size: MB, passages, seconds to load, to chunk and (with --ingest) to ingest.

    The ingest's CPU seconds (every thread of the process) say more than its wall time on a shared machine.
    """
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("megabytes", nargs="+", type=float)
    parser.add_argument("--ingest", action="store_true", help="also ingest into a fresh store (embeds every passage)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.megabytes:
            path = Path(tmp) / f"article-{mb:g}mb.txt"
            path.write_text("A very long article\n\n" + prose(int(mb * 1_000_000)))
            started = time.perf_counter()
            loaded = load_file(path)
            load_s = time.perf_counter() - started
            if loaded.errors:
                print(f"{mb:g} MB: {loaded.errors[0]}")
                continue
            started = time.perf_counter()
            passages = len(chunk_article(loaded.articles[0]))
            line = f"{mb:g} MB: {passages} passages, load {load_s:.1f}s, chunk {time.perf_counter() - started:.1f}s"
            if args.ingest:
                cpu = time.process_time()
                wall = _ingest(path, Path(tmp) / f"store-{mb:g}")
                line += f", ingest {wall:.1f}s ({time.process_time() - cpu:.1f} CPU s, all threads)"
            print(line, flush=True)


def _ingest(path: Path, store_dir: Path) -> float:
    from retrieval.embeddings import MiniLMEmbeddings
    from retrieval.ingest import ingest
    from retrieval.store import NewsStore, persistent_client

    store = NewsStore(persistent_client(store_dir), MiniLMEmbeddings(), store_dir / "bm25", create=True)
    report = ingest([path], store)
    assert report.ok, report.errors
    return report.seconds


if __name__ == "__main__":
    main()
