import type { StateIterator } from '../iterator/iterator.ts';
import type { SstInfo } from '../version/sst-info.ts';
import type { SstableMeta } from './sstable-meta.ts';
import { BlockIterator } from './block-iterator.ts';
import { findBlock, type SstableStore } from './sstable-reader.ts';

import type { Block } from './block.ts';

export interface SstableIteratorOptions {
  /**
   * Sequential readers (compaction): fetch runs of blocks of about this many bytes in one ranged
   * GET, the next run while the current one is consumed, bypassing the block cache. 0 (default):
   * one block at a time through the block cache.
   */
  readaheadBytes?: number;
}

/** A run of blocks fetched together. */
interface Run {
  from: number;
  blocks: Promise<Block[]>;
}

/** Iterates one SSTable, loading one whole block at a time (see StateIterator). */
export class SstableIterator implements StateIterator {
  private meta: SstableMeta | null = null;
  private blockIdx = 0;
  private it: BlockIterator | null = null;
  private run: Run | null = null;
  private nextRun: Run | null = null;

  constructor(
    private readonly store: SstableStore,
    readonly sst: SstInfo,
    private readonly opts: SstableIteratorOptions = {},
  ) {}

  async seek(fullKey: Uint8Array): Promise<void> {
    const meta = (this.meta ??= await this.store.meta(this.sst));
    this.blockIdx = findBlock(meta, fullKey);
    this.it = null;
    if (this.blockIdx >= meta.blocks.length) return;
    await this.loadBlock(this.blockIdx);
    this.it!.seek(fullKey);
    // findBlock guarantees the block holds a key >= fullKey, but stay safe.
    if (!this.it!.valid()) await this.advanceBlock();
  }

  valid(): boolean {
    return this.it !== null && this.it.valid();
  }

  key(): Uint8Array {
    return this.it!.key();
  }

  value(): Uint8Array {
    return this.it!.value();
  }

  next(): Promise<void> | void {
    const it = this.it!;
    it.next();
    if (!it.valid()) return this.advanceBlock();
  }

  private async advanceBlock(): Promise<void> {
    const n = this.meta!.blocks.length;
    while (++this.blockIdx < n) {
      await this.loadBlock(this.blockIdx);
      this.it!.seekToFirst();
      if (this.it!.valid()) return;
    }
    this.it = null;
  }

  private async loadBlock(idx: number): Promise<void> {
    if (this.opts.readaheadBytes) {
      this.it = new BlockIterator(await this.fromRun(idx));
      return;
    }
    const cached = this.store.blockCache.get(this.sst.id, idx);
    this.it = new BlockIterator(cached ?? (await this.store.block(this.sst, this.meta!, idx)));
  }

  /** Block `idx` from the current run; starts the run after it at once (one run ahead). */
  private async fromRun(idx: number): Promise<Block> {
    const inRun = async (r: Run | null) => (r && idx >= r.from && idx < r.from + (await r.blocks).length ? r : null);
    let run = (await inRun(this.run)) ?? (await inRun(this.nextRun));
    if (!run) run = this.startRun(idx);
    if (run !== this.run) {
      this.run = run;
      const blocks = await run.blocks;
      const after = run.from + blocks.length;
      this.nextRun = after < this.meta!.blocks.length ? this.startRun(after) : null;
    }
    return (await run.blocks)[idx - run.from];
  }

  private startRun(from: number): Run {
    const blocks = this.meta!.blocks;
    let to = from + 1;
    let bytes = blocks[from].length;
    while (to < blocks.length && bytes + blocks[to].length <= this.opts.readaheadBytes!) bytes += blocks[to++].length;
    const run: Run = { from, blocks: this.store.blockRun(this.sst, this.meta!, from, to) };
    run.blocks.catch(() => {}); // surfaced when awaited
    return run;
  }
}
