export * from "./backend";
export * from "./linear-net";
export * from "./mlp";
export * from "./hypercube-relu";
