export * from "./primitives";
export * from "./events";
export * from "./live";
export * from "./errors";
export * from "./definitions";
export * from "./reports";
export * from "./calendar";
export * from "./access";
