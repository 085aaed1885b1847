"""Words for /export, /calendar and /delete."""

EXPORT_JSON_CAPTION = (
    "<b>Your whole history</b>: your profile and every fact you told me, in Ramp's history "
    "format. The coach replays your plan from it exactly:\n"
    "<code>python -m coach plan {filename} --today {today}</code>"
)
EXPORT_CSV_CAPTION = (
    "<b>Your training log</b>: one row per day, the planned session next to what you logged. "
    "Opens in any spreadsheet."
)

CALENDAR_CAPTION = (
    "<b>Your next four weeks</b>: {count} sessions at {morning} ({time_zone}). Open the file "
    "to add them to your calendar. The plan adapts as you go, so send /calendar again now "
    "and then: importing the newer file updates the same events instead of adding copies."
)
CALENDAR_EMPTY = (
    "There are no sessions in the next four weeks, so there's nothing to put in a calendar. "
    "/week shows what's planned."
)

DELETE_CONFIRM = (
    "<b>Delete everything?</b> This removes all I know about you: your profile and settings, "
    "every run and check-in, and any messages I had scheduled. It can't be undone.\n\n"
    "Want a copy first? Send /export before you decide."
)
DELETE_YES = "Delete everything"
DELETE_NO = "Keep my data"
DELETE_KEPT = "Okay, I kept everything. Your plan carries on as before."
DELETE_DONE = (
    "Done: everything I knew about you is gone, with nothing scheduled and nothing kept. "
    "Thank you for running with me, and good luck out there.\n\n"
    "If you ever want to come back, send /start and we'll begin afresh."
)
DELETE_DONE_SHORT = "Deleted."
ALREADY_DELETED = "Your data is already deleted. Send /start to begin afresh."
