"""Words for /stats and /progress: chart captions and what to say when there's no chart yet."""

STATS_CAPTION = (
    "<b>{headline}</b>\n"
    "Bars: load done each week; dashes: what was planned. The orange line is your "
    "acute:chronic ratio, and the green band the usual 0.8–1.3. Shaded weeks were lighter "
    "on purpose."
)
STATS_TOO_EARLY = (
    "Not much to chart yet: after two weeks of the plan and a few logged runs, /stats shows "
    "your load, resting HR and how the hard sessions felt. Keep logging with /checkin."
)
PROGRESS_CAPTION = "<b>{headline}</b>\nEach point is a race or time trial, with the paces it set."
PROGRESS_NONE = (
    "No race or time trial yet, so there's no fitness line to draw. Your first quality "
    "session is a 5K time trial; log it (or any recent race) with /trial."
)
