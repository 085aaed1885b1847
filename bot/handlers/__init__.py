"""Telegram handlers, one module per conversation or command family.

Handlers are plain functions `(turn, ...) -> None`: they read and change the store through
`turn.session` and add what to say to `turn.replies`. `bot.handlers.common.handler` runs
each update in one database transaction and sends the replies after it commits.
"""
