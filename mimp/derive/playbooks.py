"""Which playbooks apply to an incident: those naming one of its services or tags.

Shared by the internal incident page and the commander's commands (contract v2).
"""

from __future__ import annotations

from mimp.model import Incident, Site
from mimp.model.registry import Playbook


def matching_playbooks(incident: Incident, site: Site) -> list[Playbook]:
    """Playbooks whose `applies_to` names a service the incident touches (at declaration
    or in any update) or one of its tags, in registry order."""
    services = set(incident.services)
    for update in incident.updates:
        services.update(update.services)
    tags = {tag.lower() for tag in incident.tags}
    return [
        playbook
        for playbook in site.playbooks.values()
        if services.intersection(playbook.applies_to.services)
        or tags.intersection(tag.lower() for tag in playbook.applies_to.tags)
    ]
