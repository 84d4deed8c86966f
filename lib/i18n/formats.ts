import type { Formats } from 'next-intl';

/** Named formats for `format.dateTime(d, 'short')` and `format.number(n, 'percent')`, in every locale. */
export const FORMATS = {
  dateTime: {
    short: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
    date: { year: 'numeric', month: 'short', day: 'numeric' },
    time: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
  },
  number: {
    percent: { style: 'percent', maximumFractionDigits: 0 },
    precise: { maximumFractionDigits: 2 },
  },
} satisfies Formats;
