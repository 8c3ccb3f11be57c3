export * from "./bartlett";
export * from "./lemma3";
