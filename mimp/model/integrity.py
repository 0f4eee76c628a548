"""Rules that span records: references, dependency cycles, and time running forwards.

These are errors: a site that breaks them is not published.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import timedelta

from mimp.diagnostics import Report
from mimp.model.did_you_mean import did_you_mean
from mimp.model.errors import not_one_of
from mimp.model.incident import (
    MILESTONES,
    Impact,
    Incident,
    Update,
    a_or_an,
    final_status,
    statuses_for,
    update_impacts_for,
)
from mimp.model.limits import MAX_DEPENDENCY_DEPTH, MAX_REGISTRY_SERVICES, MAX_REGISTRY_VENDORS
from mimp.model.phone import dial, no_number_hint
from mimp.model.pir import Pir
from mimp.model.relative_links import report_relative_links
from mimp.model.site import Site
from mimp.model.types import Record

MAX_KNOWN_LISTED = 12


def check_integrity(site: Site, only: Collection[str] | None = None) -> Report:
    """Every reference and timeline of the site; with `only` (incident ids), the rules of
    single incidents and PIRs for those alone (a record's own rules read the registry
    and which ids exist, never another record), the rest as always."""
    report = Report()
    _check_registry(site, report)
    for incident in site.incidents.values():
        if only is None or incident.id in only:
            _check_incident_references(site, report, incident)
            _check_incident_timeline(report, incident)
            report_relative_links(report, incident)
    for pir in site.pirs.values():
        if only is None or pir.incident_id in only:
            _check_pir(site, report, pir)
    _check_dependency_cycles(site, report)
    _check_registry_size(site, report)
    _summarise_unchecked(site, report)
    return report


def _check_registry_size(site: Site, report: Report) -> None:
    """The dependency matrix and the status page grow with services times services: one
    error, at the first service past the limit (in the order the files are read)."""
    for kind, limit in (("services", MAX_REGISTRY_SERVICES), ("vendors", MAX_REGISTRY_VENDORS)):
        records = list(site.registry(kind).values())
        if len(records) > limit:
            first = records[limit]
            report.error(
                first.source_path,
                first.line(),
                f"the registry defines {len(records):,} {kind}: at most {limit:,} are allowed "
                f"('{first.id}' is number {limit + 1:,}, in the order files are read)",
            )


def _summarise_unchecked(site: Site, report: Report) -> None:
    """One line per registry file that did not parse, instead of an 'unknown id' error for
    every reference to what it defines: its parse error is the cause to fix first."""
    for path, count in sorted(site.unchecked_references.items()):
        kinds = sorted(kind for kind, paths in site.unparsed_kinds.items() if path in paths)
        report.warning(
            path,
            None,
            f"{count} reference(s) to {', '.join(kinds)} in other files were not checked, "
            "because this file could not be read: fix its error first, then check again",
        )


def _unparsed(site: Site, kinds: Iterable[str]) -> str | None:
    """The first registry file that did not parse and may define one of `kinds`."""
    for kind in kinds:
        if paths := site.unparsed_kinds.get(kind):
            return paths[0]
    return None


def unknown(noun: str, value: str, known: Collection[str]) -> str:
    """ "unknown service 'parcels'; did you mean 'parcel'? known: a, b, c"."""
    message = f"unknown {noun} '{value}'"
    if not known:
        return message + f"; there is no {noun} defined yet"
    message += did_you_mean(value, known) or "."
    listed = sorted(known)
    more = len(listed) - MAX_KNOWN_LISTED
    shown = ", ".join(listed[:MAX_KNOWN_LISTED]) + (f", … ({more} more)" if more > 0 else "")
    return message + f" Known: {shown}"


class _Refs:
    """Checks references from one record and reports unknown ones at their line."""

    def __init__(self, site: Site, report: Report, record: Record) -> None:
        self.site = site
        self.report = report
        self.record = record

    def check(
        self,
        values: Iterable[str],
        kinds: tuple[str, ...],
        noun: str,
        *loc: str | int,
        item_loc: bool = True,
    ) -> None:
        registries = [self.site.registry(kind) for kind in kinds]
        for index, value in enumerate(values):
            if any(value in registry for registry in registries):
                continue
            if any(self.site.is_broken(kind, value) for kind in kinds):
                continue
            if unparsed := _unparsed(self.site, kinds):
                self.site.unchecked_references[unparsed] += 1
                continue
            known = set().union(*registries)  # only on an error: it can hold every incident id
            where = (*loc, index) if item_loc else (*loc, value)
            self.report.error(
                self.record.source_path, self.record.line(*where), unknown(noun, value, known)
            )


def _check_registry(site: Site, report: Report) -> None:
    for area in site.business_areas.values():
        _Refs(site, report, area).check(area.stakeholders, ("people",), "person", "stakeholders")
    for service in site.services.values():
        refs = _Refs(site, report, service)
        refs.check([service.owner], ("teams",), "team", "owner", item_loc=False)
        refs.check(service.business_areas, ("business_areas",), "business area", "business_areas")
        refs.check(service.depends_on, ("services", "vendors"), "service or vendor", "depends_on")
        if service.id in service.depends_on:
            report.error(
                service.source_path,
                service.line("depends_on"),
                f"service '{service.id}' depends on itself",
            )
    for team in site.teams.values():
        refs = _Refs(site, report, team)
        for index, step in enumerate(team.escalation):
            refs.check(
                step.notify,
                ("people", "rotations", "vendors"),
                "person, rotation or vendor",
                "escalation",
                index,
                "notify",
            )
    for rotation in site.rotations.values():
        _Refs(site, report, rotation).check(rotation.members, ("people",), "person", "members")
    _check_phones(site, report)
    for playbook in site.playbooks.values():
        scope = playbook.applies_to
        _Refs(site, report, playbook).check(
            scope.services, ("services",), "service", "applies_to", "services"
        )
        if not scope.services and not any(tag.strip() for tag in scope.tags):
            report.warning(
                playbook.source_path,
                playbook.line(),
                f"playbook '{playbook.id}' names no service and no tag in applies_to, so it "
                "matches no incident: add applies_to: {services: [ids], tags: [words]}",
            )
    for target in site.notifications.values():
        refs = _Refs(site, report, target)
        refs.check(target.services, ("services",), "service", "services")
        refs.check(target.business_areas, ("business_areas",), "business area", "business_areas")
        if target.team is not None:
            refs.check([target.team], ("teams",), "team", "team", item_loc=False)
    policy = site.policy
    if policy.pir_required_for:
        for index, severity in enumerate(policy.pir_required_for):
            if severity not in policy.severity_ids:
                report.error(
                    policy.source_path,
                    policy.line("pir_required_for", index),
                    unknown("severity", severity, policy.severity_ids),
                )


def _check_phones(site: Site, report: Report) -> None:
    """Phone text the pages cannot turn into a call link (model/phone.py)."""
    for record in [*site.people.values(), *site.rotations.values()]:
        if record.phone and dial(record.phone) is None:
            report.warning(record.source_path, record.line("phone"), no_number_hint(record.phone))
    for vendor in site.vendors.values():
        phone = vendor.support.phone if vendor.support else None
        if phone and dial(phone) is None:
            line = vendor.line("support", "phone")
            report.warning(vendor.source_path, line, no_number_hint(phone))


def _check_incident_references(site: Site, report: Report, incident: Incident) -> None:
    refs = _Refs(site, report, incident)
    refs.check(incident.services, ("services",), "service", "services", item_loc=False)
    if incident.commander:
        refs.check([incident.commander], ("people",), "person", "commander", item_loc=False)
    for index, action in enumerate(incident.actions):
        refs.check([action.by], ("people",), "person", "actions", index, "by", item_loc=False)
    _check_roles(site, report, incident, refs)
    refs.check(incident.vendors, ("vendors",), "vendor", "vendors")
    refs.check(incident.related, ("incidents",), "incident", "related")
    if incident.id in incident.related:
        report.error(
            incident.source_path,
            incident.line("related"),
            "an incident cannot be related to itself",
        )
    severities = site.policy.severity_ids
    unparsed_policy = _unparsed(site, ["policy"])
    if incident.severity is not None and incident.severity not in severities and unparsed_policy:
        site.unchecked_references[unparsed_policy] += 1
    elif incident.severity is not None and incident.severity not in severities:
        report.error(
            incident.source_path,
            incident.line("severity"),
            unknown("severity", incident.severity, severities),
        )
    # A severity key with no value is reported where the record is read, with a hint.
    if (
        incident.severity is None
        and not incident.is_maintenance
        and not incident.has_key("severity")
    ):
        report.error(
            incident.source_path,
            incident.line(),
            f"missing required key 'severity' (an incident needs one of: {', '.join(severities)})",
        )
    _check_update_impacts(refs, report, incident)
    for service_id, impact in incident.services.items():
        if (impact is Impact.UNDER_MAINTENANCE) != incident.is_maintenance:
            allowed = (
                "under_maintenance"
                if incident.is_maintenance
                else "degraded_performance, partial_outage or major_outage"
            )
            report.error(
                incident.source_path,
                incident.line("services", service_id),
                f"services.{service_id}: impact '{impact}' does not fit {a_or_an(incident.type)}; "
                f"allowed: {allowed}",
            )


def _check_roles(site: Site, report: Report, incident: Incident, refs: _Refs) -> None:
    """Each role is a standard one or one the policy adds; each names a known person."""
    allowed = site.policy.role_ids
    for role, person in incident.roles.items():
        if role not in allowed:
            report.error(
                incident.source_path,
                incident.line("roles", role),
                unknown("role", role, allowed)
                + " (a site adds its own roles in the policy's `roles` list)",
            )
        refs.check([person], ("people",), "person", "roles", role, item_loc=False)


def _check_update_impacts(refs: _Refs, report: Report, incident: Incident) -> None:
    """An update's `services` (contract v2): known services, impacts that fit the record."""
    allowed = update_impacts_for(incident.type)
    for index, update in enumerate(incident.updates):
        if not update.services:
            continue
        refs.check(
            update.services, ("services",), "service", "updates", index, "services", item_loc=False
        )
        for service_id, impact in update.services.items():
            if impact not in allowed:
                report.error(
                    incident.source_path,
                    incident.line("updates", index, "services", service_id),
                    f"updates[{index}].services.{service_id}: impact '{impact}' does not fit "
                    f"{a_or_an(incident.type)}; allowed: {', '.join(allowed)}",
                )


def _check_incident_timeline(report: Report, incident: Incident) -> None:
    path = incident.source_path
    allowed = statuses_for(incident.type)
    final = final_status(incident.type)
    previous = None
    last_for: dict[str, Update] = {}  # audience -> its latest update so far
    closed = False
    for index, update in enumerate(incident.updates):
        line = incident.line("updates", index)
        if update.reopens and not closed:
            before = (
                "it is the first update"
                if previous is None
                else f"the update before it is '{previous.status}'"
            )
            report.warning(
                path,
                incident.line("updates", index, "reopens"),
                f"updates[{index}] has 'reopens: true', but the {incident.type} was not "
                f"{final} before it ({before}): remove 'reopens: true', which only marks an "
                f"update after '{final}'",
            )
        if update.status not in allowed:
            report.error(
                path,
                incident.line("updates", index, "status"),
                not_one_of(
                    f"updates[{index}].status",
                    update.status,
                    allowed,
                    f"is not a status of {a_or_an(incident.type)}",
                    quote=False,
                ),
            )
        if previous is not None and update.at < previous.at:
            report.error(
                path,
                incident.line("updates", index, "at"),
                f"updates[{index}] at {update.at.isoformat()} is earlier than the update "
                f"before it ({previous.at.isoformat()}): keep updates in time order",
            )
        _check_promises(report, incident, index, update)
        before = last_for.get(update.audience)
        if before is not None:
            _check_copied(report, incident, index, update, before)
        last_for[update.audience] = update
        if update.status == final:
            closed = True
        elif closed and update.status in allowed:  # a wrong status is reported once, above
            if not update.reopens:
                report.error(
                    path,
                    line,
                    f"updates[{index}] is '{update.status}' after the {incident.type} was "
                    f"{previous.status if previous else 'closed'}: add 'reopens: true' to this "
                    "update if it really reopened",
                )
            closed = False
        previous = update
    last = incident.updates[-1]
    if incident.resolved_at is not None and last.status != final and last.status in allowed:
        reopened = next(
            (n for n in range(len(incident.updates) - 1, -1, -1) if incident.updates[n].reopens),
            None,
        )
        if reopened is not None:
            # The first resolution is kept by its update; resolved_at is the final one's.
            message = (
                f"resolved_at is set, and updates[{reopened}] reopened the {incident.type}: "
                f"resolved_at is the earlier resolution's time until a new '{final}' update "
                f"(`mimp resolve {incident.id}` posts it and sets resolved_at again; the "
                f"earlier '{final}' update keeps the first)"
            )
        else:
            message = (
                f"resolved_at is set but the last update is '{last.status}': add a final "
                f"update with status: {final} (or remove resolved_at if it is not over)"
            )
        report.warning(path, incident.line("resolved_at"), message)
    _check_milestones(report, incident)
    if incident.is_maintenance:
        _check_window(report, incident)


def _check_promises(report: Report, incident: Incident, index: int, update: Update) -> None:
    """A promise is about what comes after the update that makes it: a next update or a
    resolution dated before it is a typo in the date or the zone, and would show the
    incident overdue the moment it is published."""
    for name in ("next_update_by", "expected_resolution_by"):
        promised = getattr(update, name)
        if promised is not None and promised <= update.at:
            report.error(
                incident.source_path,
                incident.line("updates", index, name),
                f"updates[{index}].{name} ({promised.isoformat()}) is not after the update's "
                f"time ({update.at.isoformat()}): a promise lies ahead; a typo in the date "
                "or the zone?",
            )


# A promise this close to its update, and the same as the update before made, was copied
# with the block: "next update by 04:30" on an update posted at 04:28.
COPIED_PROMISE_WITHIN = timedelta(minutes=10)


def _check_copied(
    report: Report, incident: Incident, index: int, update: Update, previous: Update
) -> None:
    """An update written by copying the one before it for the same readers (`previous`)
    and not changing its time or promise: a late update then looks on time, or the page
    promises news minutes away. Practice warnings: two updates may be meant so (a
    correction posted the same minute), and a check of chosen records keeps them
    warnings."""
    # A time to the second comes from a clock (the commands write the second they ran);
    # a copied time is typed, in whole minutes.
    typed = update.at.second == 0 and update.at.microsecond == 0
    if typed and update.at == previous.at and update.message != previous.message:
        report.practice(
            incident.source_path,
            incident.line("updates", index, "at"),
            f"updates[{index}] has the same time as the update before it for the same "
            f"readers ({update.at.isoformat()}): was 'at' copied with the "
            "update and not changed? Write the time this update was posted",
        )
    promised = update.next_update_by
    if (
        promised is not None
        and promised == previous.next_update_by
        and update.at < promised <= update.at + COPIED_PROMISE_WITHIN
    ):
        report.practice(
            incident.source_path,
            incident.line("updates", index, "next_update_by"),
            f"updates[{index}].next_update_by ({promised.isoformat()}) is the promise the "
            f"update before made, only {int((promised - update.at).total_seconds() // 60)} "
            "minutes after this update: was it copied and not changed? Promise when the "
            "update after this one will come",
        )


def _check_milestones(report: Report, incident: Incident) -> None:
    stamps = [(name, getattr(incident, name)) for name in MILESTONES]
    present = [(name, value) for name, value in stamps if value is not None]
    for (early_name, early), (late_name, late) in zip(present, present[1:], strict=False):
        if late < early:
            report.error(
                incident.source_path,
                incident.line(late_name),
                f"{late_name} ({late.isoformat()}) is before {early_name} ({early.isoformat()}): "
                "milestones run started_at <= detected_at <= mitigated_at <= resolved_at",
            )


def _check_window(report: Report, incident: Incident) -> None:
    start, end = incident.scheduled_start, incident.scheduled_end
    for name, value in (("scheduled_start", start), ("scheduled_end", end)):
        if value is None and not incident.has_key(name):  # no value: reported with a hint
            report.error(
                incident.source_path,
                incident.line(),
                f"missing required key '{name}': a maintenance needs its window",
            )
    if start is not None and end is not None and end <= start:
        report.error(
            incident.source_path,
            incident.line("scheduled_end"),
            f"scheduled_end ({end.isoformat()}) is not after scheduled_start ({start.isoformat()})",
        )


def _check_pir(site: Site, report: Report, pir: Pir) -> None:
    if pir.incident_id not in site.incidents and not site.is_broken("incidents", pir.incident_id):
        report.error(
            pir.source_path,
            1,
            f"a PIR for incident '{pir.incident_id}', but there is no incident file "
            f"'{pir.incident_id}.md' (the PIR file is named after its incident)",
        )
    refs = _Refs(site, report, pir)
    refs.check(pir.attendees, ("people",), "person", "attendees")
    for index, step in enumerate(pir.next_steps):
        refs.check([step.owner], ("teams",), "team", "next_steps", index, "owner", item_loc=False)
        if step.done_on is not None and step.done_on < pir.held_on:
            report.warning(
                pir.source_path,
                pir.line("next_steps", index, "done_on"),
                f"next_steps[{index}] was done on {step.done_on}, before the review was held",
            )


def _check_dependency_cycles(site: Site, report: Report) -> None:
    graph = {
        sid: [d for d in s.depends_on if d in site.services and d != sid]
        for sid, s in site.services.items()
    }
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    depth: dict[str, int] = {}  # the longest chain of services from a service, itself included
    reported: set[frozenset[str]] = set()

    def visit(start: str) -> None:
        path: list[str] = []
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            node, index = stack.pop()
            if index == 0:
                state[node] = 1
                path.append(node)
            children = graph[node]
            if index < len(children):
                stack.append((node, index + 1))
                child = children[index]
                if state.get(child) == 1:
                    cycle = path[path.index(child) :] + [child]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        first = site.services[cycle[0]]
                        report.error(
                            first.source_path,
                            first.line("depends_on", first.depends_on.index(cycle[1])),
                            "dependency cycle: " + " -> ".join(cycle),
                        )
                elif child not in state:
                    stack.append((child, 0))
            else:
                state[node] = 2
                path.pop()
                # Children are done (or on a cycle, reported above): one pass gives depths.
                depth[node] = 1 + max((depth.get(c, 0) for c in children), default=0)
                if depth[node] == MAX_DEPENDENCY_DEPTH + 1:
                    _report_too_deep(site, report, node)

    for service_id in sorted(graph):
        if service_id not in state:
            visit(service_id)


def _report_too_deep(site: Site, report: Report, service_id: str) -> None:
    """Once per chain, where it first passes the limit: derived views walk chains."""
    service = site.services[service_id]
    report.error(
        service.source_path,
        service.line("depends_on"),
        f"service '{service_id}' depends on a chain of more than {MAX_DEPENDENCY_DEPTH} "
        f"services (service on service): at most {MAX_DEPENDENCY_DEPTH} levels are allowed",
    )
