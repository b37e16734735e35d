// Brings the real servers up once for the integration project (idempotent: `npm test` has usually
// done it already) and rebuilds the wallboard the browser tests load if its sources changed.
// @ts-expect-error plain-JS provisioning script, no types
import { up } from "../../scripts/services.mjs";
// @ts-expect-error plain-JS build helper, no types
import { ensureWallboardBuilt } from "../../scripts/wallboard.mjs";

export default async function setup() {
  await up();
  ensureWallboardBuilt();
}
