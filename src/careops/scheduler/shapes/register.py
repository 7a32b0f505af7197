"""Shapes `register-answer` (P5.2: a clear answer by the severity's hours) and `register-chase` (H3.1: a routed
matter with no step for so long) and `register-instruction` (H3.1: a matter escalated to a leader owes their
instruction). The queries over the register live beside its other reads."""

from careops.scheduler.register import answer_items, chase_items, instruction_items

__all__ = ["answer_items", "chase_items", "instruction_items"]
