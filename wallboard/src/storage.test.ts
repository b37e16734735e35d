import { afterEach, describe, expect, it, vi } from "vitest";
import { readStored, removeStored, storageOf, writeStored } from "./storage";

/** An in-memory Storage. */
function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, v),
  };
}

afterEach(() => vi.unstubAllGlobals());

describe("browser storage", () => {
  it("keeps, reads and forgets values in the storage asked for", () => {
    vi.stubGlobal("window", { sessionStorage: memoryStorage(), localStorage: memoryStorage() });
    writeStored("sessionStorage", "a", "1");
    writeStored("sessionStorage", "b", "2");
    expect(readStored("sessionStorage", "a")).toBe("1");
    expect(readStored("localStorage", "a")).toBeNull();
    removeStored("sessionStorage", "a", "b");
    expect(readStored("sessionStorage", "a")).toBeNull();
    expect(readStored("sessionStorage", "b")).toBeNull();
  });

  it("reads nothing and keeps nothing, without throwing, where storage is refused", () => {
    const refusing = {
      get sessionStorage(): Storage {
        throw new DOMException("denied", "SecurityError");
      },
      localStorage: {
        ...memoryStorage(),
        getItem: () => {
          throw new DOMException("denied", "SecurityError");
        },
        setItem: () => {
          throw new DOMException("full", "QuotaExceededError");
        },
      },
    };
    vi.stubGlobal("window", refusing);
    expect(storageOf("sessionStorage")).toBeNull();
    expect(readStored("sessionStorage", "a")).toBeNull();
    expect(() => writeStored("sessionStorage", "a", "1")).not.toThrow();
    expect(readStored("localStorage", "a")).toBeNull();
    expect(() => writeStored("localStorage", "a", "1")).not.toThrow();
    expect(() => removeStored("sessionStorage", "a")).not.toThrow();
  });
});
