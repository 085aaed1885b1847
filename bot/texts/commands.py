"""Words for /today, /week, /deload, /rhr, /trial, /paces, /pause, /resume, /settings and the
scheduled morning message and weekly review."""

GOOD_MORNING = "Good morning{name}!"
TODAY_HEADING = "Today"
REST_DAY_NOTE = "Enjoy the rest: recovery is part of the plan."
RHR_PROMPT = "How was your resting heart rate this morning? Tap it, or send <i>/rhr 52</i>."
RHR_PROMPT_TYPE = (
    "How was your resting heart rate this morning? Reply with the number, like <i>52</i>: "
    "once I know your usual, you'll get buttons around it."
)
RHR_USAGE = "Send your resting heart rate after the command, like <b>/rhr 52</b>."
RHR_LOGGED = "Logged a resting heart rate of <b>{bpm}</b> for today."
RHR_VS_BASELINE = "Your baseline is {baseline:.0f}."
RHR_CHANGED_TODAY = (
    "That's well above your usual, so today's <b>{title}</b> becomes an easy run. "
    "Hard days can wait for a fresh body."
)
PAUSED_TODAY = "You're paused ({reason}). Rest up; send /resume when you're ready."

WEEK_HEADING = "<b>Week {number}</b>, from {start}"
LEAD_IN_HEADING = "<b>Lead-in week</b>, from {start}"  # the short week before week 1
WEEK_NEXT = "<b>Next week</b> ({action}): {outline}"
WEEK_NOTHING_NEXT = "<b>Next week:</b> nothing planned yet."

DELOAD_CONFIRM = (
    "A deload makes the rest of this week lighter and next week a deload week: about a "
    "third less running, and a technique run instead of the hard session. Go ahead?"
)
DELOAD_YES = "Yes, lighten up"
DELOAD_NO = "No, keep the plan"
DELOAD_KEPT = "Okay, the plan stays as it is."
DELOAD_DONE = "Done: the rest of this week is lighter, and next week is a deload week."
DELOAD_ALREADY = "You already asked for a deload today; nothing more to change."
DELOAD_CHANGES = "What changed:"
DELOAD_NEXT_WEEK = "Next week: {minutes} minutes, {kind}."

TRIAL_ASK = (
    "Send your time trial or race: distance and time, like <b>5k 21:40</b> or "
    "<b>10 km 45:10</b>. /cancel to stop."
)
TRIAL_LOGGED = "Logged: {distance} in {time}. Every pace is recalibrated."
TRIAL_LOGGED_ON = "For {day}: {logged}"
TRIAL_IN_FUTURE = (
    "{day} hasn't happened yet. Send a result from today or a day that has passed, like "
    "<b>/trial 5k 23:10 yesterday</b> or <b>/trial 5k 23:10 2026-11-04</b>."
)
TRIAL_BIG_JUMP = (
    "That would lift your VDOT from {old:.1f} to {new:.1f}, more than 10 % in one go. "
    "Big jumps are often a short course or a typo. Is the result right?"
)
TRIAL_CONFIRM_YES = "Yes, it's right"
TRIAL_CONFIRM_NO = "No, leave it"
TRIAL_NOT_LOGGED = "Okay, I haven't logged it. Your paces stay as they are."
TRIAL_OLD_NEW = "<b>Before</b>\n{old}\n<b>Now</b>\n{new}"
TRIAL_FIRST = "<b>Your paces</b>\n{new}"

PACES_NONE = (
    "I don't have a race or time trial for you yet: your first quality session is a 5K "
    "time trial, and your paces come from it. You can also send /trial."
)
PREDICTIONS = "Predicted: {predictions}"

PAUSE_ASK = "Sorry to hear it. What's keeping you from running?"
PAUSE_REASONS = (
    ("illness", "Illness"),
    ("injury", "Injury"),
    ("travel", "Travel"),
    ("other", "Something else"),
)
PAUSED = (
    "Paused ({reason}). No sessions until you're back, and no messages from me either. "
    "Send /resume when you're ready; I'll restart gently."
)
ALREADY_PAUSED = "You're already paused since {day} ({reason}). Send /resume when you're back."
NOT_PAUSED = "You're not paused, so there's nothing to resume. /today shows today's session."
RESUMED = "Welcome back! We restart gently."

SETTINGS = (
    "<b>Your settings</b>\n"
    "Time zone: {time_zone}\n"
    "Morning message: {morning} · Check-in: {checkin}\n"
    "Units: {units}\n"
    "Run days: {run_days} (quality {quality}, long run {long_run})\n"
    "Weekly minutes at the start: {minutes}\n"
    "Goal race: {goal}\n\n"
    "To change anything, send /start: your history is kept."
)
NO_GOAL = "none"

WEEKLY_REVIEW = "<b>Your week in review</b>"
WEEKLY_REVIEW_DONE = "Sessions done: {done} of {planned}."
WEEKLY_REVIEW_NEXT = "<b>Next week: {action}</b>"
WEEKLY_REVIEW_OUTLINE = "Plan: {outline}, {minutes} min in all."
