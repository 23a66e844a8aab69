/**
 * Ironic's trait rule (its TRAITS_SCHEMA): a custom trait, `CUSTOM_` and upper-case letters,
 * digits and underscores, or one of os-traits' standard names. Galvanic does not ship os-traits'
 * list, so a standard name is accepted by its shape (upper-case words joined by underscores).
 */
const CUSTOM_TRAIT = /^CUSTOM_[A-Z0-9_]+$/;
const STANDARD_TRAIT_SHAPE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/;
const MAX_TRAIT_LENGTH = 255;

export function isValidTrait(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TRAIT_LENGTH)
    return false;
  return CUSTOM_TRAIT.test(value) || STANDARD_TRAIT_SHAPE.test(value);
}
