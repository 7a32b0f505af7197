"""Typer apps, one module per noun: parse, call a service, render."""
