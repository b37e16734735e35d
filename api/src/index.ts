export * from "./app";
export * from "./server";
export { computeLiveSnapshot } from "./routes/live";
export { makeTokenStore, type TokenStore } from "./auth/tokens";
export type { Principal } from "./auth/roles";
export { MAX_STREAMS_PER_TOKEN } from "./live/broadcast";
export {
  generatePack,
  monthBounds,
  packContext,
  type PackRequest,
  type PackResult,
} from "./exports/pack";
export type { ExportService } from "./exports/service";
