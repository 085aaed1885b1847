"""The coach's reasons in plain English, for `python -m coach` (the bot words its own in
bot/texts/reasons.py, reusing these where the words are the same)."""

from __future__ import annotations

from coach.decision import WeeklyDecision, day_label
from coach.model import Decision, Week
from coach.paces import format_duration
from coach.reasons import (
    AssumingToPlan,
    BackAfterShortBreak,
    BuildStreak,
    CeilingHeld,
    DeloadAsked,
    DeloadDidItsJob,
    DeloadPlanned,
    DeloadRequested,
    EasyAfterIllness,
    EndOfBlock,
    FatigueAddingUp,
    HardDaysApart,
    HowDoYouFeel,
    LeadIn,
    NiggleChange,
    NoResultYet,
    NoWarningSigns,
    OneWarningSign,
    PausedDays,
    PausedWeek,
    QualityNotDone,
    RaceDone,
    RaceWeek,
    ReadinessChange,
    Reason,
    RecoveryPlanned,
    RepsByFeel,
    Retest,
    Said,
    SessionsMissed,
    StaleResult,
    StartingAtStep1,
    StepPlanned,
    Tapering,
    TaperIsTheRecovery,
    TrialLogged,
    TrialStillNeeded,
    TrialUnconfirmed,
    WeekToPlan,
    WelcomeBack,
)


def english(reason: Reason) -> str:
    match reason:
        case Said(text):
            return text
        case NoResultYet():
            return (
                "No recent race or time trial: this week's quality session is a 5K time trial "
                "so every pace after it is yours."
            )
        case StaleResult(distance_m, time_s, day):
            return (
                f"Your {distance_m / 1000:g} km in {format_duration(time_s)} is "
                f"from {day:%b %Y}, more than 8 weeks ago: fitness moves, so this "
                "week's quality session is a 5K time trial and every pace after it is yours."
            )
        case StartingAtStep1(distance_m, time_s, minutes):
            source = "your result"
            if distance_m is not None and time_s is not None:
                source = f"your {distance_m / 1000:g} km in {format_duration(time_s)}"
            return (
                f"Starting at step 1 from {source}: short controlled reps while the legs "
                f"relearn speed, {minutes} minutes this week."
            )
        case PausedWeek(why):
            return f"You're paused ({why}); the plan waits for you."
        case AssumingToPlan():
            return "Assuming the week before goes to plan."
        case TaperIsTheRecovery(taper_start):
            return (
                f"The taper from {day_label(taper_start)} is this block's recovery: "
                "no separate lighter week before it, the same step and volume for now."
            )
        case RaceWeek(distance_m, race_day, taper_start):
            return (
                f"Race week: {distance_m / 1000:g} km on {day_label(race_day)}. The taper since "
                f"{day_label(taper_start)} keeps your days with shorter runs and ends with a "
                "sharpener."
            )
        case Tapering(distance_m, race_day, taper_start, days):
            return (
                f"Taper from {day_label(taper_start)}, {days} days before your "
                f"{distance_m / 1000:g} km on {day_label(race_day)}: shorter runs on the same "
                "days, the pace of the quality work kept."
            )
        case RaceDone(minutes):
            return (
                f"The race is done: easy days first, then we build again; {minutes} minutes, "
                "at most 10 % above race week."
            )
        case DeloadAsked(day):
            return f"You asked for a deload on {day_label(day)}."
        case FatigueAddingUp():
            return "Fatigue is adding up:"
        case SessionsMissed(days):
            listed = ", ".join(day_label(d) for d in days)
            return (
                f"{len(days)} sessions missed ({listed}): we repeat the week, nothing is made up."
            )
        case BuildStreak(weeks):
            return f"{weeks} weeks of building in a row: a lighter week lets them sink in."
        case OneWarningSign():
            return "One warning sign, so we hold:"
        case QualityNotDone():
            return "The week's quality session was not done, so we hold the step."
        case WeekToPlan():
            return "The week went to plan."
        case NoWarningSigns():
            return "No warning signs."
        case CeilingHeld(minutes, why):
            return f"{minutes} minutes: {why}."
        case WelcomeBack(days_off, step, minutes):
            return (
                f"Welcome back after {days_off} days off: one step down to step {step} "
                f"and {minutes} minutes, then we build again."
            )
        case BackAfterShortBreak(days_off):
            off = "1 day" if days_off == 1 else f"{days_off} days"
            return f"Back after {off} off: same step, same volume."
        case HowDoYouFeel():
            return (
                "How do you feel now? Tell me if anything is still off: the first runs back "
                "are easy either way."
            )
        case Retest():
            return "Three weeks after the slower trial: a re-test tells fatigue from fitness."
        case DeloadPlanned(minutes):
            return f"So: {minutes} minutes, and a technique run instead of the hard session."
        case RecoveryPlanned(minutes):
            return f"So: {minutes} minutes; the quality session is kept but shorter."
        case TrialStillNeeded():
            return "Still no 5K result: this week's quality session is the time trial."
        case RepsByFeel():
            return "No time trial logged yet: reps go by feel until you log one."
        case DeloadDidItsJob():
            return "The lighter week did its job: no warning signs now."
        case EndOfBlock():
            return "End of the block: a 5K time trial recalibrates every pace."
        case StepPlanned(step, session, minutes, held):
            volume = f"{minutes} minutes." if held is None else english(held)
            return f"So: step {step} ({session}), {volume}"
        case TrialLogged(vdot, five_k_s):
            five_k = format_duration(five_k_s)
            return (
                f"Time trial logged: VDOT {vdot:.1f} (a {five_k} 5K); every pace is recalibrated."
            )
        case TrialUnconfirmed(day, was, vdot):
            return (
                f"{day_label(day)}'s result would lift VDOT from {was or 0:.1f} to {vdot:.1f}, "
                "more than 10 %: confirm it and every pace follows; until then they stay."
            )
        case LeadIn(start, trial, monday):
            return (
                f"Welcome! A short first week from {day_label(start)}: "
                + ("the 5K time trial and easy running" if trial else "easy running to settle in")
                + f"; your first full week starts on {day_label(monday)}."
            )
        case EasyAfterIllness(day, session):
            return (
                f"{day_label(day)}: easy instead of {session}. Back from illness: two easy runs "
                "come before any hard session."
            )
        case ReadinessChange(day, what) | NiggleChange(day, what):
            return f"{day_label(day)}: {what}"
        case PausedDays(first, last):
            return f"Paused from {day_label(first)} to {day_label(last)}."
        case DeloadRequested(day):
            return (
                f"You asked for a deload on {day_label(day)}: the rest of the week "
                "is lighter, and next week is a deload week."
            )
        case HardDaysApart(day, session):
            return f"{day_label(day)}: easy instead of {session}, to keep 48 h between hard days."


def decision_texts(decision: Decision | WeeklyDecision) -> tuple[str, ...]:
    return tuple(english(r) for r in decision.reasons)


def change_texts(week: Week) -> tuple[str, ...]:
    return tuple(english(c) for c in week.changes)
