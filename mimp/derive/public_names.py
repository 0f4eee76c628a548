"""Staff names in text customers read: the sign of an update meant for responders.

An update's `audience` is `business` when it is left out, and a business update of an
incident that affects a public service is on the public status page, in the feeds and
in the API (derive/audience). An update that names a person of the registry (by full
name or e-mail address) or gives a registry phone number (a person's, an on-call
rota's) was most often written for responders, with `audience` forgotten at 3 a.m.;
customers should never read who did what, nor call the on-call engineer. A warning at
the text, naming everyone it found, not an error: a named spokesperson may be meant.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

from mimp.diagnostics import Report
from mimp.model import Incident, Site
from mimp.model.phone import dial

# Digits with the separators numbers are written with: "+44 (0)7700 900444", "0300-555".
_PHONE_LIKE = re.compile(r"\+?\d[\d \t().\-/]{5,}\d")
# A number is known by its last digits: "+44 7700 900444" and "07700 900444" are one.
PHONE_DIGITS = 9
MIN_PHONE_DIGITS = 7  # shorter runs are times, amounts and codes, not phone numbers


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
            if not named:
                continue
            who = _listed(named)
            report.warning(
                incident.source_path,
                incident.line(*where),
                f"{label} names {who}, {'a person' if len(named) == 1 else 'people'} in "
                "the registry, and is public (the status page, the feeds and the API): "
                "customers should not read who did what, nor call the on-call numbers. If "
                "it was written for responders, add 'audience: technical' (or 'staff', for "
                "the company's stakeholders)",
            )
    return report


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


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
        self.phones: dict[str, str] = {}
        for person in site.people.values():
            words = tuple(_words(person.name))
            if len(words) >= 2:
                self.who[words] = person.name
            if person.email:
                self.emails[person.email.lower()] = f"{person.name} ({person.email})"
            self._phone(person.phone, f"the phone number of {person.name}")
        for rotation in site.rotations.values():
            self._phone(rotation.phone, f"the phone number of the {rotation.name} rota")
        self.lengths = sorted({len(words) for words in self.who}, reverse=True)
        self.firsts = {words[0] for words in self.who}

    def _phone(self, text: str | None, shown: str) -> None:
        key = _phone_key(dial(text))
        if key is not None:
            self.phones.setdefault(key, shown)

    def named_in(self, text: str) -> list[str]:
        """Whom the text names (each once, in the order found: e-mail addresses, names,
        phone numbers); empty when nobody."""
        found: list[str] = []
        if "@" in text:
            lowered = text.lower()
            found += [shown for email, shown in self.emails.items() if email in lowered]
        words = _words(text)
        if not self.firsts.isdisjoint(words):
            for index, word in enumerate(words):
                if word not in self.firsts:
                    continue
                for length in self.lengths:
                    name = self.who.get(tuple(words[index : index + length]))
                    if name:
                        found.append(name)
                        break
        if self.phones:
            for match in _PHONE_LIKE.finditer(text):
                shown = self.phones.get(_phone_key(dial(match[0])) or "")
                if shown:
                    found.append(shown)
        return list(dict.fromkeys(found))


def _phone_key(link: str | None) -> str | None:
    """The last PHONE_DIGITS digits of a `tel:` link (model/phone.dial), or None for a
    number too short to tell apart from a time or an amount."""
    if link is None:
        return None
    digits = link.removeprefix("tel:").split(";", 1)[0].lstrip("+")
    return digits[-PHONE_DIGITS:] if len(digits) >= MIN_PHONE_DIGITS else None


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
