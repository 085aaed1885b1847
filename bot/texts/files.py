"""Activity files from a watch or an app (FIT, GPX): what was logged, and why a file wasn't.

Templates are filled by bot.handlers.files; every problem says what happened and what the
runner can do about it, because they can't see inside the file themselves.
"""

# --- why a file could not be used -------------------------------------------------------

TOO_BIG = (
    "That file is {size_mb} MB, and Telegram only lets me fetch files up to {limit_mb} MB. "
    "Could you export just this activity (a single .fit or .gpx) and send that?"
)
UNKNOWN_FORMAT = (
    "I can read activity files in <b>.fit</b> or <b>.gpx</b> format, and this doesn't look "
    "like either. Most watch apps can export one of them: look for “Export original” or "
    "“Export GPX”."
)
NOT_A_FIT = (
    "That file is named .fit but isn't a FIT file I can read; it may be damaged. "
    "Try exporting the activity again from your watch app."
)
FIT_CUT_SHORT = (
    "That FIT file stops part-way through, as if the upload was cut short, so I can't trust "
    "its numbers. Please send it again, or export it again from your watch app."
)
FIT_UNREADABLE = (
    "I couldn't make sense of that FIT file. Exporting it as GPX usually works, or just tell "
    "me in words, like <i>ran 8k in 42 min</i>."
)
NOT_A_GPX = (
    "That GPX file isn't valid, so I couldn't read it. Try exporting the activity again, "
    "or just tell me in words, like <i>ran 8k in 42 min</i>."
)
GPX_NO_TIMES = (
    "That GPX file has the route but not the times, so I can't tell how long you were out. "
    "Export the recorded activity (not a planned route), or tell me in words, like "
    "<i>ran 8k in 42 min</i>."
)
NO_POINTS = (
    "That file has no recorded activity in it (no track points), so there's nothing to log. "
    "Was it a planned route rather than a recording?"
)
UNREADABLE = (
    "Something in that file stopped me from reading it, so nothing was logged. Exporting it "
    "again (FIT or GPX) usually helps, or just tell me in words, like <i>ran 8k in 42 min</i>."
)
DOWNLOAD_FAILED = (
    "I couldn't fetch that file from Telegram just now, so nothing was logged. "
    "Please send it again in a moment."
)

# --- why an activity could not be logged ------------------------------------------------

IN_THE_FUTURE = (
    "That activity starts on {when}, which is still ahead of us, so I didn't log it. "
    "Is the clock on your watch right?"
)
TOO_SHORT = (
    "That activity lasted {duration}, which is too short to count as a session, so I didn't log it."
)
TOO_LONG = (
    "That activity lasted {duration}. I can log up to 10 hours per session, so I didn't log "
    "it; tell me in words if you'd like it counted."
)
TOO_OLD = (
    "That activity is from {day}, {why}, so I didn't log it: the plan only looks at what you "
    "do from here. If it matters, tell me in words, like <i>ran 8k in 42 min yesterday</i>."
)
TOO_OLD_BEFORE_PLAN = "before your plan started"
TOO_OLD_WEEKS_AGO = "more than two weeks ago"
WALK_OR_RUN = (
    "📥 <b>Your file from {day}</b>: {details}.\n"
    "At {pace} per {unit} that looks like a walk to me. Was it a walk or a run?"
)
A_WALK = "🚶 A walk"
A_RUN = "🏃 A run"
PACE_OUT_OF_RANGE = (
    "That works out at {pace} per {unit}, faster than anyone runs, so I didn't log it. "
    "Was the watch in a car or on a bike? You can tell me in words, like <i>ran 8k in 42 min</i>."
)

# --- what was logged --------------------------------------------------------------------

LOGGED = "📥 <b>Logged from your file · {day}</b>\n{sport}: {details}"
UPDATED = "📥 <b>Updated {day}'s run with your file</b>\n{sport}: {details}"
ALREADY_LOGGED = "📥 I already have this one ({day}), so nothing changed.\n{sport}: {details}"
SEPARATOR = " · "
PACE = "{pace} /{unit}"
AVERAGE_HR = "avg HR {bpm}"
