import type { AppLocale } from '@/lib/i18n/config';
import type { FORMATS } from '@/lib/i18n/formats';
import type { Messages } from '@/messages';

// Types every t('…') call against the English messages: a missing key fails `npm run typecheck`.
declare module 'next-intl' {
  interface AppConfig {
    Locale: AppLocale;
    Messages: Messages;
    Formats: typeof FORMATS;
  }
}
