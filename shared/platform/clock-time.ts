import { z } from 'zod';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** A time of day as "HH:MM", 00:00 to 24:00 (24:00 closes a day). */
export const clockTime = z.string().regex(HH_MM, 'a time as HH:MM');

/**
 * An opening interval: open before close. The order is checked only when both times are well formed,
 * so "9:00" gets one error (the format), not a second about the order.
 */
export function openInterval(orderMessage: string) {
  return z
    .strictObject({ open: clockTime, close: clockTime })
    .refine((i) => !HH_MM.test(i.open) || !HH_MM.test(i.close) || i.open < i.close, orderMessage);
}
