export * from "./lattice";
