"""The coach's reasons are typed values: every kind renders, numbers and all, and no plain
`str` reason is left in a plan."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
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

# The weekly review's findings, each with its whole text: these were plain strings built in
# coach/replay.py `_review` until they became kinds, and the words are unchanged.
REVIEW_FINDINGS: list[tuple[r.Reason, str]] = [
    (r.SessionFelt(WED, "Tempo", 6, 7), "Wed 4 Nov's Tempo felt 6/10 against a target of 7."),
    (
        r.QualityOneOver(WED, "Tempo", 8, 7),
        "Wed 4 Nov's Tempo felt 8/10 against a target of 7: one point over, so we hold the step.",
    ),
    (
        r.QualityBecameEasy(WED),
        "Wed 4 Nov's quality session became an easy run, so we hold the step until it is done.",
    ),
    (
        r.QualitySkipped(WED, "Tempo", "work"),
        "Wed 4 Nov's Tempo was skipped (work), so we hold the step: progress comes from the "
        "session done.",
    ),
    (
        r.QualityChanged(WED, "Tempo"),
        "Wed 4 Nov's Tempo was changed, so it doesn't count as the step's session: we hold the "
        "step.",
    ),
    (
        r.QualityNotHeard(WED, "Tempo"),
        "I didn't hear how Wed 4 Nov's Tempo went, so we hold the step.",
    ),
    (
        r.SlowerThanLastTime(WED, "6×400 m uptick", 6.4, 7, 7),
        "Wed 4 Nov's 6×400 m uptick was 6 % slower than last time at the same effort.",
    ),
    (
        r.SlowerThanLastTime(WED, "Tempo", 4.6, 8, 6),
        "Wed 4 Nov's Tempo was 5 % slower than last time at a harder effort (8/10 against 6).",
    ),
    (
        r.SlowerTrial(WED, 41.23, 44.0),
        "Wed 4 Nov's time trial (VDOT 41.2) was slower than your last result (44.0): more likely "
        "fatigue than lost fitness, so your paces stay and we re-test in 3 weeks.",
    ),
    (
        r.RestingHRUp(58.4, 3, 52.2, 4.4),
        "Resting HR averaged 58 over the last 3 mornings, 6 above your 52 baseline (limit +4).",
    ),
    (
        r.RestingHRUp(58.4, 1, 52.2, 4.4),
        "Resting HR averaged 58 over the last 1 morning, 6 above your 52 baseline (limit +4).",
    ),
    (
        r.RestingHROneMorning(61, 52.3),
        "One morning your resting HR was 61, 9 above your 52 baseline.",
    ),
    (
        r.RestingHRHighMornings(2, 63, 52.3),
        "Your resting HR was high on 2 mornings this week (up to 63, against your 52 baseline).",
    ),
    (r.LowSessionScores(), "Two sessions scored 4/10 or less for how they went."),
    (r.SoreLegs(), "Your legs were sore two days running."),
    (r.ShortSleep(6.24), "Sleep averaged 6.2 h, under 7."),
    (r.LowMood(), "Your mood was low on two days."),
    (r.MissedForHealth(1), "1 session missed through illness or injury."),
    (r.MissedForHealth(2), "2 sessions missed through illness or injury."),
    (r.BusyWeek(3), "Life stress was high on 3 days: same step, shorter sessions."),
    (r.HighLoadRatio(1.634), "Your acute:chronic load ratio is 1.63, above 1.5."),
    (r.HighMonotony(2.46), "Training monotony was 2.5, above 2.0."),
]

# One of each kind, with the words that quote what was seen.
EXAMPLES: list[tuple[r.Reason, str]] = [
    *REVIEW_FINDINGS,
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


def test_the_review_findings_keep_their_words() -> None:
    for reason, text in REVIEW_FINDINGS:
        assert english(reason) == text


def test_no_plain_text_kind_exists() -> None:
    """Every reason is a frozen dataclass of what was seen: no kind wraps finished words."""
    assert not hasattr(r, "Said")
    kinds = get_args(r.Reason)
    assert str not in kinds
    for kind in kinds:
        assert is_dataclass(kind) and kind.__dataclass_params__.frozen, kind
        assert [f.name for f in fields(kind)] != ["text"], kind


def test_the_planned_minutes_update_the_number_not_the_words() -> None:
    held = r.StepPlanned(3, "6×400 m uptick", 165, r.CeilingHeld(165, "back gently"))
    assert english(r.with_planned_minutes(held, 165, 150)) == (
        "So: step 3 (6×400 m uptick), 150 minutes: back gently."
    )
    assert r.with_planned_minutes(r.DeloadPlanned(120), 120, 110) == r.DeloadPlanned(110)
    assert r.with_planned_minutes(r.DeloadPlanned(120), 125, 110) == r.DeloadPlanned(120)
    assert r.with_planned_minutes(r.BuildStreak(3), 3, 2) == r.BuildStreak(3)
    assert r.with_planned_minutes(r.BusyWeek(3), 3, 2) == r.BusyWeek(3)


def test_a_renamed_session_is_named_as_planned() -> None:
    step = r.StepPlanned(3, "6×400 m uptick", 200)
    assert r.with_session_renamed(step, "6×400 m", "5×400 m").session == "5×400 m uptick"
    assert r.with_session_renamed(r.EndOfBlock(), "a", "b") == r.EndOfBlock()
    felt = r.with_session_renamed(r.SessionFelt(WED, "6×400 m uptick", 9, 7), "6×400 m", "5×400 m")
    assert english(felt) == "Wed 4 Nov's 5×400 m uptick felt 9/10 against a target of 7."


@PROPERTY_SETTINGS
@given(history_and_today())
def test_no_plain_string_reason_is_left(case: tuple[History, date]) -> None:
    typed = get_args(r.Reason)
    for week in plan(*case).weeks:
        for reason in (*week.decision.reasons, *week.changes):
            assert isinstance(reason, typed) and not isinstance(reason, str), reason
            assert english(reason)
