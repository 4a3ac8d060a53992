"""Who may talk to the bot, who may run admin commands, and how fast."""

from __future__ import annotations

import time
from collections import defaultdict, deque
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


class RateLimiter:
    """At most `per_minute` questions per user in any 60 seconds (a sliding window)."""

    def __init__(self, per_minute: int, clock: object = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._seen: dict[int, deque[float]] = defaultdict(deque)

    def retry_in(self, user_id: int) -> float:
        """0 when the user may ask now (and counts the question), else seconds until they may."""
        if self.per_minute <= 0:
            return 0.0
        now = self._clock()  # type: ignore[operator]
        window = self._seen[user_id]
        while window and now - window[0] >= 60:
            window.popleft()
        if len(window) >= self.per_minute:
            return 60 - (now - window[0])
        window.append(now)
        return 0.0
