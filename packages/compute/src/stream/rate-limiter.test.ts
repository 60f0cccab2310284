import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from './rate-limiter.ts';

test('rate limiter: a burst of one second, then rows accrue with time', () => {
  let now = 0;
  const limiter = new RateLimiter(100, () => now);
  assert.equal(limiter.available(), 100);
  limiter.consume(100);
  assert.equal(limiter.available(), 0);
  assert.equal(limiter.waitMs(), 10);
  now += 10;
  assert.equal(limiter.available(), 1);
  now += 250;
  assert.equal(limiter.available(), 26);
  limiter.consume(26);
  now += 60_000;
  assert.equal(limiter.available(), 100, 'idle time never grants more than the burst');
});

test('rate limiter: below one row per second the burst is one row', () => {
  let now = 0;
  const limiter = new RateLimiter(0.5, () => now);
  assert.equal(limiter.available(), 1);
  limiter.consume(1);
  assert.equal(limiter.waitMs(), 2000);
  now += 1000;
  assert.equal(limiter.available(), 0);
  now += 1000;
  assert.equal(limiter.available(), 1);
});

test('rate limiter refuses a limit that is not positive', () => {
  assert.throws(() => new RateLimiter(0));
  assert.throws(() => new RateLimiter(-1));
});
