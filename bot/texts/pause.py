"""The message on the day a pause with an end date ends (bot.pause_end)."""

PAUSE_ENDS = (
    "🌱 Good morning{name}. Your pause ends today. How are you feeling?\n\n"
    "Whenever you're ready, send /resume and we'll pick the plan back up gently. "
    "No rush: if you need another day or two, just rest."
)
