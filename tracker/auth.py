"""Who may change the store from the dashboard.

Three set-ups, from a laptop to a team:
- nothing configured: everyone who can open the page may edit (one analyst, local store);
- ``TRACKER_READ_ONLY=1``: nobody edits from the page (a shared, published view);
- a login configured (Streamlit's ``st.login`` with an ``[auth]`` section in
  ``.streamlit/secrets.toml``): viewers read; signed-in users edit, and when ``TRACKER_EDITORS``
  lists e-mail addresses only those do. Their address is what the audit trail records.

These are plain functions of their inputs so the rules are tested without a browser or a provider.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


def editors_from_env(value: str | None = None) -> frozenset[str] | None:
    """``TRACKER_EDITORS="a@x.org, b@y.org"`` -> the allowed addresses (lower-case); None if unset."""
    raw = os.environ.get("TRACKER_EDITORS", "") if value is None else value
    emails = frozenset(e.strip().lower() for e in raw.replace(";", ",").split(",") if e.strip())
    return emails or None


@dataclass(frozen=True)
class Access:
    can_edit: bool
    user: str | None  # recorded in the audit trail
    reason: str  # shown to the user when editing is off


def access(*, read_only: bool, login_configured: bool, logged_in: bool, email: str | None,
           editors: frozenset[str] | None) -> Access:
    """Decide whether this visitor may add, edit, delete and ingest, and under which name."""
    if read_only:
        return Access(False, None, "This store is read-only (TRACKER_READ_ONLY).")
    if not login_configured:
        return Access(True, "dashboard", "")
    if not logged_in:
        return Access(False, None, "Sign in to add or edit events.")
    who = (email or "").strip().lower() or None
    if editors is not None and who not in editors:
        return Access(False, who, f"{who or 'This account'} may read but not edit (not in TRACKER_EDITORS).")
    return Access(True, who or "signed-in user", "")
