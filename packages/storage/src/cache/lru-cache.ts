/**
 * A byte-bounded LRU cache (CLOCK / second-chance approximation: a hit only sets a flag, eviction
 * gives flagged entries one more round). Each entry has a charge (its size in bytes); inserting evicts the
 * least recently used entries until the total charge fits the capacity. Concurrent misses for
 * one key share a single load (`getOrLoad`).
 */
export class LruCache<K, V> {
  private readonly map = new Map<K, { value: V; charge: number; referenced: boolean }>();
  private readonly loading = new Map<K, Promise<V>>();
  private usedBytes = 0;
  hits = 0;
  misses = 0;

  constructor(
    readonly capacityBytes: number,
    private readonly chargeOf: (v: V) => number,
  ) {}

  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    e.referenced = true;
    return e.value;
  }

  /** The value without marking it used (a background pass must not make every entry look hot). */
  peek(key: K): V | undefined {
    return this.map.get(key)?.value;
  }

  set(key: K, value: V): void {
    const charge = this.chargeOf(value);
    const old = this.map.get(key);
    if (old) {
      this.usedBytes -= old.charge;
      this.map.delete(key);
    }
    if (charge > this.capacityBytes) return; // would evict everything: don't cache
    this.map.set(key, { value, charge, referenced: false });
    this.usedBytes += charge;
    // Map iterates in insertion order (oldest first): evict unreferenced entries, move referenced
    // ones to the back once. Ends: every pass clears flags, so a second pass evicts.
    while (this.usedBytes > this.capacityBytes) {
      const [k, e] = this.map.entries().next().value as [K, { value: V; charge: number; referenced: boolean }];
      this.map.delete(k);
      if (e.referenced && k !== key) {
        e.referenced = false;
        this.map.set(k, e);
      } else {
        this.usedBytes -= e.charge;
      }
    }
  }

  /** Cached value, else the result of `load` (cached on success; failures are not cached). */
  getOrLoad(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) {
      this.hits++;
      return Promise.resolve(hit);
    }
    const pending = this.loading.get(key);
    if (pending) return pending;
    this.misses++;
    const p = load().then(
      (v) => {
        this.loading.delete(key);
        this.set(key, v);
        return v;
      },
      (err) => {
        this.loading.delete(key);
        throw err;
      },
    );
    this.loading.set(key, p);
    return p;
  }

  delete(key: K): void {
    const e = this.map.get(key);
    if (!e) return;
    this.usedBytes -= e.charge;
    this.map.delete(key);
  }

  sizeBytes(): number {
    return this.usedBytes;
  }

  entryCount(): number {
    return this.map.size;
  }
}
