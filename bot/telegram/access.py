"""Who may talk to the bot, who may run admin commands, and how fast."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from bot.errors import ConfigError


@dataclass(frozen=True)
class UserList:
    """Numeric ids and @usernames, from a comma-separated setting such as `12345, @alice`."""

    ids: frozenset[int]
    usernames: frozenset[str]

    @classmethod
    def parse(cls, raw: str, name: str) -> UserList:
        """Parse the setting `name`; a malformed entry is a `ConfigError`."""
        ids: set[int] = set()
        usernames: set[str] = set()
        for entry in (e.strip() for e in raw.replace(";", ",").split(",")):
            if not entry:
                continue
            if entry.lstrip("-").isdigit():
                ids.add(int(entry))
            elif entry.startswith("@") and len(entry) > 1 and entry[1:].replace("_", "").isalnum():
                usernames.add(entry[1:].lower())
            else:
                raise ConfigError(f"{name}: {entry!r} is neither a numeric user id nor an @username")
        return cls(frozenset(ids), frozenset(usernames))

    @property
    def empty(self) -> bool:
        return not self.ids and not self.usernames

    def contains(self, user_id: int | None, username: str | None) -> bool:
        """True when the user is listed by id or by username."""
        return (user_id is not None and user_id in self.ids) or (
            username is not None and username.lower() in self.usernames
        )


@dataclass(frozen=True)
class Verdict:
    """The rate limiter's decision on one question.

    Attributes:
        allowed: the question may be answered.
        notify: refused, and the user has not been told yet in this window: say "slow down" once.
        wait_s: seconds until the user may ask again (0 when allowed).
    """

    allowed: bool
    notify: bool = False
    wait_s: float = 0.0


class RateLimiter:
    """At most `per_minute` questions per user in any 60 seconds (a sliding window).

    A refused user is told once per window: further messages until they may ask again are dropped silently
    (a notice per message would itself trip Telegram's flood limits). A message counts once, however often
    it is edited.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._seen: dict[int, deque[tuple[float, Hashable]]] = defaultdict(deque)
        self._quiet_until: dict[int, float] = {}

    def check(self, user_id: int, message: Hashable = None) -> Verdict:
        """Count a question of `user_id` if allowed; `message` identifies it so that its edits count once."""
        if self.per_minute <= 0:
            return Verdict(True)
        now = self._clock()
        window = self._seen[user_id]
        while window and now - window[0][0] >= 60:
            window.popleft()
        if message is not None and any(key == message for _, key in window):
            return Verdict(True)  # an edit of a question already counted
        if len(window) >= self.per_minute:
            wait = 60 - (now - window[0][0])
            notify = now >= self._quiet_until.get(user_id, 0.0)
            if notify:
                self._quiet_until[user_id] = now + wait
            return Verdict(False, notify, wait)
        window.append((now, message))
        return Verdict(True)
