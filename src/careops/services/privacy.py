"""Phone numbers are shown masked in listings (138****5678) unless someone asks with --show-phone."""

from __future__ import annotations

from typing import Any


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    if len(phone) <= 4:
        return "*" * len(phone)
    if len(phone) < 8:
        return phone[0] + "*" * (len(phone) - 3) + phone[-2:]
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def masked(rows: list[dict[str, Any]], show_phone: bool) -> list[dict[str, Any]]:
    return rows if show_phone else [{**row, "phone": mask_phone(row.get("phone"))} for row in rows]
