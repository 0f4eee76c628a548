"""Synthetic site history for benchmarks and tests.

    python benchmarks/synth.py OUT_DIR --incidents N [--seed S]

writes a complete site that `mimp check` accepts with no errors: a contact
registry (about 42 services in a dependency DAG, 8 business areas, 12 teams
with escalation paths, 80 people, on-call rotations, 10 vendors, policy) and N
incident records of every kind (incidents of every severity and impact,
maintenance with windows, drills, PIRs), spread over the five years before
END. The same seed gives the same bytes. Importable: `write_site(out, n, seed)`.

Speed matters more than elegance here: records are written as text from
templates (no YAML library), so 10,000 incidents take a few seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

END = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # the benchmark's fixed "now"
YEARS = 5
TZ = ZoneInfo("Europe/London")
MARKER = ".mimp-synth"  # marks a folder this script may overwrite
REPO_ROOT = Path(__file__).resolve().parents[1]

# --------------------------------------------------------------------------
# The registry
# --------------------------------------------------------------------------

BUSINESS_AREAS = [
    ("online-sales", "Online sales", "The website, the app, checkout and online payments."),
    ("shops", "Shops", "Our 40 shops: tills, card terminals, stock and prices on the shelf."),
    ("fulfilment", "Fulfilment", "The warehouse, parcel labels, carriers and delivery tracking."),
    ("customer-service", "Customer service", "Phone lines, live chat, emails and returns."),
    ("finance", "Finance", "The ledger, payments to suppliers, gift card liabilities."),
    ("people", "People", "Payroll, the staff rota and the time clock."),
    ("marketing", "Marketing", "Campaign emails, loyalty and recommendations."),
    ("head-office", "Head office", "Staff email, sign-in, the intranet and the office network."),
]

# (id, name, lead title)
TEAMS = [
    ("checkout", "Payments and Checkout", "#inc-payments"),
    ("web", "Web and App", "#inc-web"),
    ("platform", "Cloud Platform", "#inc-platform"),
    ("network", "Network and Connectivity", "#inc-network"),
    ("identity", "Identity and Access", "#inc-identity"),
    ("stores-systems", "Store Systems", "#inc-stores"),
    ("fulfilment-systems", "Fulfilment Systems", "#inc-warehouse"),
    ("integration", "Integration and Data", "#inc-integration"),
    ("customer-contact", "Customer Contact Systems", "#inc-contact"),
    ("finance-systems", "Finance and People Systems", "#inc-finance"),
    ("workplace-it", "Workplace IT", "#inc-workplace"),
    ("marketing-tech", "Marketing Technology", "#inc-marketing"),
]

# (id, name, kind of service, support domain)
VENDORS = [
    ("nimbus-cloud", "Nimbus Cloud", "cloud hosting", "nimbuscloud.example"),
    ("edgeharbour", "EdgeHarbour CDN", "content delivery", "edgeharbour.example"),
    ("tillpoint-payments", "Tillpoint Payments", "card terminals", "tillpoint.example"),
    ("payhaven", "PayHaven", "online payment gateway", "payhaven.example"),
    ("parcelwise", "Parcelwise", "parcel carrier", "parcelwise.example"),
    ("mailrelay", "MailRelay", "email delivery", "mailrelay.example"),
    ("textbridge", "TextBridge", "SMS delivery", "textbridge.example"),
    ("voicelink", "VoiceLink", "telephony", "voicelink.example"),
    ("searchly", "Searchly", "hosted search", "searchly.example"),
    ("peoplepay", "PeoplePay", "payroll and HR software", "peoplepay.example"),
]


@dataclass(frozen=True)
class Svc:
    id: str
    name: str
    areas: tuple[str, ...]
    owner: str
    tier: int
    public: bool
    who: str  # who notices, plural
    action: str  # what they cannot do
    depends_on: tuple[str, ...]  # earlier services or vendors only: a DAG by construction
    description: str


# One service a line, foundations first: every service depends only on those above it,
# so depends_on is a DAG by construction. Columns: id | name | business areas | owner |
# tier | public | who notices | what they cannot do | depends_on | description.
SERVICE_TABLE = """
dns | Domain names (DNS) | head-office | network | 1 | - | customers and colleagues | reach our websites and systems | edgeharbour | Public and internal DNS zones.
office-network | Office and shop network | head-office shops | network | 1 | - | shops and offices | connect to our systems | dns | Wide-area network, shop routers and office Wi-Fi.
cloud-platform | Cloud hosting platform | head-office | platform | 1 | - | our online services | run normally | dns nimbus-cloud | The container platform every online service runs on.
core-databases | Core databases | head-office | platform | 1 | - | our online services | read or save data | cloud-platform nimbus-cloud | The managed PostgreSQL clusters behind most services.
staff-sign-in | Staff sign-in | head-office | identity | 1 | - | colleagues | sign in to work systems | dns office-network | Single sign-on and multi-factor authentication for staff.
messaging | Order messaging backbone | head-office | integration | 1 | - | order systems | pass orders between systems | cloud-platform core-databases | The queues that carry orders, stock and events between systems.
product-catalogue | Product catalogue and prices | online-sales shops | integration | 1 | - | customers and shops | see correct products and prices | core-databases messaging | Products, prices and promotions for every channel.
stock-levels | Stock levels | online-sales shops fulfilment | integration | 1 | - | customers and shops | see accurate stock | core-databases messaging | Stock by shop and warehouse, updated every few minutes.
website | Website | online-sales | web | 1 | public | customers | browse the website | cloud-platform product-catalogue stock-levels edgeharbour dns | larkspur.example: product pages, store finder, content.
mobile-app | Mobile app | online-sales | web | 1 | public | app users | use the app | cloud-platform product-catalogue stock-levels | The iOS and Android shopping app.
customer-accounts | Customer sign-in and accounts | online-sales customer-service | identity | 1 | public | customers | sign in to their accounts | cloud-platform core-databases | Sign-in, registration, password resets and saved addresses.
product-search | Product search | online-sales | web | 2 | public | customers | search for products | product-catalogue searchly | Search and filters on the website and app.
basket | Shopping basket | online-sales | checkout | 1 | public | customers | add items to their basket | website customer-accounts stock-levels | The basket on the website and app.
online-payments | Online card payments | online-sales finance | checkout | 1 | public | customers | pay by card online | cloud-platform payhaven | Card, Apple Pay and Google Pay payments online.
checkout | Online checkout | online-sales | checkout | 1 | public | customers | complete checkout | basket online-payments customer-accounts messaging | Delivery options, discount codes and placing the order.
gift-cards | Gift cards and vouchers | online-sales shops finance | checkout | 2 | public | customers | use gift cards | core-databases online-payments | Buying, checking and redeeming gift cards.
loyalty | Loyalty points | marketing online-sales | marketing-tech | 3 | public | loyalty members | collect or spend points | customer-accounts core-databases | Trail Club points and rewards.
recommendations | Product recommendations | marketing | marketing-tech | 3 | - | customers | see recommendations | product-catalogue cloud-platform | 'You may also like' on product pages and emails.
order-management | Order management | online-sales fulfilment | integration | 1 | - | order teams | process orders | messaging core-databases | Order lifecycle from payment to dispatch and refund.
card-payments | Card payments in shops | shops finance | checkout | 1 | public | shops | take card payments | office-network tillpoint-payments | Card terminals in every shop.
shop-tills | Shop tills | shops | stores-systems | 1 | - | shop staff | ring up sales | office-network product-catalogue card-payments | Tills and handheld scanners in our shops.
shop-stock-app | Shop stock app | shops | stores-systems | 2 | - | shop staff | look up or count stock | stock-levels office-network staff-sign-in | The handheld app for stock checks and replenishment.
price-labels | Shelf-edge price labels | shops | stores-systems | 3 | - | shop staff | print shelf labels | product-catalogue office-network | Printing and updating shelf-edge labels.
click-and-collect | Click and collect | online-sales shops | stores-systems | 2 | public | customers | collect orders from shops | order-management shop-tills | Orders placed online and picked up in a shop.
warehouse-picking | Warehouse picking | fulfilment | fulfilment-systems | 1 | - | warehouse staff | pick orders | order-management stock-levels office-network | Pick lists and scanners in the warehouse.
parcel-labels | Parcel labels | fulfilment | fulfilment-systems | 1 | - | warehouse staff | print parcel labels | warehouse-picking parcelwise | Carrier labels and manifests.
warehouse-dispatch | Warehouse dispatch | fulfilment | fulfilment-systems | 1 | - | the warehouse | dispatch parcels | warehouse-picking parcel-labels | Sorting, loading and handing parcels to carriers.
delivery-tracking | Delivery tracking | fulfilment customer-service | fulfilment-systems | 2 | public | customers | track their deliveries | warehouse-dispatch parcelwise website | Tracking pages and delivery estimates.
returns | Returns and refunds | customer-service finance | checkout | 2 | public | customers | return items or get refunds | order-management online-payments | Online returns, labels and refunds.
email-notifications | Order emails | customer-service | integration | 2 | public | customers | receive order emails | messaging mailrelay | Order confirmations, dispatch and refund emails.
sms-notifications | Order text messages | customer-service | integration | 3 | public | customers | receive delivery texts | messaging textbridge | Delivery and collection text messages.
contact-centre-phones | Customer service phone lines | customer-service | customer-contact | 1 | public | customers | call customer service | office-network voicelink | Inbound phone lines and call routing.
crm | Customer service desk | customer-service | customer-contact | 2 | - | customer service agents | look up customer cases | customer-accounts order-management staff-sign-in | Cases, order look-up and refunds for agents.
live-chat | Live chat | customer-service | customer-contact | 2 | public | customers | chat with customer service | crm website | Chat on the website and app.
finance-ledger | Finance ledger | finance | finance-systems | 2 | - | the finance team | post journals and pay suppliers | core-databases staff-sign-in | General ledger, payables and bank reconciliation.
payroll | Payroll | people finance | finance-systems | 2 | - | colleagues | get paid correctly | staff-sign-in peoplepay | Monthly and weekly payroll runs.
staff-rota | Staff rota and time clock | people shops fulfilment | finance-systems | 2 | - | shop and warehouse staff | clock in or see their shifts | staff-sign-in office-network peoplepay | Shift planning and clocking in.
staff-email | Staff email and calendar | head-office | workplace-it | 2 | - | colleagues | send or receive email | staff-sign-in dns | Mail, calendars and video calls.
intranet | Staff intranet | head-office people | workplace-it | 3 | - | colleagues | open the intranet | staff-sign-in cloud-platform | News, policies and how-to guides for staff.
data-warehouse | Reporting data warehouse | finance marketing head-office | integration | 3 | - | analysts | run sales reports | core-databases messaging | Daily sales, stock and finance reports.
marketing-email | Marketing emails | marketing | marketing-tech | 3 | - | the marketing team | send campaign emails | data-warehouse mailrelay | Newsletters and campaign emails.
supplier-portal | Supplier portal | finance fulfilment | integration | 3 | - | suppliers | send invoices and delivery notices | finance-ledger staff-sign-in cloud-platform | Invoices, purchase orders and delivery bookings for suppliers.
"""


def _parse_services(table: str) -> list[Svc]:
    out = []
    for row in table.strip().splitlines():
        sid, name, areas, owner, tier, public, who, action, deps, description = (
            cell.strip() for cell in row.split("|")
        )
        out.append(
            Svc(
                sid,
                name,
                tuple(areas.split()),
                owner,
                int(tier),
                public == "public",
                who,
                action,
                tuple(deps.split()),
                description,
            )
        )
    return out


SERVICES = _parse_services(SERVICE_TABLE)
SERVICE_BY_ID = {s.id: s for s in SERVICES}
VENDOR_IDS = [v[0] for v in VENDORS]
VENDOR_NAME = {v[0]: v[1] for v in VENDORS}
TEAM_CHANNEL = {t[0]: t[2] for t in TEAMS}
# Who depends on a service: an outage of a foundation spreads to these.
DEPENDENTS: dict[str, list[str]] = {s.id: [] for s in SERVICES}
for _s in SERVICES:
    for _d in _s.depends_on:
        if _d in DEPENDENTS:
            DEPENDENTS[_d].append(_s.id)

FIRST_NAMES = (  # noqa: SIM905
    "Alice Ben Chloe Dan Emma Farid George Hannah Isaac Jade Kofi Leah Mateo Nadia Oliver Priya "
    "Quinn Rosa Sam Tara Uma Victor Wren Xavier Yara Zoe Aaron Bea Callum Dina Elliot Fatima "
    "Gareth Holly Idris Julia Kian Laura Mohammed Nina Owen Paula Rhys Sofia Tomasz Una Vikram "
    "Willa Yusuf Zainab Amir Bryony Conor Deepa Ewan Freya Gwen Harvey Ines Jonah"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Morgan Okafor Evans Price Walsh Haddad Lewis Brooks Turner Campbell Mensah Grant Silva Nair "
    "Shah Kim Carter Novak Ahmed Reid Patel Byrne Clarke Doyle Fraser Gill Hughes Iqbal Jones "
    "Khan Lowe Murphy Nolan Osei Parry Quinn Rossi Singh Taylor Usman Vaughan Wood Young Zielinski"
).split()

SEVERITIES = [
    ("sev1", "Critical", "We cannot trade, or most customers or staff cannot use a key service."),
    (
        "sev2",
        "Major",
        "A key service is badly affected for many, with a workaround or reduced trade.",
    ),
    ("sev3", "Moderate", "A service is slow or partly unavailable for some customers or staff."),
    ("sev4", "Minor", "Small impact with an easy workaround; handled in working hours."),
]
SEV_WEIGHTS = [8, 22, 42, 28]
SEV_IMPACTS = {
    "sev1": (["major_outage", "partial_outage"], [75, 25]),
    "sev2": (["major_outage", "partial_outage", "degraded_performance"], [30, 50, 20]),
    "sev3": (["partial_outage", "degraded_performance"], [45, 55]),
    "sev4": (["degraded_performance", "partial_outage"], [80, 20]),
}
WEAKER = {
    "major_outage": "partial_outage",
    "partial_outage": "degraded_performance",
    "degraded_performance": "degraded_performance",
}
CRITERIA = [
    "sla_breach",
    "inability_to_trade",
    "reputational_damage",
    "legal",
    "staff_unable_to_work",
]
IMPACT_METRICS = {
    "online-sales": ["orders_lost", "revenue_lost_gbp", "customers_affected", "checkout_errors"],
    "shops": ["shops_affected", "transactions_declined", "revenue_lost_gbp", "queue_minutes"],
    "fulfilment": ["parcels_delayed", "orders_late", "carrier_collections_missed"],
    "customer-service": ["calls_abandoned", "customer_complaints", "chats_missed", "cases_delayed"],
    "finance": ["payments_delayed", "journals_reposted", "hours_lost"],
    "people": ["staff_affected", "shifts_corrected", "hours_lost"],
    "marketing": ["emails_not_sent", "customers_affected", "points_corrected"],
    "head-office": ["staff_affected", "hours_lost", "meetings_moved"],
}

# --------------------------------------------------------------------------
# Text: causes with their technical and business wording
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Cause:
    key: str
    tags: tuple[str, ...]
    detected_by: tuple[str, ...]
    change: str | None
    cause: str
    business: str  # "the cause" in business words, completes "We have found the cause: ..."
    workaround: str
    fix: str  # business words: what fixed it
    tech: tuple[str, str, str]  # technical updates: investigating, identified, monitoring
    prevent: str
    detect: str
    mitigate: str
    went_wrong: str


CAUSES = [
    Cause(
        "config-change",
        ("change", "configuration"),
        ("monitoring", "customer", "staff"),
        "{ref}: connection pool settings for {comp} changed on {day}",
        "A configuration change ({ref}) reduced the database connection pool of `{comp}` "
        "from {big} to {small}. Under normal {when} load requests queued for a connection "
        "and timed out after 30 seconds.\n\nThe change passed review because the pool size "
        "was not in the load-test profile.",
        "a settings change made earlier today left {name} unable to handle normal demand",
        "Traffic was moved to the standby region while the change was rolled back. "
        "Customers who saw an error could retry after a minute.",
        "we undid the change",
        (
            "p95 latency on `{comp}` up from 180 ms to {lat} s; {pct}% of requests timing out. "
            "Looking at changes in the last 24 hours.",
            "Correlates with {ref} deployed at {change_time}. Pool exhausted "
            "(`{small}/{small}` in use). Rolling back.",
            "Rollback complete, pool at {big}. Error rate back to baseline; watching for 30 min.",
        ),
        "Add pool sizes to the load-test profile and block changes that cut them without a test.",
        "Alert on connection-pool saturation above 80% for 5 minutes.",
        "Document and rehearse the rollback of configuration changes.",
        "The change was not linked to the service in the change calendar.",
    ),
    Cause(
        "certificate",
        ("certificate", "tls"),
        ("customer", "monitoring"),
        None,
        "The TLS certificate for `{comp}` expired at {cert_time}. Automatic renewal had been "
        "failing for three weeks because the DNS validation record was removed during a "
        "clean-up, and the renewal errors went to a mailbox nobody reads.",
        "a security certificate expired, so browsers and apps refused to connect to {name}",
        "None for customers. Staff used the backup address for internal tools.",
        "we installed a new certificate",
        (
            "Handshake failures on `{comp}`: `certificate has expired`. Checking the renewal job.",
            "Renewal job failing since {day}: DNS-01 challenge record missing. Issuing manually.",
            "New certificate deployed to all edge nodes; handshake errors at zero.",
        ),
        "Restore the DNS validation record and test renewal monthly.",
        "Monitor every certificate's expiry date, alert 21 days before.",
        "Keep a documented manual renewal procedure with the runbook.",
        "Renewal failures were emailed to an unread shared mailbox.",
    ),
    Cause(
        "db-failover",
        ("database", "failover"),
        ("monitoring", "staff"),
        None,
        "The primary database behind `{comp}` failed over to its standby after a storage "
        "fault at {vendor}. The application kept its connections to the old primary and "
        "had to be restarted to pick up the new one.",
        "a fault at our hosting provider moved a database, and {name} did not reconnect to it",
        "Restarting `{comp}` in batches restored service; no data was lost.",
        "we restarted the affected systems so they reconnected",
        (
            "`{comp}` throwing `connection refused` to the database since {start_time}. "
            "Database shows a failover event.",
            "Failover to the standby completed in 40 s but `{comp}` pods hold stale connections. "
            "Rolling restart started.",
            "All pods restarted and connected to the new primary. Error rate normal.",
        ),
        "Set connection validation and a maximum connection lifetime on every client.",
        "Alert on database failover events to the owning team, not just the platform team.",
        "A runbook step for rolling restarts after a failover.",
        "The application did not recover by itself after a routine failover.",
    ),
    Cause(
        "bad-release",
        ("release", "regression"),
        ("customer", "monitoring", "staff"),
        "Release {ver} of {comp}, deployed {day}",
        "Release {ver} of `{comp}` added a query without an index. It ran fine in testing "
        "with a small data set and took {lat} seconds per call in production, exhausting the "
        "worker pool.",
        "an update to {name} released this morning had a fault",
        "Rolled back to the previous release; the query was fixed and released again the "
        "next day with the index in place.",
        "we rolled back the update",
        (
            "Error rate on `{comp}` at {pct}% since {start_time}; release {ver} went out at "
            "{change_time}.",
            "Slow query in {ver}: sequential scan on a 40M-row table. Rolling back to the "
            "previous release.",
            "Rollback done. Latency and errors back to normal. Index migration prepared.",
        ),
        "Run release candidates against a production-sized copy of the data.",
        "Alert on error rate per release for 30 minutes after each deploy.",
        "One-click rollback for every service, practised monthly.",
        "The release went out late in the day without a canary.",
    ),
    Cause(
        "vendor-outage",
        ("vendor", "third-party"),
        ("vendor", "monitoring", "customer"),
        None,
        "{vendor} had an outage in their {region} region from {start_time}. `{comp}` has no "
        "second supplier for this, so requests failed until {vendor} recovered.",
        "one of our suppliers had a problem affecting {name}",
        "Where possible, traffic was sent to the backup route; the rest waited for the supplier.",
        "our supplier fixed the problem on their side",
        (
            "Calls from `{comp}` to {vendor} timing out ({pct}% failure). Their status page "
            "shows an incident in {region}.",
            "{vendor} confirm a fault in {region}; P1 raised ({ticket}). Failing over where "
            "we can.",
            "{vendor} report recovery; our success rate back to 99.9%. Keeping the P1 open "
            "until their RCA.",
        ),
        "Review a second supplier, or automatic failover to another region of the same one.",
        "Synthetic checks of the supplier's API every minute from two regions.",
        "A tested manual switch to the backup route.",
        "We heard about the supplier's outage from customers before the supplier told us.",
    ),
    Cause(
        "disk-full",
        ("capacity", "disk"),
        ("monitoring",),
        None,
        "The disk of `{comp}` filled up with debug logs left on after an earlier "
        "investigation. Once full, it could no longer write data and rejected requests.",
        "a system behind {name} ran out of storage space",
        "Old logs were deleted to free space; debug logging was switched off.",
        "we freed up storage space",
        (
            "`{comp}` rejecting writes: `No space left on device`. Disk at 100%.",
            "Debug logging enabled since {day} filled {gb} GB. Deleting rotated logs.",
            "Disk at 41% after clean-up; writes succeeding. Log level back to INFO.",
        ),
        "Expire debug logging automatically after 24 hours.",
        "Alert at 80% and 90% disk on every data volume.",
        "A clean-up script in the runbook.",
        "The disk alert fired at 90% at night and went to a muted channel.",
    ),
    Cause(
        "network",
        ("network", "hardware"),
        ("staff", "monitoring"),
        None,
        "A core switch at the {site} data centre failed. The standby link took over for "
        "most traffic, but `{comp}` had a static route that pointed at the failed switch.",
        "a piece of network equipment failed",
        "The route was changed by hand to use the standby link.",
        "we moved traffic to the backup network link",
        (
            "Packet loss to `{comp}` from {site}; switch core-{n} not responding.",
            "core-{n} hardware fault confirmed. Static route for `{comp}` still points at it. "
            "Changing route.",
            "Route updated, traffic flowing via core-{m}. Replacement switch ordered.",
        ),
        "Remove static routes; use the dynamic routing every other service uses.",
        "Monitor both paths to each critical service, not only the active one.",
        "A written procedure for moving routes to the standby link.",
        "A static route from 2019 was not in the network diagram.",
    ),
    Cause(
        "memory-leak",
        ("memory", "regression"),
        ("monitoring", "staff"),
        "Upgrade of {comp} runtime to {ver}",
        "After the runtime of `{comp}` was upgraded to {ver}, a library leaked memory under "
        "load. Instances were killed for running out of memory and restarted in a loop.",
        "a recent update to {name} made it unstable under load",
        "Instances were given more memory and restarted every few hours until the fix.",
        "we rolled back the update and added capacity",
        (
            "`{comp}` pods OOM-killed every ~{n} minutes; restart loop.",
            "Heap grows linearly since runtime {ver}. Known issue in the HTTP client library. "
            "Pinning the previous version.",
            "Previous runtime deployed; memory flat for 40 minutes.",
        ),
        "Soak-test runtime upgrades for 24 hours before production.",
        "Alert on restart loops, not just on availability.",
        "Keep the previous runtime image ready to deploy.",
        "The upgrade was bundled with unrelated changes, so it took time to suspect it.",
    ),
    Cause(
        "batch-overload",
        ("capacity", "batch"),
        ("monitoring", "customer"),
        "{ref}: new nightly export job scheduled",
        "A new export job for the data warehouse ran at the busiest time of day and read "
        "the whole orders table from `{comp}`, starving live traffic of database capacity.",
        "a background job overloaded {name}",
        "The job was stopped; it now runs at 03:00 against a replica.",
        "we stopped a background job that was overloading the system",
        (
            "Database CPU on `{comp}` at 100%; long-running query from the export user.",
            "Export job from {ref} doing a full scan at peak. Killing the job.",
            "Job stopped and rescheduled to 03:00 against the replica. CPU at 35%.",
        ),
        "Batch jobs must read from replicas and run outside peak hours.",
        "Alert on long-running queries over 5 minutes on primaries.",
        "Give the on-call engineer a documented way to pause any batch job.",
        "The job's schedule was set in UTC while the reviewers assumed local time.",
    ),
    Cause(
        "dns-record",
        ("dns", "change"),
        ("customer", "monitoring"),
        "{ref}: DNS clean-up of unused records",
        "A clean-up of unused DNS records ({ref}) deleted the record for `{comp}`, which was "
        "still in use. Cached answers kept it working for some users for up to an hour.",
        "a change to our internet address records made {name} unreachable for some people",
        "The record was restored from the zone backup; caches cleared within the hour.",
        "we restored the missing address record",
        (
            "NXDOMAIN for `{comp}` from external resolvers; internal resolvers still cached.",
            "Record removed by {ref} at {change_time}. Restoring from zone backup.",
            "Record restored, TTL 300. External checks passing from all probes.",
        ),
        "Check DNS records against live traffic before deleting them.",
        "External synthetic checks that resolve names from outside our network.",
        "Zone backups restorable in one command.",
        "The clean-up list was made from a stale inventory.",
    ),
    Cause(
        "ddos",
        ("security", "traffic"),
        ("monitoring",),
        None,
        "A flood of automated requests ({rps}k requests a second) hit `{comp}`. The rate "
        "limits at {vendor} were set per address and the traffic came from many addresses.",
        "an unusually high volume of automated traffic slowed {name} down",
        "Stricter bot rules were switched on at {vendor}; real customers were let through.",
        "we blocked the automated traffic",
        (
            "Request rate on `{comp}` at {rps}k/s, 20x normal; origin CPU saturated.",
            "Traffic from a botnet across many ASNs. Enabling the managed bot ruleset at {vendor}.",
            "Bot ruleset active; origin traffic normal. Keeping the rules for 48 hours.",
        ),
        "Managed bot protection on by default for every public endpoint.",
        "Alert on request rate at 5x the weekly baseline.",
        "A one-step runbook to switch on the strict bot ruleset.",
        "The bot rules needed an engineer with access we had not given the on-call rota.",
    ),
    Cause(
        "queue-backlog",
        ("messaging", "backlog"),
        ("staff", "monitoring"),
        None,
        "A consumer of the order queue for `{comp}` stopped after a broker restart and did "
        "not reconnect. Messages built up ({n}k waiting) until it was restarted.",
        "orders got stuck between two of our systems",
        "The consumer was restarted; the backlog cleared in about {m} minutes.",
        "we restarted the stuck component and cleared the backlog",
        (
            "Queue depth for `{comp}` at {n}k and rising; consumer count 0.",
            "Consumer lost its connection at the broker restart and did not retry. Restarting.",
            "Consumer running; backlog draining at 2k/min.",
        ),
        "Reconnect with back-off in every queue consumer.",
        "Alert when a queue has no consumers for 2 minutes.",
        "Runbook for restarting consumers and replaying messages.",
        "The broker restart was planned but consumers were not checked afterwards.",
    ),
]

BIZ_INVESTIGATING = [
    "We are investigating reports that {who} cannot {action}. {hint}Next update by {next}.",
    "{Who} may be unable to {action}. Our teams are looking into it now. {hint}"
    "We will update you by {next}.",
    "Since about {start}, {who} have had problems trying to {action}. We are working on it "
    "with priority. {hint}Next update by {next}.",
    "**{name}** is not working properly: {who} cannot reliably {action}. "
    "We are investigating. {hint}Next update by {next}.",
]
BIZ_IDENTIFIED = [
    "We have found the cause: {biz_cause}. We are fixing it now. Next update by {next}.",
    "The cause is known: {biz_cause}. A fix is being put in place. {hint}Next update by {next}.",
    "We know what went wrong ({biz_cause}) and are working on a fix. Next update by {next}.",
]
BIZ_MONITORING = [
    "{name} is working again: {fix}. We are watching it closely. Next update by {next}.",
    "A fix is in place ({fix}) and {who} can {action} again. We are monitoring. "
    "Next update by {next}.",
    "Things are back to normal since {now}; {fix}. We will keep monitoring until {next}.",
]
BIZ_PROGRESS = [
    "We are still working on the problem with {name}. {hint}Next update by {next}.",
    "Work to restore {name} continues. Thank you for your patience. Next update by {next}.",
    "No change yet: {who} still cannot reliably {action}. {hint}Next update by {next}.",
]
BIZ_RESOLVED = [
    "Resolved. {name} has worked normally since {mitigated}. {closing}",
    "This is now resolved: {who} can {action} as normal. {closing}",
    "Resolved. We have confirmed that {name} is back to normal. {closing}",
]
CLOSING = [
    "We are sorry for the disruption.",
    "A review will look at how to stop this happening again.",
    "If you still see a problem, please contact the service desk.",
    "Thank you for your patience.",
    "",
]
HINTS = {
    "customers": "Please try again later; orders already placed are not affected. ",
    "shops": "Shops can take cash and gift cards. ",
    "shop staff": "Please use the paper fallback in the shop manual. ",
    "warehouse staff": "Carry on picking to the holding bays. ",
    "colleagues": "Use the backup phone line for anything urgent. ",
}
TECH_EXTRA = [
    "Paging {vendor} as a precaution; no fault on their side so far.",
    "Dashboards: error rate {pct}%, p99 {lat} s. Scaling `{comp}` from {n} to {m} instances.",
    "Checked recent deploys: nothing in the last 6 hours apart from {ref}.",
    "Logs show `upstream timed out` from the load balancer for `{comp}`.",
    "Added extra capacity; no effect on the error rate, so not a capacity problem.",
]
# Sentences that make an update or a workaround as long as real ones (40-120 words):
# what customers and staff may see or do, who is on it, what is not affected.
BIZ_MORE = [
    "Orders, bookings and payments completed before {start} are not affected, and no data "
    "has been lost.",
    "If you tried to {action} during this time there is no need to contact us: we will say "
    "here when it is safe to try again.",
    "Our contact centre has been briefed and can help with anything urgent, although "
    "waiting times may be longer than usual while the problem lasts.",
    "The problem affects {name} only. Other services, including our shops and the phone "
    "line, are working normally.",
    "We know how frustrating this is, particularly at a busy time of the week, and we are "
    "treating it as our highest priority.",
    "Engineers from the {area} team and our suppliers are working on it together, and "
    "senior managers are being kept informed.",
    "Some {who} may see an error message or a page that does not load; others may find "
    "that it works after a second try.",
    "Nobody will be charged twice: if you saw an error after paying, the payment is "
    "reversed automatically within three working days.",
    "Colleagues in {site} and at the other sites have been told how to carry on in the meantime.",
    "Please check this page rather than calling the service desk, so that the lines stay "
    "free for urgent problems.",
    "We are sorry for the inconvenience this is causing to {who}.",
    "Reports started around {start}; most of them came from {who} in the {area} part of "
    "the business.",
]
TECH_MORE = [
    "Error budget for {name} burned {pct}% in the last hour; the SLO alert fired at {now}.",
    "No correlated alerts on the shared platform and {region} looks healthy, so this looks "
    "local to `{comp}`.",
    "Thread dumps from two pods attached to the ticket; heap usage flat at about {gb} MB.",
    "Traffic steady at about {rps} requests per second, so not a load spike.",
    "Holding the deploy pipeline for `{comp}` until we have a root cause: please do not "
    "merge to main.",
    "Nothing on the {vendor} status page yet; asked their support desk to confirm.",
    "Next check-in on the bridge at {next}; the scribe keeps the timeline in {channel}.",
    "Scaled `{comp}` from {n} to {m} instances to buy headroom while we look.",
]
MAINT_MORE = [
    "Orders and bookings made before the window are not affected.",
    "The work was planned for a quiet time, and the contact centre has been told what to "
    "say to anyone who calls.",
    "If anything takes longer than planned we will post an update here straight away.",
    "Colleagues in {site} have been told how to carry on during the window.",
]
MAINT_TECH_MORE = [
    "Health checks on `{comp}` green in {region}; traffic steady at about {rps} requests "
    "per second.",
    "Backups verified before the step ({gb} GB); the rollback plan in {ref} is still valid.",
    "No errors in the logs since the last step; replication lag under a second.",
    "Next step starts after the smoke tests; progress is posted in {channel}.",
    "Connection draining finished before the switch; no client saw a reset.",
]
WORKAROUND_MORE = [
    "Service desk staff should log each affected caller against {ref} so that we can "
    "follow up afterwards.",
    "Shops can take cash, gift cards and card payments on the offline terminals; offline "
    "payments are sent when the link is back, so keep the paper receipts until the end "
    "of the day.",
    "If the standby takes more than ten minutes to come up, page the {area} duty manager "
    "and ask for a decision on closing the channel for a while.",
    "Do not restart `{comp}` more than once in fifteen minutes: repeated restarts clear "
    "the queue and lose messages.",
    "Check the dashboards for `{comp}` before and after: the error rate should fall below "
    "1% within five minutes of the switch.",
    "Tell the contact centre to use the holding message and to offer a call back rather "
    "than asking customers to retry.",
    "Write down what was switched and when in {channel}, so that the switch back can be "
    "done in the same order.",
]
ACTIONS = [  # the middle of an incident, in no particular order
    "Checked the dashboards for `{comp}`: error rate {pct}%.",
    "Briefed the {area} stakeholders.",
    "Rolled back {ref}.",
    "Restarted `{comp}` in batches.",
    "Moved traffic to the standby region.",
    "Asked the contact centre to use the holding message.",
    "Scaled `{comp}` from {n} to {m} instances.",
    "Checked the change calendar for anything touching `{comp}`.",
    "Joined the bridge with the {area} duty manager.",
    "Shared the workaround with the service desk.",
]
VENDOR_ACTION = "Raised a priority 1 with {vendor} ({ticket})."
NARRATIVE = [
    "## Narrative\n\n{detected_phrase} at {detected}. The incident was declared at {declared} "
    "and the first business update went out {first_gap} minutes later.\n\n{cause_short}\n\n"
    "Service was restored at {mitigated}{after}.",
    "## What happened\n\n{cause_short}\n\n{detected_phrase} at {detected}; the commander "
    "declared a {sev} at {declared}. {workaround_short}\n\n## Follow-up\n\nSee the actions "
    "below and the review, where one was held.",
    "## Summary for the record\n\n{Who} could not {action} from {start}. "
    "{detected_phrase} at {detected}.\n\n{cause_short}",
]
DETECTED_PHRASE = {
    "monitoring": "Monitoring alerted the on-call engineer",
    "customer": "Customers told us first, through social media and the contact centre,",
    "staff": "Colleagues reported the problem to the service desk",
    "vendor": "The supplier told us about the problem",
}
MAINT_TITLES = [
    "Planned upgrade of {name}",
    "Planned maintenance: {name}",
    "{name}: scheduled database upgrade",
    "Network maintenance affecting {name}",
    "Planned security patching of {name}",
]
MAINT_WORK = [
    "upgrade the database behind {name}",
    "move {name} to new servers",
    "apply security updates to {name}",
    "replace network equipment used by {name}",
    "upgrade {name} to a new version",
]
TITLE_BY_IMPACT = {
    "major_outage": [
        "{Who} cannot {action}",
        "{name} unavailable",
        "{name} down for {who}",
        "{Who} unable to {action}",
    ],
    "partial_outage": [
        "Some {who} cannot {action}",
        "{name} partly unavailable",
        "Errors when {who} try to {action}",
        "{Who} intermittently unable to {action}",
    ],
    "degraded_performance": [
        "{name} slow",
        "{name} slow for {who}",
        "Delays when {who} {action}",
        "{name} unreliable",
    ],
}
SUMMARY = [
    "From {start} {who} could not reliably {action}. {scope} {restored}",
    "Between {start} and {end} {name} was {impact_words}. {scope} {restored}",
    "{Who} had trouble trying to {action} for about {duration}. {scope} {restored}",
]
IMPACT_WORDS = {
    "major_outage": "unavailable",
    "partial_outage": "partly unavailable",
    "degraded_performance": "slow and unreliable",
}
WENT_WELL = [
    "The first business update went out within ten minutes of declaring.",
    "The on-call engineer recognised the pattern from an earlier incident record.",
    "The workaround was in the runbook and worked first time.",
    "The supplier responded within their contracted time.",
    "Roles were clear: one commander, one scribe, one comms lead.",
    "Rollback took less than five minutes.",
]
REGIONS = ["eu-west-1", "eu-west-2", "eu-central-1", "London", "Dublin", "Frankfurt"]
SLUG_WORDS = {
    "major_outage": ["down", "outage", "unavailable"],
    "partial_outage": ["errors", "failing", "partial-outage"],
    "degraded_performance": ["slow", "delays", "degraded"],
}
TECH_STAGE = {"investigating": 0, "identified": 1, "monitoring": 2, "resolved": 2}
SITES = ["Slough", "Park Royal", "Manchester", "Dublin"]
COMPONENT_SUFFIXES = ["api", "worker", "db", "gateway", "cache", "frontend", "sync", "service"]


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def block(pad: str, key: str, text: str) -> str:
    """`key: |` and the text as a literal block, indented under `pad`."""
    inner = pad + "  "
    body = "\n".join(inner + line if line else "" for line in text.rstrip("\n").split("\n"))
    return f"{pad}{key}: |\n{body}"


def stamp(dt: datetime, local: bool) -> str:
    """ISO 8601 with an explicit offset: UTC as Z, or Europe/London local time."""
    if local:
        d = dt.astimezone(TZ)
        off = d.utcoffset()
        hours = int(off.total_seconds()) // 3600 if off else 0
        return (
            f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{d.hour:02d}:{d.minute:02d}:00+{hours:02d}:00"
        )
    return f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:00Z"


def hhmm(dt: datetime) -> str:
    d = dt.astimezone(TZ)
    return f"{d.hour:02d}:{d.minute:02d}"


def day_text(dt: datetime) -> str:
    d = dt.astimezone(TZ)
    return f"{d.day} {d.strftime('%B')}"


def local_date(dt: datetime) -> date:
    return dt.astimezone(TZ).date()


def slugify(text: str) -> str:
    out = []
    dash = False
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def lengthen(rng: random.Random, text: str, pool: list[str], f: dict) -> str:
    """`text` and sentences from `pool` until it is 40-120 words long, as real ones are."""
    target = rng.randint(40, 120)
    words = len(text.split())
    for sentence in rng.sample(pool, len(pool)):
        if words >= target:
            break
        extra = sentence.format_map(f)
        if words + len(extra.split()) > 120:
            continue
        text = f"{text.rstrip()} {extra}"
        words += len(extra.split())
    return text


def flow(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]"


# --------------------------------------------------------------------------
# Registry files
# --------------------------------------------------------------------------


@dataclass
class People:
    ids: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    team_lead: dict[str, str] = field(default_factory=dict)
    team_members: dict[str, list[str]] = field(default_factory=dict)
    commanders: list[str] = field(default_factory=list)
    comms: list[str] = field(default_factory=list)
    stakeholders: dict[str, str] = field(default_factory=dict)
    directors: list[str] = field(default_factory=list)


def _people(rng: random.Random) -> People:
    names = [(f, last) for f in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(names)
    people = People()
    taken: set[str] = set()
    picked = iter(names)

    def add(role: str) -> str:
        while True:
            first, last = next(picked)
            pid = f"{first}-{last}".lower()
            if pid not in taken:
                break
        taken.add(pid)
        n = len(people.ids) + 100
        people.ids.append(pid)
        people.lines += [
            f"  - id: {pid}",
            f"    name: {first} {last}",
            f"    role: {q(role)}",
            f"    phone: {q(f'+44 7700 900{n:03d}')}",
            f"    email: {first.lower()}.{last.lower()}@larkspur.example",
            f'    chat: "@{first.lower()}.{last.lower()}"',
        ]
        return pid

    people.directors = [add("Chief Technology Officer"), add("Head of Engineering")]
    for team_id, team_name, _ in TEAMS:
        people.team_lead[team_id] = add(f"{team_name} Team Lead")
        people.team_members[team_id] = [
            add(f"{'Senior ' if i == 0 else ''}Engineer, {team_name}") for i in range(4)
        ]
    people.commanders = [add("Incident Manager") for _ in range(8)]
    for area_id, area_name, _ in BUSINESS_AREAS:
        people.stakeholders[area_id] = add(f"Head of {area_name}")
    while len(people.ids) < 80:
        people.comms.append(add("Communications Manager"))
    return people


def _registry_files(rng: random.Random) -> tuple[dict[str, str], People]:
    people = _people(rng)
    files: dict[str, str] = {}
    files["people.yaml"] = "# Everyone who may be called in an incident.\npeople:\n" + "\n".join(
        people.lines
    )

    lines = ["# Business areas and the people told in business language.", "business_areas:"]
    for i, (area_id, name, description) in enumerate(BUSINESS_AREAS):
        comms = people.comms[i % len(people.comms)]
        lines += [
            f"  - id: {area_id}",
            f"    name: {name}",
            f"    description: {q(description)}",
            f"    stakeholders: {flow([people.stakeholders[area_id], comms])}",
        ]
    files["business.yaml"] = "\n".join(lines)

    lines = ["# Services as customers and staff know them; depends_on is a DAG.", "services:"]
    seen: set[str] = set(VENDOR_IDS)
    for svc in SERVICES:
        assert all(d in seen for d in svc.depends_on), svc.id  # a DAG by construction
        seen.add(svc.id)
        lines += [
            f"  - id: {svc.id}",
            f"    name: {q(svc.name)}",
            f"    description: {q(svc.description)}",
            f"    business_areas: {flow(list(svc.areas))}",
            f"    owner: {svc.owner}",
            f"    tier: {svc.tier}",
        ]
        if svc.depends_on:
            lines.append(f"    depends_on: {flow(list(svc.depends_on))}")
        if svc.public:
            lines.append("    public: true")
        if svc.tier == 1:
            lines.append(f"    sla: {{availability: {rng.choice(['99.9', '99.95', '99.5'])}}}")
        lines += [f"    runbook: https://wiki.larkspur.example/runbooks/{svc.id}", ""]
    files["services.yaml"] = "\n".join(lines)

    lines = ["# Who is paged, and when.", "teams:"]
    for team_id, name, channel in TEAMS:
        team_vendors = sorted(
            {d for s in SERVICES if s.owner == team_id for d in s.depends_on if d in VENDOR_IDS}
        )
        steps = [
            (0, [f"{team_id}-oncall"]),
            (15, [people.team_lead[team_id]]),
        ]
        if team_vendors:
            steps.append((30, team_vendors[:2]))
        steps.append((60, [people.directors[1]]))
        steps.append((120, [people.directors[0]]))
        lines += [f"  - id: {team_id}", f"    name: {q(name)}", f'    channel: "{channel}"']
        lines.append("    escalation:")
        for after, notify in steps:
            lines += [f"      - after_minutes: {after}", f"        notify: {flow(notify)}"]
    files["teams.yaml"] = "\n".join(lines)

    lines = ["# On-call rotas.", "rotations:"]
    for i, (team_id, name, _) in enumerate(TEAMS):
        lines += [
            f"  - id: {team_id}-oncall",
            f"    name: {q(name + ' on call')}",
            f'    phone: "+44 20 7946 07{i:02d}"',
            f"    email: {team_id}-oncall@larkspur.example",
            f"    members: {flow(people.team_members[team_id])}",
        ]
    lines += [
        "  - id: incident-managers",
        "    name: Incident manager on call",
        '    phone: "+44 20 7946 0799"',
        f"    members: {flow(people.commanders)}",
    ]
    files["rotations.yaml"] = "\n".join(lines)

    lines = ["# Suppliers and how to reach their support desks.", "vendors:"]
    for i, (vid, name, kind, domain) in enumerate(VENDORS):
        lines += [
            f"  - id: {vid}",
            f"    name: {q(name)}",
            "    support:",
            f'      phone: "+44 20 7946 04{i:02d}"',
            f"      email: support@{domain}",
            f"      url: https://status.{domain}",
            f"    contract: {q(f'Enterprise {kind} contract. Priority 1: 24x7, response within {rng.choice([15, 30, 60])} minutes.')}",
        ]
    files["vendors.yaml"] = "\n".join(lines)

    lines = [
        "# Incident policy.",
        "policy:",
        "  timezone: Europe/London",
        "  comms_interval_minutes: 60",
        "  first_comms_within_minutes: 15",
        "  pir_within_days: 2",
        "  pir_required_for: [sev1]",
        "  severities:",
    ]
    for sid, name, description in SEVERITIES:
        lines += [f"    - id: {sid}", f"      name: {name}", f"      description: {q(description)}"]
    files["policy.yaml"] = "\n".join(lines)
    return {name: text + "\n" for name, text in files.items()}, people


# --------------------------------------------------------------------------
# Incidents
# --------------------------------------------------------------------------


@dataclass
class Ctx:
    """Per-run state the incident writer needs."""

    rng: random.Random
    people: People
    by_service: dict[str, list[str]] = field(default_factory=dict)  # earlier incident ids
    used_ids: set[str] = field(default_factory=set)
    recent: list[str] = field(default_factory=list)


def _unique_id(ctx: Ctx, base: str) -> str:
    base = base[:58].rstrip("-")
    candidate = base
    n = 2
    while candidate in ctx.used_ids:
        candidate = f"{base}-{n}"
        n += 1
    ctx.used_ids.add(candidate)
    return candidate


def _pick_services(rng: random.Random, impact: str, sev: str) -> tuple[Svc, dict[str, str]]:
    if sev in ("sev1", "sev2"):
        weights = [4 if s.tier == 1 else 2 if s.tier == 2 else 1 for s in SERVICES]
    else:
        weights = [1 if s.tier == 1 else 2 if s.tier == 2 else 3 for s in SERVICES]
    primary = rng.choices(SERVICES, weights)[0]
    services = {primary.id: impact}
    dependents = DEPENDENTS[primary.id]
    if dependents:
        spread = rng.choices([0, 1, 2, 3], [45, 30, 15, 10])[0]
        for sid in rng.sample(dependents, min(spread, len(dependents))):
            services[sid] = WEAKER[impact] if rng.random() < 0.6 else impact
    return primary, services


def _fields(rng: random.Random, svc: Svc, vendor_id: str) -> dict[str, object]:
    n = rng.randint(2, 9)
    return {
        "name": svc.name,
        "who": svc.who,
        "Who": cap(svc.who),
        "action": svc.action,
        "comp": f"{svc.id}-{rng.choice(COMPONENT_SUFFIXES)}",
        "ref": f"CHG-{rng.randint(10000, 99999)}",
        "ticket": f"P1-{rng.randint(100000, 999999)}",
        "ver": f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}",
        "vendor": VENDOR_NAME[vendor_id],
        "region": rng.choice(REGIONS),
        "site": rng.choice(SITES),
        "pct": rng.randint(5, 95),
        "lat": rng.randint(3, 30),
        "big": rng.choice([100, 200, 400]),
        "small": rng.choice([5, 10, 20]),
        "n": n,
        "m": n + rng.randint(2, 12),
        "gb": rng.randint(40, 900),
        "rps": rng.randint(20, 400),
        "when": rng.choice(["morning", "lunchtime", "evening", "weekend"]),
        "channel": TEAM_CHANNEL[svc.owner],
        "area": svc.areas[0].replace("-", " "),
    }


def _vendor_for(rng: random.Random, svc: Svc) -> str:
    direct = [d for d in svc.depends_on if d in VENDOR_IDS]
    if direct:
        return rng.choice(direct)
    return rng.choice(["nimbus-cloud", "edgeharbour"])


@dataclass
class Written:
    id: str
    path: str
    text: str
    pir: str | None = None


def _timeline(rng: random.Random, first: datetime, count: int) -> list[tuple[datetime, str]]:
    """Update times 20-55 minutes apart; business updates never more than 60 apart."""
    out = [(first, "business")]
    last_business = first
    t = first
    for _ in range(count - 1):
        since = (t - last_business).total_seconds() // 60
        top = int(min(55, 60 - since))  # >= 20: a technical update is at most 40 after
        t = t + timedelta(minutes=rng.randint(20, top))
        since = (t - last_business).total_seconds() / 60
        audience = "technical" if since <= 40 and rng.random() < 0.4 else "business"
        if audience == "business":
            last_business = t
        out.append((t, audience))
    if out[-1][1] != "business":  # the closing update is for everyone
        out[-1] = (out[-1][0], "business")
    return out


def _statuses(count: int) -> list[str]:
    """investigating, identified, monitoring, resolved, stretched over `count` (>= 3) updates."""
    if count <= 3:
        return ["investigating", "identified", "resolved"][-count:]
    more = (count - 2) // 3  # a third of the middle is still investigating
    return [
        "investigating",
        *["investigating"] * more,
        *["identified"] * (count - 3 - more),
        "monitoring",
        "resolved",
    ]


def _incident(ctx: Ctx, declared: datetime, drill: bool) -> Written:
    rng = ctx.rng
    sev = rng.choices(["sev1", "sev2", "sev3", "sev4"], SEV_WEIGHTS)[0]
    impacts, weights = SEV_IMPACTS[sev]
    impact = rng.choices(impacts, weights)[0]
    svc, services = _pick_services(rng, impact, sev)
    cause = rng.choice(CAUSES)
    vendor_id = _vendor_for(rng, svc)
    f = _fields(rng, svc, vendor_id)
    local = rng.random() < 0.3

    # First comms are due within the policy's 15 minutes of the earlier of started_at and
    # detected_at (contract v2): the synthetic commanders meet it, so the check is clean.
    lead = rng.randint(2, 8)
    started = declared - timedelta(minutes=lead)
    detected = started + timedelta(minutes=rng.randint(1, lead))
    count = rng.randint(3, 12)
    first = declared + timedelta(minutes=rng.randint(1, 15 - lead))
    timeline = _timeline(rng, first, count)
    statuses = _statuses(count)
    mon_index = statuses.index("monitoring") if "monitoring" in statuses else count - 1
    mitigated = timeline[mon_index][0] - timedelta(minutes=rng.randint(1, 15))
    mitigated = max(mitigated, timeline[max(0, mon_index - 1)][0])
    resolved = timeline[-1][0]
    f.update(
        start=hhmm(started),
        end=hhmm(resolved),
        mitigated=hhmm(mitigated),
        day=day_text(started - timedelta(days=rng.randint(0, 2))),
        change_time=hhmm(started - timedelta(minutes=rng.randint(5, 120))),
        cert_time=hhmm(started),
        start_time=hhmm(started),
        sev=sev,
        hint=HINTS.get(svc.who, ""),
    )
    f["biz_cause"] = cause.business.format_map(f)
    f["fix"] = cause.fix

    title = rng.choice(TITLE_BY_IMPACT[impact]).format_map(f)
    title = cap(title)
    if drill:
        title = "Exercise: " + title
    slug = slugify(f"{svc.id} {rng.choice(SLUG_WORDS[impact])}")
    prefix = "drill-" if drill else ""
    rid = _unique_id(ctx, f"{local_date(declared).isoformat()}-{prefix}{slug}")

    # Cut everything at END: a record near the end is still active.
    kept = [(t, a, s) for (t, a), s in zip(timeline, statuses, strict=True) if t <= END]
    active = len(kept) < count
    duration_min = int((resolved - started).total_seconds() // 60)
    f["duration"] = (
        f"{duration_min} minutes"
        if duration_min < 120
        else f"{duration_min // 60} hours {duration_min % 60} minutes"
    )
    f["impact_words"] = IMPACT_WORDS[impact]
    others = [SERVICE_BY_ID[s].name for s in services if s != svc.id]
    f["scope"] = (
        f"It also affected {', '.join(others)}." if others else "No other services were affected."
    )
    f["restored"] = (
        "The cause is being worked on."
        if active
        else f"Service was restored at {f['mitigated']} {rng.choice(['after', 'when'])} {cause.fix}."
    )

    L = ["---", f"title: {q(title)}", f"severity: {sev}", "services:"]
    L += [f"  {sid}: {imp}" for sid, imp in services.items()]
    L.append(f"declared_at: {stamp(declared, local)}")
    L.append(f"started_at: {stamp(started, local)}")
    L.append(f"detected_at: {stamp(detected, local)}")
    if mitigated <= END and not active:
        L.append(f"mitigated_at: {stamp(mitigated, local)}")
    if not active:
        L.append(f"resolved_at: {stamp(resolved, local)}")
    detected_by = rng.choice(cause.detected_by)
    L.append(f"detected_by: {detected_by}")
    commander = rng.choice(ctx.people.commanders)
    L.append(f"commander: {commander}")
    if sev in ("sev1", "sev2"):
        L.append(f"criteria: {flow(rng.sample(CRITERIA, rng.randint(1, 2)))}")
    elif rng.random() < 0.3:
        L.append(f"criteria: [{rng.choice(CRITERIA)}]")
    L.append(block("", "summary", (SUMMARY[0] if active else rng.choice(SUMMARY)).format_map(f)))
    L.append("updates:")
    closing = rng.choice(CLOSING)
    tech_used: set[int] = set()
    for t, audience, status in kept:
        next_at = t + timedelta(minutes=rng.choice([30, 45, 60]))
        f["next"] = hhmm(next_at)
        f["now"] = hhmm(t)
        if audience == "technical":
            stage = TECH_STAGE[status]
            msg = rng.choice(TECH_EXTRA) if stage in tech_used else cause.tech[stage]
            tech_used.add(stage)
        elif status == "investigating":
            msg = rng.choice(BIZ_INVESTIGATING if t == timeline[0][0] else BIZ_PROGRESS)
        elif status == "identified":
            msg = rng.choice(BIZ_IDENTIFIED + BIZ_PROGRESS)
        elif status == "monitoring":
            msg = rng.choice(BIZ_MONITORING)
        else:
            f["closing"] = closing
            msg = rng.choice(BIZ_RESOLVED)
        L += [f"  - at: {stamp(t, local)}", f"    status: {status}"]
        if audience == "technical":
            L.append("    audience: technical")
        more = TECH_MORE if audience == "technical" else BIZ_MORE
        L.append(block("    ", "message", lengthen(rng, cap(msg.format_map(f)), more, f)))
    L.append(
        block("", "workaround", lengthen(rng, cause.workaround.format_map(f), WORKAROUND_MORE, f))
    )
    if not active:
        L.append(block("", "cause", cause.cause.format_map(f)))
    if cause.change and rng.random() < 0.85:
        L += ["changes:", f"  - {q(cause.change.format_map(f))}"]
        if rng.random() < 0.2:
            L.append(f"  - {q('Routine patching of ' + svc.name + ' the week before')}")
    if not active:
        L.append("impact:")
        metrics = IMPACT_METRICS[svc.areas[0]]
        scale = {"sev1": 20, "sev2": 8, "sev3": 3, "sev4": 1}[sev]
        for metric in rng.sample(metrics, rng.randint(1, len(metrics))):
            L.append(f"  {metric}: {rng.randint(1, 400) * scale}")
    # The action log, in time order: page, declare, first comms, the work, recovery.
    team = ctx.people.team_members[svc.owner] + [ctx.people.team_lead[svc.owner]]
    engaged = cause.key == "vendor-outage" or rng.random() < 0.25
    oncall = rng.choice(team)
    log = [
        (detected, oncall, "Acknowledged the page and joined {channel}."),
        (declared, commander, "Declared a {sev} and opened {channel}."),
        (first, commander, "Posted the first business update."),
    ]
    work_end = mitigated if not active else kept[-1][0] if kept else declared
    span = max(1, int((work_end - first).total_seconds() // 60))
    middle = rng.sample(ACTIONS, rng.randint(0, 5)) + ([VENDOR_ACTION] if engaged else [])
    for text in middle:
        log.append((first + timedelta(minutes=rng.randint(0, span)), rng.choice(team), text))
    if not active:
        log.append((mitigated, oncall, "Confirmed recovery with test transactions."))
    log.sort(key=lambda entry: entry[0])
    L.append("actions:")
    for at, by, text in log:
        if at > END:
            continue
        L += [
            f"  - at: {stamp(at, local)}",
            f"    by: {by}",
            f"    action: {q(text.format_map(f))}",
        ]
    if engaged:
        L.append(f"vendors: [{vendor_id}]")
    tags = [*cause.tags, svc.areas[0], sev]
    if drill:
        tags += ["drill", "exercise"]
    L.append(f"tags: {flow(tags)}")
    earlier = ctx.by_service.get(svc.id, [])
    if earlier and rng.random() < 0.25:
        recent = earlier[-20:]
        related = rng.sample(recent, min(len(recent), rng.randint(1, 2)))
        L.append(f"related: {flow(related)}")
    if drill:
        L.append("drill: true")
    L.append("---")
    f.update(
        detected_phrase=DETECTED_PHRASE[detected_by],
        detected=hhmm(detected),
        declared=hhmm(declared),
        first_gap=int((first - declared).total_seconds() // 60),
        cause_short=cause.cause.format_map(f).split("\n\n")[0],
        workaround_short=cause.workaround.format_map(f),
        after="" if active else f", and it was resolved at {hhmm(resolved)}",
    )
    L.append("")
    L.append((NARRATIVE[2] if active else rng.choice(NARRATIVE)).format_map(f))
    text = "\n".join(L) + "\n"
    for sid in services:
        ctx.by_service.setdefault(sid, []).append(rid)

    pir = None
    if not active:
        want = 1.0 if (sev == "sev1" and not drill) else 0.45 if sev == "sev2" else 0.0
        if drill and sev in ("sev1", "sev2"):
            want = 0.5
        if rng.random() < want:
            pir = _pir(ctx, svc, cause, resolved, commander, f)
    return Written(rid, f"data/incidents/{declared.year}/{rid}.md", text, pir)


def _pir(ctx: Ctx, svc: Svc, cause: Cause, resolved: datetime, commander: str, f) -> str | None:
    rng = ctx.rng
    held = local_date(resolved) + timedelta(days=rng.randint(1, 2))
    today = local_date(END)
    if held > today:
        return None  # not held yet, and not due yet either
    team = ctx.people.team_members[svc.owner]
    attendees = [commander, ctx.people.team_lead[svc.owner], *rng.sample(team, 2)]
    attendees.append(ctx.people.stakeholders[svc.areas[0]])
    L = [
        "---",
        f"held_on: {held.isoformat()}",
        f"attendees: {flow(list(dict.fromkeys(attendees)))}",
        block("", "root_cause", cause.cause.format_map(f)),
        f"alerting_worked: {'true' if rng.random() < 0.5 else 'false'}",
        "went_well:",
        *(f"  - {q(w)}" for w in rng.sample(WENT_WELL, rng.randint(1, 3))),
        "went_wrong:",
        f"  - {q(cause.went_wrong)}",
        "measures:",
        f"  prevent: [{q(cause.prevent)}]",
        f"  detect: [{q(cause.detect)}]",
        f"  mitigate: [{q(cause.mitigate)}]",
        "next_steps:",
    ]
    owners = [svc.owner, svc.owner, rng.choice(TEAMS)[0]]
    for action, owner in zip((cause.prevent, cause.detect, cause.mitigate), owners, strict=True):
        if rng.random() < 0.3 and action is not cause.prevent:
            continue
        due = held + timedelta(days=rng.randint(14, 120))
        L += [f"  - action: {q(action)}", f"    owner: {owner}", f"    due: {due.isoformat()}"]
        if due < today or rng.random() < 0.3:
            done = held + timedelta(days=rng.randint(3, max(3, (due - held).days + 10)))
            done = min(done, today)
            L.append(f"    done_on: {done.isoformat()}")
    L += [
        "---",
        "",
        f"The review of the {svc.name} incident agreed the cause and the three measures above. "
        f"{rng.choice(WENT_WELL)} {cause.went_wrong}",
    ]
    return "\n".join(L) + "\n"


def _maintenance(ctx: Ctx, declared: datetime) -> Written:
    rng = ctx.rng
    svc = rng.choice(SERVICES)
    services = [svc.id] + rng.sample(DEPENDENTS[svc.id], min(len(DEPENDENTS[svc.id]), rng.randint(0, 2)))  # fmt: skip
    local = rng.random() < 0.3
    f = _fields(rng, svc, _vendor_for(rng, svc))
    start_day = declared + timedelta(days=rng.randint(3, 14))
    start_day = start_day.replace(hour=rng.choice([0, 1, 2, 5, 6, 22]), minute=0)
    hours = rng.randint(1, 6)
    start, end = start_day, start_day + timedelta(hours=hours)
    f.update(start=hhmm(start), end=hhmm(end), day=day_text(start))
    work = rng.choice(MAINT_WORK).format_map(f)
    title = cap(rng.choice(MAINT_TITLES).format_map(f))
    rid = _unique_id(ctx, f"{local_date(start).isoformat()}-{slugify(svc.id)}-maintenance")

    updates: list[tuple[datetime, str, str, str]] = [
        (
            declared,
            "scheduled",
            "business",
            f"On **{day_text(start)} from {hhmm(start)} to {hhmm(end)}** we will {work}. "
            f"{cap(svc.who)} may not be able to {svc.action} during this time.",
        )
    ]
    began = start + timedelta(minutes=rng.randint(0, 5))
    updates.append((began, "in_progress", "business", f"The work to {work} has started."))
    t = began
    finished = end - timedelta(minutes=rng.randint(5, 50))
    while t + timedelta(minutes=60) < finished:
        t += timedelta(minutes=rng.randint(40, 60))
        if rng.random() < 0.4:
            updates.append(
                (
                    t,
                    "in_progress",
                    "technical",
                    f"Step {rng.randint(2, 9)} of the plan done for `{f['comp']}`; on schedule.",
                )
            )
        else:
            updates.append((t, "in_progress", "business", "The work is going to plan."))
    updates.append(
        (
            finished,
            "completed",
            "business",
            f"The work is finished. {svc.name} is working normally.",
        )
    )
    kept = [u for u in updates if u[0] <= END]
    done = len(kept) == len(updates)

    L = ["---", f"title: {q(title)}", "type: maintenance", "services:"]
    L += [f"  {sid}: under_maintenance" for sid in services]
    L += [
        f"declared_at: {stamp(declared, local)}",
        f"scheduled_start: {stamp(start, local)}",
        f"scheduled_end: {stamp(end, local)}",
    ]
    if began <= END:
        L.append(f"started_at: {stamp(began, local)}")
    if done:
        L.append(f"resolved_at: {stamp(finished, local)}")
    L.append(f"commander: {ctx.people.team_lead[svc.owner]}")
    L.append(
        block(
            "",
            "summary",
            f"We will {work} on {day_text(start)} between {hhmm(start)} and {hhmm(end)}. "
            f"{cap(svc.who)} may not be able to {svc.action} during the window.",
        )
    )
    L.append("updates:")
    for at, status, audience, message in kept:
        L += [f"  - at: {stamp(at, local)}", f"    status: {status}"]
        if audience == "technical":
            L.append("    audience: technical")
        more = MAINT_TECH_MORE if audience == "technical" else MAINT_MORE
        message = lengthen(rng, message, more, f)
        L.append(block("    ", "message", message))
    if done:
        L.append("actions:")
        L += [
            f"  - at: {stamp(began, local)}",
            f"    by: {rng.choice(ctx.people.team_members[svc.owner])}",
            f"    action: {q('Started the planned work on `' + f['comp'] + '`.')}",
            f"  - at: {stamp(finished, local)}",
            f"    by: {ctx.people.team_lead[svc.owner]}",
            "    action: Signed off the work after checks.",
        ]
    L.append(f"tags: [maintenance, {svc.areas[0]}]")
    L += [
        "---",
        "",
        f"Planned for a quiet time for {svc.who}. The change ticket is {f['ref']}.",
    ]
    return Written(rid, f"data/incidents/{declared.year}/{rid}.md", "\n".join(L) + "\n")


# --------------------------------------------------------------------------
# The site
# --------------------------------------------------------------------------


def generate(incidents: int, seed: int = 1) -> dict[str, str]:
    """Every file of the site, path -> text (not yet written)."""
    rng = random.Random(seed)
    registry, people = _registry_files(rng)
    files = {f"data/registry/{name}": text for name, text in registry.items()}
    ctx = Ctx(rng=rng, people=people)
    begin = END - timedelta(days=365 * YEARS)
    span = (END - timedelta(minutes=30) - begin).total_seconds()
    # Whole minutes, in order, so "related" can point at earlier incidents.
    moments = sorted(int(rng.random() * span) // 60 for _ in range(incidents))
    for minute in moments:
        declared = begin + timedelta(minutes=minute)
        roll = rng.random()
        if roll < 0.08:
            written = _maintenance(ctx, declared)
        else:
            written = _incident(ctx, declared, drill=roll < 0.10)
        files[written.path] = written.text
        if written.pir:
            files[written.path[: -len(".md")] + ".pir.md"] = written.pir
    files["docs/index.md"] = (
        "# About this status page\n\nGenerated by benchmarks/synth.py for benchmarks and tests.\n"
    )
    return files


def _write_file(item: tuple[Path, str]) -> None:
    path, text = item
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)


def write_site(out: Path, incidents: int, seed: int = 1) -> None:
    """Write a synthetic site of `incidents` records into `out` (replacing an earlier one)."""
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise FileExistsError(
            f"{out} is not empty and was not made by synth.py; choose an empty folder"
        )
    for sub in ("data", "docs"):
        shutil.rmtree(out / sub, ignore_errors=True)
    files = generate(incidents, seed)
    for folder in sorted({rel.rpartition("/")[0] for rel in files}):
        os.makedirs(out / folder, exist_ok=True)
    # Creating files, not making their text, is the slow part on a virtual disk
    # (openat with O_CREAT measured at 0.3-0.8 ms here); a few threads overlap it.
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(
            pool.map(_write_file, [(out / rel, text) for rel, text in files.items()], chunksize=64)
        )
    (out / MARKER).write_text(f"incidents={incidents} seed={seed}\n", encoding="utf-8")
    source_config = REPO_ROOT / "mkdocs.yml"
    if source_config.is_file():
        shutil.copyfile(source_config, out / "mkdocs.yml")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the site into")
    parser.add_argument("--incidents", type=int, required=True, help="number of records")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    try:
        write_site(args.out, args.incidents, args.seed)
    except FileExistsError as exc:
        print(f"synth: {exc}", file=sys.stderr)
        return 2
    print(
        f"synth: {args.incidents} records into {args.out} in {time.perf_counter() - began:.2f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
