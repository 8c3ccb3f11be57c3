export * from "./summary";
export * from "./bootstrap";
export * from "./distributions";
export * from "./tests";
export * from "./twosample";
export * from "./hypothesis";
export * from "./verdict";
export * from "./regression";
