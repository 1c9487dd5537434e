import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { normalizeEmail } from '@tocsin/domain';
import { APP_CONFIG, type AppConfig, RateLimited, RateLimiter, Unauthorized } from '@tocsin/platform';
import type { Response } from 'express';

/**
 * Failed sign-ins, counted in Redis (shared by every api process) per account, by the e-mail as given whether or not
 * a user has it (its SHA-256: no address is kept in Redis), and per source address. Past either limit the answer is
 * 429 before any password is checked, the same for an account that exists and one that does not, so the lock-out
 * tells nothing of which e-mails are users. Every 401 of a sign-in counts, a missing or wrong second factor included.
 */
@Injectable()
export class SignInLimit {
  private readonly log = new Logger(SignInLimit.name);

  constructor(
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async guard<T>(body: unknown, address: string, res: Response, signIn: () => Promise<T>): Promise<T> {
    const email =
      typeof body === 'object' && body !== null && typeof (body as { email?: unknown }).email === 'string'
        ? (body as { email: string }).email
        : '';
    return this.guardAccount(email, address, res, signIn, (e) => e instanceof Unauthorized);
  }

  /**
   * The same limits for another proof of an account's factors (a second factor's replacement): refused with 429 past
   * either limit before `attempt` runs; an error `failed` says is a failure counts.
   */
  async guardAccount<T>(
    email: string,
    address: string,
    res: Response,
    attempt: () => Promise<T>,
    failed: (e: unknown) => boolean,
  ): Promise<T> {
    const account = createHash('sha256').update(normalizeEmail(email)).digest('base64url');
    await this.count(account, address, res, 'peek');
    try {
      return await attempt();
    } catch (e) {
      if (failed(e)) {
        await this.count(account, address, res, 'take');
      }
      throw e;
    }
  }

  private async count(account: string, address: string, res: Response, mode: 'take' | 'peek'): Promise<void> {
    const windowMs = this.config.TOCSIN_SIGN_IN_WINDOW_MINUTES * 60_000;
    const decisions = await Promise.all([
      this.limiter.takeWithin(
        'sign-in-account',
        account,
        this.config.TOCSIN_SIGN_IN_FAILURES_PER_ACCOUNT,
        windowMs,
        mode,
      ),
      this.limiter.takeWithin(
        'sign-in-address',
        address,
        this.config.TOCSIN_SIGN_IN_FAILURES_PER_ADDRESS,
        windowMs,
        mode,
      ),
    ]);
    const refused = decisions.filter((d) => !d.allowed);
    const worst = refused.sort((x, y) => y.retryAfterMs - x.retryAfterMs)[0];
    if (mode === 'peek' && worst) {
      this.log.warn({ buckets: refused.length }, 'sign-in refused: too many failures');
      res.setHeader('Retry-After', String(worst.retryAfterSeconds));
      throw new RateLimited(worst.retryAfterSeconds, 'too many failed sign-ins; retry later');
    }
  }
}
