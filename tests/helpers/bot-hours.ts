/**
 * Per-day hours an owner set in the bot settings ("0" Sunday … "6"), as tenants created before the profile had
 * structured hours stored by default: weekdays 09:00–18:00, Saturday 10:00–14:00.
 */
export const OWNER_SET_BOT_HOURS = {
  '1': { open: '09:00', close: '18:00' },
  '2': { open: '09:00', close: '18:00' },
  '3': { open: '09:00', close: '18:00' },
  '4': { open: '09:00', close: '18:00' },
  '5': { open: '09:00', close: '18:00' },
  '6': { open: '10:00', close: '14:00' },
};
