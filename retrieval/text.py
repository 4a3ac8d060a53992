"""Word and sentence level text handling shared by BM25, chunking and answer extraction."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

from retrieval.dates import MONTH_ABBREVIATIONS

_WORD = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*", re.UNICODE)

# English stop words: bm25s's own list (NLTK's) plus ours, less words that are names or content words here.
_NOT_STOPWORDS = frozenset(["won", "don", "ma"])  # the past of "win"; Don and Jack Ma are names
_OUR_STOPWORDS = frozenset(
    ["also", "could", "would", "whose", "many", "much", "said", "says", "say", "mr", "mrs", "ms"]
)
STOPWORDS = (frozenset(STOPWORDS_EN_PLUS) - _NOT_STOPWORDS) | _OUR_STOPWORDS
# The verbs that ask a question or carry a negation ("Is it open?", "Who was not invited?")
_AUXILIARY_WORDS = (
    "is are was were be been being am do does did has have had can could will would shall should may might must"
)
AUXILIARIES = frozenset(_AUXILIARY_WORDS.split())

# Irregular forms a Snowball stemmer leaves apart ("met" / "meet"): questions and articles mix tenses.
_IRREGULAR = {
    "met": "meet",
    "sent": "send",
    "held": "hold",
    "told": "tell",
    "made": "make",
    "took": "take",
    "taken": "take",
    "gave": "give",
    "given": "give",
    "went": "go",
    "gone": "go",
    "came": "come",
    "began": "begin",
    "begun": "begin",
    "led": "lead",
    "won": "win",
    "lost": "lose",
    "paid": "pay",
    "sold": "sell",
    "bought": "buy",
    "built": "build",
    "wrote": "write",
    "written": "write",
    "spoke": "speak",
    "spoken": "speak",
    "chose": "choose",
    "chosen": "choose",
    "found": "find",
    "fought": "fight",
    "brought": "bring",
    "thought": "think",
    "became": "become",
    "grew": "grow",
    "grown": "grow",
    "knew": "know",
    "known": "know",
    "saw": "see",
    "seen": "see",
    "left": "leave",
    "felt": "feel",
    "kept": "keep",
    "meant": "mean",
    "ran": "run",
    "rose": "rise",
    "risen": "rise",
    "fell": "fall",
    "fallen": "fall",
    "died": "die",
    "heard": "hear",
    "sued": "sue",
    "suing": "sue",
    "freed": "free",
    "fled": "flee",
    "shot": "shoot",
    "shots": "shoot",
    "laid": "lay",
    "stood": "stand",
    "understood": "understand",
    "stuck": "stick",
    "hung": "hang",
    "bred": "breed",
    "sought": "seek",
    "taught": "teach",
    "caught": "catch",
    "dealt": "deal",
    "drove": "drive",
    "driven": "drive",
    "rode": "ride",
    "ridden": "ride",
    "stole": "steal",
    "stolen": "steal",
    "swore": "swear",
    "sworn": "swear",
    "threw": "throw",
    "thrown": "throw",
    "wore": "wear",
    "worn": "wear",
    "tore": "tear",
    "torn": "tear",
    "withdrew": "withdraw",
    "withdrawn": "withdraw",
    "drawn": "draw",
    "froze": "freeze",
    "frozen": "freeze",
    "ate": "eat",
    "eaten": "eat",
    "drank": "drink",
    "flew": "fly",
    "flown": "fly",
    "forgot": "forget",
    "forgotten": "forget",
    "forgave": "forgive",
    "forgiven": "forgive",
    "lent": "lend",
    "spent": "spend",
    "broke": "break",
    "broken": "break",
    "hid": "hide",
    "hidden": "hide",
    "beaten": "beat",
    "bitten": "bite",
    "sang": "sing",
    "sung": "sing",
    "sank": "sink",
    "sunk": "sink",
    "swam": "swim",
    "shook": "shake",
    "shaken": "shake",
    "slept": "sleep",
    "swept": "sweep",
    "wept": "weep",
    "dug": "dig",
    "spun": "spin",
    "arose": "arise",
    "arisen": "arise",
    "overtook": "overtake",
    "overtaken": "overtake",
    "undertook": "undertake",
    "undertaken": "undertake",
    "mistook": "mistake",
    "mistaken": "mistake",
    "terrorist": "terrorism",  # "children and terrorism": "terrorist-related activity"
    "terrorists": "terrorism",
    "men": "man",
    "women": "woman",
    "children": "child",
    "people": "person",
}

_stemmer = Stemmer.Stemmer("english")
# bump when `terms` changes: saved BM25 indexes are rebuilt (3: bm25s' stop words; 4: an irregular form's base is
# stemmed too, so "countries" meets "country", "chose" "choose", "left" "leave"; 5: more irregular verbs, and "sued"
# and "suing" meet "sue"; not forms that are also other words in the news: "the Fed", "Drew", "in the wake of", a
# strike, "extremely"; 6: a hyphenated pair is also one word, `joined_terms`: "anti-virus" meets "antivirus")
TOKENIZER_VERSION = 6


# Terminal escape sequences (ECMA-48): CSI such as "\x1b[31m", OSC such as an OSC 8 hyperlink (ended by BEL or ST),
# and two-character escapes. They go whole, so no "[31m" is left behind once the ESC itself is removed.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b\]|\x9d)[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?|\x1b[@-_]?"
)


_LINE_BREAKS = str.maketrans(dict.fromkeys("\t\n\r\x0b\x0c\x85\u2028\u2029", " "))


def _is_control(ch: str) -> bool:
    """Control, format, private-use, surrogate and unassigned characters: Unicode category C."""
    return unicodedata.category(ch)[0] == "C"


def printable(value: str) -> str:
    """`value` on one line with no escape sequences or control and format characters (for metadata and ids).

    Unlike `normalize`, nothing printable changes: an article id stays exactly as its author wrote it.
    """
    value = _ESCAPE_SEQUENCE.sub("", value).translate(_LINE_BREAKS)
    return "".join(ch for ch in value if not _is_control(ch))


# HTML character references left in scraped plain text ("communiqu&#233;", "&#163;1.8m fine"): only complete ones,
# with their semicolon, so "AT&T" and "R&D" stay as they are. A name html does not know is left too.
_CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# An apostrophe that a lossy code-page conversion turned into "¿" ("Mr Blair¿s government"): between two letters,
# where Spanish never puts one.
_LOST_APOSTROPHE = re.compile(r"(?<=[^\W\d_])\u00bf(?=[^\W\d_])")
# UTF-8 read as Windows-1252 or Latin-1 ("Â£5" for "£5", "fiancÃ©", "â€”", "Â»" ending a link line): a lead byte's
# character followed by a continuation byte's or a Windows-1252 punctuation mark. Only a hint that text may need
# `ftfy.fix_encoding`, which decides (and leaves "naïve café" or "Müller" as they are).
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)


def _character(reference: re.Match[str]) -> str:
    """The character an HTML reference names; an invalid one ("&#0;", a surrogate) stays as written."""
    character = html.unescape(reference.group())
    return reference.group() if character == "\ufffd" and "65533" not in reference.group() else character


def normalize(text: str) -> str:
    """Unicode NFKC, unified quotes and dashes, no control characters, collapsed spaces (newlines kept).

    HTML character references become their characters, text garbled by decoding UTF-8 as Windows-1252 ("Â£5",
    "fiancÃ©") is decoded again, and an apostrophe garbled into "¿" is one again.
    """
    if _MOJIBAKE_HINT.search(text):
        from ftfy import fix_encoding  # imported only for such text: 90 ms, kept off a clean question's path

        text = fix_encoding(text)
    text = _CHARACTER_REFERENCE.sub(_character, text)
    text = _LOST_APOSTROPHE.sub("'", text)
    text = unicodedata.normalize("NFKC", _ESCAPE_SEQUENCE.sub("", text))
    text = text.translate(_PUNCT_MAP)
    text = "".join(ch for ch in text if ch in "\n\t" or not _is_control(ch))
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r" *\n *", "\n", text).strip()


_PUNCT_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": " - ",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u200b": "",
        "\ufeff": "",
    }
)


def counted(n: int, noun: str) -> str:
    """A count with its noun for messages: "1 article", "2 articles"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def listed(parts: list[str]) -> str:
    """Parts as a sentence lists them: "a", "a and b", "a, b and c"."""
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def words(text: str) -> list[str]:
    """The words of `text`, as written (numbers like 100,000 kept whole)."""
    return _WORD.findall(text)


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    if not word.isascii():  # Gospić and Gospic, Céloron and Celoron are one name
        word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return _stemmer.stemWord(_IRREGULAR.get(word, word))  # "countries" and "country" alike: "countri"


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words: the unit BM25 and sentence scoring count in."""
    out = []
    for w in words(text.lower()):
        w = w.replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if w in STOPWORDS or (len(w) < 2 and not w.isdigit()):
            continue
        if w[0].isdigit():
            w = w.replace(",", "")
        elif "." in w:  # U.S. -> us
            w = w.replace(".", "")
        out.append(_stem(w))
    return out


# Two words written with a hyphen between them, letters only: "anti-virus", "e-mail", "semi-final", "cease-fire"
_HYPHENATED = re.compile(r"(?<![\w-])([^\W\d_]+)-([^\W\d_]+)(?![\w-])")


def joined_terms(text: str) -> list[str]:
    """The terms of `text`'s hyphenated pairs written as one word: "antivirus" of "anti-virus", "email" of "e-mail".
    Read with a passage's `terms` (the BM25 index, a sentence's words to match a question's) and a search's, so a
    reader who types "antivirus", "email" or "semifinal" finds the story that hyphenates it, and a search for
    "e-mail" finds the story writing "email"; not a question's words in sentence scoring, whose pairs stay as
    typed. Not after "re-": "re-sign" is no "resign"."""
    pairs = _HYPHENATED.finditer(text.lower().replace("’", "'"))
    return [_stem(f"{m[1]}{m[2]}") for m in pairs if m[1] != "re"]  # "re-sign" is not "resign", "re-form" not "reform"


@dataclass(frozen=True)
class Span:
    """A sentence and where it stands in its text."""

    start: int
    end: int
    text: str


# Abbreviations that end in a period without ending the sentence (the month abbreviations come from `dates`).
ABBREVIATIONS = MONTH_ABBREVIATIONS | frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "prof",
        "gen",
        "col",
        "lt",
        "sgt",
        "gov",
        "sen",
        "rep",
        "rev",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
        "approx",
        "est",
        "fig",
        "dept",
        "univ",
        "ca",
        "cf",
    ]
)
# Ranks and titles as wire copy writes them ("Capt. John Smith", "Sens. Obama and McCain", "Mt. Everest"), only
# capitalised: "50 reps." and "the mt." end sentences.
TITLE_ABBREVIATIONS = frozenset(
    [
        "Capt",
        "Maj",
        "Adm",
        "Cmdr",
        "Brig",
        "Cpl",
        "Pvt",
        "Pfc",
        "Spc",
        "Det",
        "Supt",
        "Insp",
        "Sens",
        "Reps",
        "Gens",
        "Hon",
        "Atty",
        "Mt",
    ]
)


def _sentence_break() -> str:
    """The one definition of where a sentence ends: the whitespace after it.

    A period, "!" or "?" (optionally closed by a quote or bracket), then whitespace, then anything but a lower-case
    letter; a period after an abbreviation ("Mr.", "No." before a number) or an initial ("J.") ends no sentence.
    Python's look-behinds must be fixed-width, hence one per abbreviation. The chunker cuts passages on this same
    pattern.
    """
    ends = r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))"
    not_abbreviation = "".join(rf"(?<!(?i:\b{re.escape(a)})\.)" for a in sorted(ABBREVIATIONS))
    not_abbreviation += "".join(rf"(?<!\b{re.escape(a)}\.)" for a in sorted(TITLE_ABBREVIATIONS))
    not_initial = r"(?<!\b[^\W\d_]\.)"
    not_number = r"(?!(?<=\b[Nn][Oo]\.)\s+\d)"  # "No. 10 Downing Street"; "The answer is no. The army ..." ends
    not_lower_next = r"(?![a-z\u00df-\u00f6\u00f8-\u00ff])"  # ASCII and Latin-1 lower case: `re` has no \p{Ll}
    return ends + not_abbreviation + not_initial + not_number + r"\s+" + not_lower_next


SENTENCE_BREAK = _sentence_break()
# ... and after "»", with which news pages end a link to a video or a gallery ("Watch footage of the crash site »"):
# read as a sentence of its own, not as the start of the next one (the chunker is left as it is)
_SENTENCE_END = re.compile(SENTENCE_BREAK + r"|\s*\n\s*|(?<=»)\s+")


def sentences(text: str) -> list[Span]:
    """Split `text` into sentences at `SENTENCE_BREAK`, at line breaks and after a link's "»", keeping character
    offsets."""
    spans: list[Span] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        _emit(text, start, m.start(), spans)
        start = m.end()
    _emit(text, start, len(text), spans)
    return spans


def _emit(text: str, start: int, end: int, spans: list[Span]) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = start + lead
    spans.append(Span(s, s + len(stripped), stripped))


def iter_shingles(text: str, n: int = 5) -> Iterator[tuple[str, ...]]:
    """Word n-grams of lower-cased words, for near-duplicate detection."""
    ws = [w.lower() for w in words(text)]
    for i in range(max(1, len(ws) - n + 1)):
        yield tuple(ws[i : i + n])
