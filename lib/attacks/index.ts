export * from "./linear";
