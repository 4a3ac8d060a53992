"""Resolve follow-up questions against the conversation, without an LLM.

"Which Russian minister did he meet?" after "Who is the US Secretary of State?" (answer: ... Blinken ...)
becomes a search for the question plus the names the last turn was about. The carried words go to retrieval
and count half in sentence scoring, so they steer towards the right passages without becoming the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.answer import Answer, Citation, Turn
from bot.extractive import ASKS_WHATS_NEXT, HOW_MEASURE, asks_only_how, asks_what_was_said, fine_type, same_sense
from bot.roles import asks_who_holds
from bot.understanding import names
from retrieval.dates import MONTH_NAMES, WEEKDAY_NAMES
from retrieval.text import AUXILIARIES, listed, terms, words

_ANAPHORA = re.compile(
    r"\b(he|she|it|they|him|her|hers|them|this|that|these|those|there|then|the same|such|instead(?! of)|else)\b|"
    # "the president" is the one just mentioned; "the president of Ukraine" says whom it means
    r"\bthe (man|woman|minister|president|official|country|meeting|talks|deal|company|group|article|story|report)\b"
    r"(?! of\b)",
    re.I,
)
# "his", "its", "their" point back to the conversation unless the question names, before them, whom they mean:
# "What is their plan?" and "How old was his father?" lean on the last turn, "How many people lost their jobs?"
# and "What did Merkel say about his plan?" do not. Without a parser, "whom" is a name or a word for people.
_POSSESSIVE = re.compile(r"\b(his|its|their)\b", re.I)
_PEOPLE = frozenset(
    terms(
        "people officials workers residents police soldiers troops fans players students children parents voters "
        "members families citizens authorities leaders company companies government team teams country countries "
        "firm firms party parties man woman men women"
    )
)
# "What about Lavrov?", "And Ryabkov?", "How about the UK?": the last question, asked of something else
_WHAT_ABOUT = re.compile(r"(?:(?:and )?(?:what|how) about|and)\s+(?P<rest>.+)", re.I)
_EXISTENTIAL = re.compile(r"\b(is|are|was|were) there\b|\bthere (is|are|was|were)\b", re.I)
# "It" that stands for what follows, not for something said before: "who said it was OK to get drunk?", "Is it safe
# for tourists to go?", "How long did it take to build?". "Is it expected to pass?", "Is it safe for tourists?" and
# "How long did it take?" still point back.
_BE = r"(?:is|was|will be|would be|has been|had been|could be|might be|may be|should be|must be)"
_EXPLETIVE_IT = re.compile(
    rf"\b(?:it(?:['’]s|\s+{_BE})|(?:is|was|will|would|could|should|isn['’]t|wasn['’]t) it(?:\s+be)?)\s+"
    r"(?:not\s+|very\s+|really\s+|too\s+|so\s+|still\s+)?(?:ok|okay|alright|safe|legal|illegal|possible|impossible|"
    r"true|hard|easy|difficult|necessary|important|wrong|right|fair|unfair|wise|dangerous|time|late|better|best|"
    r"worth|acceptable|clear)\s+(?:to|that|whether|for\s+(?:\w+\s+){1,3}?to)\b|"
    r"\bhow (?:long|much|many \w+) (?:does|did|will|would|could|can) it (?:take|cost)(?:\s+\w+)?\s+to\b",
    re.I,
)
MAX_CARRIED = 8
# "What does the article say about mobile phone sales?": a reference to the article alone, which a question with a
# subject of its own may use for an article it has not been shown yet.
_ARTICLE_REFERENCE = re.compile(r"\b(?:the|this|that) (?:article|story|report|piece)\b", re.I)
_REPORTING = frozenset(
    terms("say says said write wrote written tell told mention mentions report reported quote quoted quotes cite cited")
)
_HAPPENING = frozenset(terms("happen happened happening"))  # "What happened with the aid?" is about the aid
# "How many people were on board?" after the hijacked plane: "people" is what is counted, not a subject of its own;
# "Was anyone hurt?" after the heist asks about whoever was there
_ANYONE = frozenset(terms("people person persons anyone anybody someone somebody everyone everybody"))
# Function words the stop list lacks: "How much was paid out since 1997?" after the Britannia windfall asks on about
# 1997 in that story, which never writes "since"
_FUNCTION = frozenset(
    terms("since ago till within throughout among across toward towards upon via per despite without")
)
# "How much is the deal worth?" after Ryanair's order "in a deal valued at $4bn": asking for a sum, "worth", "cost"
# or "paid" says how it asks, as "old" does in "How old is he?"; the story may write only the sum
_PRICING = frozenset(terms("cost costs worth pay paid pays spend spent price priced value valued"))


# Requests about the last answer rather than new questions: for more of it, for where it came from, for its date.
_MORE = re.compile(
    r"(?:(?:can you |could you |please )?(?:tell|give|show) me (?:some )?more(?: (?:about|on) (?:it|that|this|them))?"
    r"|more(?: details?| info(?:rmation)?)?|go on|continue|keep going|and|and then|what else|anything else|"
    r"what more|is there more|any more|more on (?:it|that|this)|elaborate|expand on (?:it|that))(?: please)?",
    re.I,
)
_SOURCE = re.compile(
    r"(?:(?:where|how) (?:did|do) you (?:read|get|find|see|learn|know) (?:that|this|it)|"
    r"how do you know(?: that| this)?|"
    r"(?:what|which) (?:is|was|are|were) (?:the|your|its|that|their) sources?|(?:the |your )?sources?|"
    r"(?:the )?links?|(?:can|could|may) i (?:have|get|see|read) (?:the|a|that) (?:link|source|article|url|story)s?|"
    r"(?:send|give|show) me (?:the|a|that) (?:link|source|article|url|story)s?|"
    r"where(?:'s| is| was) (?:that|this|it) from|"
    r"(?:which|what) (?:article|story|paper|report)(?: (?:is|was) (?:that|this|it)(?: from)?| says (?:so|that))?|"
    r"says who|who says(?: so| that)?|according to (?:whom|who|what)|(?:is|was) (?:that|this|it) true|really"
    r")(?: please)?",
    re.I,
)
# "How old is it?" and "What day was it?" ask about the event; only "published" or a word for the report asks
# about the article.
_ARTICLE = r"(?:that|this|the) (?:article|story|report|news)"
_DATE = re.compile(
    rf"when (?:was|is|were) (?:that|this|it|{_ARTICLE}) (?:published|written|reported|dated|posted)|"
    rf"when (?:was|is) {_ARTICLE} from|how (?:old|recent|new) is {_ARTICLE}|"
    rf"(?:what|which) (?:date|day) (?:is|was) {_ARTICLE}(?: from)?|is {_ARTICLE} (?:recent|new|old|up to date|current)",
    re.I,
)


NOTHING_QUOTED = "My last answer quoted no article."


def about_last(question: str) -> str | None:
    """What a message asks about the last answer: "more" ("Tell me more", "What else?"), "source" ("Where did you
    read that?", "link?") or "date" ("When was that published?"); None for anything else."""
    text = " ".join(question.strip().rstrip("?!. ").split())
    for kind, pattern in (("more", _MORE), ("source", _SOURCE), ("date", _DATE)):
        if pattern.fullmatch(text):
            return kind
    return None


def source_answer(question: str, last: Answer) -> Answer:
    """Where the last answer came from: each article it quoted, with its date; the links are in its citations."""
    parts = [
        f'"{c.title}"' + (f" ({c.date})" if c.date else "") + ("" if c.url else ", with no link") + f" [{c.n}]"
        for c in last.citations
    ]
    return _about_sources(question, last, f"That came from {listed(parts)}.")


def date_answer(question: str, last: Answer) -> Answer:
    """The dates of the articles the last answer quoted."""
    parts = [
        f'"{c.title}" ' + (f"is dated {c.date}" if c.date else "carries no date") + f" [{c.n}]" for c in last.citations
    ]
    return _about_sources(question, last, "; ".join(parts) + ".")


def _about_sources(question: str, last: Answer, text: str) -> Answer:
    """An answer about the last answer's sources, citing them as it did; one line when it quoted none."""
    if not last.citations:
        return Answer(question=question, answer=NOTHING_QUOTED, generator=last.generator)
    return Answer(
        question=question, answer=text, generator=last.generator, citations=last.citations, passages=last.passages
    )


def needs_context(question: str) -> bool:
    """True for a question that leans on earlier turns: a pronoun, "What about Lavrov?", or almost no content
    words of its own. A question whose one content word is a name stands on its own: "What did Zakharova say?"
    after a question about Britain's weapons is about Zakharova. (Question understanding has already capitalised
    the names of a question typed in lower case.)"""
    if refers_back(question) or asks_the_same_of(question) or asks_the_same_about(question) or _fragment(question):
        return True
    if ASKS_WHATS_NEXT.match(question):  # "What happens next?": in the story just quoted
        return True
    own = terms(question)
    return not own or (len(own) == 1 and not names(question))


# "How much in the US?", "Where in 2005?": a question word and a place, time or name, with no verb: the last
# question's subject, asked of that
_FRAGMENT = re.compile(
    r"(?:and\s+)?(?:how (?:much|many|long|old|far)|when|where|why|who|what|which)\s+"
    r"(?:in|for|at|on|from|to|by|with|of|about|during|after|before)\s+(?P<rest>[\w'’.-]+(?:\s+[\w'’.-]+){0,2})",
    re.I,
)


def _fragment(question: str) -> bool:
    """True for "How much in the US?" and "Why in 2005?": a question word and a few words naming a place, time or
    name, and no verb; "Who in the government resigned?" is a question of its own."""
    match = _FRAGMENT.fullmatch(question.strip().rstrip("?.! "))
    if match is None:
        return False
    named = names(question)
    rest = [w for w in words(match["rest"]) if w.lower() not in {"the", "a", "an"}]
    return bool(rest) and all(w in named or w[:1].isdigit() for w in rest)


def asks_the_same_of(question: str) -> bool:
    """True for "What about Lavrov?", "And Sergei Ryabkov?", "How about the United States?": the last question,
    asked of names and nothing else ("And what did Lavrov say about NATO?" asks its own question)."""
    match = _WHAT_ABOUT.fullmatch(question.strip().rstrip("?.! "))
    if match is None:
        return False
    named = set(names(question))
    rest = [w for w in words(match["rest"]) if w.lower() not in {"the", "a", "an", "of"}]
    return bool(rest) and all(w in named for w in rest)


# Words that make "and ..." a question of its own ("And what did Lavrov say?", "and is it open?"), not a thing to
# ask the last question of
_OWN_QUESTION = frozenset({"what", "who", "whom", "whose", "which", "when", "where", "why", "how"}) | AUXILIARIES
ASKED_ANEW_WORDS = 4  # "And best film?": at most this many words, a thing to ask the last question of


def asks_the_same_about(question: str) -> bool:
    """True for "And best film?" or "What about the economy?": the last question, asked of a few words with no
    question word of their own ("And what did she say?" is a question) and no word pointing back ("And his wife?"
    is about whom the last answer named). `carried_context` asks `asks_the_same_of` first, for names alone."""
    match = _WHAT_ABOUT.fullmatch(question.strip().rstrip("?.! "))
    if match is None or refers_back(question):
        return False
    rest = words(match["rest"])
    return 0 < len(rest) <= ASKED_ANEW_WORDS and not {w.lower() for w in rest} & _OWN_QUESTION


def refers_back(question: str) -> bool:
    """True when a word of the question points at something said before ("he", "that", "their plan");
    "Is there any news?" and "Is it safe to travel?" do not."""
    if _ANAPHORA.search(_EXPLETIVE_IT.sub(" ", _EXISTENTIAL.sub(" ", question))):
        return True
    possessive = _POSSESSIVE.search(question)
    if possessive is None:
        return False
    before = question[: possessive.start()]
    return not names(before) and not set(terms(before)) & _PEOPLE


_NAME_RUN = re.compile(r"[A-Z][\w'.-]*(?: [A-Z][\w'.-]*)*")


def last_named(history: list[Turn]) -> str | None:
    """Whom "Which articles mention her?" means: after a question asking who, the first name its answer gave
    that the question did not use ("Who speaks for the foreign ministry?" -> "Maria Zakharova"); otherwise, and
    after a question asking who someone named is ("Who is Jose Mourinho?"), the first name the question used
    ("What did Lavrov say?" -> "Lavrov"). A turn that names no one ("Are there any
    stories about him?") passes to the one before it. None when no turn names anyone."""
    for turn in reversed(history):
        question = turn.answer.search_query or turn.question
        asked = {w.lower() for w in words(question)}
        runs: list[str] = []
        if _ASKS_WHO.match(turn.question) and not _WHO_IS_NAMED.match(question) and not turn.answer.abstained:
            for quote in (_without_outlet(c.quote) for c in turn.answer.citations[:1]):  # not "CNN"
                runs += [r for r in _runs(quote, set(names(quote))) if not {w.lower() for w in r.split()} & asked]
        own = _own_words(turn)  # the names it carried are the turns' before it, not one name run together
        runs += _runs(own, set(names(own)))
        if runs:
            return runs[0]
    return None


def _own_words(turn: Turn) -> str:
    """`turn`'s question as resolved (its names capitalised), without the words it carried from the turns before:
    "what happened to him" of "what happened to him Christos Tzekos IAAF Qatar Crete"."""
    query = turn.answer.search_query or turn.question
    carried = turn.answer.carried
    return query[: -len(carried) - 1] if carried and query.endswith(f" {carried}") else query


_ASKS_WHO = re.compile(r"\s*who\b", re.I)
# A story's opening dateline, which names the wire or the outlet, not whom a "who" question's answer named:
# "Venice, Louisiana (CNN) -- ", "(The Frisky) -- ", "LONDON, March 3 (Reuters) - " (a single hyphen or an en dash
# only after a place in capitals: not "Ken Livingstone (Labour) - 685,541")
_WIRE_LEAD = re.compile(r"^(?P<place>[^()\n]{0,60})\([A-Z][\w .&'’-]{0,30}\)\s*(?P<dash>--|[-\u2013\u2014])\s+")


def _without_outlet(quote: str, *, place: bool = False) -> str:
    """`quote` without its opening dateline's outlet (`_WIRE_LEAD`), and without its place too unless `place`."""
    lead = _WIRE_LEAD.match(quote)
    city = lead["place"].split(",")[0].strip() if lead else ""  # "LONDON" of "LONDON, March 3 (Reuters) - "
    if lead is None or (lead["dash"] in "-\u2013" and city != city.upper()):
        return quote
    # (the word after a place kept is read inside a sentence: "Bush" of "WASHINGTON Bush said ..." stays a name,
    # and so does "Reports" of "London, England Reports that ...": a name lost costs a follow-up its subject)
    return f"{lead['place'] if place else ''} {quote[lead.end() :]}".lstrip()


# "Who is Jose Mourinho?" is about him, not about the first other person its answer names ("Sir Bobby Robson has
# offered Chelsea boss Jose Mourinho some advice"). Read on the question with its names capitalised (its search
# query: "who is jose mourinho" searches "who is Jose Mourinho"); "Who is the Chancellor?" asks for a name.
_IS_NAMED = r"(?:['’]?s|\s+is|\s+was|\s+are|\s+were)\s+)[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*\s*[?!.]*\s*$"
_WHO_IS_NAMED = re.compile(rf"\s*(?i:who{_IS_NAMED}")
# "What's ADSL?", "Who is Andrew Pearson?": what or who they are, which a story that only mentions them may not say
_WHAT_IS_NAMED = re.compile(rf"\s*(?i:(?:who|what){_IS_NAMED}")
_WHO_IS_THAT = re.compile(r"\s*(?:who|what) (?:is|was|are|were) (?:he|she|they|it|this|that|him|her)\s*[?!.]*\s*", re.I)


_DEFINITE = re.compile(r"\bthe ([a-z][\w'’-]*)\b(?! of\b)", re.I)


def echoes_last(question: str, last: Turn) -> bool:
    """True for "How long is the sentence?" after an answer about a prison sentence: a question that names no one
    and says "the" of a word the last question or the sentences its answer quoted used ("the sentence" is that
    sentence), as "the minister" or "the talks" always point back."""
    if names(question):
        return False
    said = _said(last)
    return any(set(terms(m.group(1))) & said for m in _DEFINITE.finditer(question))


def _said(last: Turn) -> set[str]:
    """The stemmed words of the last question (as resolved) and of the sentences its answer quoted."""
    return set(terms(" ".join([last.answer.search_query or last.question, *(c.quote for c in last.answer.citations)])))


_PERSONAL = re.compile(r"\b(he|she|him|her|hers|his|they|them|their)\b", re.I)


def asks_of_someone_before(question: str) -> bool:
    """True for "Did she apologize?": a question that names no one and means a person named before ("he", "her",
    "their"); "Why did France deny the man citizenship?" names its own subject."""
    return bool(_PERSONAL.search(question)) and not names(question)


def asks_what_was_named(question: str) -> bool:
    """True for "Who is she?" and "What is that?": a question about whom or what the last answer named, which the
    sentence it quoted often says best ("Russian Foreign Ministry spokeswoman Maria Zakharova said ...")."""
    return bool(_WHO_IS_THAT.fullmatch(question))


# "How many people were killed?": at most this many words of its own for a question that names nothing to ask on
# about the articles just quoted (judgement: a short question; a longer one says what it is about)
CONTINUES_WITHIN = 4
# A question that names someone the story just quoted names in passing ("What did Jack Straw say?") is answered there
# when that story's best sentence scores this share of the best of all; "What did Gordon Brown say about the budget?"
# after the EU rebate story asks about his Budget, which other stories answer better (judgement)
NAMED_HELD_WITHIN = 0.8
# A short follow-up whose words the story just quoted holds only some of ("When will the trials start?" of a story
# writing "courts-martial") is answered there when that story's best sentence scores this share of the best of all
PARTLY_HELD_WITHIN = 0.5  # (measured in the conversations: 0.5 / 0.7, docs/evaluation.md "Session 34")


def continued_in(
    question: str, last: Answer, articles_with: Callable[[str], set[str]], *, unquoted: bool = False
) -> set[str]:
    """The ids of the articles the last answer quoted that `question` asks on about, as a reader in a chat means it;
    empty when it does not continue the last answer.

    "How many people were killed?" after "What happened in Mumbai?": a short question that names nothing the last
    answer's quotes did not (its names pick the story quoting them; with `unquoted`, only a question naming what no
    quote wrote, not what it is, and the story quoted that names it: "What did Jack Straw say?" after a quote of the
    rebate story) and each of whose own words (`CONTINUES_WITHIN` at most), or a word of the same sense ("children"
    for "kids"), one of the articles the last answer quoted holds (`articles_with`: the ids of the articles holding a
    stemmed word), continues those articles; one that has no words besides how it asks ("Why?", "How old is he?",
    "What's his name?") continues the article quoted first. The words by which a question asks for a sum ("How much
    is the deal worth?" of a story that writes "a deal valued at $4bn") and function words the stop list lacks
    ("since") are none of its own. "What did Zakharova say?" names its own subject; "What's the weather like?" after
    the Mumbai answer has words those articles do not hold. "What did he tell CNN?", whose only words of its own name
    whom he told, asks on within the story quoted that holds the name ("he" is whom that story was about) though no
    quote wrote it; "What did he say about NATO?" and "Which Russian minister did he meet in Geneva?" ask more."""
    own = _own_terms(question)
    quoted = {c.source for c in _naming_citations(question, last)}
    told = _TOLD.search(question)  # "What did he tell CNN?" (see above)
    if not quoted and not unquoted and told and _PERSONAL.search(question) and own <= set(terms(told["whom"])):
        quoted = _holding_names(question, last, articles_with)
    if unquoted:  # only names no quote wrote: "What did Jack Straw say?" after a quote of the rebate story
        if quoted or _WHAT_IS_NAMED.match(question):
            return set()
        quoted = _holding_names(question, last, articles_with)
    if len(own) > CONTINUES_WITHIN or not quoted or len(quoted) > 2 or last.abstained:
        return set()  # more than two stories quoted: a digest, not one subject to ask on about
    if not own:  # "Why?", "How old is he?": about the story quoted first, whose names it carries (`carried_context`)
        return {next(c.source for c in last.citations if c.source in quoted)}
    held = [set().union(*(articles_with(t) for t in same_sense(term))) & quoted for term in own]
    return set.intersection(*held)


def _own_terms(question: str) -> set[str]:
    """The stemmed words `question` asks with of its own: not how it asks ("How old is he?": none), nor the words of
    reporting, of anyone, of pricing for a sum, nor function words the stop list lacks (`continued_in`)."""
    if asks_only_how(question):
        return set()
    own = set(terms(HOW_MEASURE.sub("how", question))) - _REPORTING - _ANYONE - _FUNCTION
    return own - _PRICING if fine_type(question) == "money" else own


def partly_continued(question: str, last: Answer, articles_with: Callable[[str], set[str]]) -> str | None:
    """The story the last answer quoted (of two, the one holding more of its words, else the first), when `question`
    asks on about it with a few words of its own (`CONTINUES_WITHIN` at most) of which the story holds some ("When
    will the trials start?" after the story of guards charged, which writes "courts-martial ... are expected to
    start"); None otherwise: for a question naming what it asks about, asking what someone said, and after a
    digest of more than two stories.
    (`stays_within` asks it of a question `continued_in` did not hold: one whose words the story holds all of.)"""
    own = _own_terms(question)
    if not own or len(own) > CONTINUES_WITHIN or last.abstained or not last.citations or names(question):
        return None  # "Which Russian minister did he meet in Geneva?" names whom and where it asks about
    if asks_what_was_said(question):  # "What did the economy minister say?" is asked of a story naming him, not
        return None  # of the ageing-workforce story that only holds "economy" (`continued_in` holds all the words)
    stories = list(dict.fromkeys(c.source for c in last.citations))
    if len(stories) > 2:
        return None  # more than two stories quoted: a digest, not one subject to ask on about (`continued_in`)
    held = {story: sum(any(story in articles_with(t) for t in same_sense(term)) for term in own) for story in stories}
    story = max(stories, key=held.__getitem__)  # the first quoted, of two holding as many
    return story if held[story] else None


# Whom someone told something: "What did he tell CNN?", "What did she say to the BBC?"
_TOLD = re.compile(
    r"\b(?:tell|told|say to|said to|speak to|spoke to|talk to)\s+(?P<whom>.+?)"
    r"(?:\s+(?:about|on|over|of|that|why|how|when|what|whether|if|regarding|concerning|after|before)\b.*)?\W*$",
    re.I,
)


def _holding_names(question: str, last: Answer, articles_with: Callable[[str], set[str]]) -> set[str]:
    """The ids of the articles `last` quoted that hold every name of `question` somewhere; none when it names none."""
    if not (named := {t for name in names(question) for t in terms(name)}):
        return set()
    return set.intersection({c.source for c in last.citations}, *(articles_with(t) for t in named))


_ABOUT = re.compile(r"\b(?:about|of|on|over|for|with|against|to|from|in|at|by)\s+(?:the\s+)?$", re.I)


def _asks_of_whom_named(question: str) -> bool:
    """Whether a name of `question` is whom it asks about ("what did McCain call it", "And Disney?"), not what it
    asks them about ("What did he say about NATO?")."""
    return any(
        not _ABOUT.search(question[: match.start()])
        for name in names(question)
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", question)
    )


@dataclass(frozen=True)
class Held:
    """Where a follow-up is answered (`stays_within`).

    Attributes:
        articles: the ids of the articles it is answered within (none: any article).
        story: the story whose passages it reads whole when the search does not find them again, the first quoted of
            two it continues ("What drug did he want?" after a nurse's story and another) (None: only what was found).
        share: held there only when their best sentence scores this share of the best of all (0: always).
    """

    articles: frozenset[str] = frozenset()
    story: str | None = None
    share: float = 0.0


def stays_within(question: str, history: list[Turn], carried: str, articles_with: Callable[[str], set[str]]) -> Held:
    """Where a follow-up is answered: the articles it is held to, the story it reads whole, and how firmly.

    "Where was he taken from?" after a story the last answer quoted, whose words it holds (`continued_in`): that
    story (the names it carries, "CNN", "Wednesday", "Michael Jackson", fit other stories as well; "Who won?" after a
    poll is not held there); "Did she apologize?" after a question about someone (`asks_of_someone_before`): the
    articles naming every word of whom the conversation was about (`last_named`), not another who did. A question
    that carries nothing (`carried` empty) names what it asks, or asks anew, unless it names someone the story just
    quoted names in a sentence it did not quote ("What did Jack Straw say?" after the rebate story's "Jacques Chirac
    has called the UK's rebate ..."): that story is where it is asked, when its best sentence comes within
    `NAMED_HELD_WITHIN` of the best of all; so is one that carries the conversation ("what did mccain call it").
    Any other short follow-up naming nothing, some of whose words a story just quoted holds (`partly_continued`:
    "When will the trials start?" of the courts-martial story; of two stories quoted, the one holding more), is
    answered there when its best sentence comes within `PARTLY_HELD_WITHIN` of the best of all."""
    if not history:
        return Held()
    last = history[-1].answer
    if held := continued_in(question, last, articles_with, unquoted=not carried):
        return Held(frozenset(held), _first_quoted(last, held), 0.0 if carried else NAMED_HELD_WITHIN)
    of_them = asks_the_same_of(question) or _asks_of_whom_named(question)
    if carried and of_them and (held := continued_in(question, last, articles_with, unquoted=True)):
        # "And Disney?" after a quote of the EA story, which names Disney elsewhere, or "what did mccain call it" after
        # a quote of the health care debate, which names McCain elsewhere: there, as for a question that carries
        # nothing, when that story's best sentence comes close to the best of all (session 43)
        return Held(frozenset(held), _first_quoted(last, held), NAMED_HELD_WITHIN)
    if carried and asks_of_someone_before(question) and (whom := last_named(history)) and (stems := terms(whom)):
        return Held(frozenset(set.intersection(*(articles_with(t) for t in stems))))
    if (story := partly_continued(question, last, articles_with)) is not None:
        return Held(frozenset({story}), story, PARTLY_HELD_WITHIN)
    return Held()


_WEEKDAYS = frozenset(WEEKDAY_NAMES)
# A month after a preposition is a time ("the topic for March", "in June"); alone it may be a name ("What did May say?")
_MONTH_AS_TIME = re.compile(
    rf"\b(?:in|on|for|by|since|until|from|during|before|after|last|next|this)\s+(?P<month>{'|'.join(MONTH_NAMES)})\b",
    re.I,
)


def _first_quoted(last: Answer, held: set[str]) -> str | None:
    """The story of `held` that `last` quoted first (of two stories, the first)."""
    return next((c.source for c in last.citations if c.source in held), None)


def _naming_citations(question: str, last: Answer) -> list[Citation]:
    """The citations of `last` whose quotes write every name of `question` ("How much has the UK given?" after an
    answer quoting "UK aid to ... the tsunami" and two other stories), or all of them when it names none. A day of
    the week, or a month after a preposition, is no name of a subject: "What was it trading at on Monday?" asks on
    about the dollar the quotes named, "What is the topic for March?" about the list of topics."""
    times = _WEEKDAYS | {m["month"].lower() for m in _MONTH_AS_TIME.finditer(question)}
    if not (named := [n for n in names(question) if n.lower() not in times]):
        return last.citations
    return [c for c in last.citations if all(set(terms(name)) <= set(terms(c.quote)) for name in named)]


def moved_on(question: str, last: Answer, articles_with: Callable[[str], set[str]]) -> bool:
    """True when `question` points back only with "the article" and most of its own words are not in the articles
    `last` quoted (`articles_with`: the ids of the articles holding a stemmed word, read from the article index):
    "What does the article say about mobile phone sales?" after a question about UKIP asks about phone sales, not
    about UKIP. "What does the article say about his budget?" still points back ("his"), and so does a question
    about something the quoted articles hold."""
    rest = _ARTICLE_REFERENCE.sub(" ", question)
    if rest == question or needs_context(rest):
        return False
    own = set(terms(rest)) - _REPORTING
    quoted = {c.source for c in last.citations}
    if not own or not quoted:
        return bool(own)  # a subject of its own, after an answer that quoted nothing
    held = {term for term in own if articles_with(term) & quoted}
    return len(held) < len(own) / 2


def _spoke_of(role: str, last: Turn, articles_with: Callable[[str], set[str]] | None) -> bool:
    """True when the last turn spoke of `role`: its question or quotes use the word, or (with `articles_with`, the
    article index's postings) the articles it quoted do ("Who is the captain?" after a cricket report means that
    team's captain, though the sentence quoted did not say "captain")."""
    stems = set(terms(role))
    if not stems or stems <= _said(last):
        return True
    quoted = {c.source for c in last.answer.citations}
    return articles_with is not None and all(articles_with(t) & quoted for t in stems)


def _runs(text: str, named: set[str]) -> list[str]:
    """The names of `text` as they stand together ("Sergei Ryabkov"), of the words in `named`."""
    out = []
    for match in _NAME_RUN.finditer(text):
        run = [w.rstrip(".") for w in match.group().split()]
        while run and run[0] not in named:
            run.pop(0)
        while run and run[-1] not in named:
            run.pop()
        if run:
            out.append(" ".join(run))
    return out


def _written_again_first(asked: list[str], written: set[str], query: str) -> list[str]:
    """The names a question was searched with (`asked`, in `query`'s order), those its answer wrote again (`written`,
    lower-cased) first, each with the first name before it in `query` ("Mandy Moore", "Gordon Brown" whole)."""
    front: list[str] = []
    for i, word in enumerate(asked):
        if word.lower() in written:
            if i and f"{asked[i - 1]} {word}" in query and asked[i - 1].lower() not in written:
                front.append(asked[i - 1])
            front.append(word)
    return list(dict.fromkeys([*front, *asked]))


def carried_context(question: str, history: list[Turn], articles_with: Callable[[str], set[str]] | None = None) -> str:
    """Words from the last turn that `question` refers back to; empty when it stands on its own (with
    `articles_with`, the article index's postings, also when it has `moved_on`)."""
    if not history:
        return ""
    last = history[-1]
    leans = needs_context(question) or echoes_last(question, last)
    continues = not leans and articles_with is not None and bool(continued_in(question, last.answer, articles_with))
    if not leans and not continues:
        return ""
    if articles_with is not None and moved_on(question, last.answer, articles_with):
        return ""
    role = asks_who_holds(question)
    of_named = role is not None and set(terms(role[1])) & {t for name in names(question) for t in terms(name)}
    if role is not None and not refers_back(question) and (of_named or not _spoke_of(role[0], last, articles_with)):
        # "Who is the chancellor?" after the licence fee: the office, not the last story's subject; "Who is the
        # president of France?" says whose office it is ("the captain of the team" does not)
        return ""
    own = {w.lower() for w in words(question)}
    # The names of the first story the last answer quoted: "What did he say?" after an answer that quoted a fire
    # department's spokesman, then another story's, means the first one
    # ("How much has the UK given?": the story whose quote named the UK)
    naming = _naming_citations(question, last.answer) or last.answer.citations
    first = naming[0].source if naming else None
    # (the outlet of a dateline is no subject: "(CNN) -- Somalia said ...", though its place may be)
    quoted = [_without_outlet(c.quote, place=True) for c in last.answer.citations if c.source == first][:2]
    answer_text = " ".join(quoted) if not last.answer.abstained else ""
    previous_question = last.answer.search_query or last.question
    if asks_the_same_of(question):
        # "What about Ryabkov?" asks the last question of someone else: what was asked carries, not whom about nor
        # the names it carried in turn; a name the reader wrote after the first still carries ("And Howard?" after
        # "What did Blair say about Iraq?" asks about Iraq)
        named = names(previous_question)
        replaced = {t for run in _runs(previous_question, set(named))[:1] for t in terms(run)}
        typed = {w.lower() for w in words(last.question)}
        kept = {t for name in named if name.lower() in typed for t in terms(name)} - replaced
        whom = {t for name in named for t in terms(name)} - kept
        asked_words = [w for w in words(previous_question) if terms(w) and not set(terms(w)) & whom]
        return " ".join(dict.fromkeys(w for w in asked_words if w.lower() not in own))
    if asks_the_same_about(question):
        # "And best film?" after "Who won best director at the Spirit awards?": the last question's words carry
        # (counting half), names and all; the few words asked anew count in full and outweigh what they replace
        return " ".join(dict.fromkeys(w for w in words(previous_question) if w.lower() not in own))
    asked = {w.lower() for w in words(previous_question)}
    # The answer's new names first (the entity the last answer gave), then the names the last question used (first
    # after "Who is Jose Mourinho?"). The last question's own words (its `topic`) come first for a question that
    # `continues` it, and all of them besides for one with no word of its own ("When is it?" after "What did
    # Brown say about the budget?"): "it" is what was asked about, named or not. The names the last question asked
    # about count as the answer writes them too: "Krispy" of "Krispy Kreme" (a subject searched for, whose first
    # word is not taken for a name) or of "what's happening with krispy kreme?".
    asked_names = names(previous_question)
    asked_names += [w for w in names(answer_text) if w.lower() in asked and w not in asked_names]
    # the names the answer wrote again first (the subject the conversation keeps to, "Moore"), before the day and the
    # dateline's place of an answer three turns back, which would fill the names carried since (`MAX_CARRIED`)
    asked_names = _written_again_first(asked_names, {w.lower() for w in names(answer_text)}, previous_question)
    candidates = [w for w in names(answer_text) if w.lower() not in asked] + asked_names
    if _WHO_IS_NAMED.match(previous_question):  # "Who is Jose Mourinho?": he, not whom the answer also named
        candidates = asked_names + candidates
    topic = [
        w
        for w in words(_ARTICLE_REFERENCE.sub(" ", previous_question))
        if terms(w) and not set(terms(w)) & (_REPORTING | _HAPPENING)
    ]
    if continues:  # "How many people were killed?" asks on about what was asked: "What happened in Mumbai?"
        candidates = topic + candidates
    elif not candidates:
        # a question pointing back at an answer that named no one asks on about what that question and answer
        # share: "How much was the government asking for?" after "what happened with the tobacco case", answered
        # "In its case, the government claimed tobacco firms ..."
        said = set(terms(answer_text))
        candidates = [w for w in topic if set(terms(w)) & said]
    carried: list[str] = []
    for word in candidates:
        if word.lower() not in own and word not in carried:
            carried.append(word)
        if len(carried) == MAX_CARRIED:
            break
    if not terms(question):
        carried += [w for w in topic if w not in carried]
    return " ".join(carried)


def left_the_story(
    question: str, last: Answer, answer: Answer, articles_with: Callable[[str], set[str]], archive: int
) -> str:
    """Why `answer` does not answer `question` as a follow-up, or empty.

    "How much prize money does the winner get?" after Roddick's semifinal win had been answered with the Nobel
    prize's cash award, as if the reader had asked about that; "When will the trials start?" after the story of Navy
    guards charged, with a Cambodian tribunal. Such an answer says "The story I was quoting does not say." when:
    - the question leans on the conversation (`leans_on_it`: "the winner", "they", a short one) and names nothing
      the story never mentions ("Has Putin responded?" after a story naming him asks on about it; "What did
      Zakharova say?" after one that does not asks anew);
    - the last answer quoted one story (or two: not a digest), and `answer` quotes none of them;
    - and no story it quotes is the same subject told again (a second report): one holding `SECOND_REPORT_NAMES` of
      the names the last turn's question and quotes wrote (all of them when fewer; with no names, the last
      question's own words), read as `articles_with` postings. A name counts once however many words it has
      ("Rafael Nadal", "Nadal": `_people`). Only names that few of the `archive`'s articles hold
      count (`SUBJECT_WITHIN`): "US" or "London" says nothing of a subject, and when every name is such, nothing is
      judged. A story holding only Nadal is not the report of Roddick's semifinal in Miami.
    "How many mobile phone handsets were sold?" after the tennis answer asks anew."""
    if not leans_on_it(question) or last.abstained or answer.abstained:
        return ""
    if not last.citations or not quotes_elsewhere(answer, last):
        return ""  # an answer from the same story stays with it
    stories = list(dict.fromkeys(c.source for c in last.citations))
    if len(stories) > 2:
        return ""  # a digest is no one subject
    named = [terms(name) for name in names(question)]
    if any(not any(articles_with(term) & set(stories) for term in name) for name in named):
        return ""  # a name the story never mentions: a subject of its own
    asked = last.search_query or last.question
    times = {w.lower() for w in (*WEEKDAY_NAMES, *MONTH_NAMES)}
    texts = [asked, *(_without_outlet(c.quote) for c in last.citations)]  # not "CNN" of a dateline
    written = [(text, {name for name in names(text) if name.lower() not in times}) for text in texts]
    subject = [terms(run) for text, capitalised in written for run in _whole_names(text, capitalised)]
    subject = subject or [[term] for term in _own_terms(_own_words(Turn(last.question, last)))]
    few = max(SUBJECT_MIN, SUBJECT_WITHIN * archive)
    people = _people(subject)
    holding = [held for surname, name in people.items() if (held := _held(surname, name, articles_with, few))]
    enough = min(1 if named else SECOND_REPORT_NAMES, len(holding))
    quoted = {c.source for c in answer.citations}
    if not holding or any(sum(source in held for held in holding) >= enough for source in quoted):
        return ""
    return "The story I was quoting does not say." if len(stories) == 1 else "The stories I was quoting do not say."


def last_answered(thread: list[Turn]) -> Answer | None:
    """The answer of `thread` a follow-up is weighed against: the last that quoted a story as the answer, or one
    declined or corrected after it that quoted another story (a new subject: "The articles say $1.4 million, not 5
    million: ..." of the Nobel story after a tennis answer); not a decline that quoted the same story as the
    closest it comes ("None of the sentences I found says when."). None when no turn quoted a story."""
    story: Answer | None = None
    for turn in thread:
        answer = turn.answer
        if answer.citations and (not answer.abstained or story is None or quotes_elsewhere(answer, story)):
            story = answer
    return story


def quotes_elsewhere(answer: Answer, last: Answer) -> bool:
    """True when `answer` quotes only other stories than the ones `last` quoted."""
    stories = {c.source for c in last.citations}
    return bool(answer.citations) and not any(c.source in stories for c in answer.citations)


def _whole_names(text: str, capitalised: set[str]) -> list[str]:
    """The names of `text` as they stand together (`_runs`), and each of `capitalised` no run holds as one of its own
    ("Özil", "iPhone", "Lloyd-Webber", which a run does not start at or splits otherwise)."""
    runs = _runs(text, capitalised)
    held = {word for run in runs for word in run.split()}
    return runs + [name for name in capitalised if name not in held]


def _people(named: list[list[str]]) -> dict[str, set[str]]:
    """The names' words by person, keyed by the last word: "Nadal" and "Rafael Nadal" are one person; "John Terry"
    and "John Prescott", sharing only a first word, are two (and "Andy Murray" and "Jamie Murray" are one: news
    seldom names two of a family in one answer)."""
    people: dict[str, set[str]] = {}
    for name in named:
        if name:
            people.setdefault(name[-1], set()).update(name)
    return people


def _held(surname: str, name: set[str], articles_with: Callable[[str], set[str]], few: float) -> set[str]:
    """The articles holding a person: those holding their last word, when few articles do ("Nadal"), else those
    holding another word of the name that few hold ("Antony" of a Blinken every story names); none when every word
    is common ("US", "London" say nothing of a subject) or no article holds it."""
    rare = {term: held for term in name if 0 < len(held := articles_with(term)) <= few}
    return rare[surname] if surname in rare else set().union(*rare.values())


def leans_on_it(question: str) -> bool:
    """True for a question that reads as part of a conversation: a pronoun or too few words of its own
    (`needs_context`), "the" before a word ("the winner", "the trials"; not "the president of France"), or at most
    `LEANS_WITHIN` words of its own ("How many people were fined?"). "How many mobile phone handsets were sold?"
    stands on its own."""
    return needs_context(question) or bool(_DEFINITE.search(question)) or len(_own_terms(question)) <= LEANS_WITHIN


LEANS_WITHIN = 3
# What a story is about, for `left_the_story`: a word held by at most this share of the archive's articles (of a
# small archive, this many: "Japan" in 5% of the BBC's, not "US", "London" or "BBC")
SUBJECT_WITHIN = 0.05
SUBJECT_MIN = 3
# ... and a second report of it holds this many of those names (one let through reports that shared a single name
# with it, most of them wrong: docs/evaluation.md, session 39)
SECOND_REPORT_NAMES = 2
