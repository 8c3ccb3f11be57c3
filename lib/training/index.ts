export * from "./backend";
export * from "./linear-net";
