"""Words bot.render adds to a session as the coach describes it."""

# Short reps: the rep's time first (what the watch's lap shows), the pace after it.
SHORT_REPS = "{count}×{distance} in {time} each ({pace})"
SHORT_REP = "{distance} in {time} ({pace})"
REP_RECOVERY = ", {recovery} easy between"
