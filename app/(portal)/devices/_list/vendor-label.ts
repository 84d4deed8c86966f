'use client';

import { useTranslations } from 'next-intl';
import { VENDOR_LABELS, type Vendor } from '@/lib/devices/schema';

/** Vendor names stay as the vendors write them; only "Generic (Linux / other)" is words to translate. */
export function useVendorLabel(): (vendor: string) => string {
  const t = useTranslations('devices');
  return (vendor) =>
    vendor === 'generic' ? t('form.vendorGeneric') : (VENDOR_LABELS[vendor as Vendor] ?? vendor);
}
