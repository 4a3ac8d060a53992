"""Concurrency through Telegram: N chats asking Q questions each at once, through the Bot API stand-in.

Starts `newsbot telegram` as a separate process (long polling against the stand-in on loopback), pushes every
chat's questions at the same moment, and reports replies, lost and duplicate replies, and time to reply
(p50/p95/max). Each chat is a different user.

Usage: python benchmarks/telegram_load.py [--chats 30] [--questions 5] [--store DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from botapi import BotApiStandIn  # noqa: E402

TOKEN = "123456789:AAF" + "b" * 32
QUESTIONS = [
    "How long did Blinken and Lavrov meet in Geneva?",
    "Who headed the Russian delegation at the Geneva security talks?",
    "Which aircraft carrier will take part in the NATO exercise in the Mediterranean?",
    "How many Russian troops did Blinken say were near Ukraine's borders?",
    "What guarantee does Russia demand about NATO expansion?",
    "How many tanks did Germany send to Ukraine?",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chats", "--users", type=int, default=30, help="chats, one user each")
    parser.add_argument("--questions", type=int, default=5, help="questions per chat")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds to wait for duplicates after the last")
    parser.add_argument("--store", type=Path, help="an ingested store (default: the seeds, ingested now)")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    newsbot = str(Path(sys.executable).parent / "newsbot")
    work = Path(tempfile.mkdtemp(prefix="newsbot-tgload-"))
    store = args.store or work / "store"
    if args.store is None:
        subprocess.run([newsbot, "ingest", str(ROOT / "seeds"), "--store", str(store)], check=True, capture_output=True)
    standin = BotApiStandIn(TOKEN).start()
    env = {
        **os.environ,
        "NEWSBOT_STORE": str(store),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "TELEGRAM_RATE_LIMIT": "0",
        "NEWSBOT_LOG_LEVEL": "WARNING",
    }
    bot = subprocess.Popen([newsbot, "telegram"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not standin.commands:  # set at start-up, after the store is open
            if time.monotonic() > deadline or bot.poll() is not None:
                raise SystemExit("the bot did not start")
            time.sleep(0.1)
        time.sleep(1.0)
        chats = [10_000 + i for i in range(args.chats)]
        pushed: dict[int, list[float]] = {c: [] for c in chats}
        for k in range(args.questions):
            for i, chat in enumerate(chats):
                standin.push_message(QUESTIONS[(i + k) % len(QUESTIONS)], chat_id=chat, user_id=chat)
                pushed[chat].append(time.monotonic())
        expected = args.chats * args.questions
        deadline = time.monotonic() + args.timeout
        while len([s for s in standin.messages() if s.method == "sendMessage"]) < expected:
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        time.sleep(args.settle)  # a duplicate would come after the reply it repeats
        latencies = []
        lost = duplicates = 0
        for chat in chats:
            replies = [s for s in standin.messages(chat) if s.method == "sendMessage"]
            latencies += [(r.at - q) * 1000 for r, q in zip(replies, pushed[chat], strict=False)]
            lost += max(0, args.questions - len(replies))
            duplicates += max(0, len(replies) - args.questions)
        ordered = sorted(latencies)
        result = {
            "chats": args.chats,
            "questions_per_chat": args.questions,
            "replies": len([s for s in standin.messages() if s.method == "sendMessage"]),
            "lost": lost,
            "duplicates": duplicates,
            "p50_ms": statistics.median(ordered) if ordered else None,
            "p95_ms": ordered[int(len(ordered) * 0.95) - 1] if ordered else None,
            "max_ms": ordered[-1] if ordered else None,
        }
        print(json.dumps(result))
    finally:
        bot.terminate()
        bot.wait(30)
        standin.stop()


if __name__ == "__main__":
    main()
