export * from "./preconditions";
