/**
 * TOML dates and times as values: kept exactly as written (every fraction digit, offset or
 * local), immutable, and never mistaken for a string. JavaScript has no type for a local date or
 * a time of day and `Date` keeps milliseconds only, so neither a string nor a `Date` would do.
 * Everything that walks config trees treats a TomlDateTime as a leaf (see `isLeafObject`).
 */
import { ConfigError, ErrorCode } from '../foundation/errors.js';

/** What a TOML date-time literal denotes (the four TOML 1.0 types). */
export type TomlDateTimeKind = 'offset-datetime' | 'local-datetime' | 'local-date' | 'local-time';

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))?)?$|^(\d{2}):(\d{2}):(\d{2})(\.\d+)?$/;

/**
 * A TOML offset date-time, local date-time, local date or local time. `toString()` and
 * `toJSON()` give its RFC 3339 text, so JSON output and string interpolation show it as written.
 */
export class TomlDateTime {
  /** Which of the four TOML types this is. */
  readonly kind: TomlDateTimeKind;
  /**
   * RFC 3339 text as written, normalised only in spelling: `T` between date and time, upper-case
   * `T` and `Z`. Fraction digits are kept (`.999999` stays).
   */
  readonly text: string;

  /**
   * @throws ConfigError parse_failed for text that is not a TOML 1.0 date-time or names an
   *   impossible one (February 30, hour 24, an offset beyond ±23:59); `detail` says which
   */
  constructor(text: string) {
    const m = DATE_TIME.exec(text);
    if (m === null) throw invalid('not a TOML date-time');
    if (m[11] !== undefined) {
      checkTime(m[11], m[12]!, m[13]!);
      this.kind = 'local-time';
      this.text = text;
    } else {
      const year = Number(m[1]);
      const month = Number(m[2]);
      const day = Number(m[3]);
      if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) throw invalid('impossible date');
      if (m[4] === undefined) {
        this.kind = 'local-date';
        this.text = text;
      } else {
        checkTime(m[4], m[5]!, m[6]!);
        const offset = m[8];
        if (offset !== undefined && m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) {
          throw invalid('impossible offset');
        }
        this.kind = offset === undefined ? 'local-datetime' : 'offset-datetime';
        this.text = `${text.slice(0, 10)}T${text.slice(11)}`.replace(/z$/, 'Z');
      }
    }
    Object.freeze(this);
  }

  /**
   * The instant of an offset date-time as a `Date` (milliseconds: further digits are dropped, a
   * leap second reads as the next second). Undefined for the local kinds, which name no instant.
   */
  toDate(): Date | undefined {
    if (this.kind !== 'offset-datetime') return undefined;
    const m = DATE_TIME.exec(this.text)!;
    const ms = m[7] === undefined ? 0 : Number(m[7].slice(1, 4).padEnd(3, '0'));
    // setUTC* rather than Date.UTC, which reads years 0-99 as 1900-1999; second 60 carries over.
    const d = new Date(0);
    d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), ms);
    const local = d.getTime();
    const sign = m[8]!.startsWith('-') ? -1 : 1;
    const offsetMinutes = m[9] === undefined ? 0 : sign * (Number(m[9]) * 60 + Number(m[10]));
    return new Date(local - offsetMinutes * 60_000);
  }

  toString(): string {
    return this.text;
  }

  toJSON(): string {
    return this.text;
  }
}

function invalid(reason: string): ConfigError {
  return new ConfigError({ op: 'datetime', code: ErrorCode.ParseFailed, message: reason, context: { reason } });
}

function checkTime(h: string, min: string, s: string): void {
  // Second 60 is RFC 3339's leap second.
  if (Number(h) > 23 || Number(min) > 59 || Number(s) > 60) throw invalid('impossible time');
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * True for an object the tree walkers must keep whole instead of descending into it: a
 * TomlDateTime (immutable, no child values). Plain objects and arrays are containers.
 */
export function isLeafObject(v: unknown): v is TomlDateTime {
  return v instanceof TomlDateTime;
}
