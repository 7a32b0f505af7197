"""Shape `plan-approval` (P1): each butler's visit plan for a period, approved by the supervisor in time. The
queries live beside the plans' other reads (careops.scheduler.plans)."""

from careops.scheduler.plans import approval_items

__all__ = ["approval_items"]
