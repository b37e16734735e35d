export * from "./escape";
export * from "./env";
export * from "./log";
export * from "./client";
export * from "./query";
export * from "./migrate";
export * from "./queries/contacts";
