// The rooms loaded on this node: one per document, loaded once (concurrent
// openers share the load), unloaded a while after its last connection leaves.
import { Room, type RoomDeps } from "./room";

export class Rooms {
  private readonly map = new Map<string, Promise<Room>>();

  constructor(
    private readonly deps: RoomDeps,
    /** How long a document with no connections stays in memory. */
    private readonly unloadAfterMs: number,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** The document's room, loaded if it is not. A failed load is forgotten, never saved over the real document. */
  get(name: string, planId: string | null): Promise<Room> {
    let p = this.map.get(name);
    if (!p) {
      p = Room.load(name, planId, this.deps);
      this.map.set(name, p);
      p.catch(() => this.map.delete(name));
    }
    return p;
  }

  /** The room if it is loaded (or loading); undefined if not, or if its load failed. */
  async loaded(name: string): Promise<Room | undefined> {
    return this.map.get(name)?.catch(() => undefined);
  }

  /** Run `fn` on every loaded room (those still loading, once loaded). */
  each(fn: (room: Room) => void): void {
    for (const p of this.map.values()) void p.then(fn, () => undefined);
  }

  /** Every loaded room, awaited. */
  async all(): Promise<Room[]> {
    const rooms = await Promise.all([...this.map.values()].map((p) => p.catch(() => undefined)));
    return rooms.filter((r): r is Room => r !== undefined);
  }

  /** A connection or server change is using the room: it stays. */
  keep(room: Room): void {
    if (room.unloadTimer) {
      clearTimeout(room.unloadTimer);
      room.unloadTimer = undefined;
    }
  }

  scheduleUnload(room: Room): void {
    if (room.conns.size > 0 || room.unloadTimer) return;
    room.unloadTimer = setTimeout(() => void this.unload(room), this.unloadAfterMs);
  }

  async unload(room: Room): Promise<void> {
    room.unloadTimer = undefined;
    if (room.conns.size > 0 || room.unloading) return;
    room.unloading = true;
    // Forget it first: a new connection loads a fresh room from the store, which
    // already holds every update (closing only folds the log).
    if (this.map.get(room.name) && (await this.map.get(room.name)) === room) this.map.delete(room.name);
    await room.close();
  }
}
