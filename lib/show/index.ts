export * from "./render";
export * from "./figures";
export * from "./display";
export * from "./section6";
export * from "./runs";
export * from "./scaling";
