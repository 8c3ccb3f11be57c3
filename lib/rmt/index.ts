export * from "./bartlett";
