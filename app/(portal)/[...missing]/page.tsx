import { notFound } from 'next/navigation';

// An address no route matches would otherwise get the root not-found page, outside the portal
// layout and without its navigation; this catch-all sends it to the portal's own not-found.
export default function Missing(): never {
  notFound();
}
