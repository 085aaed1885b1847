"""The /start conversation: ten short questions, a summary, and a warm welcome.

Templates are filled by bot.handlers.onboarding, which escapes everything the runner typed.
"""

# --- openings ---

WELCOME = (
    "<b>Hi {name}, I'm Ramp, your running coach.</b> I'll bring you back to speed work "
    "after your base building, one session at a time. Ten quick questions first; "
    "/cancel stops at any point."
)
WELCOME_BACK = (
    "<b>Let's update your profile, {name}.</b> Every run and check-in you told me is kept, "
    "and your plan keeps its start date. Each question shows what you have now: tap "
    "<b>Keep</b>, or send a new answer. /cancel stops without changing anything."
)
RESUMING = (
    "Let's pick up where we left off; your answers so far are kept. To start from scratch, "
    "send /cancel and then /start."
)
RESUMING_FROM_SCRATCH = (
    "I've updated since we started and couldn't keep your answers so far, sorry. "
    "Let's go through them again."
)

# --- questions (n/10 so the runner knows how far they are) ---

# Examples in the runner's units: a miles runner never sees kilometres.
RACE_EXAMPLES = {
    "km": "<i>5k 22:30</i> or <i>10 km in 48:10</i>",
    "mi": "<i>5k 22:30</i> or <i>10 mi in 1:20:00</i>",
}
GOAL_EXAMPLES = {"km": "<i>10k 2027-03-14</i>", "mi": "<i>10 mi 2027-03-14</i>"}

ASK_RACE = (
    "<b>1/10 · Your fitness.</b> What's a recent race or time trial? Send the distance and "
    "time, like {example}."
)
ASK_RACE_AGAIN = (
    "<b>1/10 · Your fitness.</b> Any new race or time trial since we set up? Send it like "
    "{example} and I'll recalibrate your paces from today."
)
ASK_RUN_DAYS = (
    "<b>2/10 · Run days.</b> Which days can you run? Tap a pattern or type your days, like "
    "<i>mon wed fri sat</i> (2 to 7 days)."
)
ASK_QUALITY_DAY = (
    "<b>3/10 · Quality day.</b> Which run day suits your quality session, the one with "
    "faster running? Pick a day when you're fresh."
)
ASK_LONG_RUN_DAY = "<b>4/10 · Long run.</b> And which day for your long, steady run?"
ASK_WEEKLY_MINUTES = (
    "<b>5/10 · Volume.</b> How much do you run in a typical week right now? Tap one or type "
    "it, like <i>200</i> or <i>3h 30</i>."
)
ASK_MORNING_TIME = (
    "<b>6/10 · Mornings.</b> When should I send the day's session? Tap a time or type one, "
    "like <i>5:45</i>."
)
ASK_CHECKIN_TIME = (
    "<b>7/10 · Check-ins.</b> When should I ask how your run went? Tap a time or type one, "
    "like <i>17:30</i>."
)
ASK_TIME_ZONE = (
    "<b>8/10 · Time zone.</b> Where are you? Send your city, like <i>Berlin</i> or "
    "<i>New York</i>, or a UTC offset, like <i>UTC+2</i>."
)
ASK_UNITS = "<b>9/10 · Units.</b> Kilometres or miles for your paces?"
ASK_GOAL = (
    "<b>10/10 · Goal race.</b> Is there a race you're aiming for? Send the distance and date, "
    "like {example}. I'll taper you into it."
)

# --- what an onboarded runner has now, under each question ---

NOW = "Now: <b>{value}</b>."
PACES_FROM = "paces from your {race}"
NO_RESULT_YET = "no result yet"
NO_GOAL_YET = "no goal race"
GOAL_TEXT = "{race} on {day}"

# --- buttons ---

NO_RECENT_RESULT = "No recent result"
NO_NEW_RESULT = "No new result"
NO_GOAL = "No goal race"
NO_NEW_GOAL = "No new goal"
KEEP = "Keep {value}"
KEEP_PACES = "my paces"
KEEP_GOAL = "Keep this goal"
KEEP_NO_GOAL = "Keep: no goal race"
KM = "km"
MILES = "miles"
CONFIRM = "✅ Confirm"
START_OVER = "Start over"

# --- acknowledgements, shown above the next question ---

GOT_RACE = "Got it: {race}."
GOT_NO_RESULT = (
    "No problem: your first quality session will be a <b>5K time trial</b>. It sets your "
    "paces, so run it as a hard, even effort."
)
GOT_NO_NEW_RESULT = "Okay, your paces stay as they are."
GOT_RUN_DAYS = "Run days: <b>{days}</b>."
GOT_QUALITY_DAY = "Quality session on <b>{day}</b>."
GOT_LONG_RUN_DAY = "Long run on <b>{day}</b>."
GOT_WEEKLY_MINUTES = "About <b>{minutes} minutes</b> a week."
GOT_MORNING_TIME = "Morning message at <b>{time}</b>."
GOT_CHECKIN_TIME = "Check-in at <b>{time}</b>."
GOT_TIME_ZONE = "Time zone: <b>{zone}</b>."
GOT_UNITS = "Paces in <b>{units}</b>."

# --- problems with an answer (nothing is saved) ---

RACE_NOT_PLAUSIBLE = (
    "That result doesn't look right to me: {problem}. Send it again, like {example}."
)
RUN_DAYS_COUNT = "Pick between {low} and {high} run days, like <i>mon wed fri sat</i>."
NOT_A_RUN_DAY = "{day} isn't one of your run days ({days}). Tap one of the buttons."
SAME_AS_QUALITY_DAY = "{day} is your quality day already. Pick another run day for the long run."
WEEKLY_MINUTES_TOO_LOW = (
    "Thanks for being honest! Ramp starts from {low} minutes a week: below that, one quality "
    "session would be most of your running. Keep building easy runs and come back when you're "
    "at {low}, or send <i>{low}</i> if you can manage that now."
)
UNITS_INVALID = "Tap <b>km</b> or <b>miles</b>, or type one of them."
GOAL_INVALID = (
    "Send the race distance and date, like {example} or <i>half 14 March 2027</i>, or tap "
    "the button below."
)
GOAL_DISTANCE_OUT_OF_RANGE = "I can plan for races from 1500 m up to the marathon, like {example}."
GOAL_DATE_PASSED = "{day} has already passed. Send a race date in the future."
GOAL_BEFORE_START = (
    "Your plan starts on {start}, so a race on {day} comes too soon. Pick a later race, or "
    "tap <b>No goal race</b>."
)
GOAL_TOO_FAR = "That's more than {years} years away. Pick a race within {years} years."
CONFIRM_PLEASE = "Tap <b>Confirm</b> to save this, or <b>Start over</b> to change something."
PROFILE_INVALID = "Something in these answers doesn't fit together ({problem}). Let's start over."

# --- summary and welcome ---

SUMMARY = "<b>Here's your setup:</b>\n{lines}\n\nAll good?"
SUMMARY_RACE = "Recent result: {race}"
SUMMARY_NO_RACE = "Recent result: none yet (first quality session: a 5K time trial)"
SUMMARY_NO_NEW_RACE = "New result: none (your paces stay)"
SUMMARY_RUN_DAYS = "Run days: {days}"
SUMMARY_QUALITY_DAY = "Quality session: {day}"
SUMMARY_LONG_RUN_DAY = "Long run: {day}"
SUMMARY_WEEKLY_MINUTES = "Weekly running: {minutes} min"
SUMMARY_TIMES = "Morning message: {morning} · Check-in: {checkin}"
SUMMARY_TIME_ZONE = "Time zone: {zone}"
SUMMARY_UNITS = "Units: {units}"
SUMMARY_GOAL = "Goal race: {goal}"
SUMMARY_NO_GOAL = "Goal race: none"
SUMMARY_NO_NEW_GOAL = "Goal race: no change"

ALL_SET = "<b>You're all set, {name}!</b>"
PROFILE_UPDATED = "<b>Profile updated, {name}.</b> Your history is kept, runs and all."
PLAN_STARTS_TODAY = "Your plan starts today."
# A new plan starts now: a short lead-in week, then the first full week on Monday.
LEAD_IN_STARTS = "Your first run is {when}, {what}; your first full week starts <b>{monday}</b>."
FIRST_RUN_TOMORROW = "<b>tomorrow</b>"
FIRST_RUN_ON = "on <b>{day}</b>"
FIRST_RUN_EASY = "an easy {minutes} min"
FIRST_RUN_TRIAL = "the 5K time trial"
PLAN_RUNNING = "Your plan carries on from the week it started, {day}."
CHANGE_FROM_TOMORROW = (
    "Your new days count from tomorrow, <b>{day}</b>; the weeks behind you stay as they were."
)
CHANGE_FROM_MONDAY = (
    "This week is more than half done, so your new days start on <b>{day}</b>. "
    "The weeks behind you stay as they were."
)
PACES = "Your training paces, from your {race}:\n{paces}"
FIRST_SESSION_TRIAL = (
    "Your first quality session is a <b>5K time trial</b>: its result sets all your paces."
)
GOAL_SET = "I'll build you towards your <b>{goal}</b>."
DAILY_RHYTHM = (
    "Every morning at <b>{morning}</b> I'll send the day's session, and at <b>{checkin}</b> "
    "I'll ask how it went. /help shows everything else."
)
