/**
 * The API's types, generated from the server's OpenAPI schema (`npm run gen:api` writes
 * ./generated/schema.d.ts; tests/test_frontend_api_types.py keeps it current). Services name
 * their types from here instead of writing them by hand.
 */
import type { components, paths } from './generated/schema';

export type { components, paths };
export type Schemas = components['schemas'];

/** `T` with some plain-string fields narrowed to the values the server's model allows (the
 * serializers declare them as CharField, so the schema only says "string"). */
export type Refine<T, R extends Partial<Record<keyof T, unknown>>> = Omit<T, keyof R> & R;
