export * from "./lattice";
export * from "./radius";
