"""The coach's reasons are typed values: every kind renders, numbers and all, and no plain
`str` reason is left in a plan."""

from __future__ import annotations

from datetime import date
from typing import get_args

from hypothesis import given

from bot.texts.reasons import reason_text
from coach import reasons as r
from coach.english import english
from coach.history import History
from coach.replay import plan
from tests.coach.strategies import history_and_today
from tests.coach.test_replay_properties import PROPERTY_SETTINGS

WED = date(2026, 11, 4)
MON = date(2026, 11, 9)

# One of each kind, with the words that quote what was seen.
EXAMPLES: list[tuple[r.Reason, str]] = [
    (r.Said("Assuming the week before goes to plan."), "Assuming the week before"),
    (r.NoResultYet(), "No recent race or time trial"),
    (r.StaleResult(10000, 2900, date(2020, 5, 3)), "10 km in 48:20 is from May 2020"),
    (r.StartingAtStep1(5000, 1350, 180), "from your 5 km in 22:30: short controlled"),
    (r.StartingAtStep1(None, None, 180), "from your result: short controlled reps"),
    (r.PausedWeek("ill"), "You're paused (ill); the plan waits"),
    (r.AssumingToPlan(), "Assuming the week before goes to plan."),
    (r.TaperIsTheRecovery(WED), "The taper from Wed 4 Nov is this block's recovery"),
    (r.RaceWeek(10000, MON, WED), "Race week: 10 km on Mon 9 Nov. The taper since Wed 4 Nov"),
    (r.Tapering(21097.5, MON, WED, 12), "Taper from Wed 4 Nov, 12 days before your 21.0975 km"),
    (r.RaceDone(150), "easy days first, then we build again; 150 minutes"),
    (r.DeloadAsked(WED), "deload on Wed 4 Nov."),
    (r.FatigueAddingUp(), "Fatigue is adding up:"),
    (r.SessionsMissed((WED, MON)), "2 sessions missed (Wed 4 Nov, Mon 9 Nov)"),
    (r.BuildStreak(3), "3 weeks of building in a row"),
    (r.OneWarningSign(), "One warning sign"),
    (r.QualityNotDone(), "quality session was not done"),
    (r.WeekToPlan(), "The week went to plan."),
    (r.NoWarningSigns(), "No warning signs."),
    (r.CeilingHeld(165, "at most 10 % above last week"), "165 minutes: at most 10 %"),
    (r.WelcomeBack(16, 2, 150), "after 16 days off: one step down to step 2 and 150 minutes"),
    (r.BackAfterShortBreak(1), "Back after 1 day off"),
    (r.BackAfterShortBreak(9), "Back after 9 days off"),
    (r.HowDoYouFeel(), "How do you feel now?"),
    (r.Retest(), "a re-test tells fatigue from fitness"),
    (r.DeloadPlanned(120), "So: 120 minutes, and a technique run"),
    (r.RecoveryPlanned(140), "So: 140 minutes; the quality session is kept"),
    (r.TrialStillNeeded(), "Still no 5K result"),
    (r.RepsByFeel(), "reps go by feel"),
    (r.DeloadDidItsJob(), "The lighter week did its job"),
    (r.EndOfBlock(), "End of the block"),
    (r.StepPlanned(3, "6×400 m uptick", 200), "So: step 3 (6×400 m uptick), 200 minutes."),
    (
        r.StepPlanned(3, "6×400 m uptick", 165, r.CeilingHeld(165, "back gently")),
        "So: step 3 (6×400 m uptick), 165 minutes: back gently.",
    ),
    (r.TrialLogged(43.4, 1350), "VDOT 43.4 (a 22:30 5K)"),
    (r.TrialUnconfirmed(WED, 40.0, 45.1), "Wed 4 Nov's result would lift VDOT from 40.0 to 45.1"),
    (r.LeadIn(WED, True, MON), "from Wed 4 Nov: the 5K time trial and easy running"),
    (r.LeadIn(WED, False, MON), "easy running to settle in; your first full week starts on Mon"),
    (r.EasyAfterIllness(WED, "Tempo"), "Wed 4 Nov: easy instead of Tempo. Back from illness"),
    (r.ReadinessChange(WED, "easy instead of Tempo: resting HR 59"), "Wed 4 Nov: easy instead"),
    (r.NiggleChange(WED, "easy instead: your calf hurts when running"), "Wed 4 Nov: easy instead"),
    (r.PausedDays(WED, MON), "Paused from Wed 4 Nov to Mon 9 Nov."),
    (r.DeloadRequested(WED), "deload on Wed 4 Nov: the rest of the week is lighter"),
    (r.HardDaysApart(WED, "Tempo"), "Wed 4 Nov: easy instead of Tempo, to keep 48 h"),
]


def test_every_reason_kind_renders_with_its_numbers() -> None:
    kinds = {type(reason) for reason, _ in EXAMPLES}
    assert kinds == set(get_args(r.Reason))
    for reason, words in EXAMPLES:
        assert words in english(reason), reason
        assert words in reason_text(reason), reason  # the bot's words, the same today


def test_the_planned_minutes_update_the_number_not_the_words() -> None:
    held = r.StepPlanned(3, "6×400 m uptick", 165, r.CeilingHeld(165, "back gently"))
    assert english(r.with_planned_minutes(held, 165, 150)) == (
        "So: step 3 (6×400 m uptick), 150 minutes: back gently."
    )
    assert r.with_planned_minutes(r.DeloadPlanned(120), 120, 110) == r.DeloadPlanned(110)
    assert r.with_planned_minutes(r.DeloadPlanned(120), 125, 110) == r.DeloadPlanned(120)
    assert r.with_planned_minutes(r.BuildStreak(3), 3, 2) == r.BuildStreak(3)
    said = r.with_planned_minutes(r.Said("Busy week: 120 minutes."), 120, 100)
    assert said == r.Said("Busy week: 100 minutes.")


def test_a_renamed_session_is_named_as_planned() -> None:
    step = r.StepPlanned(3, "6×400 m uptick", 200)
    assert r.with_session_renamed(step, "6×400 m", "5×400 m").session == "5×400 m uptick"
    assert r.with_session_renamed(r.EndOfBlock(), "a", "b") == r.EndOfBlock()


@PROPERTY_SETTINGS
@given(history_and_today())
def test_no_plain_string_reason_is_left(case: tuple[History, date]) -> None:
    typed = get_args(r.Reason)
    for week in plan(*case).weeks:
        for reason in (*week.decision.reasons, *week.changes):
            assert isinstance(reason, typed) and not isinstance(reason, str), reason
            assert english(reason)
