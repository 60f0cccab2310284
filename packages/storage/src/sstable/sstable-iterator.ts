import type { StateIterator } from '../iterator/iterator.ts';
import type { SstInfo } from '../version/sst-info.ts';
import type { SstableMeta } from './sstable-meta.ts';
import { BlockIterator } from './block-iterator.ts';
import { findBlock, type SstableStore } from './sstable-reader.ts';

/** Iterates one SSTable, loading one whole block at a time (see StateIterator). */
export class SstableIterator implements StateIterator {
  private meta: SstableMeta | null = null;
  private blockIdx = 0;
  private it: BlockIterator | null = null;

  constructor(
    private readonly store: SstableStore,
    readonly sst: SstInfo,
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
    const cached = this.store.blockCache.get(this.sst.id, idx);
    this.it = new BlockIterator(cached ?? (await this.store.block(this.sst, this.meta!, idx)));
  }
}
