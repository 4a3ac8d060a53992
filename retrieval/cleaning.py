"""Remove page furniture that is not the article: comment policies, captchas, section labels, bare links."""

from __future__ import annotations

import re

# Section labels and site chrome that scrapers keep as lines of their own.
_LABELS = frozenset(
    label.lower()
    for label in (
        "All news",
        "World News",
        "World",
        "News",
        "Latest News",
        "Top Stories",
        "Home",
        "Share",
        "Share this",
        "Advertisement",
        "Related",
        "Related articles",
        "Read more",
        "Most read",
        "Politics",
        "Business",
        "Europe",
        "Opinion",
        "Follow us",
        "Subscribe",
        "Print",
        "Email",
        "Comments",
        "Leave a Reply",
        "Leave a comment",
        "Post a comment",
        "Cancel reply",
        "Sign up",
        "Log in",
        "Skip to content",
    )
)
_NUMBER_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty"
)
# Comment-form arithmetic: "four - 4 =", "3 + five = ", "_ x 2 = 8".
_CAPTCHA = re.compile(
    rf"^\s*(?:\d+|{_NUMBER_WORDS}|_+)\s*[-+x×*/]\s*(?:\d+|{_NUMBER_WORDS}|_+)\s*=\s*(?:\d+|{_NUMBER_WORDS}|_+)?\s*$",
    re.I,
)
# A paragraph about the comment section itself, not the story.
_COMMENT_POLICY = re.compile(
    r"\bcomment(?:s|ing)?\b.{0,300}\b(?:privilege|policy|guidelines|moderat\w*|community|withdrawn|abuse[d]?|"
    r"terms of use|house rules)\b",
    re.I | re.S,
)
_TWITTER_PIC = re.compile(r"(?:\s+\d{1,2})?\s*\bpic\.twitter\.com/?\S*")
# Wire and web chrome that scrapers glue onto the story's sentences: a share link, the reporting credit, the
# opinion disclaimer ("... still widely used today. E-mail to a friend  CNN's Mike Ahlers contributed to this
# report."). Each would otherwise be a sentence the answer could quote. A name may hold initials ("Pat St.
# Claire", "Catherine E. Shoichet"); a credit names a news organisation ("CNN's ...", "The Associated Press"),
# which tells it from a story's own sentence ("Auditors from three firms contributed to this report.").
_NAMED = r"(?:[^.!?]|\b[A-Z][a-z]{0,2}\.(?=\s)|\.com\b)"
_INLINE_CHROME = re.compile(
    r"(?:^|(?<=[.!?\"'”’)]))\s*(?:"
    r"E-?mail to a friend\b\.?|"
    rf"(?P<credit>(?:--\s*)?[A-Z]{_NAMED}{{0,200}}?\bcontributed to this (?:report|story|article)\b"
    rf"(?: from [A-Z]{_NAMED}{{0,60}}?)?\.?(?=\s*$|\s+[A-Z\"“]))|"
    rf"The (?:opinions|views) expressed in this (?:commentary|article|column|piece|essay) are solely those of "
    rf"{_NAMED}{{1,120}}?\.(?=\s*$)"
    r")",
)
# Publisher boilerplate glued to the story: "Copyright © 2009 Newsweek Budget Travel, Inc., all rights reserved.",
# "Get the best travel deals and tips emailed to you FREE - CLICK HERE!" (a promotion shouts its link).
_BOILERPLATE = re.compile(
    r"\s*(?:(?:Copyright\s*)?©|Copyright\s+(?=(?:19|20)\d\d))[^!?\n]{0,160}?all rights reserved\b\.?"
    r"|\s*[^.!?\n]{0,160}(?-i:\bCLICK HERE\b)[!.]?",
    re.I,
)
_NEWSROOM = re.compile(
    r"\b(?:CNN|AP|AFP|Reuters|Associated Press|Agence France|BBC|journalists?|producers?|correspondents?|"
    r"reporters?|writers?|editors?|stringers?|bureau)\b|[A-Za-z.]+['’]s?\s",
    re.I,
)


def _chrome(match: re.Match[str]) -> str:
    """'' for chrome; a credit-like sentence that names no newsroom is the story's own and stays."""
    credit = match.group("credit")
    return match.group(0) if credit and not _NEWSROOM.search(credit) else ""


_BARE_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")
_INITIALS = re.compile(r"^[A-Z]{1,3}$")  # agency sign-off such as "SS" or "AP"


def is_furniture(line: str, *, last: bool = False) -> bool:
    """True when a whole line is page furniture rather than article text."""
    stripped = line.strip()
    if not stripped:
        return False
    if stripped.lower().rstrip(":") in _LABELS or _CAPTCHA.match(stripped):
        return True
    if _COMMENT_POLICY.search(stripped) and len(stripped) < 600:
        return True
    return last and bool(_INITIALS.match(stripped))


def strip_inline(line: str) -> str:
    """Remove furniture inside a line: bare pic.twitter.com links, share links, credit lines, disclaimers,
    copyright notices and shouted promotions."""
    line = _TWITTER_PIC.sub("", line)
    if "rights reserved" in line.lower() or "CLICK HERE" in line:
        line = _BOILERPLATE.sub("", line)
    if "contributed to this" in line or "mail to a friend" in line or "expressed in this" in line:
        while (stripped := _INLINE_CHROME.sub(_chrome, line)) != line:  # one removed can bare the next's start
            line = stripped
    return line.rstrip()


def clean_lines(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split `lines` into the lines kept (inline furniture removed) and the lines dropped as furniture."""
    kept: list[str] = []
    dropped: list[str] = []
    content = [i for i, line in enumerate(lines) if line.strip()]
    last_index = content[-1] if content else -1
    for i, line in enumerate(lines):
        if is_furniture(line, last=(i == last_index)):
            dropped.append(line.strip())
            continue
        cleaned = strip_inline(line)
        if cleaned != line.rstrip():
            dropped.append(line[len(cleaned) :].strip() if line.startswith(cleaned) else line.strip())
        if cleaned.strip() or not line.strip():
            kept.append(cleaned)
    return kept, dropped


def is_bare_url(line: str) -> bool:
    """True when the line is a URL and nothing else."""
    return bool(_BARE_URL_LINE.match(line))
