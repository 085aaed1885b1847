"""Words for moving a session ("can't run Thursday", "swap Thursday and Friday", /week's
Move button). Filled by bot.handlers.moves; session titles are escaped there."""

BUTTON_MOVE = "📅 Move a session"
WHICH_SESSION = "Which session would you like to move?"
NOTHING_LEFT = "Nothing left to move this week: every session ahead is a rest day."
WHICH_DAY = "Where should <b>{day}</b>'s {session} go? These days keep the week safe:"
CANT_RUN = "No problem. <b>{day}</b>'s {session} can go on one of these days instead:"
MOVED = "Done: <b>{day}</b>'s {session} is now on <b>{to}</b>."
SWAPPED = "Done: {session} is now on <b>{to}</b>, and {other} on <b>{day}</b>."
ALREADY_MOVED = "Already done earlier today: /week shows the week as it stands."
ALREADY_REST = "<b>{day}</b> is a rest day already, so there's nothing to move."
NO_DAY_WORKS = (
    "No other day this week keeps 48 h between the hard days, so I'd leave it. If you "
    "can't run, just skip it at the check-in: nothing to make up."
)
BUTTON_DAY = "{day}: {what}"
REST = "rest"

# Why a move doesn't fit (coach.moves.MoveProblem), then the days that do.
WHY = {
    "not_this_week": "I can only move sessions within this week.",
    "past": "<b>{day}</b> is already behind us this week, so there's nothing to move there.",
    "same_day": "That's the same day, so nothing moves.",
    "nothing_to_move": "Both are rest days, so there's nothing to move.",
    "race": "Your race keeps its date: everything else fits around it.",
    "hard_48h": (
        "That would put two hard days less than 48 h apart; the legs need that time to "
        "absorb the work."
    ),
    "long_next_to_hard": (
        "That would put the long run right next to a hard day; each needs fresh legs."
    ),
}
NEAREST = "These days work:"
ONLY_THIS_WEEK = (
    "I can only move sessions within this week ({first} to {last}): later weeks are "
    "planned when they come, from how this one goes. Tell me then, and I'll move it."
)
