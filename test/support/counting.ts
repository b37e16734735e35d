// A ClickHouse client that counts the statements sent through it that match `pattern`: how the
// tests and benchmarks show that N wallboards cost ClickHouse what one does.
import type { ClickHouseClient } from "@floorwatch/sql";

export function countingClient(
  inner: ClickHouseClient,
  pattern: RegExp,
): { client: ClickHouseClient; count: () => number } {
  let n = 0;
  const client = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === "query") {
        return (params: { query: string }) => {
          if (pattern.test(params.query)) n++;
          return target.query(params as Parameters<ClickHouseClient["query"]>[0]);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
  return { client, count: () => n };
}
