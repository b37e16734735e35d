// The browser's storage, which may be switched off (a kiosk profile, a private window, a policy):
// then even naming `window.localStorage` throws, and so may each read and write. Every use goes
// through here, so a TV or a desk page without storage still runs (its token lasts until a reload)
// instead of failing at the first read.
export type StorageKind = "sessionStorage" | "localStorage";

/** The storage of `kind`, or null where the browser refuses it. */
export function storageOf(kind: StorageKind): Storage | null {
  try {
    return window[kind];
  } catch {
    return null;
  }
}

/** The value kept under `key`, or null (none kept, or no storage). */
export function readStored(kind: StorageKind, key: string): string | null {
  try {
    return storageOf(kind)?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Keeps `value` under `key` where the browser allows it; else nothing is kept. */
export function writeStored(kind: StorageKind, key: string, value: string): void {
  try {
    storageOf(kind)?.setItem(key, value);
  } catch {
    // storage full or disabled: the value lasts as long as the page holds it
  }
}

/** Forgets `keys` where anything is kept. */
export function removeStored(kind: StorageKind, ...keys: string[]): void {
  for (const key of keys) {
    try {
      storageOf(kind)?.removeItem(key);
    } catch {
      // nothing kept
    }
  }
}
