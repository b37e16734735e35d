// Which Floorwatch made a pack (manifest.json `generator`): the version of the project's root
// package.json, read once. A pack is reproducible by the same version; a later one may write the
// same data with other bytes, and its manifest says which made it.
import { readFileSync } from "node:fs";

const ROOT_PACKAGE = new URL("../../../package.json", import.meta.url);

export const GENERATOR = {
  name: "floorwatch",
  version: (JSON.parse(readFileSync(ROOT_PACKAGE, "utf8")) as { version: string }).version,
} as const;
