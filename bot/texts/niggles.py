"""Words for niggles and busy weeks: caring, short, and saying what the plan does about it."""

NOTED = "Sorry to hear about your {where}. I've made a note of it."
ASK_SEVERITY = "How bad is it?"
SEVERITY_BUTTONS = (("1", "Mild"), ("2", "Moderate"), ("3", "Bad"))
ASK_RUNNING = "Does it hurt when you run?"
RUNNING_BUTTONS = (("yes", "Yes, when I run"), ("no", "No, not when running"))
EASY = (
    "I'll keep the next {days} days to easy runs, nothing hard on your {where}. "
    "If it still hurts in a week, please see a physio or doctor."
)
REST = (
    "Please rest it for the next {days} days: running on it would make it worse. "
    "If it still hurts in a week, please see a physio or doctor."
)
FINE = (
    "Good that it doesn't hurt when you run: the plan stays. Warm up gently, and tell me if "
    "that changes."
)
BUSY = (
    "A busy stretch, noted. If it stays that way, say so on another day too: two stressed "
    "days this week and I keep the same step with shorter sessions."
)
