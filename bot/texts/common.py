"""Texts any conversation may need: help, the command menu, and short apologies."""

# (command, what it does) — the command menu (set_my_commands) and /help are built from this.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("today", "Today's session"),
    ("week", "This week, the coach's decision and next week"),
    ("checkin", "Tell me how today's run went"),
    ("rhr", "Log this morning's resting heart rate: /rhr 52"),
    ("deload", "Ask for a lighter week"),
    ("trial", "Log a time trial and recalibrate paces"),
    ("paces", "Your training paces"),
    ("pause", "Pause the plan (illness, travel)"),
    ("resume", "Resume after a pause"),
    ("settings", "Your profile and settings"),
    ("stats", "Charts of your last 12 weeks"),
    ("progress", "Your fitness over time"),
    ("export", "Download your history (JSON) and training log (CSV)"),
    ("calendar", "Your next four weeks of sessions as a calendar file"),
    ("delete", "Delete everything I know about you"),
    ("start", "Set up, or change your profile"),
    ("help", "What I can do"),
    ("cancel", "Stop what we were doing"),
)

HELP = (
    "<b>I'm Ramp, your running coach.</b> Every morning I send the day's session with your "
    "paces; after runs I ask how it went, and each week I decide: progress, hold or back off, "
    "and tell you why.\n\n"
    "{commands}\n\n"
    "You can also just tell me things: <i>ran 8k in 42 min rpe 6</i>, <i>rhr 52</i>, "
    "<i>slept 6h</i>, <i>legs sore</i>."
)
NOT_SET_UP = "Let's set you up first: send /start and I'll ask a few quick questions."
NOT_SET_UP_SHORT = "Send /start first."
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side and nothing was saved. Please try again in a moment."
)
CANCELLED = "Okay, stopped. Nothing half-finished was saved. /help shows what I can do."
CANCELLED_KEPT = (
    "Okay, stopped. I kept what you already told me for {day}:\n{kept}\n"
    "Send /checkin to carry on, or just tell me the rest."
)
CANCELLED_NOTHING_KEPT = "Okay, stopped. Nothing was saved for {day}. /checkin starts again."
DELETE_TAP_TO_CONFIRM = (
    "Deleting can't be undone, so tap <b>{button}</b> above to confirm, or send <i>no</i> "
    "to keep everything."
)
SMALL_TALK = "🙂 Anytime! Tell me how a run went whenever you like, or send /today."
NOTHING_TO_CANCEL = "There's nothing to cancel. /help shows what I can do."
UNKNOWN_COMMAND = "I don't know that command. /help lists what I can do."
COMMAND_TAKES_NO_ARGUMENTS = "/{command} doesn't need anything after it. Just send /{command}."
BUTTON_NOT_YOURS = "That button isn't for you, so I left everything as it was."
BUTTON_EXPIRED = "That button has expired. Nothing changed."
NOT_A_FILE_I_READ = (
    "I can't read that kind of message yet. Tell me in words, like <i>ran 8k in 42 min rpe 6</i>."
)
PLAN_STARTS_ON = (
    "Your plan starts on <b>{day}</b>. Until then, keep your easy running going; I'll send "
    "the first session that morning."
)
