import { err, ok, type Result } from '../shared/result';

export const MIN_PASSWORD_LENGTH = 12;

/**
 * A new password: at least MIN_PASSWORD_LENGTH characters (Unicode code points, as NIST SP 800-63B counts them) and
 * not in the common-password list (compared lower-cased, as such lists are). `isCommon` is given by the caller, so
 * the list stays outside this pure rule.
 */
export function checkNewPassword(password: string, isCommon: (lowerCased: string) => boolean): Result<string> {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return err([{ pointer: '/password', detail: `must be at least ${MIN_PASSWORD_LENGTH} characters` }]);
  }
  if (isCommon(password.toLowerCase())) {
    return err([{ pointer: '/password', detail: 'is a commonly used password: choose another' }]);
  }
  return ok(password);
}
