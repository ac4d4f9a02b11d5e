"""Who may edit from the dashboard: read-only setting, login, list of editors."""

from __future__ import annotations

import pytest

from tracker.auth import access, editors_from_env


@pytest.mark.parametrize(
    ("kw", "can_edit", "user"),
    [
        ({"read_only": True, "login_configured": False, "logged_in": False}, False, None),
        ({"read_only": True, "login_configured": True, "logged_in": True, "email": "a@x.org"}, False, None),
        ({"read_only": False, "login_configured": False, "logged_in": False}, True, "dashboard"),
        ({"read_only": False, "login_configured": True, "logged_in": False}, False, None),
        ({"read_only": False, "login_configured": True, "logged_in": True, "email": "A@X.org"}, True, "a@x.org"),
        ({"read_only": False, "login_configured": True, "logged_in": True, "email": "a@x.org",
          "editors": frozenset({"b@y.org"})}, False, "a@x.org"),
        ({"read_only": False, "login_configured": True, "logged_in": True, "email": "b@y.org",
          "editors": frozenset({"b@y.org"})}, True, "b@y.org"),
    ],
)
def test_access_rules(kw: dict, can_edit: bool, user: str | None) -> None:
    kw = {"email": None, "editors": None, **kw}
    got = access(**kw)
    assert got.can_edit is can_edit and got.user == user
    assert got.can_edit or got.reason


def test_editors_from_env() -> None:
    assert editors_from_env("") is None
    assert editors_from_env(" A@x.org; b@y.org ,") == frozenset({"a@x.org", "b@y.org"})
