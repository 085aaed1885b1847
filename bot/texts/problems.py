"""All runner-facing texts of the Ramp bot live here, grouped by topic in sections.

Texts are plain text or Telegram HTML using only <b> and <i>. Some are templates for
`str.format`; whoever fills them in escapes anything the runner typed.
"""

# --- input problems ---
# Sent when a typed answer can't be used; nothing is saved. Each one says what was wrong and
# shows an example that works. The {placeholders} are filled in by bot.parsing from its own
# limits, so every number lives in one place.

TOO_LONG = (
    "That's a long message! I read short answers best, under {limit} characters, "
    "like <i>ran 8k in 42 min rpe 6</i>."
)
NOT_TEXT = "I can only read typed text. Send your answer as a message, like <b>7</b>."

RPE_INVALID = (
    "Effort (RPE) is one number from {low} (very easy) to {high} (all-out), "
    "like <b>7</b> or <b>7/10</b>."
)
QUALITY_INVALID = (
    "Rate it with one number from {low} (poor) to {high} (perfect), like <b>8</b> or <b>8/10</b>."
)
RHR_INVALID = (
    "Resting heart rate should be between {low} and {high} beats per minute, "
    "like <b>52</b> or <b>52 bpm</b>."
)
SCALE_1_5_INVALID = "For {what}, send one number from {low} to {high}, like <b>3</b> or <b>3/5</b>."
SLEEP_INVALID = (
    "Send the hours you slept, from {low} to {high}, like <b>7.5</b>, <b>7h30</b> or <b>7:30</b>."
)

DURATION_DISTANCE_UNCLEAR = (
    "I couldn't tell how long and how far that was. "
    "Try <b>45 min 8.2 km</b>, <b>1:05:30 12k</b>, <b>42 minutes</b> or <b>5 mi</b>."
)
DURATION_OUT_OF_RANGE = (
    "That time doesn't look right: I log sessions up to {max_hours} hours, "
    "like <b>45 min</b> or <b>1:05:30</b>."
)
DISTANCE_OUT_OF_RANGE = (
    "That distance doesn't look right: I log runs up to {max_km} km, "
    "like <b>8.2 km</b> or <b>5 mi</b>."
)
PACE_IMPLAUSIBLE = (
    "That works out at {pace} per km, and I can only log paces between {fastest} and {slowest} "
    "per km. Please check the time and distance, e.g. <b>45 min 8.2 km</b>."
)
PACE_NEEDS_MORE = (
    "That's a pace: how far or how long did you run at it? "
    "Send it like <i>ran 10k at 5:30/km</i> or <i>ran 45 min at 5:30/km</i>."
)

RACE_INVALID = (
    "Send a race as distance and time, like <b>5k 22:30</b>, <b>10 km in 48:10</b> "
    "or <b>half 1:45:00</b>."
)
RACE_HOURS_CONFIRM = (
    "{clock} for {race}: <b>{duration}</b>? Tap yes, or send it again with hours, minutes and "
    "seconds, like <b>{example}</b>."
)
RACE_HOURS_YES = "Yes, {duration}"
HOURS_MINUTES = "{hours} h {minutes} min"
MINUTES_ONLY = "{minutes} min"
A_MARATHON = "a marathon"
A_HALF_MARATHON = "a half marathon"
A_MILE = "a mile"
KM_RACE = "{km} km"
RACE_TIME_INVALID = "Send your finish time, like <b>22:30</b>, <b>1:45:00</b> or <b>45 min</b>."
RACE_DISTANCE_OUT_OF_RANGE = (
    "I can use races from {min_m} m up to the marathon, like <b>mile 6:10</b>, <b>5k 22:30</b> "
    "or <b>marathon 3:30:00</b>."
)
RACE_TOO_LONG = (
    "My pace tables cover race efforts up to {max_hours} hours. A shorter recent race works "
    "great, like <b>10k 55:00</b> or <b>half 2:05:00</b>."
)
RACE_IMPLAUSIBLE = (
    "That works out at {pace} per km, outside the {fastest} to {slowest} per km I can use for "
    "a race. Please check the distance and time, e.g. <b>5k 22:30</b>."
)

CLOCK_TIME_INVALID = "Send a time of day, like <b>6:30</b>, <b>18:00</b> or <b>7am</b>."
TIME_ZONE_UNKNOWN = (
    "I don't know that time zone. Send your city, like <b>Berlin</b> or <b>New York</b>, "
    "or a UTC offset, like <b>UTC+2</b>."
)
TIME_ZONE_FIXED_OFFSET_NOTE = (
    "Note: a fixed offset doesn't follow daylight saving time. If your clocks change in "
    "summer, send your city instead, like <b>Berlin</b>."
)

WEEKDAYS_INVALID = (
    "Send the days, like <b>mon wed fri sat</b>, <b>tue-thu</b>, <b>weekdays</b> or "
    "<b>weekends</b>."
)
WEEKDAY_INVALID = "Send one day, like <b>sun</b> or <b>saturday</b>."
WEEKLY_MINUTES_INVALID = (
    "Send your weekly running time, between {low} and {high} minutes, "
    "like <b>180</b>, <b>3h</b> or <b>3 h 30</b>."
)

RPE_WITHOUT_SESSION = (
    "Which session was that effort for? Send them together, like <i>ran 8k in 42 min rpe 6</i>."
)
SESSION_NEEDS_NUMBERS = (
    "How long or how far was it? Send it like <i>ran 8k in 42 min rpe 6</i> or <i>swim 30 min</i>."
)
SESSION_AMBIGUOUS = (
    "I found two times, distances or efforts for one session. Send one of each, "
    "like <i>ran 8k in 42 min</i>, or one session after another: "
    "<i>ran 8k 42 min, cycled 40 min</i>."
)
CROSS_NEEDS_DURATION = (
    "How many minutes of {sport} was that? I log cross-training by time, "
    "like <i>cycled 40 min rpe 3</i>."
)
FREE_TEXT_HINT = (
    "I didn't catch anything to log there. You can tell me things like:\n"
    "• <i>ran 8k in 42 min rpe 6</i>\n"
    "• <i>rhr 52, slept 7.5h</i>\n"
    "• <i>legs sore</i>, <i>stressed</i> or <i>mood 2</i>\n"
    "• <i>cycled 40 min rpe 3</i>"
)

# --- dates and signs in a log ---

DATE_IN_FUTURE = (
    "{day} hasn't happened yet, so I can't log it. Send it on the day, "
    "or with a date that has passed, like <i>ran 8k in 42 min on 2026-11-04</i>."
)
DATE_NOT_REAL = (
    "{text} isn't a date I know. Write it like <b>2026-11-04</b>, or say <b>yesterday</b>."
)
NO_NEGATIVE = "A time or distance can't be negative. Send it without the minus, like <b>5 km</b>."
