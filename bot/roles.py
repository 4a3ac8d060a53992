"""Who holds a role, as the articles name it: "Who is the chancellor?" is answered with the name the archive
writes beside "chancellor" most often ("Chancellor Gordon Brown", "Gordon Brown, the chancellor"), not with the
sentence that repeats "chancellor" most ("... should be appointed lord chancellor ...")."""

from __future__ import annotations

import re
from collections import Counter

from retrieval.bm25 import Bm25Index
from retrieval.store import NewsStore
from retrieval.text import STOPWORDS, terms

_ROLE_WHO = re.compile(
    r"who(?: is|'s| was)(?: currently)? the (?:current |new |present )?"
    r"(?P<role>[a-z][\w-]*(?: [a-z][\w-]*){0,2}?)(?: (?:of|for|at|in) (?:the )?(?P<of>[\w .'-]+))?",
    re.IGNORECASE,
)
_NAME = r"(?:[A-Z][\w'’-]+ ){0,2}[A-Z][\w'’-]+"
# "Deputy Prime Minister John Prescott", "shadow home secretary David Davis": another role than the one asked
_ANOTHER_ROLE = frozenset({"deputy", "shadow", "former", "ex", "vice", "assistant", "acting", "junior", "lord", "then"})
# what a reader calls the article itself: "quoted in the article" is no role of an organisation
_THE_STORY = frozenset({"article", "articles", "story", "stories", "report", "piece", "interview", "video", "text"})
MAX_OF_WORDS = 3  # "Who is the chief executive of Royal Dutch Shell?": what a role is of, as a name (judgement)
MAX_READ = 400  # passages read to count the names beside a role (about 0.1 s from a local store)


def asks_who_holds(question: str) -> tuple[str, str] | None:
    """The role a "Who is the chancellor?" question asks about, and what it is of ("Who is the chief executive
    of Yukos?" -> ("chief executive", "Yukos")); None for any other question."""
    match = _ROLE_WHO.fullmatch(question.strip().rstrip("?.! "))
    if match is None or not terms(match["role"]):
        return None
    if (match["of"] or "").strip().lower() in _THE_STORY:  # "Who's the Google exec quoted in the article?"
        return None
    return match["role"], match["of"] or ""


def names_beside(role: str, text: str) -> list[str]:
    """The surnames `text` writes beside `role`: "Chancellor Gordon Brown" and "Gordon Brown, the chancellor"
    give "Brown"; "Deputy Prime Minister John Prescott" gives nothing for "prime minister"."""
    pattern = r"\s+".join(map(re.escape, role.split()))
    beside = re.compile(
        rf"(?:(?P<modifier>[\w-]+)\s+)?(?i:\b{pattern})\s+(?P<after>{_NAME})"
        rf"|(?P<before>{_NAME}),\s+(?:the\s+)?(?i:{pattern})\b"
    )
    found = []
    for m in beside.finditer(text):
        if (m["modifier"] or "").lower() in _ANOTHER_ROLE:
            continue
        surname = (m["after"] or m["before"]).split()[-1].removesuffix("'s").removesuffix("’s")
        if surname.lower() not in role.lower().split():
            found.append(surname)
    return found


def holder_of(role: str, of: str, index: Bm25Index, store: NewsStore) -> str | None:
    """The surname the archive writes beside `role` most, over the passages that hold every word of the role and of
    what it is `of` (read from the BM25 index's postings): of the names written beside it twice or more, the one
    that counts most, each counting how often it is written there; None when there is none, or a tie.

    With an `of` ("Who is the president of Brazil?"), a name's count is weighed by the share of the archive's
    passages naming it that also name what it is of: Lula is written beside "president" in Brazil's stories as
    often as Venezuela's Chavez is in the one about their oil deal, but almost every passage naming Lula is about
    Brazil."""
    wanted = terms(f"{role} {of}")
    chunks = index.passages_with_all(wanted)
    counts: Counter[str] = Counter()
    for passage in store.get(sorted(chunks)[:MAX_READ]):
        counts.update(names_beside(role, passage.page_content))
    weight = {name: float(count) for name, count in counts.items() if count >= 2}  # once is no evidence
    if terms(of):
        about = index.passages_with_all(terms(of))
        for name in weight:
            naming = index.passages_with_all(terms(name))
            weight[name] *= len(naming & about) / len(naming) if naming else 0.0
    top = sorted(weight.items(), key=lambda item: -item[1])[:2]
    if not top or (len(top) > 1 and top[1][1] >= top[0][1]):
        return None
    return top[0][0]


def unheld(role: str, of: str, index: Bm25Index) -> bool:
    """Whether no passage holds every word of `role` and of what it is `of` ("Who is the prime minister of Japan?"
    over an archive that never names Japan's): the archive does not say who holds it. False without an `of`, or
    when it is more than a short name ("the Islamist regime in Sudan", "State in these reports"): a passage may say
    it in other words."""
    words = of.split()
    if not terms(of) or len(words) > MAX_OF_WORDS or any(w.lower() in STOPWORDS or w.isdigit() for w in words):
        return False
    return not index.passages_with_all(terms(f"{role} {of}"))
