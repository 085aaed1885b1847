"""Ramp's coach: the return-to-speed method as pure functions over plain data.

No clock, no I/O, no Telegram, no database: `plan(history, today)` is a function of its
arguments, so the same history gives the same plan on any machine.
"""
