export * from "./app";
export * from "./server";
export { computeLiveSnapshot } from "./routes/live";
