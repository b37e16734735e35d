export * from "./config";
export * from "./kafka";
export * from "./pipeline";
export * from "./rows";
export * from "./retry";
export * from "./service";
export * from "./health";
