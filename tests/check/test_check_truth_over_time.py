"""`mimp check` on the contract's version 2 records that keep what happened over time:
impact changes in updates, maintenance windows that end by the clock, staff updates."""

from __future__ import annotations

import pytest

from tests.conftest import SiteDir


def lower_checkout(site: SiteDir, **services: str) -> str:
    """Give the incident's monitoring update (09:55) a `services` mapping; its path."""
    path = site.INCIDENT
    site.files[path]["updates"][2]["services"] = services
    site.write(path)
    return path


def test_an_update_may_lower_raise_add_or_clear_an_impact(site: SiteDir) -> None:
    path = lower_checkout(site, checkout="degraded_performance", **{"payments-api": "operational"})
    site.files[path]["updates"][1]["services"] = {"customer-db": "major_outage"}  # joins
    site.write(path)
    result = site.check()
    assert result.code == 0 and result.count("error") == 0, result.text


def test_an_unknown_service_in_an_update_is_an_error_at_its_line(site: SiteDir) -> None:
    path = lower_checkout(site, chekout="degraded_performance")
    result = site.check()
    assert result.code == 1
    line = site.line(path, "chekout: degraded_performance")
    result.expect(f"{path}:{line}: error: ", "unknown service 'chekout'", "did you mean 'checkout'")


@pytest.mark.parametrize(
    ("record", "impact", "allowed"),
    [
        ("INCIDENT", "under_maintenance", "degraded_performance, partial_outage, major_outage"),
        ("MAINTENANCE", "major_outage", "under_maintenance, operational"),
    ],
)
def test_an_update_sets_only_impacts_its_record_type_allows(
    site: SiteDir, record: str, impact: str, allowed: str
) -> None:
    path = getattr(site, record)
    service = next(iter(site.files[path]["services"]))
    site.files[path]["updates"][1]["services"] = {service: impact}
    site.write(path)
    result = site.check()
    assert result.code == 1
    line = site.line(path, f"{service}: {impact}")
    result.expect(f"{path}:{line}: error: ", f"impact '{impact}' does not fit", allowed)


def test_a_mistyped_impact_in_an_update_names_the_choices(site: SiteDir) -> None:
    path = lower_checkout(site, checkout="slow")
    result = site.check()
    assert result.code == 1
    line = site.line(path, "checkout: slow")
    result.expect(
        f"{path}:{line}: error: ",
        "updates[2].services.checkout",
        "did you mean 'degraded_performance'",
        "operational",
    )


# --- maintenance follows its window ---------------------------------------------------------------


def without_completion(site: SiteDir) -> str:
    """The maintenance (06:00-08:00 on 10 Nov) without its `completed` update."""
    path = site.MAINTENANCE
    site.files[path]["updates"] = site.files[path]["updates"][:2]
    site.write(path)
    return path


def test_a_window_that_ended_without_completed_is_warned_about(site: SiteDir) -> None:
    path = without_completion(site)
    result = site.check()
    assert result.code == 0, result.text  # a warning: the status follows the window
    line = site.line(path, "scheduled_end:")
    warning = result.expect(f"{path}:{line}: warning: ", "window ended", "'completed' update")
    assert "mimp update 2026-11-10-database-upgrade --status completed" in warning


def test_no_completion_warning_inside_the_window_or_once_completed(site: SiteDir) -> None:
    path = without_completion(site)
    inside = site.check(now="2026-11-10T07:00:00Z")
    assert not inside.matching(f"{path}:", "window ended"), inside.text
    site.write(path, {**site.files[path], "updates": valid_updates()})
    assert not site.check().matching(f"{path}:", "window ended")


def valid_updates() -> list[dict[str, str]]:
    from tests.conftest import valid_site_files

    return valid_site_files()[SiteDir.MAINTENANCE]["updates"]


def test_a_staff_update_is_valid(site: SiteDir) -> None:
    path = site.INCIDENT
    site.files[path]["updates"][1]["audience"] = "staff"
    site.write(path)
    result = site.check()
    assert result.code == 0 and result.count("error") == 0, result.text
