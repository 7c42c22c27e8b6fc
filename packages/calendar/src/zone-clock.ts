import { IANAZone } from 'luxon';
import { DAY_MS, DayNumber } from './days';

const MINUTE_MS = 60_000;

/**
 * Maps instants to local days and wall-clock times of one IANA zone and back, deterministically.
 * A wall-clock time a DST switch skips moves forward by the gap; one it repeats is the earlier of
 * the two instants (Temporal's "compatible" rule). luxon's `DateTime.fromObject` is not used for
 * this because it seeds its guess with the offset of the current date, so which of two repeated
 * instants it returns depends on when the code runs.
 */
export class ZoneClock {
  private readonly zone: IANAZone;

  constructor(timeZone: string) {
    this.zone = IANAZone.create(timeZone);
  }

  dayOf(instant: number): DayNumber {
    return Math.floor(this.localMs(instant) / DAY_MS);
  }

  /** Milliseconds of local wall-clock time since local midnight. */
  timeOfDay(instant: number): number {
    const local = this.localMs(instant);
    return local - Math.floor(local / DAY_MS) * DAY_MS;
  }

  /**
   * Instants of wall-clock times (ms since local midnight) on one local day. Assumes no zone switches
   * its offset twice within two days, so equal offsets a day either side mean no switch that day.
   */
  instantsOn(day: DayNumber, timesOfDay: readonly number[]): number[] {
    const midnight = day * DAY_MS;
    const offset = this.offsetMs(midnight - DAY_MS);
    if (offset === this.offsetMs(midnight + 2 * DAY_MS))
      return timesOfDay.map((time) => midnight + time - offset);
    return timesOfDay.map((time) => this.instantAcrossSwitch(midnight + time));
  }

  private instantAcrossSwitch(local: number): number {
    const before = this.offsetMs(local - DAY_MS);
    const after = this.offsetMs(local + DAY_MS);
    const viaBefore = local - before;
    const viaAfter = local - after;
    const beforeFits = this.localMs(viaBefore) === local;
    const afterFits = this.localMs(viaAfter) === local;
    if (beforeFits && afterFits) return Math.min(viaBefore, viaAfter);
    if (afterFits) return viaAfter;
    // Fits the offset before the switch, or falls in the skipped gap, where reading it with the
    // earlier offset lands the same distance past the switch: moved forward by the gap.
    return viaBefore;
  }

  private localMs(instant: number): number {
    return instant + this.offsetMs(instant);
  }

  private offsetMs(instant: number): number {
    return this.zone.offset(instant) * MINUTE_MS;
  }
}
