import { err, ok, type Issue, type Result } from '../shared/result';
import { WARNING_LIST_TYPES, type MispWarningList, type WarningListType } from './warning-list';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isWarningListType = (v: unknown): v is WarningListType =>
  typeof v === 'string' && (WARNING_LIST_TYPES as readonly string[]).includes(v);

/**
 * Checks a parsed `list.json` minimally: `name`, `type` and `list` are required; `description`, `version`,
 * `matching_attributes` and `category` are checked when present; other keys are ignored. `list` may also be the
 * object form MISP accepts (`{ "value": "comment" }`): its keys are the entries.
 */
export function parseMispWarningList(input: unknown): Result<MispWarningList, Issue[]> {
  if (!isRecord(input)) {
    return err([{ pointer: '', detail: 'is not a JSON object' }]);
  }
  const issues: Issue[] = [];
  const { name, description, version, type, list, matching_attributes: attributes, category } = input;
  if (typeof name !== 'string' || name.trim() === '') {
    issues.push({ pointer: '/name', detail: 'must be a non-empty string' });
  }
  if (description !== undefined && typeof description !== 'string') {
    issues.push({ pointer: '/description', detail: 'must be a string' });
  }
  const versionNumber = typeof version === 'string' && /^\d+$/.test(version) ? Number(version) : version;
  if (versionNumber !== undefined && (typeof versionNumber !== 'number' || !Number.isFinite(versionNumber))) {
    issues.push({ pointer: '/version', detail: 'must be a number' });
  }
  if (!isWarningListType(type)) {
    issues.push({ pointer: '/type', detail: `must be one of ${WARNING_LIST_TYPES.join(', ')}` });
  }
  const entries = Array.isArray(list) ? (list as unknown[]) : isRecord(list) ? Object.keys(list) : null;
  if (entries === null) {
    issues.push({ pointer: '/list', detail: 'must be an array of strings' });
  } else {
    const bad = entries.findIndex((e) => typeof e !== 'string');
    if (bad >= 0) {
      issues.push({ pointer: `/list/${bad}`, detail: 'must be a string' });
    }
  }
  if (attributes !== undefined && (!Array.isArray(attributes) || !attributes.every((a) => typeof a === 'string'))) {
    issues.push({ pointer: '/matching_attributes', detail: 'must be an array of strings' });
  }
  if (category !== undefined && typeof category !== 'string') {
    issues.push({ pointer: '/category', detail: 'must be a string' });
  }
  if (issues.length > 0 || typeof name !== 'string' || !isWarningListType(type) || entries === null) {
    return err(issues);
  }
  return ok({
    name,
    description: typeof description === 'string' ? description : '',
    ...(typeof versionNumber === 'number' ? { version: versionNumber } : {}),
    type,
    list: entries as string[],
    ...(Array.isArray(attributes) ? { matching_attributes: attributes as string[] } : {}),
    ...(typeof category === 'string' ? { category } : {}),
  });
}
