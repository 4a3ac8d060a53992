"""What the corpus holds, in words a user can act on: counts, date range, example questions that work."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from langchain_core.documents import Document

from bot.answer import Answer, Citation
from bot.timeframe import TimeFrame, digest, parse_date
from retrieval.bm25 import Bm25Index
from retrieval.catalog import newest_first
from retrieval.dates import MONTH_NAMES, WEEKDAY_NAMES
from retrieval.store import NewsStore, StoredArticle
from retrieval.text import counted, listed, sentences, terms

_SPEAKER = re.compile(r"\b([A-Z][a-z]{2,})\s+(?:said|says|told|stressed|noted|added|warned)\b")
_PLACE = re.compile(r"\b(?:in|to|from)\s+([A-Z][a-z]{3,})\b")
_NOT_NAMES = frozenset(
    [name.capitalize() for name in MONTH_NAMES + WEEKDAY_NAMES]
    + [
        "The",
        "This",
        "That",
        "These",
        "There",
        "He",
        "She",
        "They",
        "It",
        "We",
        "And",
        "But",
        "Mr",
        "Mrs",
    ]
)


@dataclass
class Overview:
    """A summary of the indexed articles."""

    articles: int
    first_date: str | None
    last_date: str | None
    examples: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    generation: str = ""  # the store generation it describes (`NewsStore.generation`)

    def covers(self) -> str:
        """One sentence on what the bot can answer about."""
        span = ""
        if self.first_date and self.last_date:
            span = (
                f" from {self.first_date} to {self.last_date}"
                if self.first_date != self.last_date
                else (f" from {self.first_date}")
            )
        topics = "; ".join(self.titles[:3])
        return f"I know {self.articles} news articles{span}" + (f", such as: {topics}." if topics else ".")


def build_overview(store: NewsStore, answer: Callable[[str], Answer], max_examples: int = 3) -> Overview:
    """Count the articles and find example questions that `answer` really answers (each is tried once)."""
    generation = store.generation  # read first: a write during the build makes the overview stale, not wrong
    articles = store.articles()
    dates = sorted(a.date for a in articles.values() if a.date)
    ordered = sorted(articles.values(), key=lambda a: a.date or "", reverse=True)
    overview = Overview(
        len(articles),
        dates[0] if dates else None,
        dates[-1] if dates else None,
        titles=[a.title for a in ordered],
        generation=generation,
    )
    texts = [text for _, text in store.all("documents") if text]
    speakers = Counter(m for t in texts for m in _SPEAKER.findall(t) if m not in _NOT_NAMES)
    places = Counter(m for t in texts for m in _PLACE.findall(t) if m not in _NOT_NAMES)
    candidates = [f"What did {name} say?" for name, _ in speakers.most_common(3)]
    candidates += [f"What happened in {place}?" for place, _ in places.most_common(3)]
    for question in candidates:
        if len(overview.examples) == max_examples:
            break
        if not answer(question).abstained:
            overview.examples.append(question)
    return overview


# Questions about the archive itself rather than the news in it ("What are the articles about?", "How many
# articles do you have?"), matched on the whole question, lower case, punctuation gone.
_ARCHIVE = re.compile(
    r"^(?:"
    r"(?:what|which) (?:are|is) (?:the|your|all the) (?:articles|stories|news|documents)"
    r"(?: about| on)?|"
    r"what (?:articles|stories|news|topics|sources|subjects) (?:do|can) you (?:have|know|cover|know about|answer)|"
    r"what (?:do|can) you (?:know|cover|tell me|answer)(?: about)?|"
    r"what can i ask(?: you)?(?: about)?|"
    r"what (?:is|are) (?:in )?(?:(?:your|this) (?:archive|corpus|database|collection)|"
    r"the (?P<noun>archive|corpus|database|collection))(?: about)?|"
    r"how many (?:articles|stories|sources|documents) (?:do you have|are there|have you got|do you know)|"
    r"(?:list|show)(?: me)?(?: all)?(?: the| your)? (?:articles|stories|sources)|"
    r"which (?:articles|stories|sources) do you have|"
    r"(?:please )?(?:summari[sz]e|sum up|give me a summary of)(?: all)?(?: the| your| these)? "
    r"(?:articles|stories|news|archive)|"
    r"(?:what|which) (?:is|are) (?:the|your) (?:most recent|latest|newest|last) (?:articles?|stor(?:y|ies)|reports?)|"
    r"(?P<bot>(?:please )?help(?: me)?|what (?:can|do) you do|(?:who|what) are you)"  # about the bot itself
    r")$"
)
INTRODUCTION = "I answer questions about the news articles I have, quoting them with their sources."


def asks_about_archive(question: str) -> bool:
    """True for a question about what the archive holds ("What are the articles about?", "What can you do?")."""
    return bool(_ARCHIVE.match(_plain(question)))


def archive_noun(question: str) -> str | None:
    """The word by which a question about the archive names it ("archive" of "What's in the archive?"), when it
    names it as a story may name something of its own; None otherwise ("What's in your archive?" is this one)."""
    match = _ARCHIVE.match(_plain(question))
    return match["noun"] if match else None


def _plain(question: str) -> str:
    """`question` in lower case, punctuation gone, "what's" spelt out: what the patterns above read."""
    text = re.sub(r"[^\w\s']", " ", question.lower()).replace("what's", "what is").replace("'", " ")
    return " ".join(text.split())


def archive_answer(question: str, store: NewsStore, generator: str) -> Answer:
    """How many articles there are, of which dates, and the lead of the newest three, each cited."""
    articles = store.articles()
    if not articles:
        return Answer.abstention(question, generator, reason="I have no articles yet.")
    dates = sorted(a.date for a in articles.values() if a.date)
    undated = len(articles) - len(dates)
    head = f"I have {len(articles)} article{'s' if len(articles) != 1 else ''}"
    if (match := _ARCHIVE.match(_plain(question))) and match["bot"]:  # first, a line on what the bot does
        head = f"{INTRODUCTION} {head}"
    if dates:
        head += f" from {dates[0]}" + (f" to {dates[-1]}" if dates[-1] != dates[0] else "")
        head += f" ({undated} undated)" if undated else ""
    news = digest(question, TimeFrame(), store, generator, say_undated=False)
    if news is None:
        return Answer(question=question, answer=f"{head}.", generator=generator)
    newest = "The newest: " if dates else "They carry no dates. Some of them: "
    listing = news.answer[:1].lower() + news.answer[1:] if news.answer.startswith("On ") else news.answer
    news.answer = f"{head}. {newest}{listing}"
    return news


# "Which articles mention Zakharova?", "How many stories are about Geneva?", "list the articles on NATO": the
# articles themselves, found in the index, not the sentence that best repeats "articles"
_MENTIONS = re.compile(
    r"(?:(?:which|what) (?:articles?|stor(?:y|ies)|reports?)|how many (?:articles|stories|reports)|"
    r"(?:list|show|find|give)(?: me)?(?: all)?(?: the| your)? (?:articles|stories|reports)|"
    r"(?:give|send|show|find)(?: me)? (?:the |a )?(?:links?|urls?|articles?|stor(?:y|ies))"
    r"(?: (?:to|of|for) the (?:articles?|stor(?:y|ies)))?|"
    r"(?:are there|do you have|have you got|is there)(?: any)? (?:articles?|stor(?:y|ies)|reports?))"
    r"(?: that| which)? (?:mentions?|mentioning|(?:are |is )?about|on|(?:talk|talking|talks) about|cover|covers|"
    r"covering|discuss|discusses|discussing|say anything about|refer to|name|names) (?P<subject>.+)",
    re.IGNORECASE,
)
MENTIONS_LISTED = 5  # the newest this many are named; the rest are counted
# A subject is a name or a noun phrase: with a verb in it, the question asks about the news ("Which reports on
# Ukraine were wrong?", "What report on Ukraine did the UN publish?") and is searched as usual
_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|being|do|does|did|has|have|had|will|would|can|could|should|may|might|must|"
    r"said|says|say|published|reported|wrote|written)\b",
    re.IGNORECASE,
)


_POINTING = frozenset(["him", "her", "them", "it", "he", "she", "they", "this", "that"])


def asks_which_articles(question: str) -> str | None:
    """What a question about the articles that mention something names ("Which articles mention Zakharova?" ->
    "Zakharova"), else None."""
    match = _MENTIONS.fullmatch(" ".join(question.strip().rstrip("?.! ").split()))
    if match is None or not terms(match["subject"]) or _VERB.search(match["subject"]):
        return None
    return match["subject"]


def asks_which_articles_of_them(question: str) -> bool:
    """True for "Which articles mention her?", "Are there any stories about him?": the subject is whom the
    conversation was about."""
    match = _MENTIONS.fullmatch(" ".join(question.strip().rstrip("?.! ").split()))
    return match is not None and match["subject"].lower() in _POINTING


def mentions_answer(
    question: str,
    subject: str,
    index: Bm25Index,
    store: NewsStore,
    generator: str,
    frame: TimeFrame | None = None,
) -> Answer | None:
    """The articles with a passage that names every word of `subject` (in `frame`'s date range, if it has one),
    counted in full from the index; the newest `MENTIONS_LISTED` (undated ones by how well they match) named,
    each cited with its first sentence naming the subject. A decline when a one-word subject is named nowhere;
    None when a longer one is, for the usual search to try ("Zakharova's statement" is worded otherwise)."""
    wanted = terms(subject)
    chunks = index.passages_with_all(wanted)
    found = list(store.articles_with(sorted(chunks)).values())
    if frame is not None and frame.ranged:
        found = [a for a in found if (day := parse_date(a.date)) is not None and frame.contains(day)]
    if not found:
        if len(set(wanted)) > 1:
            return None
        when = f" {frame.phrase}" if frame is not None and frame.ranged and frame.phrase else ""
        return Answer.abstention(question, generator, reason=f"None of the articles{when} mentions {subject}.")
    articles = _by_date_then_match(found, subject, index)
    shown = articles[:MENTIONS_LISTED]
    passages = sorted(store.get(sorted(set().union(*(a.chunk_ids for a in shown)))), key=_position)
    citations: list[Citation] = []
    parts = []
    for article in shown:
        own = [p for p in passages if p.metadata.get("article_id") == article.id]
        if not own:
            continue
        spans = [s.text for p in own for s in sentences(p.page_content)]
        quote = next((t for t in spans if set(wanted) <= set(terms(t))), None)  # all of it, else any of it
        quote = quote or next((t for t in spans if set(wanted) & set(terms(t))), spans[0] if spans else "")
        citations.append(Citation.of(len(citations) + 1, own[0].metadata, quote))
        parts.append(f'"{article.title}"' + (f" ({article.date})" if article.date else "") + f" [{len(citations)}]")
    count = f"{counted(len(articles), 'article')} mention{'s' if len(articles) == 1 else ''}"
    newest = ": "
    if len(articles) > len(parts):  # "newest" only when every one listed has a date
        newest = f"; the newest {len(parts)}: " if all(a.date for a in shown) else f"; {len(parts)} of them: "
    return Answer(
        question=question,
        answer=f"{count} {subject}{newest}{listed(parts)}.",
        generator=generator,
        citations=citations,
        passages=passages,
    )


def _by_date_then_match(found: list[StoredArticle], subject: str, index: Bm25Index) -> list[StoredArticle]:
    """`found`, newest first, undated ones after them by how well their passages match `subject` (BM25); a story
    filed twice under one title, date and link once, as it is cited once."""
    best: dict[str, float] = {}
    chunk_article = {chunk: a.id for a in found for chunk in a.chunk_ids}
    for chunk, score in index.search(subject, k=len(index.ids)):
        if chunk in chunk_article:
            best.setdefault(chunk_article[chunk], score)
    undated = sorted((a for a in found if not parse_date(a.date)), key=lambda a: -best.get(a.id, 0.0))
    dated = newest_first([a for a in found if parse_date(a.date)])
    articles: list[StoredArticle] = []
    seen: set[tuple[str, str | None, str | None]] = set()
    for article in dated + undated:
        filed = (article.title or article.id, article.date, article.url)
        if filed not in seen:
            seen.add(filed)
            articles.append(article)
    return articles


def _position(passage: Document) -> int:
    return int(passage.metadata.get("start", 0))


# A message that is a link, alone or with a word around it ("What does this say? https://...", "summarise <link>").
_LINK_MESSAGE = re.compile(
    r"^(?:(?:what does (?:this|that|it) say|what is (?:this|that|it)|what's (?:this|that|in (?:this|it))|"
    r"summari[sz]e(?: this| that| the article)?|tell me about(?: this| that)?|read(?: this| that)?|"
    r"explain(?: this| that)?|about)\W*)?(?P<url>(?:https?://|www\.)\S+?)[\s?.!]*(?:please)?[\s?.!]*$",
    re.IGNORECASE,
)
LINK_LEAD_SENTENCES = 2  # a link to an indexed article gets the first two sentences of its story


def asks_about_link(question: str) -> str | None:
    """The link a message is about ("https://...", "What does this say? https://..."), else None."""
    match = _LINK_MESSAGE.match(question.strip())
    if match is None:
        return None
    from retrieval.loaders import http_url  # only for a link: the question path does not load ingest's modules

    return http_url(match["url"])


def link_answer(question: str, url: str, store: NewsStore, generator: str) -> Answer:
    """The indexed article at `url` (compared as host and path, "www." and the scheme aside): its title and date
    and the first sentences of its story, cited; a decline saying so when no indexed article has that link."""
    from retrieval.web import article_id_for

    wanted = article_id_for(url)
    found = next((a for a in store.articles().values() if a.url and article_id_for(a.url) == wanted), None)
    if found is None:
        return Answer.abstention(question, generator, reason="No article I have indexed comes from that link.")
    passages = sorted(store.get(sorted(found.chunk_ids)), key=lambda p: int(p.metadata.get("start", 0)))
    opening = [s.text for s in sentences(passages[0].page_content)[:LINK_LEAD_SENTENCES]] if passages else []
    lead = " ".join(opening)
    when = f" ({found.date})" if found.date else ""
    quote = " … ".join(opening)  # as an answer's citation quotes several sentences of one article
    citation = Citation(n=1, source=found.id, title=found.title, date=found.date, url=found.url, quote=quote)
    return Answer(
        question=question,
        answer=f'That is "{found.title}"{when}: {lead} [1]' if lead else f'That is "{found.title}"{when}. [1]',
        generator=generator,
        citations=[citation],
        passages=passages[:1],
        search_query=found.title,  # "Tell me more" goes on with this story
    )
