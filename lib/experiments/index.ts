export * from "./config";
export * from "./lemma2";
