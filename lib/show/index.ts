export * from "./render";
export * from "./figures";
export * from "./display";
