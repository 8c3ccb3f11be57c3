export * from "./render";
export * from "./display";
