/** A phone number as a tappable link: "0352-5101234" → tel:03525101234 (digits and a leading + only). */
export function telHref(phone: string): string {
  return `tel:${phone.trim().replace(/(?!^\+)[^\d]/g, '')}`;
}
