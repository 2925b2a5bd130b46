"""The drill clock: drill time runs ``speed`` times faster than real time, from the moment the drill starts.

Pure arithmetic, no I/O. At the default 720× one real minute is twelve drill hours, so the 速報 window
(3–5 days) passes in six to ten minutes and the 30-day 確報 window in an hour.

A drill's incident is stamped in drill time: the service runs on :meth:`DrillClock.as_clock`, so its deadlines
are legal deadlines in drill time; whoever schedules a reminder turns the drill due time back into the real
moment to wake up at with :meth:`DrillClock.real_at`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock

DEFAULT_SPEED = 720  # `drills.speed` in the org config (issue 14): 30 drill days ≈ 1 real hour


@dataclass(frozen=True)
class DrillClock:
    started_at_real: datetime
    speed: float = DEFAULT_SPEED
    started_at_drill: datetime | None = None  # the drill calendar's start; the real start when None

    def __post_init__(self) -> None:
        if self.started_at_real.tzinfo is None:
            raise ValueError("DrillClock needs an aware start time")
        if self.started_at_drill is not None and self.started_at_drill.tzinfo is None:
            raise ValueError("DrillClock needs an aware drill start time")
        if not self.speed > 0:
            raise ValueError("the drill speed must be positive")

    @property
    def drill_start(self) -> datetime:
        return self.started_at_drill if self.started_at_drill is not None else self.started_at_real

    # --- durations -------------------------------------------------------------------------------------------
    def to_drill(self, real: timedelta) -> timedelta:
        """A real duration as drill time (720×: one real minute → twelve drill hours)."""
        return real * self.speed

    def to_real(self, drill: timedelta) -> timedelta:
        """A drill duration as real time (720×: thirty drill days → one real hour)."""
        return drill / self.speed

    # --- moments ---------------------------------------------------------------------------------------------
    def elapsed(self, real_now: datetime) -> timedelta:
        """Drill time since the start: the offset injects are written in."""
        return self.to_drill(real_now - self.started_at_real)

    def drill_now(self, real_now: datetime) -> datetime:
        """The drill-time moment at the real moment ``real_now``."""
        return self.drill_start + self.elapsed(real_now)

    def real_at(self, drill_time: datetime | timedelta) -> datetime:
        """The real moment at which the drill reaches ``drill_time`` (a drill moment, or an offset from the start)."""
        offset = drill_time if isinstance(drill_time, timedelta) else drill_time - self.drill_start
        return self.started_at_real + self.to_real(offset)

    def offset_of(self, drill_time: datetime) -> timedelta:
        """A drill moment as an offset from the start of the drill."""
        return drill_time - self.drill_start

    def as_clock(self, real: Clock) -> Clock:
        """A :class:`bot.clock.Clock` reading drill time from a real clock, for the services to run a drill on."""
        return _DrillTime(self, real)


@dataclass(frozen=True)
class _DrillTime:
    drill: DrillClock
    real: Clock

    def now(self) -> datetime:
        return self.drill.drill_now(self.real.now())


def drill_clock(drill: dict | None) -> DrillClock | None:
    """The clock of a drill incident (``incidents.drill``), None for a real incident."""
    if not drill:
        return None
    return DrillClock(datetime.fromisoformat(drill["started_at"]), float(drill["speed"]))
