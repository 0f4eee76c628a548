"""Staff names in text customers read: the sign of an update meant for responders.

An update's `audience` is `business` when it is left out, and a business update of an
incident that affects a public service is on the public status page, in the feeds and
in the API (derive/audience). An update that names a person of the registry (by full
name or e-mail address) was most often written for responders, with `audience` forgotten
at 3 a.m.; customers should never read who did what. A warning at the text, not an
error: a named spokesperson may be meant.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from mimp.diagnostics import Report
from mimp.model import Incident, Site


def names_in_public_text(site: Site, only: Collection[str] | None = None) -> Report:
    """A warning at each public text of a public incident (of those in `only`, when
    given) that names a registry person."""
    report = Report()
    people = _People(site)
    if not people.who and not people.emails:
        return report
    public = {service_id for service_id, service in site.services.items() if service.public}
    for incident in site.incidents.values():
        if only is not None and incident.id not in only:
            continue
        if incident.drill or not _affects(incident, public):
            continue
        for where, label, text in _public_texts(incident):
            named = people.named_in(text)
            if named is None:
                continue
            report.warning(
                incident.source_path,
                incident.line(*where),
                f"{label} names {named}, a person in the registry, and is public (the "
                "status page, the feeds and the API): customers should not read who did "
                "what. If it was written for responders, add 'audience: technical' (or "
                "'staff', for the company's stakeholders)",
            )
    return report


# Punctuation and symbols become spaces, so "Kian Doyle's" and "(Kian Doyle)" are words
# "kian doyle s". str.translate and str.split run in C: every public text is read once.
_TO_SPACE = str.maketrans({char: " " for char in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~’‘“”–—…"})


def _words(text: str) -> list[str]:
    return text.lower().translate(_TO_SPACE).split()


class _People:
    """Every person's full name (two words or more: a first name alone is too common a
    word) and e-mail address, found in a text by its words, in one pass."""

    def __init__(self, site: Site) -> None:
        self.who: dict[tuple[str, ...], str] = {}
        self.emails: dict[str, str] = {}
        for person in site.people.values():
            words = tuple(_words(person.name))
            if len(words) >= 2:
                self.who[words] = person.name
            if person.email:
                self.emails[person.email.lower()] = f"{person.name} ({person.email})"
        self.lengths = sorted({len(words) for words in self.who}, reverse=True)
        self.firsts = {words[0] for words in self.who}

    def named_in(self, text: str) -> str | None:
        """Whom the text names (the first found), or None."""
        if "@" in text:
            lowered = text.lower()
            for email, shown in self.emails.items():
                if email in lowered:
                    return shown
        words = _words(text)
        if self.firsts.isdisjoint(words):
            return None
        for index, word in enumerate(words):
            if word not in self.firsts:
                continue
            for length in self.lengths:
                name = self.who.get(tuple(words[index : index + length]))
                if name:
                    return name
        return None


def _affects(incident: Incident, public: set[str]) -> bool:
    if any(service_id in public for service_id in incident.services):
        return True
    return any(
        service_id in public for update in incident.updates for service_id in update.services
    )


def _public_texts(incident: Incident) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """(where, what, text) of each text of the incident that the public build shows."""
    yield ("title",), "the title", incident.title
    yield ("summary",), "the summary", incident.summary
    if incident.customer_workaround:
        yield ("customer_workaround",), "customer_workaround", incident.customer_workaround
    for index, update in enumerate(incident.updates):
        if update.audience == "business":
            yield ("updates", index, "message"), f"updates[{index}] (business)", update.message
