export * from "./rng";
export * from "./gaussian";
export * from "./signs";
