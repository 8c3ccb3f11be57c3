export * from "./ledger";
export * from "./outputs";
