"""Who has View Second Chance Leads."""

from __future__ import annotations

from core.domain.permissions import VIEW_SCL, AccessSource, access_source, has_permission


def facts(**overrides):
    base = {"is_admin": False, "role_permissions": [], "override": None}
    base.update(overrides)
    return base


def test_admins_have_the_permission_automatically():
    assert has_permission(VIEW_SCL, **facts(is_admin=True))
    assert access_source(VIEW_SCL, **facts(is_admin=True, override=False)) is AccessSource.ADMIN


def test_a_role_with_the_permission_grants_it():
    assert access_source(VIEW_SCL, **facts(role_permissions=[VIEW_SCL])) is AccessSource.ROLE


def test_an_individual_grant_beats_a_role_without_it():
    assert has_permission(VIEW_SCL, **facts(override=True))


def test_an_individual_revocation_beats_a_role_with_it():
    assert not has_permission(VIEW_SCL, **facts(role_permissions=[VIEW_SCL], override=False))


def test_no_role_permission_and_no_grant_means_no_access():
    assert access_source(VIEW_SCL, **facts()) is AccessSource.NONE
