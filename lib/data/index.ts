export * from "./hypercube";
export * from "./paper";
export * from "./streams";
export * from "./margins";
