"""Every word Ramp says to a runner lives in this package, one module per conversation.

Texts are Telegram HTML using only <b> and <i>, warm and short. Templates use
`str.format`; whoever fills them escapes anything the runner typed (`html.escape`).
"""
