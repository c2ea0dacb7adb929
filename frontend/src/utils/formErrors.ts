import type { FormInstance } from 'antd';
import { ApiError } from '../services/http';

type NamePath = (string | number)[];

/**
 * Put the server's field errors next to the fields they concern. `extra.fields` paths are
 * dotted (`amounts_fen.1`); `fieldMap` renames server fields to form fields
 * (`{face_value_fen: 'face_value'}`). Returns the messages no field of the form could show,
 * for an alert above the form.
 */
export function applyServerErrors(
  form: FormInstance,
  error: unknown,
  fieldMap: Record<string, string | NamePath> = {},
  translate: (text: string) => string = (text) => text,
): string[] {
  if (!(error instanceof ApiError)) return [];
  const leftover: string[] = [];
  const known = new Set([
    ...Object.keys(form.getFieldsValue() ?? {}),
    ...Object.keys(form.getFieldsValue(true) ?? {}),
  ]);
  const fields: { name: NamePath; errors: string[] }[] = [];
  for (const [path, messages] of Object.entries(error.fields)) {
    if (path === 'non_field_errors' || path === 'detail') continue;
    const mapped = fieldMap[path] ?? fieldMap[path.split('.')[0]];
    let name: NamePath;
    if (Array.isArray(mapped)) name = mapped;
    else if (typeof mapped === 'string') name = mapped.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    else name = path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    const root = String(name[0]);
    if (known.has(root) || mapped !== undefined) {
      fields.push({ name, errors: messages.map(translate) });
    } else {
      leftover.push(...messages.map((m) => `${path}: ${translate(m)}`));
    }
  }
  if (fields.length) form.setFields(fields);
  return leftover;
}
