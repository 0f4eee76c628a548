"""Has this happened before, and what did we do? Related and similar incidents.

Related incidents are the explicit `related` links, read in both directions: if
B names A, A's page lists B too.

Similar incidents share services or tags with this one. The score is
SERVICE_WEIGHT per shared service plus TAG_WEIGHT per shared tag (tags compared
without regard to case), and at least MIN_SCORE. Earlier incidents come first, best score first, then
the most recent; later ones only fill the list when fewer earlier ones match.
Incidents are compared with incidents and maintenance with maintenance; drills
are never offered as a match, and explicitly related incidents are not repeated.

For build time to stay linear with thousands of records, each shared service or
tag contributes at most CANDIDATES_PER_KEY of its nearest incidents in time on
either side as candidates, and only the best LIMIT * SHORTLIST_FACTOR of those
by a quick tally are scored exactly. With fewer records than that per service
or tag the result is exact.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from mimp.derive.status import utc
from mimp.model import Incident

SERVICE_WEIGHT = 2
TAG_WEIGHT = 1
MIN_SCORE = 2  # a shared service, or two shared tags: one common tag alone is noise
LIMIT = 5
CANDIDATES_PER_KEY = 100
SHORTLIST_FACTOR = 4


def tag_key(tag: str) -> str:
    """Tags are the same tag whatever their case: 'Payments' is 'payments'."""
    return tag.strip().casefold()


@dataclass(frozen=True)
class Match:
    incident: Incident
    score: int
    services: tuple[str, ...]  # shared service ids
    tags: tuple[str, ...]  # shared tags, as this incident writes them
    earlier: bool  # declared before the incident it is similar to


def _order(incident: Incident) -> tuple:
    return (utc(incident.declared_at), incident.id)


class Similarity:
    """Related and similar incidents among `incidents` (one build's view), computed on demand."""

    def __init__(self, incidents: Iterable[Incident]) -> None:
        self.incidents = sorted(incidents, key=_order)
        self.by_id = {i.id: i for i in self.incidents}
        self._position = {i.id: n for n, i in enumerate(self.incidents)}
        self._related: dict[str, set[str]] = {}
        for incident in self.incidents:
            for other in incident.related:
                if other in self.by_id and other != incident.id:
                    self._related.setdefault(incident.id, set()).add(other)
                    self._related.setdefault(other, set()).add(incident.id)
        # Posting lists, oldest first: (kind, key) -> positions in self.incidents.
        self._postings: dict[tuple[str, str, str], list[int]] = {}
        self._tag_keys = [frozenset(tag_key(t) for t in i.tags) for i in self.incidents]
        for position, incident in enumerate(self.incidents):
            if incident.drill:
                continue
            for key in self._keys(incident):
                self._postings.setdefault(key, []).append(position)

    @staticmethod
    def _keys(incident: Incident) -> set[tuple[str, str, str]]:
        keys = {(incident.type, "service", s) for s in incident.services}
        keys |= {(incident.type, "tag", tag_key(t)) for t in incident.tags if tag_key(t)}
        return keys

    def related(self, incident: Incident) -> list[Incident]:
        """Explicitly related incidents, both directions, newest first."""
        found = [self.by_id[i] for i in self._related.get(incident.id, ())]
        return sorted(found, key=_order, reverse=True)

    def similar(self, incident: Incident, limit: int = LIMIT) -> list[Match]:
        own = self._position.get(incident.id)
        if own is None:
            return []
        skip = {self._position[i] for i in self._related.get(incident.id, ())} | {own}
        # Tally each candidate's score over the keys it was found under, cheaply (Counter's
        # update counts in C; a service counts twice), earlier and later ones apart...
        earlier: Counter[int] = Counter()
        later: Counter[int] = Counter()
        for key in self._keys(incident):
            postings = self._postings.get(key)
            if not postings:
                continue
            split = bisect_left(postings, own)
            before = postings[max(0, split - CANDIDATES_PER_KEY) : split]
            after = postings[split : split + 1 + CANDIDATES_PER_KEY]
            for _ in range(SERVICE_WEIGHT if key[1] == "service" else TAG_WEIGHT):
                earlier.update(before)
                later.update(after)
        for position in skip:
            earlier.pop(position, None)
            later.pop(position, None)
        # ...then score the front-runners exactly and keep the best: earlier ones first,
        # each side by tally, then the most recent.
        shortlist = limit * SHORTLIST_FACTOR
        front = heapq.nlargest(shortlist, earlier.items(), key=_by_tally)
        if len(front) < shortlist:
            front += heapq.nlargest(shortlist - len(front), later.items(), key=_by_tally)
        own_tags = {tag_key(t): t.strip() for t in incident.tags if tag_key(t)}
        scored = []
        for position, _ in front:
            other = self.incidents[position]
            other_tags = self._tag_keys[position]
            services = tuple(s for s in incident.services if s in other.services)
            tags = tuple(t for k, t in own_tags.items() if k in other_tags)
            score = SERVICE_WEIGHT * len(services) + TAG_WEIGHT * len(tags)
            if score >= MIN_SCORE:
                # Positions follow (declared_at, id), so a later position is more recent.
                scored.append((position < own, score, position, services, tags))
        # Earlier incidents before later ones; best score first, then the most recent.
        scored.sort(reverse=True, key=_by_rank)
        return [
            Match(self.incidents[position], score, services, tags, earlier)
            for earlier, score, position, services, tags in scored[:limit]
        ]


# (position, tally) -> (tally, position): the best tally first, then the most recent.
_by_tally = itemgetter(1, 0)
_by_rank = itemgetter(0, 1, 2)
