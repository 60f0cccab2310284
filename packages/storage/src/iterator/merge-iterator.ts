import type { StateIterator } from './iterator.ts';
import { compareFullKeys } from '../key/full-key.ts';

/**
 * Merges sorted sources into one sorted stream with a binary min-heap. Equal full keys come out
 * in source order: `sources[0]` has the highest priority (put the newest data first).
 */
export class MergeIterator implements StateIterator {
  private heap: number[] = [];

  constructor(private readonly sources: StateIterator[]) {}

  async seek(fullKey: Uint8Array): Promise<void> {
    await Promise.all(this.sources.map((s) => s.seek(fullKey)));
    this.heap = [];
    for (let i = 0; i < this.sources.length; i++) if (this.sources[i].valid()) this.heap.push(i);
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  valid(): boolean {
    return this.heap.length > 0;
  }

  key(): Uint8Array {
    return this.sources[this.heap[0]].key();
  }

  value(): Uint8Array {
    return this.sources[this.heap[0]].value();
  }

  next(): Promise<void> | void {
    const top = this.sources[this.heap[0]];
    const p = top.next();
    if (p) return p.then(() => this.fixTop());
    this.fixTop();
  }

  private fixTop(): void {
    if (!this.sources[this.heap[0]].valid()) {
      const last = this.heap.pop()!;
      if (this.heap.length === 0) return;
      this.heap[0] = last;
    }
    this.siftDown(0);
  }

  private less(a: number, b: number): boolean {
    const c = compareFullKeys(this.sources[a].key(), this.sources[b].key());
    return c < 0 || (c === 0 && a < b);
  }

  private siftDown(i: number): void {
    const h = this.heap;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const m = r < n && this.less(h[r], h[l]) ? r : l;
      if (!this.less(h[m], h[i])) return;
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
}
