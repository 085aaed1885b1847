"""The coach's reasons in plain English, for `python -m coach` (the bot words its own in
bot/texts/reasons.py, reusing these where the words are the same)."""

from __future__ import annotations

from datetime import date

from coach.decision import WeeklyDecision, day_label
from coach.model import Decision, Week
from coach.paces import format_duration
from coach.reasons import (
    AssumingToPlan,
    BackAfterShortBreak,
    BuildStreak,
    BusyWeek,
    CeilingHeld,
    DeloadAsked,
    DeloadDidItsJob,
    DeloadPlanned,
    DeloadRequested,
    EasyAfterIllness,
    EndOfBlock,
    FatigueAddingUp,
    HardDaysApart,
    HighLoadRatio,
    HighMonotony,
    HowDoYouFeel,
    LeadIn,
    LowMood,
    LowSessionScores,
    MissedForHealth,
    NiggleChange,
    NoResultYet,
    NoWarningSigns,
    OneWarningSign,
    PausedDays,
    PausedWeek,
    QualityBecameEasy,
    QualityChanged,
    QualityNotDone,
    QualityNotHeard,
    QualityOneOver,
    QualitySkipped,
    RaceDone,
    RaceWeek,
    ReadinessChange,
    Reason,
    RecoveryPlanned,
    RepsByFeel,
    RestingHRHighMornings,
    RestingHROneMorning,
    RestingHRUp,
    Retest,
    SessionFelt,
    SessionsMissed,
    ShortSleep,
    SlowerThanLastTime,
    SlowerTrial,
    SoreLegs,
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
        case SessionFelt(day, session, rpe, target):
            return _felt(day, session, rpe, target) + "."
        case QualityOneOver(day, session, rpe, target):
            return _felt(day, session, rpe, target) + ": one point over, so we hold the step."
        case QualityBecameEasy(day):
            return (
                f"{day_label(day)}'s quality session became an easy run, so we hold "
                "the step until it is done."
            )
        case QualitySkipped(day, session, why):
            return (
                f"{day_label(day)}'s {session} was skipped ({why}), so we hold the step: "
                "progress comes from the session done."
            )
        case QualityChanged(day, session):
            return (
                f"{day_label(day)}'s {session} was changed, so it doesn't count as the step's "
                "session: we hold the step."
            )
        case QualityNotHeard(day, session):
            return f"I didn't hear how {day_label(day)}'s {session} went, so we hold the step."
        case SlowerThanLastTime(day, session, drop_pct, rpe, previous_rpe):
            effort = (
                "at the same effort"
                if rpe == previous_rpe
                else f"at a harder effort ({rpe}/10 against {previous_rpe})"
            )
            return (
                f"{day_label(day)}'s {session} was {drop_pct:.0f} % slower than last time {effort}."
            )
        case SlowerTrial(day, vdot, vdot_before):
            return (
                f"{day_label(day)}'s time trial (VDOT {vdot:.1f}) was slower than your last "
                f"result ({vdot_before or 0:.1f}): more likely fatigue than lost fitness, so "
                "your paces stay and we re-test in 3 weeks."
            )
        case RestingHRUp(mean, mornings, baseline, limit):
            return (
                f"Resting HR averaged {mean:.0f} over the last {_mornings(mornings)}, "
                f"{mean - baseline:.0f} above your {baseline:.0f} baseline (limit +{limit:.0f})."
            )
        case RestingHROneMorning(bpm, baseline):
            return (
                f"One morning your resting HR was {bpm}, {bpm - baseline:.0f} above "
                f"your {baseline:.0f} baseline."
            )
        case RestingHRHighMornings(mornings, highest, baseline):
            return (
                f"Your resting HR was high on {_mornings(mornings)} this week (up to {highest}, "
                f"against your {baseline:.0f} baseline)."
            )
        case LowSessionScores():
            return "Two sessions scored 4/10 or less for how they went."
        case SoreLegs():
            return "Your legs were sore two days running."
        case ShortSleep(mean_h):
            return f"Sleep averaged {mean_h:.1f} h, under 7."
        case LowMood():
            return "Your mood was low on two days."
        case MissedForHealth(sessions):
            missed = "1 session" if sessions == 1 else f"{sessions} sessions"
            return f"{missed} missed through illness or injury."
        case BusyWeek(stressed_days):
            return f"Life stress was high on {stressed_days} days: same step, shorter sessions."
        case HighLoadRatio(acwr):
            return f"Your acute:chronic load ratio is {acwr:.2f}, above 1.5."
        case HighMonotony(monotony):
            return f"Training monotony was {monotony:.1f}, above 2.0."
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


def _felt(day: date, session: str, rpe: int, target: int) -> str:
    return f"{day_label(day)}'s {session} felt {rpe}/10 against a target of {target}"


def _mornings(n: int) -> str:
    return "1 morning" if n == 1 else f"{n} mornings"


def decision_texts(decision: Decision | WeeklyDecision) -> tuple[str, ...]:
    return tuple(english(r) for r in decision.reasons)


def change_texts(week: Week) -> tuple[str, ...]:
    return tuple(english(c) for c in week.changes)
