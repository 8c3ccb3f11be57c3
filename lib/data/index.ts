export * from "./hypercube";
export * from "./paper";
