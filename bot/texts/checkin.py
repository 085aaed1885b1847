"""The check-in after a run day, and logging things in words.

Templates are filled by bot.handlers.checkin and bot.handlers.freetext; anything the runner
typed is escaped there before it gets here.
"""

# --- the check-in message ---------------------------------------------------------------
# One message, edited in place: a title, what was planned, what is known so far, and the
# next question (or a closing line once everything is answered).

TITLE = "<b>Check-in · {day}</b>"
PLANNED = "Planned: {session}"
PLANNED_WITH_TARGET = "Planned: {session}, target RPE {target}"

RAN = "✅ Ran {details}"
RAN_NO_DETAILS = "✅ Ran"
SKIPPED = "✖️ Skipped"
SKIPPED_BECAUSE = "✖️ Skipped: {reason}"
EFFORT = "effort {rpe}/10"
QUALITY = "quality {quality}/10"
RHR = "❤️ Resting HR {bpm}"
WELLNESS = "😴 {details}"
SEPARATOR = " · "

ASK_STATUS = "How did it go?"
ASK_RPE = "How hard did it feel? <b>1</b> is very easy, <b>10</b> all-out."
ASK_RPE_WITH_TARGET = (
    "How hard did it feel? <b>1</b> is very easy, <b>10</b> all-out. The target was {target}."
)
ASK_QUALITY = "And how good was it overall, from <b>1</b> (poor) to <b>10</b> (perfect)?"
ASK_DISTANCE = "How long and how far did you go? Type it like <i>45 min 8.2 km</i>, or tap Skip."
ASK_DISTANCE_MILES = (
    "How long and how far did you go? Type it like <i>45 min 5.1 mi</i>, or tap Skip."
)
ASK_RHR = "What was your resting heart rate this morning? Type it like <i>52</i>, or tap Skip."
ASK_WELLNESS = (
    "Last one, if you like: sleep, soreness and stress (1-5)? "
    "Like <i>slept 7h, soreness 2, stress 3</i>, or tap Skip."
)
ASK_TRIAL = "Your {race} time trial: {time}? That sets your paces."
TRIAL_BIG_JUMP = (
    "That's a big jump, VDOT {was:.1f} to {vdot:.1f} (more than 10 %): worth a second look "
    "before every pace follows it."
)
ASK_TRIAL_TAP = "Tap <b>Yes</b> if that was your time trial, or <b>No</b> to log it as a run."
TRIAL_LOGGED = "⏱ Time trial: {race} in {time}, your paces follow it"
ASK_REASON = "No problem, it happens. What got in the way?"
ASK_INSTEAD = "What did you run instead?"
INSTEAD = {
    "quality": "The planned session, my way",
    "easy": "An easy run",
    "long": "A long run",
    "other": "Something else",
}
INSTEAD_SHORT = {
    "quality": "the planned session, your way",
    "easy": "an easy run instead",
    "long": "a long run instead",
    "other": "something else instead",
}

BUTTON_DONE = "✅ Done"
BUTTON_CHANGED = "🔁 Changed"
BUTTON_SKIPPED = "✖️ Skipped"
BUTTON_SKIP = "Skip"
BUTTON_YES = "Yes"
BUTTON_NO = "No"
REASONS = {
    "work": "Work",
    "family": "Family",
    "travel": "Travel",
    "illness": "Illness",
    "injury": "Injury",
    "other": "Other",
}

# A short notice on the tapped button.
CHANGED_NOTICE = "Got it: the answers below are about what you actually did."
ALREADY_ANSWERED = "Already logged. Here's where we are."

# --- closing lines ----------------------------------------------------------------------

WELL_UNDER_TARGET = "{rpe} against a target of {target}: that came easily. Fitness showing."
UNDER_TARGET = "{rpe} against a target of {target}: nicely controlled."
ON_TARGET = "{rpe} against a target of {target}: right where we want it."
OVER_TARGET = "{rpe} against a target of {target}: a touch harder than planned. Sleep well tonight."
WELL_OVER_TARGET = (
    "{rpe} against a target of {target}: tougher than planned. Rest well; I'll keep an eye on it."
)
ALL_LOGGED = "All logged. Nice work today."
GET_WELL = "Look after yourself; the plan will wait. Tell me how you feel tomorrow."
LIFE_HAPPENS = "Life happens. Nothing to make up: we carry on from here."

# --- /checkin and the next morning ------------------------------------------------------

REST_DAY = (
    "No run planned today: it's a rest day, enjoy it. If you did something anyway, just tell "
    "me, like <i>cycled 40 min rpe 3</i> or <i>ran 5k in 30 min</i>."
)
MISSING_NOTE = "How did <b>{day}</b>'s {session} go? One tap is enough."

# --- typed answers ----------------------------------------------------------------------

WELLNESS_UNCLEAR = (
    "I didn't catch that. Try <i>slept 7h, soreness 2, stress 3</i>, or send <b>skip</b>."
)
CANT_USE = (
    "I couldn't use that, so nothing was saved. Try something like <i>ran 8k in 42 min rpe 6</i>."
)

# --- the free-text log ------------------------------------------------------------------

LOGGED = "Logged for <b>{day}</b>:\n{lines}"
SECOND_OR_FIX = (
    "<b>{day}</b> already has a run: {first}.\nWas this a second run, or a correction of that one?"
)
BUTTON_SECOND_RUN = "➕ A second run"
BUTTON_CORRECTION = "✏️ A correction"
LOGGED_LINE = "• {item}"
LOG_RUN = "Run: {details}"
LOG_CROSS = "{sport}: {details}"
LOG_RHR = "Resting HR {bpm}"
LOG_WELLNESS = "How you feel: {details}"
RPE = "RPE {rpe}"
TARGET_TODAY = "Today's session has a target RPE of {target}."
RUN_NEEDS_TIME = "How long was that run? Send the time with it, like <i>ran 8k in 42 min</i>."
SPORTS = {
    "running": "Run",
    "cycling": "Cycling",
    "swimming": "Swimming",
    "rowing": "Rowing",
    "hiking": "Hiking",
    "walking": "Walking",
    "strength": "Strength",
    "yoga": "Yoga",
    "elliptical": "Elliptical",
}

# --- units and scores -------------------------------------------------------------------

MINUTES = "{value} min"
KILOMETRES = "{value} km"
MILES = "{value} mi"
SLEEP = "sleep {value} h"
SORENESS = "soreness {score}/5"
STRESS = "stress {score}/5"
MOOD = "mood {score}/5"
