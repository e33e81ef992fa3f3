/**
 * The shape of a business tax id in the countries whose shape is well known. Only the shape:
 * whether the number is registered to this business is what vetting itself checks.
 * Elsewhere the id is free text (decision 0240).
 */
const SHAPES: Record<string, { pattern: RegExp; expected: string }> = {
  US: { pattern: /^\d{2}-\d{7}$/, expected: 'a US EIN, NN-NNNNNNN (e.g. 12-3456789)' },
  CA: { pattern: /^\d{9}$/, expected: 'a Canadian Business Number, 9 digits' },
  // Companies House number (8 digits, or 2 letters + 6 digits) or a VAT number (GB + 9 or 12 digits).
  GB: { pattern: /^(?:\d{8}|[A-Z]{2}\d{6}|GB\d{9}|GB\d{12})$/, expected: 'a UK company number (8 digits, or 2 letters and 6 digits) or VAT number (GB and 9 or 12 digits)' },
};

/** Null when `taxId` has the right shape for `country` (or the country has no known shape); else what was expected. */
export function taxIdProblem(country: string | null, taxId: string): string | null {
  const shape = country ? SHAPES[country.toUpperCase()] : undefined;
  if (!shape) return null;
  return shape.pattern.test(taxId) ? null : `expected ${shape.expected}`;
}
