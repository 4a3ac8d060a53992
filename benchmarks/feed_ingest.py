"""A 50-article feed on loopback: first ingest, a second poll, an updated article (the figures of issue 10).

    python benchmarks/feed_ingest.py [--articles 50] [--polite]

Serves an RSS feed of N article pages from a local HTTP server, polls it into a fresh store and prints: the first
ingest's time and passages/s against the raw model embedding the same passages; the second poll (conditional
GET: one request, nothing fetched); and an updated article replacing its passages. `--polite` keeps the default
one request per second per host (the real-world floor: about N seconds); without it the pipeline itself is timed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from newssite import NewsSite  # noqa: E402

from retrieval.embeddings import MiniLMEmbeddings  # noqa: E402
from retrieval.feeds import FeedList, poll  # noqa: E402
from retrieval.store import NewsStore, persistent_client  # noqa: E402
from retrieval.web import HOST_INTERVAL_S, Fetcher, article_id_for  # noqa: E402


def seed_paragraphs() -> list[str]:
    """Real news paragraphs (the seed articles), to build article pages of realistic length."""
    out = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        out += [p.strip() for p in path.read_text().split("\n") if len(p.strip()) > 120]
    return out


def article(paragraphs: list[str], n: int) -> list[str]:
    """Article n: six paragraphs, rotated through the pool, each tagged so no two articles are the same."""
    return [f"{paragraphs[(n * 5 + i) % len(paragraphs)]} (Report {n}, part {i}.)" for i in range(6)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--polite", action="store_true", help=f"keep {HOST_INTERVAL_S:g} s between requests")
    args = parser.parse_args()
    pool = seed_paragraphs()
    embeddings = MiniLMEmbeddings()
    embeddings.embed_array(["warm up"])
    out: dict[str, object] = {}
    with NewsSite() as site, tempfile.TemporaryDirectory() as tmp:
        items = []
        for n in range(args.articles):
            url = site.article(f"/news/{n}", f"Report {n}", article(pool, n), date=f"2022-01-{1 + n % 28:02d}")
            items.append((url, f"Report {n}", f"Sat, {1 + n % 28:02d} Jan 2022 08:00:00 GMT"))
        site.rss("/rss", items)
        store = NewsStore(persistent_client(Path(tmp)), embeddings, Path(tmp) / "bm25", create=True)
        feeds = FeedList(store)
        feeds.add(site.url("/rss"))
        fetcher = Fetcher(host_interval_s=HOST_INTERVAL_S if args.polite else 0.0)

        first = poll(store, feeds, fetcher)
        texts = [text or "" for _, text in store.all("documents")]
        started = time.perf_counter()
        for i in range(0, len(texts), 256):
            embeddings.embed_array(texts[i : i + 256])
        raw_s = time.perf_counter() - started
        out["first"] = {
            "articles": first.ingest.articles,
            "pages_fetched": first.pages,
            "passages": first.ingest.added,
            "seconds": round(first.seconds, 2),
            "passages_per_s": round(first.ingest.added / first.seconds, 1),
            "raw_model_passages_per_s": round(len(texts) / raw_s, 1),
            "ratio_to_raw_model": round(raw_s / first.seconds, 2),
            "errors": first.errors,
        }

        second = poll(store, feeds, fetcher)
        out["second"] = {
            "requests": second.requests,
            "not_modified": second.not_modified,
            "pages_fetched": second.pages,
            "passages_added": second.ingest.added,
            "seconds": round(second.seconds, 3),
        }

        target = article_id_for(items[7][0])
        before = store.articles()[target].chunk_ids
        site.article("/news/7", "Report 7", [*article(pool, 7), "Update: the talks were postponed."], version=2)
        items[7] = (items[7][0], "Report 7 (updated)", "Sun, 30 Jan 2022 08:00:00 GMT")
        site.rss("/rss", items, version=2)
        third = poll(store, feeds, fetcher)
        after = store.articles()[target].chunk_ids
        out["updated"] = {
            "changed_items": third.changed_items,
            "pages_fetched": third.pages,
            "passages_added": third.ingest.added,
            "passages_removed": third.ingest.removed,
            "old_passages_left": len(before & after),
            "passages_now": len(after),
            "articles_in_store": len(store.articles()),
            "seconds": round(third.seconds, 2),
        }
        fetcher.close()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
