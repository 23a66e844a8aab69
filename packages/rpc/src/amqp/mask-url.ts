import { MASK } from '@galvanic/logging';

/** The broker URL fit for logs: the password, if any, replaced by the mask. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = MASK;
    return parsed.toString();
  } catch {
    return '<unparseable broker URL>';
  }
}
