"""Question understanding: what a reader typed, turned into what they asked, before retrieval and scoring.

Readers write "Hey bot, who headed the Russian delegation?? thanks!", paste HTML, mention the bot, type
"Feburary", or write everything in lower case. None of that should change the answer:

- markup (HTML tags and entities, Markdown emphasis and links), @mentions and invisible format characters such as
  U+200B are removed;
- chat shorthand ("whos", "wat", "can u") is written out, names as written ("Wen Jiabao", "U.S.");
- conversational framing at either end ("hi", "quick question:", "can you tell me", "please", "thanks!") is
  removed;
- a word the corpus never uses is corrected to the closest word it does use (`Vocabulary.correct`), so BM25 and
  sentence scoring count it and the abstention rule does not mistake a typo for an unknown name.

`names` is the one definition of "the names in a text", shared by the abstention rule (bot/extractive.py) and
follow-up resolution (bot/followup.py).
"""

from __future__ import annotations

import functools
import html
import json
import logging
import re
import weakref
from collections import defaultdict
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Protocol

from rapidfuzz.distance import OSA

from retrieval.text import STOPWORDS, normalize, sentences, terms, words

logger = logging.getLogger(__name__)

QUESTION_WORDS = frozenset({"what", "who", "whom", "whose", "when", "where", "which", "why", "how"})

# Conversational framing, peeled off both ends until nothing more comes off. Written by hand: no library covers
# chat framing, and the list is short. Each pattern only matches whole words at the edge of the question.
_GREETING = (
    r"(?:hey|hi|hello|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening|day)|dear)"
    r"(?: (?:there|bot|newsbot|all|everyone|folks|guys|team))?"
)
_REQUEST = (
    r"(?:please |pls |plz |kindly )?(?:(?:can|could|would|will) you (?:please |pls )?(?:tell|show|let) me|"
    r"(?:do|does) (?:you|anyone|anybody) (?:happen to )?know|i(?:'d| would) (?:like|love) to know|"
    r"i (?:want|need|wanna) to know|i(?:'m| am) (?:wondering|curious)(?: about)?|i was wondering|i wonder|"
    r"(?:please )?tell me|(?:please )?let me know)"
)
_LABEL = r"(?:(?:quick|short|simple|small|one|another|a|my|next) )?(?:question|q)\s*[:\-]"
_FILLER = r"(?:ok|okay|so|well|um+|uh+|hm+|btw|by the way|bot|newsbot|please|pls|plz|kindly)"
_LEADING = re.compile(rf"^(?:{_GREETING}|{_REQUEST}|{_LABEL}|{_FILLER})(?![\w'-])[\s,.!:;\-]*", re.I)
_THANKS = (
    r"(?:thanks|thank you|thanx|thx|ty|cheers|ta|much appreciated|appreciate it|many thanks|please|pls|plz)"
    r"(?: (?:so much|a lot|very much|in advance|again|bot|mate))*"
)
_TRAILING = re.compile(rf"(?<![\w'])[\s,.;:\-]*{_THANKS}[\s!.,:;)(]*$", re.I)

# A message that is nothing but chat ("hi", "thanks!", "ok cool", "bye") is no question: it gets a short reply, and
# no search (which would answer it from the last turn's subject).
_ACK = (
    r"(?:ok|okay|k|kk|cool|great|nice|awesome|perfect|got it|gotcha|i see|alright|all right|sure|fine|good|"
    r"lol|haha|wow|right|yes|yeah|yep|no|nope|so|well|um+|uh+|hm+)"
)
_BYE = r"(?:bye|goodbye|bye bye|good night|see you(?: later)?|see ya|cya|later)"
_LEAD_IN = r"(?:(?:and|so|well|oh)[\s,]+)?"  # "and thanks!" is thanks, not "And best film?" asked of "thanks"
_SOCIAL = {
    kind: re.compile(rf"^{_LEAD_IN}(?:{pattern})(?: (?:bot|newsbot|mate|there))?(?![\w'-])[\s,.!?:;)(\-]*", re.I)
    for kind, pattern in (("thanks", _THANKS), ("bye", _BYE), ("greeting", _GREETING), ("ack", _ACK))
}

_TOKEN = re.compile(r"([^\W_]+(?:['’][^\W_]+)*)")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|~~|`+)(\S(?:.*?\S)?)\1")
_MENTION = re.compile(r"(?<![\w.])@\w+")

# Spelling correction: only words this long are corrected (short words are too often another real word), within
# this many edits (a transposition counts as one); longer words may take two. Judgement calls, checked with
# `newsbot eval --phrasing typo --understand`.
MIN_CORRECTED_LENGTH = 6
TWO_EDITS_FROM_LENGTH = 8
_STEM_CUT = 6  # a corpus stem may be this much shorter than a misspelt word's stem ("situaiton" vs situat)

# British and American spellings of one word ("criticised" / "criticized", "defence" / "defense", "travelled" /
# "traveled"): a reader of CNN may write British English and a reader of the BBC American. Each pair is tried both
# ways, on the word's ending (or its whole, for the last few), only when the corpus lacks the word as typed.
_VOWEL_CONSONANT = r"(?<=[aeiou][b-df-hj-np-tv-z])"  # "col|our", "fav|our", not "sc|our|ing" (scoring, scouring)
_SHORT_VOWEL_L = r"(?<=[b-df-hj-np-tv-z][ae])"  # "trave|l|led", "cance|l|led", not "fi|l|led" (filed, filled)
_SPELLINGS = (  # British, American, the ending after them, what must come before them
    ("is", "iz", r"(?=(?:e|es|ed|ing|ation|ations|er|ers)$)", r"(?<=\w\w)"),
    ("ys", "yz", r"(?=(?:e|es|ed|ing)$)", r"(?<=\w\w)"),
    ("our", "or", r"(?=(?:|s|ed|ing|ite|ites|able|ably|er|ers)$)", _VOWEL_CONSONANT),
    ("tre", "ter", r"(?=s?$)", r"(?<=\w\w)"),
    ("ence", "ense", r"(?=s?$)", r"(?<=\w\w)"),
    ("ogue", "og", r"(?=s?$)", r"(?<=\w\w)"),
    ("ll", "l", r"(?=(?:ed|ing|er|ers)$)", _SHORT_VOWEL_L + r"(?<!l)"),
)
_WHOLE_SPELLINGS = (("programme", "program"), ("grey", "gray"), ("tyre", "tire"), ("aluminium", "aluminum"))


class Frequencies(Protocol):
    """What the vocabulary is built from: the BM25 index's terms and which of them the corpus writes as names."""

    names: frozenset[str]

    def document_frequencies(self) -> Mapping[str, int]:
        """Passages per stemmed term."""
        ...


@dataclass(frozen=True)
class Understood:
    """A question as understood.

    Attributes:
        text: the question with markup, mentions and framing removed and shorthand written out: what the reader
            asked, for display.
        query: `text` with misspellings corrected against the corpus: what retrieval and scoring use.
        corrections: each corrected word and its correction.
    """

    text: str
    query: str
    corrections: dict[str, str] = field(default_factory=dict)


class Vocabulary:
    """The corpus's own words (stemmed, with document frequencies), for spelling correction.

    Args:
        frequencies: passages per stemmed term (`Bm25Index.document_frequencies`).
        names: the terms the corpus writes capitalised (`Bm25Index.names`).
    """

    def __init__(self, frequencies: Mapping[str, int], names: frozenset[str] = frozenset()) -> None:
        self.frequencies = frequencies
        self.names = names
        # Candidates are looked up by first letter (typing rarely gets the first letter wrong), which keeps a
        # lookup to a few thousand edit-distance computations even at 100k passages.
        self._by_initial: dict[str, list[str]] = defaultdict(list)
        for term in frequencies:
            if len(term) >= 3 and not term[0].isdigit():
                self._by_initial[term[0]].append(term)

    @classmethod
    def of(cls, index: Frequencies) -> Vocabulary:
        """The vocabulary of `index`, built once per index object."""
        cached = _VOCABULARIES.get(index)
        if cached is None:
            cached = _VOCABULARIES[index] = cls(index.document_frequencies(), index.names)
        return cached

    def __contains__(self, term: object) -> bool:
        """True when the stemmed term occurs anywhere in the corpus."""
        return term in self.frequencies

    def correct(self, word: str) -> str | None:
        """The corpus's spelling of `word` when the corpus does not know it but knows a word a typo away.

        Words of `MIN_CORRECTED_LENGTH` letters or more take one edit (two from `TWO_EDITS_FROM_LENGTH`); shorter
        ones, and function words the index leaves out ("Whree", "tehir"), only two neighbouring letters swapped or a
        letter doubled ("untill").
        """
        possessive = word[-2:] if word[-2:] in ("'s", "’s") else ""
        lowered = word[: len(word) - len(possessive)].lower()
        if len(lowered) < 4 or not lowered.isalpha() or lowered in _FUNCTION_WORDS:
            return None
        stems = terms(lowered)
        if len(stems) == 1 and stems[0] in self.frequencies:
            return None  # the corpus knows it ("form", "Fromm")
        # "untill", typed in lower case: not "booth", "Manny" or "Fromm" (no English word list: no such fix)
        english = english_words()
        once = _undoubled(lowered) if english and lowered not in english and word[:1].islower() else ""
        # an English word is no function word mistyped ("three" is not "there")
        swapped = next((w for w in _FUNCTION_WORDS if _is_swap(lowered, w) or _undoubled(w) == once), None)
        if swapped is not None and lowered not in english:
            return _same_case(swapped, word)
        if len(stems) != 1:
            return None
        respelt = next((v for v in _respellings(lowered) if terms(v) and terms(v)[0] in self.frequencies), None)
        if respelt is not None:
            return _same_case(respelt + possessive, word)
        if lowered in english:
            return None  # an English word the corpus happens not to use ("latest")
        stem = stems[0]
        limit = 2 if len(lowered) >= TWO_EDITS_FROM_LENGTH else 1
        candidates = sorted(
            (distance, -self.frequencies[term], term)
            for term in self._by_initial.get(stem[0], ())
            if -_STEM_CUT <= len(term) - len(stem) <= limit
            and (distance := self._distance(lowered, stem, term, limit)) <= limit
        )
        # A typo can stop the stemmer from finding the ending ("deelgation" stems to deelgat, not deleg), so stems
        # were also compared with the word's start; what decides is how close the word rebuilt from a stem is.
        # A letter typed twice or once too few ("busses", "ocurred") is the likeliest typo: it wins a tie in edits
        # over a commoner word ("busies", of business's stem).
        best: tuple[int, bool, int, int, str] | None = None
        for _, frequency, term in candidates[:20]:
            surface = _surface(lowered, term)
            doubled = _undoubled(surface) == _undoubled(lowered)
            key = (OSA.distance(surface, lowered), not doubled, OSA.distance(stem, term), frequency, surface)
            short_ok = len(lowered) >= MIN_CORRECTED_LENGTH or _is_swap(lowered, surface)
            if key[0] <= limit and short_ok and (best is None or key < best):
                best = key
        return _same_case(best[4] + possessive, word) if best else None

    @staticmethod
    def _distance(word: str, stem: str, term: str, limit: int) -> int:
        """Edits between a corpus term and the unknown word's stem, or the word's start of the same length."""
        whole = OSA.distance(stem, term, score_cutoff=limit)
        return min(whole, OSA.distance(word[: len(term)], term, score_cutoff=limit))

    def true_case(self, text: str) -> str:
        """`text` typed all in one case, with its names capitalised; any other text as it is.

        A reader who writes "who did lavrov meet" or "WHO DID LAVROV MEET" says nothing with case, so the corpus
        decides: words it writes as names get a capital, and so does a word it never uses ("germany"), as an
        unknown capitalised word would count. A reader who uses capitals is taken at their word.
        """
        if text == text.upper():
            text = text.lower()
        elif text != text.lower():
            return text
        out = []
        for word in _TOKEN.split(text):
            stems = terms(word) if word[:1].isalpha() else []
            unknown = len(word) >= MIN_CORRECTED_LENGTH and len(stems) == 1 and stems[0] not in self
            if len(stems) == 1 and (stems[0] in self.names or unknown):
                word = word[:1].upper() + word[1:]
            out.append(word)
        return "".join(out)


@functools.cache
def english_words() -> frozenset[str]:
    """Whole words of the packaged MiniLM tokenizer's vocabulary (about 21,700 English words and common names):
    a word in it is no typo, even where the corpus never uses it, so it is never "corrected" to a corpus word."""
    from retrieval.embeddings import packaged_model_dir
    from retrieval.errors import EmbeddingError

    try:
        vocab = json.loads((packaged_model_dir() / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    except (OSError, ValueError, KeyError, EmbeddingError) as exc:  # without it, the corpus alone decides
        logger.warning("no English word list for spelling correction: %s", exc)
        return frozenset()
    return frozenset(w for w in vocab if w.isascii() and w.isalpha())


def _respellings(word: str) -> list[str]:
    """`word` in the other of British and American spelling, each way `_SPELLINGS` allows: "criticised" ->
    ["criticized"], "color" -> ["colour"]."""
    out = []
    for british, american, ending, before in _SPELLINGS:
        for old, new in ((british, american), (american, british)):
            respelt = re.sub(f"{before}{old}{ending}", new, word, count=1)  # never "tour" -> "tor"
            if respelt != word:
                out.append(respelt)
    for british, american in _WHOLE_SPELLINGS:
        for old, new in ((british, american), (american, british)):
            if re.match(f"{old}s?$", word):
                out.append(new + word[len(old) :])
    return out


def _undoubled(word: str) -> str:
    """`word` with each run of one letter written once: "busses" and "buses" both give "buses"."""
    return re.sub(r"(\w)\1+", r"\1", word)


def _is_swap(typed: str, word: str) -> bool:
    """True when `typed` is `word` with two neighbouring letters swapped."""
    return sorted(typed) == sorted(word) and OSA.distance(typed, word) == 1


def _same_case(fixed: str, typed: str) -> str:
    return fixed[:1].upper() + fixed[1:] if typed[:1].isupper() else fixed


_FUNCTION_WORDS = frozenset(w for w in STOPWORDS | QUESTION_WORDS if len(w) >= 4 and w.isalpha())
_VOCABULARIES: weakref.WeakKeyDictionary[Frequencies, Vocabulary] = weakref.WeakKeyDictionary()


_ENDINGS = frozenset(
    {"e", "s", "es", "ed", "ing", "ings", "ion", "ions", "ation", "ations", "er", "ers", "or", "ors", "y", "ies"}
    | {"ied", "ly", "al", "ally", "ment", "ments", "ness", "ity", "ive", "ives"}
)


def _surface(word: str, corrected: str) -> str:
    """A word that stems to `corrected` and reads like `word`: "negotaitions" + negoti -> "negotiations".

    Retrieval's dense side reads words, not stems. Tried: the corrected stem with each ending of `word` or a common
    English ending (and with the stem's last letter dropped, for "februari" + "y"); the one closest to `word` that
    stems right wins, else the stem itself.
    """
    endings = {word[cut:] for cut in range(len(word) + 1)} | _ENDINGS
    tried = {base + ending for ending in endings for base in (corrected, corrected[:-1])}
    fitting = [c for c in tried if terms(c) == [corrected]]
    # the closest; of those as close, an English word ("government", not "governent"), then the shortest ("buses",
    # not "busees")
    english = english_words()
    return min(fitting, key=lambda c: (OSA.distance(c, word), c not in english, len(c), c)) if fitting else corrected


def clean(question: str) -> str:
    """Markup, @mentions and invisible characters removed, whitespace collapsed; the wording itself untouched."""
    text = _TAG.sub(" ", question) if "<" in question else question
    text = html.unescape(text) if "&" in text else text
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    text = _MENTION.sub(" ", text)
    text = normalize(text)  # NFKC; control and format characters (U+200B) removed, not replaced
    text = re.sub(r"^[\s>#*\-]+", "", text)  # Markdown quote, heading and list marks
    text = re.sub(r"([?!])[?!]+", r"\1", text)
    return " ".join(text.split())


def strip_framing(question: str) -> str:
    """`question` without greetings, requests and thanks at either end; unchanged when nothing else is left."""
    text = question
    while True:
        stripped = _TRAILING.sub("", _LEADING.sub("", text)).strip()
        if stripped == text or not words(stripped):
            break
        text = stripped
    if text == question:
        return question
    if text[:1].islower():
        text = text[:1].upper() + text[1:]
    if question.rstrip().endswith("?") and not text.endswith("?"):
        text = text.rstrip(".!,;:") + "?"
    return text


def social(message: str) -> str | None:
    """The kind of chat a message is when it is nothing else: "thanks", "bye", "greeting", "ack" ("ok") or
    "wordless" ("?", an emoji alone); None for a question (anything with other words in it) or an empty message."""
    text = clean(message)
    if not text.strip():
        return None
    if not words(text):
        return "wordless"
    asked = text.rstrip().endswith("?")
    kinds = set()
    while words(text):  # symbols and emoji left over ("ok 👍") are chat too
        for kind, pattern in _SOCIAL.items():
            match = pattern.match(text)
            if match and match.end():
                kinds.add(kind)
                text = text[match.end() :]
                break
        else:
            return None
    if asked and kinds <= {"ack", "bye"}:  # "so?", "right?", "later?" ask something of the last answer
        return None
    return next(kind for kind in _SOCIAL if kind in kinds)  # thanks, then bye, greeting, ack


# Chat shorthand for the words a question is read by (the spelling corrector mends only words the articles use):
# "whos the guy that shot reagan", "wat happened", "wher did they go", "can u tell me"
_SHORTHAND = {
    "wat": "what",
    "wut": "what",
    "wht": "what",
    "wats": "what's",
    "whats": "what's",
    "whos": "who's",
    "wher": "where",
    "whr": "where",
    "wheres": "where's",
    "wen": "when",
    "hows": "how's",
    "u": "you",
    "abt": "about",
    "cuz": "because",
    "ppl": "people",
    # contractions typed without their apostrophe (not "its", "were", "well", "ill", "id", "lets": words of their own)
    "didnt": "didn't",
    "doesnt": "doesn't",
    "dont": "don't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "arent": "aren't",
    "werent": "weren't",
    "cant": "can't",
    "couldnt": "couldn't",
    "shouldnt": "shouldn't",
    "wouldnt": "wouldn't",
    "wont": "won't",
    "hasnt": "hasn't",
    "havent": "haven't",
    "hadnt": "hadn't",
    "hes": "he's",
    "shes": "she's",
    "theyre": "they're",
    "thats": "that's",
}
_SHORT = re.compile(rf"(?<![\w'’.])({'|'.join(_SHORTHAND)})(?![\w'’.])", re.I)


def _written_out(match: re.Match[str]) -> str:
    word, text, end = match.group(1), match.string, match.end()
    if word[:1].isupper():
        # "U", "WAT": as written; "Whats" opening a sentence, but not "Wen Jiabao met whom?" or "... in Wen's town"
        opens = not text[: match.start()].strip() or text[: match.start()].rstrip()[-1] in ".?!"
        named = re.match(r"\s*(?:['’]|[A-Z])", text[end:]) is not None
        if word.isupper() or not opens or named:
            return word
    full = _SHORTHAND[word.lower()]
    return full[:1].upper() + full[1:] if word[:1].isupper() else full


def expand_shorthand(text: str) -> str:
    """`text` with chat shorthand written out: "whos the guy" -> "who's the guy", "Whats" -> "What's", "can u" ->
    "can you"; "U.S." and "WAT" as written."""
    return _SHORT.sub(_written_out, text)


def understand(question: str, vocabulary: Vocabulary | None = None) -> Understood:
    """What `question` asks: cleaned, framing removed, chat shorthand written out, and (given the corpus's
    `vocabulary`) spell-corrected."""
    text = strip_framing(expand_shorthand(clean(question)))
    if vocabulary is None:
        return Understood(text, text)
    corrections: dict[str, str] = {}
    typed = words(text)
    # A word before a surname alone, as the corpus writes names, is a first name, a title or a function word
    # (`_before_a_name`): "stetson kennedy" is not "stepson kennedy" (a name the corpus never mentions is left as
    # typed), "chancelor brown" is "chancellor brown". Before a full name it may be anything ("the prme minister
    # tony blair").
    named = [_stem_in(w, vocabulary.names) for w in typed]
    first_names = {
        typed[i]
        for i in range(len(typed) - 1)
        if named[i + 1] and named[i + 2 : i + 3] != [True] and not (i and named[i - 1])  # "blair critisized kennedy"
    }
    for word in set(typed):
        fixed = vocabulary.correct(word)
        if fixed is not None and fixed != word and (word not in first_names or _before_a_name(fixed, vocabulary)):
            corrections[word] = fixed
    query = text
    for wrong, right in corrections.items():
        query = re.sub(rf"(?<![\w']){re.escape(wrong)}(?![\w'])", right, query)
    return Understood(text, vocabulary.true_case(query), corrections)


# Words that stand before a surname as well as a first name does: "chancelor brown", "presdent bush", "abuot kennedy"
_TITLE_WORDS = (
    "mr mrs ms miss dr sir lord lady president minister chancellor senator governor mayor judge chairman chief "
    "secretary prime captain coach manager general king queen prince princess pope"
)
TITLES = frozenset(_TITLE_WORDS.split())


def _before_a_name(word: str, vocabulary: Vocabulary) -> bool:
    """True when `word` may stand before a surname: a first name the corpus writes, a title, or a function word."""
    return _stem_in(word, vocabulary.names) or word.lower() in TITLES | STOPWORDS


def _stem_in(word: str, stems: AbstractSet[str]) -> bool:
    """True when `word` is one stemmed term, and one of `stems`."""
    found = terms(word)
    return len(found) == 1 and found[0] in stems


def names(text: str) -> list[str]:
    """The names in `text`: capitalised words that are not function words, question words or chat framing.

    Since "Describe the talks" capitalises a verb, a sentence's first word counts only when it is written in capitals
    throughout ("NATO"), the text capitalises it again elsewhere, or it is no English word (`_unenglish`:
    "Pavlyuchenkova celebrates ..."). A product name in camel case ("iPhone", "eBay") is a name wherever it stands.
    """
    if not any(c.islower() for c in text):  # all capitals: case says nothing about what is a name
        return []
    text = _AGENCY_LEAD.sub(r"\1. ", text)
    found: dict[str, int] = {}  # each name once, in order: how often it is capitalised, 2 when inside a sentence
    for span in sentences(text):
        for i, word in enumerate(words(span.text)):
            if (word[:1].isupper() or _CAMEL.match(word)) and word.lower() not in _NOT_NAMES:
                inside = i > 0 or (word.isupper() and len(word) > 1) or bool(_CAMEL.match(word)) or _unenglish(word)
                found[word] = found.get(word, 0) + (2 if inside else 1)
    return [word for word, seen in found.items() if seen >= 2]


# An English ending: "Paramedics", "Tweeted", "Unveiling" are words the list may lack, not names
_INFLECTED = re.compile(r"(?:s|ed|ing)$", re.I)


def _unenglish(word: str) -> bool:
    """True for a word of letters, with no English ending, whose stem no word of the English word list has
    ("Pavlyuchenkova", "Potapov"; not "Describe", "Biking", "Smartphones"); False when there is no list."""
    known = english_stems()
    return bool(known) and word.isalpha() and not _INFLECTED.search(word) and not set(terms(word)) & known


@functools.cache
def english_stems() -> frozenset[str]:
    """The stems (`terms`) of `english_words`."""
    return frozenset(t for word in english_words() for t in terms(word))


_CAMEL = re.compile(r"^[a-z]{1,2}[A-Z][A-Za-z]*$")  # "iPhone", "eBay", "iOS"
# A wire's dateline ("LONDON, England (CNN) -- ", "(AP) - "): the word after it begins a sentence ("Law enforcement
# officials ..."), unless another capitalised word follows it ("Barack Obama said ...")
_AGENCY_LEAD = re.compile(
    r"(\((?:CNN|AP|AFP|Reuters|UPI|PA|Bloomberg|Xinhua|EW\.com)\))\s*(?:--|[-\u2013\u2014])\s+"
    r"(?=[A-Z][\w'’-]*[\s,]+[^A-Z\s])"
)
# An office written in capitals is no name: "What did the CEO say?" asks for whoever holds it
_OFFICES = frozenset({"ceo", "cfo", "coo", "cto", "mp", "mps", "mep", "meps"})
_NOT_NAMES = (
    STOPWORDS
    | QUESTION_WORDS
    | _OFFICES
    | {"thanks", "thank", "hey", "hi", "hello", "please", "bot", "question", "ok", "okay"}
)
